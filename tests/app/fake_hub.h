#pragma once
// Shared by the downloader tests (test_downloader.cpp: plans, transfers, checks, resuming; test_downloader_faults.cpp:
// misbehaving servers and killed processes): a small QTcpServer serving a fake Stable Cascade repository with the
// hub's URL layout (/api/models/{repo}/revision/main, /{repo}/resolve/main/{path}) and metadata, which can drop
// connections, ignore ranges, serve corrupt bytes, demand a token or miss files; and a test base with a fresh hub
// and target folder per test function.
#include "app/core/downloader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <map>
#include <memory>

namespace kaskade::test {

using kaskade::Downloader;
using kaskade::DownloadError;
using kaskade::ModelSet;

inline constexpr int kTimeoutMs = 20000;
inline const QString kRepo = QStringLiteral("test/cascade");

inline QByteArray pseudoRandomBytes(int size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    quint32 x = seed * 2654435761u + 1;
    for (char& c : bytes) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x & 0xff);
    }
    return bytes;
}

struct RequestLog
{
    QString path; // URL path with the query
    QByteArray range;
    QByteArray authorization;
};

// One HTTP/1.1 exchange per connection ("Connection: close"), body sent in slices so that transfers take time.
class FakeHub : public QObject
{
public:
    std::map<QString, QByteArray> files;  // what the metadata describes
    std::map<QString, QByteArray> served; // overrides what /resolve/ sends (corrupt bytes)
    std::map<QString, qint64> dropAfter;  // one-shot: close the connection after this many body bytes
    std::map<QString, qint64> overstate;  // Content-Length this much larger than the body sent
    std::map<QString, qint64> stallAfter; // every time: stop sending (connection kept open) after these bytes
    QStringList unlisted;                 // left out of the metadata
    QStringList missing;                  // listed, but /resolve/ answers 404
    QByteArray token;                     // non-empty: everything needs "Authorization: Bearer <token>"
    bool rangeSupport = true;
    bool redirectLfs = true; // /resolve/ of LFS files answers 302 to /cdn/..., as the hub does
    int sliceBytes = 32 * 1024;
    int sliceIntervalMs = 1;
    QList<RequestLog> log;
    QString repoName = kRepo;

    FakeHub()
    {
        files["text_encoder/config.json"] = R"({"architectures": ["CLIPTextModelWithProjection"]})";
        files["tokenizer/vocab.json"] = R"({"a</w>": 320, "<|startoftext|>": 49406})";
        files["tokenizer/merges.txt"] = "#version: 0.2\na b\n";
        files["tokenizer/tokenizer_config.json"] = R"({"model_max_length": 77})";
        files["tokenizer/special_tokens_map.json"] = R"({"pad_token": "!"})";
        files["text_encoder/model.bf16.safetensors"] = pseudoRandomBytes(150000, 1);
        files["text_encoder/model.safetensors"] = pseudoRandomBytes(300000, 2);
        files["previewer.safetensors"] = pseudoRandomBytes(60000, 3);
        files["stage_a.safetensors"] = pseudoRandomBytes(90000, 4);
        files["stage_b_lite_bf16.safetensors"] = pseudoRandomBytes(400000, 5);
        files["stage_b_bf16.safetensors"] = pseudoRandomBytes(500000, 6);
        files["stage_c_lite_bf16.safetensors"] = pseudoRandomBytes(700000, 7);
        files["stage_c_bf16.safetensors"] = pseudoRandomBytes(800000, 8);
        files["effnet_encoder.safetensors"] = pseudoRandomBytes(1000, 9); // listed, never wanted
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        });
        QVERIFY(server_.listen(QHostAddress::LocalHost));
    }

    QUrl endpoint() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server_.serverPort())); }

    QList<RequestLog> requestsFor(const QString& path) const
    {
        QList<RequestLog> result;
        for (const RequestLog& request : log)
            if (request.path.endsWith(QLatin1Char('/') + path))
                result.append(request);
        return result;
    }

