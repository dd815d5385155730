#include "app/core/model_hash.h"

#include "app/core/settings.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>

namespace kaskade::core {

namespace {

QMutex& hashMutex()
{
    static QMutex mutex;
    return mutex;
}
QHash<QString, QString>& memoryCache()
{
    static QHash<QString, QString> cache;
    return cache;
}

// The file's identity: a changed file gets a new key and is hashed again.
QString cacheKey(const QString& path)
{
    const QFileInfo info(path);
    return QStringLiteral("%1|%2|%3")
        .arg(info.absoluteFilePath())
        .arg(info.size())
        .arg(info.lastModified().toMSecsSinceEpoch());
}

QString settingsKey(const QString& key)
{
    return QStringLiteral("modelHashes/") +
           QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex());
}

} // namespace

QString ModelHashes::autoV2(const QByteArray& sha256Hex)
{
    return QString::fromLatin1(sha256Hex.left(10));
}

std::optional<QString> ModelHashes::cached(const QString& path)
{
    if (path.isEmpty() || !QFileInfo(path).isFile())
        return std::nullopt;
    const QString key = cacheKey(path);
    {
        const QMutexLocker lock(&hashMutex());
        if (const auto it = memoryCache().constFind(key); it != memoryCache().constEnd())
            return *it;
    }
    const QString stored = QString::fromLatin1(Settings().bytes(settingsKey(key)));
    if (stored.size() != 10)
        return std::nullopt;
    const QMutexLocker lock(&hashMutex());
    memoryCache().insert(key, stored);
    return stored;
}

QString ModelHashes::compute(const QString& path, const std::function<bool()>& shouldStop)
{
    if (const auto known = cached(path))
        return *known;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash sha(QCryptographicHash::Sha256);
    QByteArray block(8 << 20, Qt::Uninitialized);
    while (true) {
        if (shouldStop && shouldStop())
            return {};
        const qint64 n = file.read(block.data(), block.size());
        if (n < 0)
            return {};
        if (n == 0)
            break;
        sha.addData(QByteArrayView(block.constData(), n));
    }
    const QString hash = autoV2(sha.result().toHex());
    const QString key = cacheKey(path);
    {
        const QMutexLocker lock(&hashMutex());
        memoryCache().insert(key, hash);
    }
    Settings().setBytes(settingsKey(key), hash.toLatin1());
    return hash;
}

} // namespace kaskade::core
