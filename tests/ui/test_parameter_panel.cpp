// The parameter panel's widgets take their ranges from pipeline/limits.h (through the settings keys) and their
// items from the choice tables, and the device and precision it shows are the model's, not the job's.

#include "ui/parameter_panel.h"
#include "ui/slider_spin_box.h"

#include "pipeline/choices.h"
#include "pipeline/limits.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace kaskade;
using namespace kaskade::ui;

class TestParameterPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        core::Settings::useFile(dir_.filePath(QStringLiteral("settings.ini")));
    }
    void cleanupTestCase() { core::Settings::useFile({}); }

    void rangesAreTheLimits()
    {
        ParameterPanel panel;
        const auto spin = [&](const char* name) { return panel.findChild<QSpinBox*>(QLatin1String(name)); };
        const auto slider = [&](const char* name) { return panel.findChild<SliderSpinBox*>(QLatin1String(name)); };
        for (const auto& [name, limit] :
             {std::pair{"widthSpin", &limits::width}, std::pair{"heightSpin", &limits::height},
              std::pair{"batchSpin", &limits::batch}}) {
            QVERIFY2(spin(name), name);
            QCOMPARE(spin(name)->minimum(), limit->min);
            QCOMPARE(spin(name)->maximum(), limit->max);
        }
        QCOMPARE(spin("compressionSpin")->maximum(), limits::compression.max);
        QCOMPARE(spin("compressionSpin")->minimum(), limits::compression.min - 1); // "official"
        for (const auto& [name, min, max] :
             {std::tuple{"stageCSteps", double(limits::steps.min), double(limits::steps.max)},
              std::tuple{"stageBSteps", double(limits::steps.min), double(limits::steps.max)},
              std::tuple{"stageCCfg", limits::cfg.min, limits::cfg.max},
              std::tuple{"stageBCfg", limits::cfg.min, limits::cfg.max},
              std::tuple{"stageCShift", limits::shift.min, limits::shift.max},
              std::tuple{"stageBShift", limits::shift.min, limits::shift.max},
              std::tuple{"cfgRescale", limits::cfgRho.min, limits::cfgRho.max}}) {
            QVERIFY2(slider(name), name);
            QCOMPARE(slider(name)->spinBox()->minimum(), min);
            QCOMPARE(slider(name)->spinBox()->maximum(), max);
        }
    }

    void combosAreTheTables()
    {
        ParameterPanel panel;
        auto* sampler = panel.findChild<QComboBox*>(QStringLiteral("samplerCombo"));
        auto* precision = panel.findChild<QComboBox*>(QStringLiteral("precisionCombo"));
        QVERIFY(sampler && precision);
        QCOMPARE(std::size_t(sampler->count()), choiceTable<SamplerKind>().rows.size());
        for (const auto& row : choiceTable<SamplerKind>().rows)
            QVERIFY2(sampler->findData(QLatin1String(row.id)) >= 0, row.id);
        QCOMPARE(std::size_t(precision->count()), choiceTable<Precision>().rows.size());
        QVERIFY(!precision->itemText(0).contains(QLatin1String("on GPU, fp32 on CPU"))); // the old, wrong rule

        // Every sampler goes through the panel and back.
        for (const auto& row : choiceTable<SamplerKind>().rows) {
            GenerationParams p;
            p.sampler = row.value;
            panel.setParams(p);
            QCOMPARE(panel.params().sampler, row.value);
        }
    }

    void placementIsTheModels()
    {
        ParameterPanel panel;
        panel.setPlacement(DeviceChoice{DeviceKind::Cpu}, Precision::Bf16);
        QVERIFY(panel.device() == DeviceChoice{DeviceKind::Cpu});
        QCOMPARE(panel.precision(), Precision::Bf16);
        core::Settings settings;
        panel.save(settings);
        ModelSpec spec;
        settings.applyPlacement(spec);
        QVERIFY(spec.device == DeviceChoice{DeviceKind::Cpu});
        QCOMPARE(spec.precision, Precision::Bf16);
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(TestParameterPanel)
#include "test_parameter_panel.moc"
