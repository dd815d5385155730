// kaskade-cli download: the Stable Cascade weights into a folder, with a progress bar on a terminal and plain
// lines otherwise. Ctrl+C stops and keeps the .part files; the same command later continues them.
#include "app/cli/commands.h"
#include "app/core/downloader.h"
#include "pipeline/errors.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace kaskade::cli {

namespace {

volatile std::sig_atomic_t interrupted = 0;

void onInterrupt(int)
{
    interrupted = 1;
}

// Exit statuses: 2 usage, 3 disk/files, 6 network or server, 7 access refused, 130 stopped by Ctrl+C.
int exitStatusFor(DownloadError error)
{
    switch (error) {
    case DownloadError::None: return 0;
    case DownloadError::DiskFull:
    case DownloadError::FileIo:
    case DownloadError::ChecksumMismatch: return 3;
    case DownloadError::Unauthorized:
    case DownloadError::Forbidden: return 7;
    case DownloadError::Cancelled: return 130;
    case DownloadError::Network:
    case DownloadError::NotFound:
    case DownloadError::BadMetadata:
    case DownloadError::Server: return 6;
    }
    return 1;
}

// Draws one status line: redrawn in place on a terminal, a plain line every few seconds otherwise.
class ProgressPrinter
{
public:
    explicit ProgressPrinter(const Downloader& downloader)
        : downloader_(downloader), terminal_(::isatty(::fileno(stdout)) == 1)
    {
        clock_.start();
    }

    // A full line of text; on a terminal the bar is cleared first and redrawn by the next update.
    void line(const QString& text)
    {
        if (terminal_ && barShown_)
            std::fputs("\r\x1b[K", stdout);
        barShown_ = false;
        std::printf("%s\n", text.toLocal8Bit().constData());
        std::fflush(stdout);
    }

    // Before a message on stderr: take the bar off the line.
    void clearBar()
    {
        if (terminal_ && barShown_)
            std::fputs("\r\x1b[K", stdout);
        barShown_ = false;
        std::fflush(stdout);
    }

    void update(const DownloadProgress& p)
    {
        if (p.fileIndex < 0)
            return;
        const QString name = downloader_.files().at(p.fileIndex).path;
        const double fraction = p.total > 0 ? double(p.done) / double(p.total) : 0.0;
        const QString rate = p.bytesPerSecond > 0 ? formatBytes(qint64(p.bytesPerSecond)) + "/s" : QString("--");
        const QString status =
            QStringLiteral("%1% %2/%3  %4  ETA %5  %6")
                .arg(int(fraction * 100), 3)
                .arg(formatBytes(p.done), formatBytes(p.total), rate, formatDuration(p.etaSeconds), name);
        if (terminal_) {
            constexpr int kBarWidth = 28;
            const int filled = int(fraction * kBarWidth);
            const QString bar = QString(filled, QLatin1Char('#')) + QString(kBarWidth - filled, QLatin1Char('-'));
            std::printf("\r[%s] %s\x1b[K", bar.toLatin1().constData(), status.toLocal8Bit().constData());
            std::fflush(stdout);
            barShown_ = true;
        } else if (clock_.elapsed() - lastLineMs_ >= 5000) {
            lastLineMs_ = clock_.elapsed();
            line(status);
        }
    }

private:
    const Downloader& downloader_;
    const bool terminal_;
    bool barShown_ = false;
    QElapsedTimer clock_;
    qint64 lastLineMs_ = -5000;
};

void printPlan(const Downloader& d, ProgressPrinter& out)
{
    out.line(QStringLiteral("Stable Cascade files from %1/%2:")
                 .arg(d.options().endpoint.toDisplayString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash),
                      d.options().repo));
    for (const DownloadFile& file : d.files()) {
        QString line = QStringLiteral("  %1 %2").arg(formatBytes(file.size), 10).arg(file.path);
        if (file.complete)
            line += QStringLiteral("  (done)");
        else if (file.presentBytes > 0)
            line += QStringLiteral("  (partial, %1 here)").arg(formatBytes(file.presentBytes));
        out.line(line);
    }
    const qint64 free = d.freeBytes();
    out.line(QStringLiteral("total %1, already here %2, to download %3; free space in %4: %5")
                 .arg(formatBytes(d.totalBytes()), formatBytes(d.presentBytes()),
                      formatBytes(d.totalBytes() - d.presentBytes()), QDir::toNativeSeparators(d.options().targetDir),
                      free >= 0 ? formatBytes(free) : QStringLiteral("unknown")));
}

} // namespace

