// kaskade-cli generate with A1111's <lora:name:strength> in the prompt: the tag loads the model folder's LoRA
// exactly as --lora does, never reaches the text encoder, is written into the saved prompt, and a name
// without a file fails before anything is drawn, naming it.
#include "app/core/image_metadata.h"
#include "cli_runner.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/random_lora.h"

#include <ATen/ATen.h>
#include <QDir>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

class TestCliPromptLoras : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString model_, loraPath_;

    QStringList job(const QString& prompt, const QString& out) const
    {
        return {"generate",  "--model", model_,      "--prompt", prompt,   "--width", "128",   "--height", "128",
                "--steps-c", "3",       "--steps-b", "2",        "--seed", "5",       "--out", out};
    }

    static QImage rgb(const QString& path) { return QImage(path).convertToFormat(QImage::Format_RGB888); }

    // A OneTrainer-style LoRA on every attention output of the demo Stage C, strong enough to show.
    void writeLora(const QString& path) const
    {
        const auto lora = kaskade::test::randomAttentionLora((model_ + "/stage_c.safetensors").toStdString());
        QVERIFY(!lora.empty());
        kaskade::st::write(path.toStdString(), lora);
    }

private Q_SLOTS:
    void initTestCase()
    {
        model_ = kaskade::test::makeTinyDemoModel(dir_);
        QVERIFY(!model_.isEmpty());
        QVERIFY(QDir(model_).mkpath("loras"));
        loraPath_ = model_ + "/loras/Detail.safetensors";
        writeLora(loraPath_);
    }

    void tagLoadsTheFoldersLoraLikeTheOption()
    {
        const QString tagged = dir_.filePath("tagged.png"), option = dir_.filePath("option.png"),
                      plain = dir_.filePath("plain.png");
        // The name is matched case-insensitively against the file stem, as the GUI does.
        kaskade::test::CliRun r = kaskade::test::runCli(job("a red chair, in the snow <lora:detail:0.7>", tagged));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("Detail.safetensors")), qPrintable(r.err));
        r = kaskade::test::runCli(job("a red chair, in the snow", option) << "--lora" << loraPath_ + ":0.7");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = kaskade::test::runCli(job("a red chair, in the snow", plain));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // Same image as the option: the LoRA merged at 0.7 and the encoder read the prompt without the tag.
        QVERIFY(!rgb(tagged).isNull());
        QVERIFY(rgb(tagged) == rgb(option));
        QVERIFY(rgb(tagged) != rgb(plain));

        const auto record = kaskade::core::readImageRecord(tagged);
        QVERIFY(record.has_value());
        QCOMPARE(QString::fromStdString(record->params.prompt),
                 QStringLiteral("a red chair, in the snow <lora:detail:0.7>"));
        // A LoRA given as an option is named in the saved prompt too (A1111 does so), so a reuse brings it back.
        const auto fromOption = kaskade::core::readImageRecord(option);
        QVERIFY(fromOption.has_value());
        QCOMPARE(QString::fromStdString(fromOption->params.prompt),
                 QStringLiteral("a red chair, in the snow <lora:Detail:0.7>"));
    }

    void unknownTagFailsNamingIt()
    {
        const QString out = dir_.filePath("unknown.png");
        const kaskade::test::CliRun r = kaskade::test::runCli(job("<lora:no_such_style:0.5> a cat", out));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QStringLiteral("no_such_style")), qPrintable(r.err));
        QVERIFY2(r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(TestCliPromptLoras)
#include "test_cli_prompt_loras.moc"
