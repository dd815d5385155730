// kaskade-cli train-lora end to end on the demo model: the held-out loss falls, the file is in the official
// layout and loads through Kaskade's LoRA loader, a stopped-and-resumed run equals an uninterrupted one (with
// Stage C's dropout on), aspect buckets, and bad input gives one clear error line.
#include "pipeline/generator.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/loading/lora.h"
#include "pipeline/loading/model_files.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

class TestCliTrain : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString model_, pictures_;

    struct Run
    {
        int exitCode = -1;
        QString out, err;
    };

    static Run run(const QStringList& args, int timeoutMs = 600000)
    {
        QProcess p;
        p.start(QStringLiteral(KASKADE_BIN_DIR "/kaskade-cli"), args);
        Run r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
        r.err = QString::fromLocal8Bit(p.readAllStandardError());
        return r;
    }

    QStringList train(const QString& out, int steps) const
    {
        return {"train-lora",
                "--images",
                pictures_,
                "--model",
                model_,
                "--out",
                out,
                "--token",
                "[kask]",
                "--init-from",
                "^a",
                "--steps",
                QString::number(steps),
                "--lr",
                "3e-3",
                "--resolution",
                "64",
                "--batch",
                "2",
                "--seed",
                "5"};
    }

    static QByteArray bytes(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        model_ = dir_.filePath("demo");
        const Run r = run({"make-demo-model", model_, "--size", "tiny"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // Three small pictures: a red disc, a blue square, a green stripe; one with its own caption.
        pictures_ = dir_.filePath("pictures");
        QVERIFY(QDir().mkpath(pictures_));
        for (int i = 0; i < 3; ++i) {
            QImage image(80, 64, QImage::Format_RGB888);
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const bool inside = i == 0   ? (x - 40) * (x - 40) + (y - 32) * (y - 32) < 400
                                        : i == 1 ? x > 20 && x < 60 && y > 12 && y < 52
                                                 : y / 8 % 2 == 0;
                    image.setPixel(x, y,
                                   inside ? qRgb(i == 0 ? 220 : 20, i == 2 ? 200 : 30, i == 1 ? 210 : 40)
                                          : qRgb(240, 240, 230));
                }
            QVERIFY(image.save(QStringLiteral("%1/p%2.png").arg(pictures_).arg(i)));
        }
        QFile caption(pictures_ + "/p0.txt");
        QVERIFY(caption.open(QIODevice::WriteOnly));
        caption.write("a red [kask] on white\n");
    }

    void lowersTheLossAndLoadsBack()
    {
        const QString out = dir_.filePath("kask.safetensors");
        const Run r = run(train(out, 12));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("update 12/12"), qPrintable(r.err));
        const auto match =
            QRegularExpression(R"(held-out loss \(fixed draws\): ([0-9.]+) before, ([0-9.]+) after)").match(r.err);
        QVERIFY2(match.hasMatch(), qPrintable(r.err));
        const double before = match.captured(1).toDouble(), after = match.captured(2).toDouble();
        QVERIFY2(after < before, qPrintable(QStringLiteral("held-out loss %1 -> %2").arg(before).arg(after)));

        // Official layout: embeddings.indices (I64) first.
        const QByteArray file = bytes(out);
        QVERIFY(file.mid(8).startsWith("{\"embeddings.indices\":{\"dtype\":\"I64\""));
        // Kaskade's LoRA loader maps it onto the demo Stage C.
        kaskade::ModelSpec spec;
        spec.directory = model_.toStdString();
        const auto files = kaskade::resolveModelFiles(spec);
        auto stageC = kaskade::loadStageCFrom(files, at::TensorOptions().dtype(at::kFloat));
        const auto lora = kaskade::readLora(out.toStdString(), *stageC);
        QCOMPARE(lora.format, std::string("official"));
        QCOMPARE(lora.deltas.size(), kaskade::attentionBlocksInOrder(*stageC).size() * 2);
        QVERIFY(lora.tokenEmbeddings.defined());
        QCOMPARE(lora.tokenEmbeddings.size(0), std::int64_t{1});

        // The settings sidecar.
        const auto json = QJsonDocument::fromJson(bytes(dir_.filePath("kask.json"))).object();
        QCOMPARE(json.value("rank").toInt(), 4);
        QCOMPARE(json.value("info").toObject().value("total_steps").toInt(), 12);

        // The ComfyUI conversion.
        const Run c = run({"convert-lora", out, "--model", model_, "--out", dir_.filePath("kask_comfy.safetensors")});
        QVERIFY2(c.exitCode == 0, qPrintable(c.err));
        const auto comfy = kaskade::st::Reader::open(dir_.filePath("kask_comfy.safetensors").toStdString());
        bool prior = false;
        for (const auto& t : comfy->tensors())
            prior = prior || t.name.rfind("lora_prior_unet_", 0) == 0;
        QVERIFY(prior);
        // The token as a ComfyUI textual-inversion embedding: its whole row (start + learned delta) under "clip_g".
        QVERIFY2(c.err.contains("embedding:kask"), qPrintable(c.err));
        const auto embedding = kaskade::st::Reader::open(dir_.filePath("embeddings/kask.safetensors").toStdString());
        const at::Tensor row = embedding->tensor("clip_g");
        QCOMPARE(row.sizes().vec(), (std::vector<std::int64_t>{1, lora.tokenEmbeddings.size(1)}));
        QVERIFY(!at::allclose(row, lora.tokenEmbeddings.to(at::kFloat))); // "^a" gave it a non-zero start
    }

    void resumedRunEqualsUninterrupted()
    {
        const QString whole = dir_.filePath("whole.safetensors"), part = dir_.filePath("part.safetensors");
        const Run a = run(train(whole, 4));
        QVERIFY2(a.exitCode == 0, qPrintable(a.err));
        const Run b = run(train(part, 2));
        QVERIFY2(b.exitCode == 0, qPrintable(b.err));
        const Run c = run(train(part, 4) << "--resume" << dir_.filePath("part.ckpt.safetensors"));
        QVERIFY2(c.exitCode == 0, qPrintable(c.err));
        QVERIFY2(c.err.contains("resumed at update 2"), qPrintable(c.err));
        QVERIFY(!bytes(whole).isEmpty());
        QVERIFY(bytes(whole) == bytes(part));
    }

    void bucketsKeepTheFraming()
    {
        // Landscape, portrait and square pictures at 192 px: buckets 128x256, 192x192, 256x128; batches of 2
        // hold one bucket only (a mixed batch could not be stacked), and the run is repeatable.
        const QString folder = dir_.filePath("framed");
        QVERIFY(QDir().mkpath(folder));
        const QList<QSize> sizes{{160, 80}, {150, 70}, {60, 120}, {100, 100}};
        for (int i = 0; i < sizes.size(); ++i) {
            QImage image(sizes[i], QImage::Format_RGB888);
            image.fill(qRgb(40 * i, 200 - 40 * i, 90));
            QVERIFY(image.save(QStringLiteral("%1/f%2.png").arg(folder).arg(i)));
        }
        auto args = [&](const QString& out) {
            QStringList list = train(out, 3);
            list[list.indexOf("--images") + 1] = folder;
            list[list.indexOf("--resolution") + 1] = "192";
            return list << "--buckets";
        };
        const QString a = dir_.filePath("bucket_a.safetensors"), b = dir_.filePath("bucket_b.safetensors");
        const Run r = run(args(a));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("aspect buckets: 128x256 (1), 192x192 (1), 256x128 (2)"), qPrintable(r.err));
        QVERIFY2(r.err.contains("update 3/3"), qPrintable(r.err));
        const auto json = QJsonDocument::fromJson(bytes(dir_.filePath("bucket_a.json"))).object();
        QVERIFY(json.value("aspect_buckets").toBool());
        QCOMPARE(json.value("image_size").toInt(), 192);
        const Run again = run(args(b));
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY(!bytes(a).isEmpty());
        QVERIFY(bytes(a) == bytes(b));
    }

    void badInputIsOneClearLine()
    {
        const Run r =
            run(train(dir_.filePath("x.safetensors"), 2).replaceInStrings(pictures_, dir_.filePath("nothing")));
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("nothing") && r.err.trimmed().count('\n') == 0, qPrintable(r.err));
        const Run rank = run(train(dir_.filePath("y.safetensors"), 2) << "--rank"
                                                                      << "0");
        QVERIFY(rank.exitCode != 0);
        QVERIFY2(rank.err.contains("rank"), qPrintable(rank.err));
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "test_cli_train.moc"
