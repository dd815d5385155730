// Downloader, part 2: fetching into .part files with range requests, checking, renaming; pause and resume.
#include "app/core/downloader.h"

#include "app_info.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QStorageInfo>

#include <filesystem>

#include <sys/file.h>

namespace kaskade {

namespace {

constexpr qint64 kHashChunk = 8 << 20;  // catch-up hashing of an existing .part: 8 MiB per event-loop turn
constexpr qint64 kReadBuffer = 4 << 20; // network bytes Qt may buffer before we write them out
constexpr int kProgressIntervalMs = 100;
constexpr qint64 kRateWindowMs = 5000;
constexpr int kMaxRedirects = 10;
// An attempt that brought this much was a working connection: the retry count starts again after it.
// Fewer bytes do not reset it, so a server that sends a trickle and drops cannot keep us trying forever.
constexpr qint64 kHealthyBytes = 16 << 20;
constexpr int kMaxAttemptsPerRetry = 20; // hard bound on requests per file: maxRetries * this

// Git hashes a blob as SHA-1 over "blob <size>\0" + content; the hub lists that id for non-LFS files.
void startGitBlobHash(QCryptographicHash& hash, qint64 size)
{
    hash.addData(QByteArray("blob ") + QByteArray::number(size) + QByteArray(1, '\0'));
}

bool isConnectionProblem(QNetworkReply::NetworkError error)
{
    return error != QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied;
}

} // namespace

Downloader::Downloader(Options options, QObject* parent)
    : QObject(parent), options_(std::move(options)), network_(std::make_unique<QNetworkAccessManager>())
{
    retryTimer_.setSingleShot(true);
    connect(&retryTimer_, &QTimer::timeout, this, [this] {
        if (state_ == State::Downloading)
            sendRequest(resolveUrl(files_[current_].path));
    });
    hashTimer_.setInterval(0);
    connect(&hashTimer_, &QTimer::timeout, this, &Downloader::hashExistingPart);
    // A server trickling a byte every few seconds never trips the transfer timeout: check a minimum speed.
    speedTimer_.setInterval(qMax(1000, options_.stallTimeoutMs));
    connect(&speedTimer_, &QTimer::timeout, this, [this] {
        if (state_ != State::Downloading || !reply_) {
            speedMarkBytes_ = networkBytes_;
            return;
        }
        const qint64 received = networkBytes_ - speedMarkBytes_;
        speedMarkBytes_ = networkBytes_;
        const qint64 minimum = options_.minBytesPerSecond * speedTimer_.interval() / 1000;
        if (received < minimum) {
            dropReply();
            retryOrFail(QStringLiteral("the server sent only %1 in %2 s (less than %3/s)")
                            .arg(formatBytes(received))
                            .arg(speedTimer_.interval() / 1000)
                            .arg(formatBytes(options_.minBytesPerSecond)));
        }
    });
}

Downloader::~Downloader()
{
    dropReply();
    closeCurrentFile();
}

QString Downloader::finalPath(const DownloadFile& file) const
{
    return QDir(options_.targetDir).filePath(file.path);
}

QString Downloader::partPath(const DownloadFile& file) const
{
    return finalPath(file) + QStringLiteral(".part");
}

void Downloader::setState(State state)
{
    if (state_ == state)
        return;
    state_ = state;
    Q_EMIT stateChanged(state);
}

void Downloader::fail(DownloadError error, const QString& message)
{
    dropReply();
    retryTimer_.stop();
    hashTimer_.stop();
    speedTimer_.stop();
    // A .part we created but never wrote to (refused request, full disk) is only clutter.
    const bool emptyPart = part_.isOpen() && part_.size() == 0;
    const QString partName = part_.fileName();
    closeCurrentFile();
    if (emptyPart)
        QFile::remove(partName);
    error_ = error;
    errorString_ = message;
    setState(error == DownloadError::Cancelled ? State::Cancelled : State::Failed);
    Q_EMIT failed(message);
}

void Downloader::dropReply()
{
    if (!reply_)
        return;
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void Downloader::closeCurrentFile()
{
    verifying_ = false;
    hashReader_.close();
    part_.close();
}

// ---- 2. fetch -----------------------------------------------------------------------------------------------

void Downloader::start()
{
    const bool restartable = state_ == State::Ready || state_ == State::Failed || state_ == State::Cancelled;
    if (!restartable || files_.isEmpty())
        return;
    error_ = DownloadError::None;
    errorString_.clear();
    scanDisk();
    const qint64 needed = totalBytes() - presentBytes();
    const qint64 free = freeBytes();
    if (free >= 0 && needed > free) {
        fail(DownloadError::DiskFull,
             QStringLiteral("not enough free space for %1: the download needs %2 more, "
                            "and only %3 are free there.")
                 .arg(QDir::toNativeSeparators(options_.targetDir), formatBytes(needed), formatBytes(free)));
        return;
    }
    clock_.start();
    networkBytes_ = 0;
    samples_.clear();
    lastProgressMs_ = -kProgressIntervalMs;
    current_ = -1;
    setState(State::Downloading);
    startNextFile();
}

void Downloader::startNextFile()
{
    closeCurrentFile();
    int next = current_ + 1;
    while (next < files_.size() && files_[next].complete)
        ++next;
    if (next >= files_.size()) {
        speedTimer_.stop();
        emitProgress(true);
        setState(State::Finished);
        Q_EMIT finished();
        return;
    }
    current_ = next;
    retries_ = 0;
    attempts_ = 0;
    restarts_ = 0;
    Q_EMIT fileStarted(current_);
    if (files_[current_].unverified)
        verifyExistingFile();
    else
        openCurrentFile();
}

// A final file of the right size that this folder's cache does not vouch for (copied in, written by an older
// version, or changed on disk since) is hashed like a resumed .part before it counts as downloaded.
void Downloader::verifyExistingFile()
{
    const DownloadFile& file = files_[current_];
    const QString finalName = finalPath(file);
    hashReader_.setFileName(finalName);
    if (!hashReader_.open(QIODevice::ReadOnly)) {
        fail(DownloadError::FileIo,
             QStringLiteral("cannot read %1: %2").arg(QDir::toNativeSeparators(finalName), hashReader_.errorString()));
        return;
    }
    Q_EMIT notice(QStringLiteral("checking the checksum of %1 (already downloaded)").arg(file.path));
    hash_ = std::make_unique<QCryptographicHash>(file.sha256.isEmpty() ? QCryptographicHash::Sha1
                                                                       : QCryptographicHash::Sha256);
    if (file.sha256.isEmpty())
        startGitBlobHash(*hash_, file.size);
    fileDone_ = 0;
    verifying_ = true;
    hashTimer_.start();
}

void Downloader::finishVerification()
{
    verifying_ = false;
    DownloadFile& file = files_[current_];
    const QByteArray& expected = file.sha256.isEmpty() ? file.gitBlobId : file.sha256;
    file.unverified = false;
    if (fileDone_ == file.size && hash_->result().toHex() == expected) {
        rememberVerified(file);
        file.complete = true;
        Q_EMIT fileFinished(current_);
        emitProgress(true);
        startNextFile();
        return;
    }
    // Left in place: the download goes to the .part and replaces it by rename only once it checks out.
    Q_EMIT notice(QStringLiteral("%1 on disk does not match its %2: downloading it again")
                      .arg(file.path, QLatin1String(file.sha256.isEmpty() ? "git blob id" : "SHA-256")));
    file.presentBytes = 0;
    openCurrentFile();
}

void Downloader::openCurrentFile()
{
    DownloadFile& file = files_[current_];
    const QString finalName = finalPath(file);
    const QString partName = partPath(file);
    if (!QDir().mkpath(QFileInfo(finalName).absolutePath())) {
        fail(DownloadError::FileIo, QStringLiteral("cannot create the folder %1")
                                        .arg(QDir::toNativeSeparators(QFileInfo(finalName).absolutePath())));
        return;
    }
    if (QFileInfo(partName).size() > file.size)
        QFile::remove(partName); // longer than the file can be: not ours to continue
    part_.setFileName(partName);
    const bool existed = QFileInfo::exists(partName);
    if (!part_.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        fail(DownloadError::FileIo,
             QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(partName), part_.errorString()));
        return;
    }
    // One writer per .part: a second download into the same folder would interleave its bytes with ours.
    // flock() ends with the descriptor, so a killed run never leaves a stale lock.
    if (::flock(part_.handle(), LOCK_EX | LOCK_NB) != 0) {
        part_.close();
        if (!existed)
            QFile::remove(partName);
        fail(DownloadError::FileIo, QStringLiteral("%1 is being written by another download into the same folder; "
                                                   "wait for it to finish or stop it")
                                        .arg(QDir::toNativeSeparators(partName)));
        return;
    }
    hash_ = std::make_unique<QCryptographicHash>(
        file.sha256.isEmpty() && !file.gitBlobId.isEmpty() ? QCryptographicHash::Sha1 : QCryptographicHash::Sha256);
    if (file.sha256.isEmpty() && !file.gitBlobId.isEmpty())
        startGitBlobHash(*hash_, file.size);
    fileDone_ = 0;
    redirects_ = 0;
    file.presentBytes = part_.size();
    emitProgress(true);
    if (file.presentBytes > 0) {
        Q_EMIT notice(QStringLiteral("resuming %1 at %2 of %3")
                          .arg(file.path, formatBytes(file.presentBytes), formatBytes(file.size)));
        hashReader_.setFileName(partName);
        if (!hashReader_.open(QIODevice::ReadOnly)) {
            fail(DownloadError::FileIo, QStringLiteral("cannot read %1: %2")
                                            .arg(QDir::toNativeSeparators(partName), hashReader_.errorString()));
            return;
        }
        hashTimer_.start();
        return;
    }
    sendRequest(resolveUrl(file.path));
}

// The checksum covers the whole file, so the bytes a resumed .part already holds go through the hash first,
// a slice per event-loop turn to keep a window responsive.
void Downloader::hashExistingPart()
{
    const QByteArray chunk = hashReader_.read(kHashChunk);
    if (!chunk.isEmpty()) {
        hash_->addData(chunk);
        fileDone_ += chunk.size();
    }
    if (!chunk.isEmpty() && !hashReader_.atEnd())
        return;
    hashTimer_.stop();
    hashReader_.close();
    if (verifying_) {
        finishVerification();
        return;
    }
    if (part_.size() != fileDone_)
        part_.resize(fileDone_); // a read error part-way: continue after the bytes that are in the hash
    DownloadFile& file = files_[current_];
    file.presentBytes = fileDone_;
    if (fileDone_ == file.size)
        completeCurrentFile();
    else
        sendRequest(resolveUrl(file.path));
}

void Downloader::sendRequest(const QUrl& url)
{
    currentUrl_ = url;
    QNetworkRequest request(url);
    // Redirects by hand: the hub sends LFS files to a CDN, which must not see the token.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(options_.stallTimeoutMs);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("kaskade/" KASKADE_VERSION));
    // "identity" also stops Qt from asking for gzip, which would make byte ranges meaningless.
    request.setRawHeader("Accept-Encoding", "identity");
    if (fileDone_ > 0)
        request.setRawHeader("Range", "bytes=" + QByteArray::number(fileDone_) + '-');
    const bool sameHost = url.host() == options_.endpoint.host() && url.port() == options_.endpoint.port();
    if (!options_.token.isEmpty() && sameHost)
        request.setRawHeader("Authorization", "Bearer " + options_.token);
    bodyAccepted_ = false;
    responseChecked_ = false;
    rangeMismatch_ = false;
    attemptBytes_ = 0;
    ++attempts_;
    speedMarkBytes_ = networkBytes_;
    speedTimer_.start(); // a full window for every request
    reply_ = network_->get(request);
    reply_->setReadBufferSize(kReadBuffer);
    connect(reply_, &QNetworkReply::metaDataChanged, this, &Downloader::onMetaDataChanged);
    connect(reply_, &QNetworkReply::readyRead, this, &Downloader::onReadyRead);
    connect(reply_, &QNetworkReply::finished, this, &Downloader::onDownloadFinished);
}

void Downloader::onMetaDataChanged()
{
    if (reply_ && !responseChecked_)
        acceptResponse(reply_);
}

// Decides whether the body is the continuation of the .part (206 from our offset), the whole file (200:
// start over) or not file data at all (redirects, errors: handled when the reply finishes).
bool Downloader::acceptResponse(QNetworkReply* reply)
{
    responseChecked_ = true;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    DownloadFile& file = files_[current_];
    qint64 start = -1;
    if (status == 200) {
        start = 0;
    } else if (status == 206) {
        static const QRegularExpression contentRange(QStringLiteral(R"(^\s*bytes\s+(\d+)-)"));
        const auto match = contentRange.match(QString::fromLatin1(reply->rawHeader("Content-Range")));
        start = match.hasMatch() ? match.captured(1).toLongLong() : -1;
    }
    if (start < 0) {
        bodyAccepted_ = false;
        return false;
    }
    if (start != fileDone_) {
        if (start != 0) {
            rangeMismatch_ = true;
            bodyAccepted_ = false;
            return false;
        }
        Q_EMIT notice(QStringLiteral("the server does not support resuming (it ignored the range request): "
                                     "downloading %1 again from the beginning")
                          .arg(file.path));
        part_.resize(0);
        hash_->reset();
        if (file.sha256.isEmpty() && !file.gitBlobId.isEmpty())
            startGitBlobHash(*hash_, file.size);
        fileDone_ = 0;
        file.presentBytes = 0;
    }
    bodyAccepted_ = true;
    return true;
}

void Downloader::onReadyRead()
{
    if (!reply_)
        return;
    if (!responseChecked_)
        acceptResponse(reply_);
    if (!reply_->isOpen()) // aborted by Qt's transfer timeout: nothing left to read
        return;
    const QByteArray data = reply_->readAll();
    if (!bodyAccepted_ || data.isEmpty())
        return;
    DownloadFile& file = files_[current_];
    if (fileDone_ + data.size() > file.size) {
        fail(DownloadError::Server, QStringLiteral("the server sent more than the %1 the hub lists for %2; the "
                                                   "file has probably changed, start the download again")
                                        .arg(formatBytes(file.size), file.path));
        return;
    }
    if (part_.write(data) != data.size()) {
        const QString partName = QDir::toNativeSeparators(part_.fileName());
        const QStorageInfo storage(QFileInfo(part_.fileName()).absolutePath());
        if (storage.isValid() && storage.bytesAvailable() < data.size())
            fail(DownloadError::DiskFull, QStringLiteral("the disk is full (writing %1). Free some space and start "
                                                         "the download again: it continues where it stopped.")
                                              .arg(partName));
        else
            fail(DownloadError::FileIo, QStringLiteral("cannot write %1: %2").arg(partName, part_.errorString()));
        return;
    }
    hash_->addData(data);
    fileDone_ += data.size();
    file.presentBytes = fileDone_;
    networkBytes_ += data.size();
    attemptBytes_ += data.size();
    emitProgress(false);
}

void Downloader::onDownloadFinished()
{
    QNetworkReply* reply = reply_;
    if (!reply)
        return;
    onReadyRead(); // whatever is still buffered
    if (reply_ != reply)
        return; // failed while writing
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QString networkErrorText = reply->errorString();
    const QUrl redirect = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
    const QString explanation = hubExplanation(reply);
    dropReply();
    const DownloadFile& file = files_[current_];

    // Every byte the hub lists is here: verify, whatever the connection did after the last byte (a cut
    // chunked body, a Content-Length that overstates the body). Asking again would only get a 416.
    if (!rangeMismatch_ && fileDone_ == file.size && (status == 0 || status == 200 || status == 206)) {
        completeCurrentFile();
        return;
    }
    if (status >= 300 && status < 400 && redirect.isValid()) {
        if (++redirects_ > kMaxRedirects) {
            fail(DownloadError::Server, QStringLiteral("too many redirects for %1").arg(file.path));
            return;
        }
        sendRequest(currentUrl_.resolved(redirect));
        return;
    }
    if (rangeMismatch_) {
        fail(DownloadError::Server,
             QStringLiteral("the server answered a range request for %1 with other bytes than asked").arg(file.path));
        return;
    }
    if (status == 416 && fileDone_ == file.size) { // nothing left to fetch: the .part is whole, check it
        completeCurrentFile();
        return;
    }
    if (status == 416 && fileDone_ > 0) {
        // The server cannot continue this .part (the file may have changed): start over once. A second 416
        // means its copy is shorter than the hub lists; going round again would never end.
        if (restarts_++ > 0) {
            fail(DownloadError::Server,
                 QStringLiteral("the server's copy of %1 ends before the %2 the hub lists (HTTP 416 at %3); the "
                                "repository may be changing, try again later")
                     .arg(file.path, formatBytes(file.size), formatBytes(fileDone_)));
            return;
        }
        Q_EMIT notice(QStringLiteral("the server cannot continue %1: downloading it again").arg(file.path));
        const QString partName = part_.fileName();
        closeCurrentFile();
        QFile::remove(partName);
        openCurrentFile();
        return;
    }
    if (status == 401 || status == 403 || status == 404) {
        fail(status == 401   ? DownloadError::Unauthorized
             : status == 403 ? DownloadError::Forbidden
                             : DownloadError::NotFound,
             httpErrorMessage(status, file.path) + explanation);
        return;
    }
    if (status == 429 || status >= 500) {
        retryOrFail(QStringLiteral("the server answered HTTP %1").arg(status));
        return;
    }
    if (status >= 400 || (status != 0 && status != 200 && status != 206)) {
        fail(DownloadError::Server, httpErrorMessage(status, file.path));
        return;
    }
    if (networkError != QNetworkReply::NoError || fileDone_ < file.size) {
        // Our own aborts never get here (dropReply disconnects first): a cancelled operation is Qt's transfer
        // timeout, which would otherwise read "Operation canceled" as if the user had stopped it.
        const QString reason =
            networkError == QNetworkReply::OperationCanceledError
                ? QStringLiteral("no data for %1 s (the connection stalled)").arg(options_.stallTimeoutMs / 1000.0)
            : networkError != QNetworkReply::NoError && isConnectionProblem(networkError)
                ? networkErrorText
                : QStringLiteral("the connection ended early");
        retryOrFail(reason);
        return;
    }
    completeCurrentFile();
}

void Downloader::retryOrFail(const QString& reason)
{
    const DownloadFile& file = files_[current_];
    if (attemptBytes_ >= kHealthyBytes)
        retries_ = 0; // that connection worked for a while: this is a new problem
    attemptBytes_ = 0;
    if (retries_ >= options_.maxRetries || attempts_ >= options_.maxRetries * kMaxAttemptsPerRetry) {
        const QString kept =
            fileDone_ > 0 ? QStringLiteral(" The partial file is kept; download again to resume.") : QString();
        fail(DownloadError::Network, QStringLiteral("downloading %1 from %2 failed: %3.%4")
                                         .arg(file.path, options_.endpoint.host(), reason, kept));
        return;
    }
    const int delayMs = options_.retryDelayMs << qMin(retries_, 6);
    ++retries_;
    redirects_ = 0;
    Q_EMIT notice(QStringLiteral("%1: %2; retrying in %3 s (%4 of %5)")
                      .arg(file.path, reason)
                      .arg(delayMs / 1000.0, 0, 'f', 1)
                      .arg(retries_)
                      .arg(options_.maxRetries));
    retryTimer_.start(delayMs);
}

// ---- 3. check -----------------------------------------------------------------------------------------------

void Downloader::completeCurrentFile()
{
    DownloadFile& file = files_[current_];
    const QString partName = part_.fileName();
    const qint64 onDisk = part_.size();
    part_.close();             // also releases the lock: nobody else writes a .part of the right size and hash
    if (onDisk != file.size) { // the hash covers what we received; the file must hold exactly that
        QFile::remove(partName);
        file.presentBytes = 0;
        fail(DownloadError::FileIo, QStringLiteral("%1 holds %2 bytes after the download, expected %3; it was "
                                                   "deleted, start again")
                                        .arg(QDir::toNativeSeparators(partName))
                                        .arg(onDisk)
                                        .arg(file.size));
        return;
    }
    const QByteArray actual = hash_->result().toHex();
    const QByteArray& expected = file.sha256.isEmpty() ? file.gitBlobId : file.sha256;
    if (expected.isEmpty()) {
        Q_EMIT notice(QStringLiteral("the hub lists no checksum for %1: only its size was checked").arg(file.path));
    } else if (actual != expected) {
        QFile::remove(partName); // never leave bytes that failed the check where a resume would reuse them
        file.presentBytes = 0;
        fail(DownloadError::ChecksumMismatch,
             QStringLiteral("checksum mismatch for %1: expected %2 %3, got %4. The damaged download was deleted; "
                            "start again (if it repeats, the endpoint serves other files than it lists).")
                 .arg(file.path, QLatin1String(file.sha256.isEmpty() ? "git blob id" : "SHA-256"),
                      QString::fromLatin1(expected), QString::fromLatin1(actual)));
        return;
    }
    // rename(2) replaces an old file of the same name atomically: a reader sees the old or the new file.
    std::error_code ec;
    std::filesystem::rename(partName.toStdString(), finalPath(file).toStdString(), ec);
    if (ec) {
        fail(DownloadError::FileIo,
             QStringLiteral("cannot rename %1 to %2: %3")
                 .arg(QDir::toNativeSeparators(partName), QDir::toNativeSeparators(finalPath(file)),
                      QString::fromStdString(ec.message())));
        return;
    }
    file.complete = true;
    file.presentBytes = file.size;
    if (!expected.isEmpty())
        rememberVerified(file); // hashed on the way in: a later run need not read it again
    Q_EMIT fileFinished(current_);
    emitProgress(true);
    startNextFile();
}

// ---- control ------------------------------------------------------------------------------------------------

void Downloader::pause()
{
    if (state_ != State::Downloading)
        return;
    dropReply();
    retryTimer_.stop();
    hashTimer_.stop();
    speedTimer_.stop();
    setState(State::Paused);
    emitProgress(true);
}

void Downloader::resume()
{
    if (state_ != State::Paused)
        return;
    setState(State::Downloading);
    samples_.clear();
    redirects_ = 0;
    if (hashReader_.isOpen())
        hashTimer_.start();
    else
        sendRequest(resolveUrl(files_[current_].path));
}

void Downloader::cancel()
{
    if (state_ != State::Planning && state_ != State::Ready && state_ != State::Downloading && state_ != State::Paused)
        return;
    fail(DownloadError::Cancelled, QStringLiteral("download stopped. The partial files are kept: downloading the "
                                                  "same set into the same folder continues them."));
}

void Downloader::emitProgress(bool force)
{
    const qint64 now = clock_.isValid() ? clock_.elapsed() : 0;
    if (!force && now - lastProgressMs_ < kProgressIntervalMs)
        return;
    lastProgressMs_ = now;
    samples_.emplace_back(now, networkBytes_);
    while (samples_.size() > 2 && samples_.front().first < now - kRateWindowMs)
        samples_.pop_front();

    DownloadProgress p;
    p.fileIndex = current_;
    if (current_ >= 0 && current_ < files_.size()) {
        p.fileDone = files_[current_].presentBytes;
        p.fileTotal = files_[current_].size;
    }
    p.done = presentBytes();
    p.total = totalBytes();
    const qint64 spanMs = samples_.back().first - samples_.front().first;
    if (spanMs > 0 && state_ == State::Downloading)
        p.bytesPerSecond = (samples_.back().second - samples_.front().second) * 1000.0 / spanMs;
    if (p.bytesPerSecond > 0)
        p.etaSeconds = static_cast<qint64>((p.total - p.done) / p.bytesPerSecond);
    else if (p.done == p.total)
        p.etaSeconds = 0;
    Q_EMIT progress(p);
}

} // namespace kaskade
