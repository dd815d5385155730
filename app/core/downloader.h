#pragma once
// Downloader: fetches the Stable Cascade release files from a Hugging Face hub, or from a mirror with the
// same URL layout. One run goes:
//   1. plan:  GET {endpoint}/api/models/{repo}/revision/{rev}?blobs=true  -> every file's size and checksum
//             (LFS files: lfs.sha256 / lfs.oid; small git files: the git blob id, a SHA-1);
//   2. fetch: GET {endpoint}/{repo}/resolve/{rev}/{path} with "Range: bytes=N-" into DIR/{path}.part, so a
//             pause, a dropped connection or a restart of the program continues where it stopped;
//   3. check: the checksum of the whole .part, then an atomic rename to DIR/{path}.
// A file already at DIR/{path} with the listed size is hashed once (a copy from elsewhere, or one damaged on
// disk, is downloaded again); DIR/.kaskade-verified remembers each confirmed file by size and mtime, so later
// runs neither rehash gigabytes nor touch completed files. The access token goes to the endpoint's host only
// and is never part of a message. Used by `kaskade-cli download` and ui::DownloadDialog; driven by the Qt
// event loop.

#include <QByteArray>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <deque>
#include <memory>
#include <utility>

class QNetworkAccessManager;
class QNetworkReply;

namespace kaskade {

// The weight sets of stabilityai/stable-cascade (all bf16). Each also gets stage_a, the previewer, the
// text encoder and the tokenizer.
enum class ModelSet {
    Full,  // Stage C 3.6B + Stage B 1.5B
    Lite,  // Stage C 1B + Stage B 700M
    Mixed, // Stage C 3.6B + Stage B 700M
};

QString modelSetName(ModelSet set); // "full", "lite", "mixed"
bool parseModelSet(const QString& name, ModelSet* set);
QString modelSetDescription(ModelSet set); // one line for menus and --help

// Human-readable sizes and durations shared by the CLI and the dialog: "1.39 GB", "2m05s".
QString formatBytes(qint64 bytes);
QString formatDuration(qint64 seconds);

// One file of a plan, as the hub describes it and as it is on disk.
struct DownloadFile
{
    QString path;            // repo-relative, '/'-separated: "text_encoder/model.bf16.safetensors"
    qint64 size = -1;        // bytes
    QByteArray sha256;       // lowercase hex; set for LFS files
    QByteArray gitBlobId;    // lowercase hex SHA-1 of the git blob; set for small non-LFS files
    qint64 presentBytes = 0; // on disk: size when complete, else the length of the .part file
    QString repo;            // empty: Options::repo; else another repository on the same endpoint
    bool complete = false;
    bool unverified = false; // DIR/{path} has the listed size but its checksum is not confirmed yet
};

struct DownloadProgress
{
    int fileIndex = -1; // into Downloader::files()
    qint64 fileDone = 0;
    qint64 fileTotal = 0;
    qint64 done = 0; // over the whole plan, files already present included
    qint64 total = 0;
    double bytesPerSecond = 0; // network rate over the last few seconds
    qint64 etaSeconds = -1;    // -1 while unknown
};

enum class DownloadError {
    None,
    Network,          // offline, host not found, connection dropped too often
    Unauthorized,     // HTTP 401: token missing or not accepted
    Forbidden,        // HTTP 403: token without access (licence not accepted)
    NotFound,         // HTTP 404, or a file missing from the repository
    DiskFull,         // not enough free space, before or while writing
    ChecksumMismatch, // the downloaded bytes are not the file the hub describes
    FileIo,           // any other local read/write/rename failure
    BadMetadata,      // the hub's answer is not what we expect
    Server,           // other HTTP errors (5xx after retries, bad range answers)
    Cancelled,
};

class Downloader : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QUrl endpoint = QUrl(QStringLiteral("https://huggingface.co"));
        QString repo = QStringLiteral("stabilityai/stable-cascade");
        QString revision = QStringLiteral("main");
        QString targetDir;
        QByteArray token;                // "Authorization: Bearer ..." for the endpoint's host only; never printed
        int maxRetries = 5;              // per file, in a row without new bytes
        int retryDelayMs = 2000;         // doubled after each retry
        int stallTimeoutMs = 60000;      // a transfer with no data for this long counts as dropped
        qint64 minBytesPerSecond = 1024; // slower than this over a whole stallTimeoutMs counts as dropped
    };

    enum class State { Idle, Planning, Ready, Downloading, Paused, Finished, Failed, Cancelled };

    explicit Downloader(Options options, QObject* parent = nullptr);
    ~Downloader() override;

    // Repository paths a set needs. The text encoder is listed as its bf16 file; when the repository has only
    // text_encoder/model.safetensors the plan takes that one instead.
    static QStringList filesFor(ModelSet set);
    // Optional files for the image inputs (image to image, inpainting, ControlNets): effnet_encoder and
    // controlnet/*.safetensors of the same repository. Skipped, not failed, when the repository lacks them.
    static QStringList imageInputFiles();
    // The CLIP image encoder for variations (image_encoder/ config.json and model.safetensors) is not in
    // stabilityai/stable-cascade but in the diffusers prior repository: planned with the image inputs, from
    // there, into DIR/image_encoder/ (where the loader looks). Skipped with a notice when that listing fails.
    static QString imageEncoderRepo();
    static QStringList imageEncoderFiles();

    // -> planReady() or failed(); imageInputs adds imageInputFiles() and imageEncoderFiles().
    void fetchPlan(ModelSet set, bool imageInputs = false);
    void start(); // after planReady(): -> progress..., finished() or failed()
    void pause(); // keeps the current .part; resume() continues with a range request
    void resume();
    void cancel(); // stops for good (failed() with DownloadError::Cancelled); .part files stay

    State state() const { return state_; }
    const QList<DownloadFile>& files() const { return files_; }
    qint64 totalBytes() const;
    qint64 presentBytes() const; // already on disk (complete files and .part files)
    qint64 freeBytes() const;    // on the volume that holds (or will hold) targetDir; -1 if unknown
    const Options& options() const { return options_; }
    DownloadError error() const { return error_; }
    QString errorString() const { return errorString_; }

