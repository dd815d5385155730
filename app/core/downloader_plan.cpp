// Downloader, part 1: the model sets, the plan from the hub's metadata, and what is already on disk.
#include "app/core/downloader.h"

#include "app_info.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSaveFile>
#include <QSslSocket>
#include <QStorageInfo>

#include <filesystem>
#include <map>

namespace kaskade {

namespace {

const QString kTextEncoderBf16 = QStringLiteral("text_encoder/model.bf16.safetensors");
const QString kTextEncoderFp32 = QStringLiteral("text_encoder/model.safetensors");

// Tokenizer files the loader can do without (vocab.json + merges.txt define the tokenizer).
bool isOptional(const QString& path)
{
    return path == QLatin1String("tokenizer/tokenizer_config.json") ||
           path == QLatin1String("tokenizer/special_tokens_map.json") || Downloader::imageInputFiles().contains(path);
}

// GET {endpoint}/api/models/{repo}/revision/{rev}?blobs=true: every file of the repository with size and checksum.
QNetworkRequest listingRequest(const Downloader::Options& options, const QString& repo)
{
    QUrl url = options.endpoint;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + QStringLiteral("/api/models/") + repo + QStringLiteral("/revision/") + options.revision);
    url.setQuery(QStringLiteral("blobs=true"));
    QNetworkRequest request(url);
    request.setTransferTimeout(options.stallTimeoutMs);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("kaskade/" KASKADE_VERSION));
    if (!options.token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + options.token);
    return request;
}

std::map<QString, DownloadFile> parseListing(const QJsonArray& siblings)
{
    std::map<QString, DownloadFile> listed;
    for (const QJsonValue& value : siblings) {
        const QJsonObject entry = value.toObject();
        DownloadFile file;
        file.path = entry.value(QStringLiteral("rfilename")).toString();
        file.size = entry.value(QStringLiteral("size")).toInteger(-1);
        const QJsonObject lfs = entry.value(QStringLiteral("lfs")).toObject();
        if (!lfs.isEmpty()) {
            // The revision API calls it sha256, the tree API oid ("sha256:" prefix on some mirrors).
            QString sha = lfs.value(QStringLiteral("sha256")).toString();
            if (sha.isEmpty())
                sha = lfs.value(QStringLiteral("oid")).toString().remove(QStringLiteral("sha256:"));
            file.sha256 = sha.toLower().toLatin1();
            file.size = lfs.value(QStringLiteral("size")).toInteger(file.size);
        } else {
            file.gitBlobId = entry.value(QStringLiteral("blobId")).toString().toLower().toLatin1();
        }
        listed[file.path] = file;
    }
    return listed;
}

// The cache of confirmed downloads: {path: {size, mtime, checksum}}. A file matches its entry only while its
// size and modification time (nanoseconds) are unchanged and the hub still lists the same checksum.
// Anything unreadable or implausibly large counts as an empty cache: the worst outcome is a rehash.
QJsonObject readVerifiedCache(const QString& path)
{
    QFile in(path);
    if (!QFileInfo(path).isFile() || QFileInfo(path).size() > (4 << 20) || !in.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(in.readAll()).object();
}

QJsonObject verifiedEntry(const QString& finalName, const DownloadFile& file)
{
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(QFile::encodeName(finalName).toStdString(), ec);
    const QByteArray& checksum = file.sha256.isEmpty() ? file.gitBlobId : file.sha256;
    return QJsonObject{{"size", QString::number(file.size)},
                       {"mtime", ec ? QString() : QString::number(mtime.time_since_epoch().count())},
                       {"checksum", QString::fromLatin1(checksum)}};
}

} // namespace

QString modelSetName(ModelSet set)
{
    switch (set) {
    case ModelSet::Full: return QStringLiteral("full");
    case ModelSet::Lite: return QStringLiteral("lite");
    case ModelSet::Mixed: return QStringLiteral("mixed");
    }
    return {};
}

