// GalleryModel under QAbstractItemModelTester: inserts at the top, scans below, removes, caches thumbnails.
#include "ui/gallery_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace kaskade;
using namespace kaskade::ui;

namespace {

core::GalleryEntry entry(const QString& path, std::uint64_t seed)
{
    core::GalleryEntry e;
    e.path = path;
    core::ImageRecord record;
    record.params.prompt = "prompt " + std::to_string(seed);
    record.params.seed = seed;
    record.seed = seed;
    e.record = record;
    return e;
}

QImage solid(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB888);
    image.fill(Qt::darkCyan);
    return image;
}

} // namespace

class TestGalleryModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void prependAppendRemoveUnderTester()
    {
        GalleryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.prepend(entry("/a.png", 1), solid(1024, 512));
        model.prepend(entry("/b.png", 2), solid(64, 64));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data(GalleryModel::PathRole).toString(), QStringLiteral("/b.png")); // newest first
        std::vector<core::GalleryEntry> scanned;
        scanned.push_back(entry("/c.png", 3));
        scanned.push_back(entry("/a.png", 1)); // already there: skipped
        model.append(std::move(scanned));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(2).data(GalleryModel::PathRole).toString(), QStringLiteral("/c.png"));
        QCOMPARE(model.rowOf(QStringLiteral("/a.png")), 1);
        QVERIFY(model.removeRows(1, 1));
        QCOMPARE(model.rowOf(QStringLiteral("/a.png")), -1);
        QVERIFY(!model.removeRows(5, 1));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void thumbnailMadeOnceOnInsert()
    {
        GalleryModel model;
        model.prepend(entry("/wide.png", 7), solid(1536, 640));
        const QImage thumb = model.index(0).data(GalleryModel::ThumbnailRole).value<QImage>();
        QCOMPARE(thumb.size(), QSize(core::kThumbnailSize, 80)); // 1536:640 scaled to 192 wide
        QCOMPARE(model.index(0).data(GalleryModel::SizeRole).toSize(), QSize(1536, 640));
        // data() hands out the cached image: same pixels, no rescaling per call.
        const QImage again = model.index(0).data(Qt::DecorationRole).value<QImage>();
        QCOMPARE(again.cacheKey(), thumb.cacheKey());
    }

    void roles()
    {
        GalleryModel model;
        model.prepend(entry("/x/20260101-1-42.png", 42), solid(32, 32));
        const QModelIndex index = model.index(0);
        QCOMPARE(index.data(GalleryModel::SeedRole).value<quint64>(), quint64(42));
        QCOMPARE(index.data(GalleryModel::PromptRole).toString(), QStringLiteral("prompt 42"));
        QCOMPARE(index.data(Qt::DisplayRole).toString(), QStringLiteral("20260101-1-42"));
        QCOMPARE(index.data(GalleryModel::ParamsRole).toJsonObject().value("prompt").toString(),
                 QStringLiteral("prompt 42"));
        QVERIFY(index.data(GalleryModel::ParametersTextRole).toString().contains(QStringLiteral("Seed: 42")));
        QVERIFY(model.roleNames().contains(GalleryModel::ThumbnailRole));
        // Without metadata: empty params, no seed.
        core::GalleryEntry bare;
        bare.path = "/bare.png";
        model.prepend(bare, solid(8, 8));
        QVERIFY(!model.index(0).data(GalleryModel::SeedRole).isValid());
        QVERIFY(model.index(0).data(GalleryModel::ParamsRole).toJsonObject().isEmpty());
    }

    void storeSavesScansAndDeletes()
    {
        QTemporaryDir dir;
        core::GalleryStore store(dir.path() + "/out");
        core::ImageRecord record;
        record.params.prompt = "saved";
        record.seed = 9;
        record.params.seed = 9;
        const QString first = store.save(solid(300, 200), record);
        const QString second = store.save(solid(300, 200), record); // same second and seed: a new name
        QVERIFY(first != second);
        const auto entries = store.scan();
        QCOMPARE(int(entries.size()), 2);
        QVERIFY(entries[0].record.has_value());
        QCOMPARE(entries[0].record->params.prompt, std::string("saved"));
        QCOMPARE(entries[0].imageSize, QSize(300, 200));
        QCOMPARE(entries[0].thumbnail.width(), core::kThumbnailSize);
        GalleryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(store.scan());
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(core::GalleryStore::remove(first));
        QVERIFY(!QFile::exists(first));
        QCOMPARE(int(store.scan().size()), 1);
    }
};

QTEST_MAIN(TestGalleryModel)
#include "test_gallery_model.moc"
