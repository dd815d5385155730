// Settings registry: defaults equal GenerationParams{}'s, values are clamped to bounds, choices are enforced,
// and everything persists through an ini file.
#include "app/core/settings.h"
#include "pipeline/limits.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace kaskade;
using namespace kaskade::core;

class TestSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(dir_.isValid());
        ini_ = dir_.filePath(QStringLiteral("settings-%1.ini").arg(++n_));
        Settings::useFile(ini_);
    }
    void cleanupTestCase() { Settings::useFile({}); }

    void defaultsAreTheOfficialOnes()
    {
        const Settings settings;
        const GenerationParams official;
        const GenerationParams p = settings.params();
        QCOMPARE(p.width, 1024);
        QCOMPARE(p.height, 1024);
        QCOMPARE(p.stageC.steps, 20);
        QCOMPARE(p.stageC.cfg, 4.0);
        QCOMPARE(p.stageC.shift, 2.0);
        QCOMPARE(p.stageB.steps, 10);
        QCOMPARE(p.stageB.cfg, 1.1);
        QCOMPARE(p.stageB.shift, 1.0);
        QCOMPARE(p.sampler, official.sampler);
        QCOMPARE(p.batch, official.batch);
        QVERIFY(!p.seed.has_value());
        QCOMPARE(settings.value(keys::language), QStringLiteral("system"));
        QCOMPARE(settings.value(keys::threads), 0);
        QVERIFY(settings.outputFolder().endsWith(QStringLiteral("Kaskade")));
    }

    void clampsToBounds_data()
    {
        QTest::addColumn<int>("written");
        QTest::addColumn<int>("expected");
        QTest::newRow("below") << -5 << keys::stageCSteps.minimum;
        QTest::newRow("inside") << 33 << 33;
        QTest::newRow("above") << 100000 << keys::stageCSteps.maximum;
    }
    void clampsToBounds()
    {
        QFETCH(int, written);
        QFETCH(int, expected);
        Settings settings;
        settings.setValue(keys::stageCSteps, written);
        QCOMPARE(settings.value(keys::stageCSteps), expected);
    }

    void clampsValuesEditedByHand()
    {
        {
            QSettings raw(ini_, QSettings::IniFormat);
            raw.setValue(keys::width.key, 99999);
            raw.setValue(keys::stageBCfg.key, QStringLiteral("not a number"));
            raw.setValue(keys::sampler.key, QStringLiteral("euler"));
        }
        const Settings settings;
        QCOMPARE(settings.value(keys::width), keys::width.maximum);
        QCOMPARE(settings.value(keys::stageBCfg), keys::stageBCfg.defaultValue);
        QCOMPARE(settings.value(keys::sampler), QStringLiteral("ddpm"));
        QVERIFY2(settings.problems().join('\n').contains(QLatin1String("euler")),
                 qPrintable(settings.problems().join('\n')));
    }

    // The generation keys' bounds are the engine's limits, so a stored value is never one validate() refuses.
    void boundsAreTheLimits()
    {
        for (const auto& [key, limit] :
             {std::pair{&keys::width, &limits::width}, std::pair{&keys::height, &limits::height},
              std::pair{&keys::batch, &limits::batch}, std::pair{&keys::stageCSteps, &limits::steps},
              std::pair{&keys::stageBSteps, &limits::steps}}) {
            QCOMPARE(key->minimum, limit->min);
            QCOMPARE(key->maximum, limit->max);
        }
        for (const auto& [key, limit] :
             {std::pair{&keys::stageCCfg, &limits::cfg}, std::pair{&keys::stageBCfg, &limits::cfg},
              std::pair{&keys::stageCShift, &limits::shift}, std::pair{&keys::stageBShift, &limits::shift},
              std::pair{&keys::cfgRho, &limits::cfgRho}}) {
            QCOMPARE(key->minimum, limit->min);
            QCOMPARE(key->maximum, limit->max);
        }
        QCOMPARE(keys::compression.maximum, limits::compression.max);
        QCOMPARE(keys::threads.maximum, limits::threads.max);
        // Clamped on load into what validate() accepts.
        {
            QSettings raw(ini_, QSettings::IniFormat);
            raw.setValue(keys::stageCSteps.key, 100000);
            raw.setValue(keys::stageCCfg.key, -3.0);
            raw.setValue(keys::batch.key, 1000);
        }
        const Settings settings;
        const GenerationParams p = settings.params();
        QCOMPARE(p.stageC.steps, limits::steps.max);
        QCOMPARE(p.stageC.cfg, limits::cfg.min);
        QCOMPARE(p.batch, limits::batch.max);
        p.validate();
    }

    // A sampler this version does not know (chosen in a newer Kaskade) reads as the default but stays stored
    // until the user picks another one: it is not silently reset.
    void unknownSamplerIsKept()
    {
        {
            QSettings raw(ini_, QSettings::IniFormat);
            raw.setValue(keys::sampler.key, QStringLiteral("euler_ancestral"));
        }
        {
            Settings settings;
            GenerationParams p = settings.params();
            QCOMPARE(p.sampler, GenerationParams{}.sampler);
            QCOMPARE(settings.problems().size(), 1);
            QVERIFY(settings.problems().first().contains(QLatin1String("dpmpp_2m"))); // lists what is known
            p.stageC.steps = 25;
            settings.setParams(p); // the panel saving what it was given
            settings.sync();
        }
        QCOMPARE(QSettings(ini_, QSettings::IniFormat).value(keys::sampler.key).toString(),
                 QStringLiteral("euler_ancestral"));
        {
            Settings settings;
            GenerationParams p = settings.params();
            p.sampler = SamplerKind::DpmPp2m; // a real choice replaces it
            settings.setParams(p);
            settings.sync();
        }
        const Settings reread;
        QCOMPARE(reread.params().sampler, SamplerKind::DpmPp2m);
        QVERIFY(reread.problems().isEmpty());
    }

    void placementRoundTrips()
    {
        ModelSpec spec;
        spec.device = {DeviceKind::Cuda, 2};
        spec.precision = Precision::Fp32;
        {
            Settings settings;
            settings.setPlacement(spec);
            settings.setValue(keys::precision, QStringLiteral("int8")); // refused, not stored
        }
        const Settings settings;
        QCOMPARE(settings.value(keys::device), QStringLiteral("cuda:2"));
        ModelSpec back;
        settings.applyPlacement(back);
        QVERIFY(back.device == spec.device);
        QCOMPARE(back.precision, Precision::Fp32);
    }

    void snapsSizes_data()
    {
        QTest::addColumn<int>("pixels");
        QTest::addColumn<int>("snapped");
        QTest::newRow("exact") << 1024 << 1024;
        QTest::newRow("down") << 1000 << 1024;
        QTest::newRow("up") << 1100 << 1152;
        QTest::newRow("min") << 10 << 128;
        QTest::newRow("max") << 5000 << 4096;
    }
    void snapsSizes()
    {
        QFETCH(int, pixels);
        QFETCH(int, snapped);
        QCOMPARE(snapToSizeStep(pixels, keys::width), snapped);
    }

    void persistsParams()
    {
        GenerationParams p;
        p.prompt = "a lighthouse";
        p.negativePrompt = "blurry";
        p.width = 1408;
        p.height = 768;
        p.stageC = {30, 5.5, 3.0};
        p.stageB = {12, 1.5, 1.2};
        p.sampler = SamplerKind::Ddim;
        p.seed = 77;
        {
            Settings settings;
            settings.setParams(p);
            settings.setValue(keys::seedLocked, 1);
            settings.sync();
        }
        const Settings reread;
        const GenerationParams q = reread.params();
        QCOMPARE(q.prompt, p.prompt);
        QCOMPARE(q.negativePrompt, p.negativePrompt);
        QCOMPARE(q.width, 1408);
        QCOMPARE(q.height, 768);
        QCOMPARE(q.stageC.steps, 30);
        QCOMPARE(q.stageC.cfg, 5.5);
        QCOMPARE(q.stageB.shift, 1.2);
        QCOMPARE(q.sampler, SamplerKind::Ddim);
        QCOMPARE(q.seed.value_or(0), quint64(77));
        QVERIFY(QFile::exists(ini_));
    }

    void historyIsNewestFirstAndBounded()
    {
        Settings settings;
        settings.setValue(keys::historySize, 3);
        for (const char* prompt : {"a", "b", "c", "d", "b"})
            settings.addPromptHistory(QString::fromLatin1(prompt));
        QCOMPARE(settings.promptHistory(), (QStringList{"b", "d", "c"}));
    }

private:
    QTemporaryDir dir_;
    QString ini_;
    int n_ = 0;
};

QTEST_APPLESS_MAIN(TestSettings)
#include "test_settings.moc"