bool parseModelSet(const QString& name, ModelSet* set)
{
    for (ModelSet candidate : {ModelSet::Full, ModelSet::Lite, ModelSet::Mixed}) {
        if (name.compare(modelSetName(candidate), Qt::CaseInsensitive) == 0) {
            *set = candidate;
            return true;
        }
    }
    return false;
}

QString modelSetDescription(ModelSet set)
{
    switch (set) {
    case ModelSet::Full: return QStringLiteral("full: Stage C 3.6B + Stage B 1.5B (bf16), best quality");
    case ModelSet::Lite: return QStringLiteral("lite: Stage C 1B + Stage B 700M (bf16), smallest and fastest");
    case ModelSet::Mixed: return QStringLiteral("mixed: Stage C 3.6B + Stage B 700M (bf16), near-full quality");
    }
    return {};
}

QString formatBytes(qint64 bytes)
{
    // Decimal units, as the hub shows file sizes.
    const double value = static_cast<double>(bytes);
    if (bytes < 1000)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1000 * 1000)
        return QStringLiteral("%1 kB").arg(value / 1e3, 0, 'f', 1);
    if (bytes < 1000LL * 1000 * 1000)
        return QStringLiteral("%1 MB").arg(value / 1e6, 0, 'f', 1);
    return QStringLiteral("%1 GB").arg(value / 1e9, 0, 'f', 2);
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("--");
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1m%2s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h%2m").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QStringList Downloader::filesFor(ModelSet set)
{
    // Small files first: a missing token or a wrong endpoint shows up before gigabytes are on the way.
    QStringList files = {
        QStringLiteral("text_encoder/config.json"),
        QStringLiteral("tokenizer/vocab.json"),
        QStringLiteral("tokenizer/merges.txt"),
        QStringLiteral("tokenizer/tokenizer_config.json"),
        QStringLiteral("tokenizer/special_tokens_map.json"),
        QStringLiteral("previewer.safetensors"),
        QStringLiteral("stage_a.safetensors"),
        kTextEncoderBf16,
    };
    const bool liteB = set != ModelSet::Full;
    const bool liteC = set == ModelSet::Lite;
    files << (liteB ? QStringLiteral("stage_b_lite_bf16.safetensors") : QStringLiteral("stage_b_bf16.safetensors"));
    files << (liteC ? QStringLiteral("stage_c_lite_bf16.safetensors") : QStringLiteral("stage_c_bf16.safetensors"));
    return files;
}

QStringList Downloader::imageInputFiles()
{
    return {QStringLiteral("effnet_encoder.safetensors"), QStringLiteral("controlnet/canny.safetensors"),
            QStringLiteral("controlnet/inpainting.safetensors"),
            QStringLiteral("controlnet/super_resolution.safetensors")};
}

QString Downloader::imageEncoderRepo()
{
    return QStringLiteral("stabilityai/stable-cascade-prior");
}

QStringList Downloader::imageEncoderFiles()
{
    return {QStringLiteral("image_encoder/config.json"), QStringLiteral("image_encoder/model.safetensors")};
}

qint64 Downloader::totalBytes() const
{
    qint64 total = 0;
    for (const DownloadFile& file : files_)
        total += file.size;
    return total;
}

qint64 Downloader::presentBytes() const
{
    qint64 present = 0;
    for (const DownloadFile& file : files_)
        present += file.presentBytes;
    return present;
}

qint64 Downloader::freeBytes() const
{
    // The target folder may not exist yet: ask about the nearest folder that does.
    QFileInfo dir(QDir::cleanPath(QDir(options_.targetDir).absolutePath()));
    while (!dir.exists() && !dir.isRoot())
        dir.setFile(dir.absolutePath());
    const QStorageInfo storage(dir.absoluteFilePath());
    return storage.isValid() ? storage.bytesAvailable() : -1;
}

QUrl Downloader::resolveUrl(const QString& path) const
{
    QUrl url = options_.endpoint;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    QString repo = options_.repo;
    for (const DownloadFile& file : files_)
        if (file.path == path && !file.repo.isEmpty())
            repo = file.repo;
    url.setPath(base + QLatin1Char('/') + repo + QStringLiteral("/resolve/") + options_.revision + QLatin1Char('/') +
                path);
    return url;
}