private:
    static bool isLfs(const QString& path) { return path.endsWith(QLatin1String(".safetensors")); }

    QByteArray metadata() const
    {
        QJsonArray siblings;
        for (const auto& [path, content] : files) {
            if (unlisted.contains(path))
                continue;
            QJsonObject entry{{"rfilename", path}, {"size", content.size()}};
            const QByteArray blob = "blob " + QByteArray::number(content.size()) + '\0' + content;
            if (isLfs(path)) {
                const QByteArray sha = QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex();
                entry["blobId"] = QString::fromLatin1(QByteArray(40, 'f'));
                entry["lfs"] =
                    QJsonObject{{"sha256", QString::fromLatin1(sha)}, {"size", content.size()}, {"pointerSize", 134}};
            } else {
                entry["blobId"] = QString::fromLatin1(QCryptographicHash::hash(blob, QCryptographicHash::Sha1).toHex());
            }
            siblings.append(entry);
        }
        const QJsonObject root{{"id", repoName}, {"sha", QString(40, QLatin1Char('0'))}, {"siblings", siblings}};
        return QJsonDocument(root).toJson(QJsonDocument::Compact);
    }

    void onReadyRead(QTcpSocket* socket)
    {
        QByteArray& buffer = pending_[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        pending_.erase(socket);
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        RequestLog request;
        request.path = QString::fromLatin1(requestLine.value(1));
        for (const QByteArray& line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "range")
                request.range = value;
            else if (name == "authorization")
                request.authorization = value;
        }
        log.append(request);
        respond(socket, request);
    }

    void respond(QTcpSocket* socket, const RequestLog& request)
    {
        if (!token.isEmpty() && request.authorization != "Bearer " + token)
            return send(socket, "401 Unauthorized", {}, R"({"error":"Invalid credentials"})");
        const QString apiPath = QStringLiteral("/api/models/%1/revision/main?blobs=true").arg(repoName);
        if (request.path == apiPath)
            return send(socket, "200 OK", "Content-Type: application/json\r\n", metadata());

        const QString resolvePrefix = QStringLiteral("/%1/resolve/main/").arg(repoName);
        const QString cdnPrefix = QStringLiteral("/cdn/");
        QString path;
        if (request.path.startsWith(resolvePrefix)) {
            path = request.path.mid(resolvePrefix.size());
            if (redirectLfs && isLfs(path) && files.count(path) && !missing.contains(path))
                return send(socket, "302 Found", "Location: " + (cdnPrefix + path).toLatin1() + "\r\n", {});
        } else if (request.path.startsWith(cdnPrefix)) {
            path = request.path.mid(cdnPrefix.size());
        }
        if (path.isEmpty() || !files.count(path) || missing.contains(path))
            return send(socket, "404 Not Found", {}, "Entry not found");

        const QByteArray content = served.count(path) ? served[path] : files[path];
        static const QRegularExpression rangeSyntax(QStringLiteral(R"(^bytes=(\d+)-$)"));
        const auto range = rangeSyntax.match(QString::fromLatin1(request.range));
        qint64 dropAt = -1;
        if (auto it = dropAfter.find(path); it != dropAfter.end()) {
            dropAt = it->second;
            dropAfter.erase(it);
        }
        const qint64 extra = overstate.count(path) ? overstate[path] : 0;
        const qint64 stallAt = stallAfter.count(path) ? stallAfter[path] : -1;
        if (rangeSupport && range.hasMatch()) {
            const qint64 from = range.captured(1).toLongLong();
            if (from >= content.size())
                return send(socket, "416 Range Not Satisfiable", {}, {});
            const QByteArray header = QStringLiteral("Content-Range: bytes %1-%2/%3\r\n")
                                          .arg(from)
                                          .arg(content.size() - 1)
                                          .arg(content.size())
                                          .toLatin1();
            return send(socket, "206 Partial Content", header, content.mid(from), dropAt, extra, stallAt);
        }
        send(socket, "200 OK", rangeSupport ? "Accept-Ranges: bytes\r\n" : "", content, dropAt, extra, stallAt);
    }

    // Writes the head, then the body a slice per timer tick; dropAt >= 0 closes after that many body bytes.
    void send(QTcpSocket* socket, const QByteArray& status, const QByteArray& headers, const QByteArray& body,
              qint64 dropAt = -1, qint64 extraLength = 0, qint64 stallAt = -1)
    {
        socket->write("HTTP/1.1 " + status + "\r\nContent-Length: " + QByteArray::number(body.size() + extraLength) +
                      "\r\nConnection: close\r\n" + headers + "\r\n");
        if (stallAt >= 0) { // some bytes, then silence on an open connection
            socket->write(body.left(stallAt));
            return;
        }
        const qint64 limit = dropAt >= 0 ? qMin<qint64>(dropAt, body.size()) : body.size();
        auto* timer = new QTimer(socket);
        auto sent = std::make_shared<qint64>(0);
        connect(timer, &QTimer::timeout, socket, [this, socket, timer, body, limit, sent] {
            if (socket->bytesToWrite() > 4 * sliceBytes)
                return;
            const qint64 n = qMin<qint64>(sliceBytes, limit - *sent);
            socket->write(body.mid(*sent, n));
            *sent += n;
            if (*sent >= limit) {
                timer->stop();
                socket->disconnectFromHost(); // after the buffered bytes are out
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        timer->start(sliceIntervalMs);
    }

    QTcpServer server_;
    std::map<QTcpSocket*, QByteArray> pending_;
};

inline QStringList litePaths()
{
    return {"text_encoder/config.json",
            "tokenizer/vocab.json",
            "tokenizer/merges.txt",
            "tokenizer/tokenizer_config.json",
            "tokenizer/special_tokens_map.json",
            "previewer.safetensors",
            "stage_a.safetensors",
            "text_encoder/model.bf16.safetensors",
            "stage_b_lite_bf16.safetensors",
            "stage_c_lite_bf16.safetensors"};
}

inline QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(file.write(bytes), bytes.size());
}

inline bool isBusy(const Downloader& d)
{
    return d.state() == Downloader::State::Planning || d.state() == Downloader::State::Downloading;
}

// Base of the downloader test classes (the derived class has Q_OBJECT and the slots): its init() calls
// startHub() and its cleanup() stopHub().
class DownloaderTest : public QObject
{
protected:
    std::unique_ptr<QTemporaryDir> tmp_;
    std::unique_ptr<FakeHub> hub_;

    Downloader::Options options(const QString& dir = {}) const
    {
        Downloader::Options o;
        o.endpoint = hub_->endpoint();
        o.repo = kRepo;
        o.targetDir = dir.isEmpty() ? tmp_->filePath("models") : dir;
        o.retryDelayMs = 10;
        o.stallTimeoutMs = 5000;
        return o;
    }

    // Plans and downloads; returns the final state. Every wait is bounded.
    Downloader::State run(Downloader& d, ModelSet set = ModelSet::Lite)
    {
        d.fetchPlan(set);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs); }();
        if (d.state() != Downloader::State::Ready)
            return d.state();
        d.start();
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!isBusy(d), kTimeoutMs); }();
        return d.state();
    }

    void verifyFile(const QString& path)
    {
        const QString full = QDir(tmp_->filePath("models")).filePath(path);
        QVERIFY2(readFile(full) == hub_->files[path], qPrintable(path + " differs from the served file"));
        QVERIFY2(!QFile::exists(full + ".part"), qPrintable(path + ".part left behind"));
    }

    void startHub()
    {
        tmp_ = std::make_unique<QTemporaryDir>();
        QVERIFY(tmp_->isValid());
        hub_ = std::make_unique<FakeHub>();
    }

    void stopHub()
    {
        hub_.reset();
        tmp_.reset();
    }
};

} // namespace kaskade::test
