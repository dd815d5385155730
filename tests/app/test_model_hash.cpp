// ModelHashes: A1111's AutoV2 model hash (first 10 hex digits of the file's SHA-256), computed once and cached
// by path, size and modification time; written into and read back from the metadata.
#include "app/core/image_metadata.h"
#include "app/core/model_hash.h"
#include "app/core/settings.h"

#include <QCryptographicHash>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kaskade;
using namespace kaskade::core;

class TestModelHash : public QObject
{
    Q_OBJECT

    QTemporaryDir dir_;

    QString writeFile(const QString& name, const QByteArray& bytes)
    {
        const QString path = dir_.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        Settings::useFile(dir_.filePath(QStringLiteral("settings.ini")));
    }

    void autoV2IsTheShaPrefix()
    {
        QByteArray bytes(3 * (8 << 20) + 12345, 'x'); // more than one read block
        bytes[17] = 'y';
        const QString path = writeFile(QStringLiteral("stage_c.safetensors"), bytes);
        const QString expected =
            QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(10));
        QVERIFY(!ModelHashes::cached(path).has_value());
        QCOMPARE(ModelHashes::compute(path), expected);
        QCOMPARE(ModelHashes::cached(path).value_or(QString()), expected);
    }

    void changedFileIsHashedAgain()
    {
        const QString path = writeFile(QStringLiteral("lora.safetensors"), "first version");
        const QString first = ModelHashes::compute(path);
        QTest::qWait(20); // a different modification time
        writeFile(QStringLiteral("lora.safetensors"), "second, longer version");
        QVERIFY(!ModelHashes::cached(path).has_value());
        QVERIFY(ModelHashes::compute(path) != first);
        QVERIFY(ModelHashes::compute(QStringLiteral("/no/such/file")).isEmpty());
        QVERIFY(ModelHashes::compute(path, [] { return true; }).size() == 10); // cached: no reading, no stop
    }

    void metadataCarriesIt()
    {
        ImageRecord record;
        record.params.prompt = "hashed";
        record.modelHash = QStringLiteral("0123456789");
        record.modelFiles = {{Role::StageC, "/models/stage_c_bf16.safetensors", 1}};
        const QString text = toA1111Text(record);
        QVERIFY2(text.contains(QStringLiteral("Model hash: 0123456789")), qPrintable(text));
        QCOMPARE(fromA1111Text(text)->modelHash, QStringLiteral("0123456789"));
        QCOMPARE(recordFromJson(recordToJson(record)).modelHash, QStringLiteral("0123456789"));
    }
};

QTEST_MAIN(TestModelHash)
#include "test_model_hash.moc"
