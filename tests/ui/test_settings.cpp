// Settings registry: defaults equal GenerationParams{}'s, values are clamped to bounds, choices are enforced,
// and everything persists through an ini file.
#include "app/core/settings.h"

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
