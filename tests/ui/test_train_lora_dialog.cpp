// The Train LoRA dialog offscreen: the folder's pictures with their captions, edited captions saved as .txt,
// a short real training on the demo model with the loss curve filling, pause (checkpoint) and resume.
#include "ui/train_lora_dialog.h"

#include <QChartView>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

class TestTrainLoraDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString model_, pictures_;

    template <typename T> static T* child(QObject* parent, const char* name)
    {
        auto* w = parent->findChild<T*>(QString::fromLatin1(name));
        if (!w)
            qFatal("no child %s", name);
        return w;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        model_ = dir_.filePath("demo");
        QProcess make;
        make.start(QStringLiteral(KASKADE_BIN_DIR "/kaskade-cli"), {"make-demo-model", model_, "--size", "tiny"});
        QVERIFY(make.waitForFinished(120000));
        QCOMPARE(make.exitCode(), 0);
        pictures_ = dir_.filePath("pictures");
        QVERIFY(QDir().mkpath(pictures_));
        for (int i = 0; i < 2; ++i) {
            QImage image(48, 64, QImage::Format_RGB888);
            image.fill(i == 0 ? qRgb(200, 30, 30) : qRgb(30, 30, 200));
            QVERIFY(image.save(QStringLiteral("%1/p%2.png").arg(pictures_).arg(i)));
        }
        QFile caption(pictures_ + "/p0.txt");
        QVERIFY(caption.open(QIODevice::WriteOnly));
        caption.write("a red [name]\n");
    }

    void listsPicturesWithCaptions()
    {
        kaskade::ui::TrainLoraDialog dialog(model_);
        dialog.setFolder(pictures_);
        auto* table = child<QTableWidget>(&dialog, "trainPictures");
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("p0.png"));
        QCOMPARE(table->item(0, 1)->text(), QStringLiteral("a red [name]"));
        QTRY_VERIFY(!table->item(0, 0)->icon().isNull()); // thumbnails are decoded off the GUI thread
        QTRY_VERIFY(!table->item(1, 0)->icon().isNull());
        QVERIFY(table->item(1, 1)->text().isEmpty());
        QVERIFY(child<QLineEdit>(&dialog, "trainOutput")->text().endsWith("pictures_lora.safetensors"));
    }

    void trainsPausesAndResumes()
    {
        kaskade::ui::TrainLoraDialog dialog(model_);
        dialog.show();
        dialog.setFolder(pictures_);
        auto* table = child<QTableWidget>(&dialog, "trainPictures");
        table->item(1, 1)->setText(QStringLiteral("a blue [name]")); // edited caption: saved on Train
        child<QSpinBox>(&dialog, "trainSteps")->setValue(4);
        child<QSpinBox>(&dialog, "trainResolution")->setValue(64);
        child<QCheckBox>(&dialog, "trainBuckets")->setChecked(true);
        const QString out = dir_.filePath("gui_lora.safetensors");
        child<QLineEdit>(&dialog, "trainOutput")->setText(out);
        auto* status = child<QLabel>(&dialog, "trainStatus");
        QSignalSpy ready(&dialog, &kaskade::ui::TrainLoraDialog::loraReady);

        child<QPushButton>(&dialog, "trainStart")->click();
        QVERIFY(!child<QPushButton>(&dialog, "trainStart")->isEnabled());
        // Pause as soon as the first update is reported: the checkpoint is written, Resume becomes possible.
        auto* chart = child<QChartView>(&dialog, "trainLossChart");
        auto* series = qobject_cast<QLineSeries*>(chart->chart()->series().value(0));
        QVERIFY(series);
        QTRY_VERIFY_WITH_TIMEOUT(series->count() >= 1 || status->text().startsWith("Done"), 180000);
        child<QPushButton>(&dialog, "trainPause")->click();
        QTRY_VERIFY_WITH_TIMEOUT(child<QPushButton>(&dialog, "trainStart")->isEnabled(), 180000);
        QVERIFY2(status->text().startsWith("Paused") || status->text().startsWith("Done"), qPrintable(status->text()));
        if (status->text().startsWith("Paused")) {
            QVERIFY(QFile::exists(dir_.filePath("gui_lora.ckpt.safetensors")));
            QVERIFY(child<QPushButton>(&dialog, "trainResume")->isEnabled());
            child<QPushButton>(&dialog, "trainResume")->click();
        }
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith("Done"), 300000);
        QCOMPARE(series->count(), 4);
        QVERIFY(QFile::exists(out));
        QFile settings(dir_.filePath("gui_lora.json")); // the dialog's choices reached the run
        QVERIFY(settings.open(QIODevice::ReadOnly));
        QVERIFY(QJsonDocument::fromJson(settings.readAll()).object().value("aspect_buckets").toBool());
        QFile caption(pictures_ + "/p1.txt");
        QVERIFY(caption.open(QIODevice::ReadOnly));
        QCOMPARE(caption.readAll().trimmed(), QByteArray("a blue [name]"));

        child<QPushButton>(&dialog, "trainLoad")->click();
        QCOMPARE(ready.count(), 1);
        QCOMPARE(ready.first().first().toString(), out);
    }
};

QTEST_MAIN(TestTrainLoraDialog)
#include "test_train_lora_dialog.moc"
