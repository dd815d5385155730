// GalleryStore::save when the disk refuses bytes part-way (issue 12: "Unknown error" on a full disk). The
// file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored) makes write(2) fail exactly as a full disk does, in the
// middle of the image data, without needing a real full file system; the limit is restored afterwards.
#include "app/core/gallery_store.h"
#include "pipeline/errors.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstring>
#include <random>

#include <sys/resource.h>

using kaskade::core::GalleryStore;

namespace {

// Lowers the soft file-size limit for its lifetime; SIGXFSZ would otherwise kill the process at the limit.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        oldHandler_ = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lowered = saved_;
        lowered.rlim_cur = bytes;
        ok_ = ::setrlimit(RLIMIT_FSIZE, &lowered) == 0;
    }
    ~FileSizeLimit()
    {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, oldHandler_);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;
    bool ok() const { return ok_; }

private:
    rlimit saved_{};
    void (*oldHandler_)(int) = nullptr;
    bool ok_ = false;
};

// Noise does not compress: the PNG is about as large as its pixels (768 KiB here).
QImage noiseImage()
{
    QImage image(512, 512, QImage::Format_RGB888);
    std::mt19937 random(7);
    for (int y = 0; y < image.height(); ++y) {
        uchar* line = image.scanLine(y);
        for (qsizetype i = 0; i < image.bytesPerLine(); ++i)
            line[i] = static_cast<uchar>(random());
    }
    return image;
}

} // namespace

class TestGalleryStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void savesWithMetadata()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        GalleryStore store(dir.filePath("out"));
        kaskade::core::ImageRecord record;
        record.seed = 42;
        record.params.prompt = "a lighthouse";
        const QString first = store.save(noiseImage(), record);
        const QString second = store.save(noiseImage(), record);
        QVERIFY(first != second); // same second, same seed: never overwrites
        QVERIFY(first.endsWith("-42.png"));
        const auto entry = GalleryStore::readEntry(first);
        QVERIFY(entry.has_value());
        QVERIFY(entry->record.has_value());
        QCOMPARE(entry->record->seed, std::uint64_t(42));
        QCOMPARE(entry->imageSize, QSize(512, 512));
    }

    void fullDiskGivesAClearErrorAndNoPartialFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString folder = dir.filePath("out");
        QVERIFY(QDir().mkpath(folder));
        GalleryStore store(folder);
        kaskade::core::ImageRecord record;
        record.seed = 7;
        QString message;
        {
            FileSizeLimit limit(64 * 1024);
            QVERIFY(limit.ok());
            try {
                (void)store.save(noiseImage(), record);
            } catch (const kaskade::Error& e) {
                QCOMPARE(e.code(), kaskade::ErrorCode::FileIo);
                message = QString::fromUtf8(e.what());
            }
        }
        QVERIFY2(!message.isEmpty(), "the save succeeded beyond the file-size limit");
        // The reason the system gave (here EFBIG; ENOSPC on a full disk), not Qt's "Unknown error".
        QVERIFY2(message.contains(QString::fromLocal8Bit(std::strerror(EFBIG))), qPrintable(message));
        QVERIFY2(!message.contains("Unknown error"), qPrintable(message));
        QVERIFY2(message.contains(folder), qPrintable(message));
        const QStringList left = QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
        QVERIFY2(left.isEmpty(), qPrintable("left behind: " + left.join(", ")));
        QVERIFY(store.scan().empty());
        // Space again: the next save works.
        QVERIFY(QFileInfo::exists(store.save(noiseImage(), record)));
    }
};

QTEST_GUILESS_MAIN(TestGalleryStore)
#include "test_gallery_store.moc"