QString Downloader::httpErrorMessage(int status, const QString& what) const
{
    const QString endpoint = options_.endpoint.toDisplayString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
    const QString modelPage = endpoint + QLatin1Char('/') + options_.repo;
    switch (status) {
    case 401:
        if (options_.token.isEmpty())
            return QStringLiteral("%1 needs an access token (HTTP 401). Accept the model's licence at %2, create a "
                                  "read token at %3/settings/tokens and enter it.")
                .arg(what, modelPage, endpoint);
        return QStringLiteral("the access token was not accepted for %1 (HTTP 401). Check it at %2/settings/tokens.")
            .arg(what, endpoint);
    case 403:
        return QStringLiteral("access to %1 was refused (HTTP 403): accept the model's licence at %2 with the "
                              "token's account, and check that the token may read it.")
            .arg(what, modelPage);
    case 404:
        return QStringLiteral("%1 was not found at %2 (HTTP 404). Check the endpoint (mirror) setting.")
            .arg(what, endpoint);
    default: return QStringLiteral("the server answered HTTP %1 for %2").arg(status).arg(what);
    }
}

// The hub explains refusals in a header ("Access to model ... is restricted ..."): worth showing as it is.
QString Downloader::hubExplanation(QNetworkReply* reply)
{
    const QString text = QString::fromUtf8(reply->rawHeader("X-Error-Message")).trimmed();
    return text.isEmpty() || text.size() > 300 ? QString() : QStringLiteral(" (%1)").arg(text);
}

// ---- 1. plan ------------------------------------------------------------------------------------------------

void Downloader::fetchPlan(ModelSet set, bool imageInputs)
{
    if (state_ == State::Planning || state_ == State::Downloading || state_ == State::Paused)
        return;
    wanted_ = filesFor(set);
    if (imageInputs)
        wanted_ << imageInputFiles() << imageEncoderFiles();
    files_.clear();
    error_ = DownloadError::None;
    errorString_.clear();
    setState(State::Planning);
    if (options_.endpoint.scheme() == QLatin1String("https") && !QSslSocket::supportsSsl()) {
        fail(DownloadError::Network, QStringLiteral("HTTPS is not available: Qt found no TLS library. Install "
                                                    "OpenSSL 3 (Debian/Ubuntu package libssl3)."));
        return;
    }

    reply_ = network_->get(listingRequest(options_, options_.repo));
    connect(reply_, &QNetworkReply::finished, this, &Downloader::onPlanFinished);
}

