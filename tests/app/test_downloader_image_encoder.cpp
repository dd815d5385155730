// The CLIP image encoder for variations lives in another repository (stabilityai/stable-cascade-prior,
// image_encoder/): with the image inputs the plan lists it from there with the hub's sizes, downloads it from
// that repository's URLs into DIR/image_encoder/ (where the loader looks), and a hub without it costs only a
// notice, not the whole download.
#include "fake_hub.h"

#include <QSignalSpy>

using namespace kaskade::test;

class TestDownloaderImageEncoder : public DownloaderTest
{
    Q_OBJECT

    void addImageEncoder()
    {
        hub_->files["image_encoder/config.json"] = R"({"architectures": ["CLIPVisionModelWithProjection"]})";
        hub_->files["image_encoder/model.safetensors"] = pseudoRandomBytes(120000, 11);
    }

private Q_SLOTS:
    void init() { startHub(); }
    void cleanup() { stopHub(); }

    void listedFromThePriorRepository()
    {
        QCOMPARE(Downloader::imageEncoderRepo(), QStringLiteral("stabilityai/stable-cascade-prior"));
        QCOMPARE(Downloader::imageEncoderFiles(),
                 (QStringList{"image_encoder/config.json", "image_encoder/model.safetensors"}));
        // The fake hub serves one repository: name it like the prior one, so that both listings find it.
        hub_->repoName = Downloader::imageEncoderRepo();
        addImageEncoder();
        Downloader::Options o = options();
        o.repo = Downloader::imageEncoderRepo();
        Downloader d(o);
        d.fetchPlan(ModelSet::Lite, true);
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        QCOMPARE(d.state(), Downloader::State::Ready);
        QStringList encoder;
        for (const auto& file : d.files()) {
            if (!file.path.startsWith(QLatin1String("image_encoder/")))
                continue;
            encoder << file.path;
            QCOMPARE(file.repo, Downloader::imageEncoderRepo());
            QCOMPARE(file.size, qint64(hub_->files[file.path].size()));
        }
        QCOMPARE(encoder, Downloader::imageEncoderFiles());
        QCOMPARE(hub_->requestsFor("revision/main?blobs=true").size(), 2); // the model repository, then the prior

        d.start();
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        QCOMPARE(d.state(), Downloader::State::Finished);
        verifyFile("image_encoder/model.safetensors");
        verifyFile("image_encoder/config.json");
        QVERIFY(!hub_->requestsFor("stabilityai/stable-cascade-prior/resolve/main/image_encoder/model.safetensors")
                     .isEmpty());
    }

    void missingEncoderIsANoticeNotAFailure()
    {
        // The fake hub knows only the model repository: the prior repository's listing answers 404.
        Downloader d(options());
        QSignalSpy notices(&d, &Downloader::notice);
        d.fetchPlan(ModelSet::Lite, true);
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        QCOMPARE(d.state(), Downloader::State::Ready);
        for (const auto& file : d.files())
            QVERIFY2(!file.path.startsWith(QLatin1String("image_encoder/")), qPrintable(file.path));
        QCOMPARE(notices.count(), 1);
        QVERIFY2(notices.first().first().toString().contains(QStringLiteral("image_encoder")),
                 qPrintable(notices.first().first().toString()));
    }

    void notPlannedWithoutImageInputs()
    {
        Downloader d(options());
        d.fetchPlan(ModelSet::Lite, false);
        QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs);
        QCOMPARE(d.state(), Downloader::State::Ready);
        QCOMPARE(hub_->requestsFor("revision/main?blobs=true").size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDownloaderImageEncoder)
#include "test_downloader_image_encoder.moc"