Q_SIGNALS:
    void planReady();
    void fileStarted(int index);
    void fileFinished(int index);
    void progress(const kaskade::DownloadProgress& progress);
    void notice(const QString& message); // something worth telling that is not fatal (retries, no range support)
    void stateChanged(kaskade::Downloader::State state);
    void finished();
    void failed(const QString& message);

private:
    void onPlanFinished();
    void onMetaDataChanged();
    void onReadyRead();
    void onDownloadFinished();

    void startNextFile();
    void openCurrentFile();
    void hashExistingPart();
    void verifyExistingFile();
    void finishVerification();
    void sendRequest(const QUrl& url);
    bool acceptResponse(QNetworkReply* reply);
    void retryOrFail(const QString& reason);
    void completeCurrentFile();
    void dropReply();
    void closeCurrentFile();
    void fail(DownloadError error, const QString& message);
    void setState(State state);
    void emitProgress(bool force);

    QUrl resolveUrl(const QString& path) const;
    QString finalPath(const DownloadFile& file) const;
    QString partPath(const DownloadFile& file) const;
    QString verifiedCachePath() const;
    void rememberVerified(const DownloadFile& file);
    QString httpErrorMessage(int status, const QString& what) const;
    static QString hubExplanation(QNetworkReply* reply); // the hub's X-Error-Message, as " (...)" or empty
    void scanDisk();

    Options options_;
    std::unique_ptr<QNetworkAccessManager> network_;
    QNetworkReply* reply_ = nullptr;
    State state_ = State::Idle;
    DownloadError error_ = DownloadError::None;
    QString errorString_;
    QStringList wanted_;
    QList<DownloadFile> files_;

    // The file being downloaded.
    int current_ = -1;
    QFile part_;
    QFile hashReader_;       // reads an existing .part (or a final file being verified) into hash_
    bool verifying_ = false; // hashReader_ reads the final file of an unverified download
    std::unique_ptr<QCryptographicHash> hash_;
    qint64 fileDone_ = 0; // bytes in the .part (and in hash_)
    QUrl currentUrl_;     // after redirects
    bool bodyAccepted_ = false;
    bool responseChecked_ = false;
    bool rangeMismatch_ = false;
    int redirects_ = 0;
    int retries_ = 0;         // failed attempts in a row (an attempt that brought kHealthyBytes resets it)
    int attempts_ = 0;        // requests for the current file: bounded whatever the server does
    int restarts_ = 0;        // times the current .part was discarded (416): at most once
    qint64 attemptBytes_ = 0; // body bytes of the current request
    QTimer retryTimer_;
    QTimer speedTimer_; // minimum speed over the last stall window
    qint64 speedMarkBytes_ = 0;
    QTimer hashTimer_;

    // Rate over a sliding window of (ms since start, network bytes).
    QElapsedTimer clock_;
    qint64 networkBytes_ = 0;
    qint64 lastProgressMs_ = -1000;
    std::deque<std::pair<qint64, qint64>> samples_;
};

} // namespace kaskade

Q_DECLARE_METATYPE(kaskade::DownloadProgress)