int runDownload(Args& args)
{
    const QString usage = QStringLiteral("usage: kaskade-cli download --set lite|full|mixed --to DIR "
                                         "[--endpoint URL] [--token-env VAR]");
    if (args.wantsHelp()) {
        std::printf("%s\n\nDownloads the Stable Cascade weights (stabilityai/stable-cascade) into DIR, resumably.\n"
                    "Sets: %s\n      %s\n      %s\n"
                    "Each set also gets stage_a, the previewer, text_encoder/ and tokenizer/.\n"
                    "Ctrl+C stops and keeps the partial files; running the same command again continues them.\n"
                    "Exit status: 0 done, 2 usage, 3 disk or checksum, 6 network or server, 7 access refused, 130 "
                    "stopped.\n\n"
                    "  --set NAME       weight set: lite, full or mixed\n"
                    "  --to DIR         folder for the model files (created if needed)\n"
                    "  --endpoint URL   hub or mirror URL (default: $HF_ENDPOINT or https://huggingface.co)\n"
                    "  --token-env VAR  environment variable holding an access token (default: HF_TOKEN if set)\n",
                    usage.toLocal8Bit().constData(), modelSetDescription(ModelSet::Full).toLocal8Bit().constData(),
                    modelSetDescription(ModelSet::Lite).toLocal8Bit().constData(),
                    modelSetDescription(ModelSet::Mixed).toLocal8Bit().constData());
        return 0;
    }
    const QString setName = takeText(args, "--set");
    const QString target = takeText(args, "--to");
    QString endpoint = takeText(args, "--endpoint");
    const std::optional<std::string> tokenEnv = args.take("--token-env");
    args.positionals(0, 0, usage.mid(7).toStdString());
    ModelSet set = ModelSet::Lite;
    if (!parseModelSet(setName, &set) || target.isEmpty())
        throw Error(ErrorCode::InvalidArgument, usage.toStdString());

    Downloader::Options options;
    options.targetDir = QDir(target).absolutePath();
    if (endpoint.isEmpty())
        endpoint = qEnvironmentVariable("HF_ENDPOINT");
    if (!endpoint.isEmpty()) {
        options.endpoint = QUrl(endpoint);
        if (!options.endpoint.isValid() || !options.endpoint.scheme().startsWith(QLatin1String("http"))) {
            printError(QStringLiteral("--endpoint: '%1' is not an http(s) URL").arg(endpoint));
            return 2;
        }
    }
    const QString tokenVar = tokenEnv ? QString::fromStdString(*tokenEnv) : QStringLiteral("HF_TOKEN");
    options.token = qgetenv(tokenVar.toLocal8Bit().constData()).trimmed();
    if (tokenEnv && options.token.isEmpty()) {
        printError(QStringLiteral("--token-env: the environment variable %1 is empty or not set").arg(tokenVar));
        return 2;
    }

    Downloader downloader(options);
    ProgressPrinter out(downloader);
    if (!options.token.isEmpty())
        out.line(QStringLiteral("using the access token from $%1").arg(tokenVar)); // the name, never the value

    QObject::connect(&downloader, &Downloader::planReady, &downloader, [&] {
        printPlan(downloader, out);
        downloader.start();
    });
    QObject::connect(&downloader, &Downloader::notice, &downloader, [&](const QString& m) { out.line(m); });
    QObject::connect(&downloader, &Downloader::progress, &downloader,
                     [&](const DownloadProgress& p) { out.update(p); });
    QObject::connect(&downloader, &Downloader::fileFinished, &downloader, [&](int index) {
        const DownloadFile& file = downloader.files().at(index);
        out.line(QStringLiteral("ok  %1 (%2, checksum verified)").arg(file.path, formatBytes(file.size)));
    });
    QObject::connect(&downloader, &Downloader::finished, &downloader, [&] {
        out.line(QStringLiteral("all %1 files are in %2")
                     .arg(downloader.files().size())
                     .arg(QDir::toNativeSeparators(options.targetDir)));
        QCoreApplication::exit(0);
    });
    QObject::connect(&downloader, &Downloader::failed, &downloader, [&](const QString& message) {
        out.clearBar();
        printError(message);
        QCoreApplication::exit(exitStatusFor(downloader.error()));
    });

    // Ctrl+C: a flag polled by a timer (nothing else is safe in a signal handler). A second Ctrl+C kills at
    // once; the .part files are still valid because every block is written straight through.
    struct sigaction action = {};
    action.sa_handler = onInterrupt;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    QTimer interruptPoll;
    QObject::connect(&interruptPoll, &QTimer::timeout, &downloader, [&] {
        if (interrupted) {
            interrupted = 0;
            downloader.cancel();
        }
    });
    interruptPoll.start(100);

    QTimer::singleShot(0, &downloader, [&] { downloader.fetchPlan(set); });
    const int status = QCoreApplication::exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    return status;
}

} // namespace kaskade::cli