void Downloader::onPlanFinished()
{
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString host = options_.endpoint.host();
    if (status == 0) {
        fail(DownloadError::Network, QStringLiteral("cannot reach %1: %2. Check the internet connection, the proxy "
                                                    "settings or the endpoint (mirror) setting.")
                                         .arg(host, reply->errorString()));
        return;
    }
    const QString what = QStringLiteral("the repository %1").arg(options_.repo);
    if (status == 401 || status == 403 || status == 404) {
        fail(status == 401   ? DownloadError::Unauthorized
             : status == 403 ? DownloadError::Forbidden
                             : DownloadError::NotFound,
             httpErrorMessage(status, what) + hubExplanation(reply));
        return;
    }
    if (status != 200) {
        fail(DownloadError::Server, httpErrorMessage(status, what));
        return;
    }

    const QJsonObject root = QJsonDocument::fromJson(reply->readAll()).object();
    const QJsonArray siblings = root.value(QStringLiteral("siblings")).toArray();
    if (siblings.isEmpty()) {
        fail(DownloadError::BadMetadata, QStringLiteral("%1 did not list the files of %2: is it a Hugging Face hub "
                                                        "or a mirror of one?")
                                             .arg(host, options_.repo));
        return;
    }
    const std::map<QString, DownloadFile> listed = parseListing(siblings);
    for (QString path : wanted_) {
        if (imageEncoderFiles().contains(path))
            continue; // another repository: listed below
        if (path == kTextEncoderBf16 && !listed.count(path) && listed.count(kTextEncoderFp32))
            path = kTextEncoderFp32;
        const auto it = listed.find(path);
        if (it == listed.end()) {
            if (isOptional(path))
                continue;
            fail(DownloadError::NotFound, QStringLiteral("%1 on %2 has no file %3 (is the endpoint a mirror of "
                                                         "stabilityai/stable-cascade?)")
                                              .arg(options_.repo, host, path));
            return;
        }
        if (it->second.size < 0) {
            fail(DownloadError::BadMetadata, QStringLiteral("%1 did not give the size of %2").arg(host, path));
            return;
        }
        files_.append(it->second);
    }
    if (!wanted_.contains(imageEncoderFiles().first())) {
        scanDisk();
        setState(State::Ready);
        Q_EMIT planReady();
        return;
    }
    reply_ = network_->get(listingRequest(options_, imageEncoderRepo()));
    connect(reply_, &QNetworkReply::finished, this, [this] {
        QNetworkReply* encoderReply = reply_;
        reply_ = nullptr;
        encoderReply->deleteLater();
        const int encoderStatus = encoderReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const std::map<QString, DownloadFile> encoderListed =
            encoderStatus == 200 ? parseListing(QJsonDocument::fromJson(encoderReply->readAll())
                                                    .object()
                                                    .value(QStringLiteral("siblings"))
                                                    .toArray())
                                 : std::map<QString, DownloadFile>{};
        QList<DownloadFile> encoder;
        for (const QString& path : imageEncoderFiles()) {
            const auto it = encoderListed.find(path);
            if (it != encoderListed.end() && it->second.size >= 0) {
                encoder.append(it->second);
                encoder.back().repo = imageEncoderRepo();
            }
        }
        // Optional like the other image-input files: variations are one feature, not the whole download.
        if (encoder.size() == imageEncoderFiles().size())
            files_ << encoder;
        else
            Q_EMIT notice(QStringLiteral("the image encoder for variations (image_encoder/ of %1) is not available "
                                         "from %2%3; the other files download without it")
                              .arg(imageEncoderRepo(), options_.endpoint.host(),
                                   encoderStatus == 200 ? QString() : QStringLiteral(" (HTTP %1)").arg(encoderStatus)));
        scanDisk();
        setState(State::Ready);
        Q_EMIT planReady();
    });
}

QString Downloader::verifiedCachePath() const
{
    return QDir(options_.targetDir).filePath(QStringLiteral(".kaskade-verified"));
}

void Downloader::rememberVerified(const DownloadFile& file)
{
    QJsonObject cache = readVerifiedCache(verifiedCachePath());
    cache[file.path] = verifiedEntry(finalPath(file), file);
    // QSaveFile writes a temporary and renames it: a crash leaves the old cache, never half of one. A cache
    // that cannot be written only costs a rehash on the next run, so that is not an error.
    QSaveFile out(verifiedCachePath());
    if (out.open(QIODevice::WriteOnly)) {
        out.write(QJsonDocument(cache).toJson(QJsonDocument::Indented));
        out.commit();
    }
}

void Downloader::scanDisk()
{
    const QJsonObject cache = readVerifiedCache(verifiedCachePath());
    for (DownloadFile& file : files_) {
        const QFileInfo done(finalPath(file));
        const QFileInfo part(partPath(file));
        const bool fullSize = done.isFile() && done.size() == file.size;
        const bool hasChecksum = !file.sha256.isEmpty() || !file.gitBlobId.isEmpty();
        file.unverified =
            fullSize && hasChecksum && cache.value(file.path).toObject() != verifiedEntry(done.filePath(), file);
        file.complete = fullSize && !file.unverified;
        file.presentBytes = fullSize ? file.size : part.isFile() && part.size() <= file.size ? part.size() : 0;
    }
}

} // namespace kaskade
