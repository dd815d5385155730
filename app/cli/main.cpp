// kaskade-cli: headless front end. `kaskade-cli COMMAND [options]`; `kaskade-cli help` lists commands.
#include "app/cli/commands.h"
#include "app_info.h"
#include "pipeline/device.h"
#include "pipeline/errors.h"

#include <QCoreApplication>
#include <QStringDecoder>
#include <QTextStream>

#include <cstdio>
#include <map>

namespace {

using Command = int (*)(const QStringList&);

struct CommandEntry
{
    Command run;
    const char* summary;
};

const std::map<QString, CommandEntry>& commands()
{
    using namespace kaskade::cli;
    static const std::map<QString, CommandEntry> table = {
        {"generate", {runGenerate, "generate images from a prompt (see generate --help)"}},
        {"reconstruct",
         {runReconstruct, "encode a picture and decode it through Stage B+A: reconstruct IMAGE --model DIR"}},
        {"upscale", {runUpscale, "x2 super-resolution with the sr ControlNet: upscale IMAGE --model DIR"}},
        {"make-demo-model",
         {runMakeDemoModel, "write a random-weight demo model set: make-demo-model DIR [--size tiny|small]"}},
        {"inspect", {runInspect, "identify a checkpoint file or a model folder: inspect PATH"}},
        {"scan", {runScan, "list the checkpoints under a folder with kind, variant, dtype and size: scan DIR"}},
        {"info", {runInfo, "show the generation parameters stored in an image: info IMAGE.png"}},
        {"tokenize", {runTokenize, "tokenize text: tokenize TEXT --tokenizer PATH"}},
        {"parity", {runParity, "check the engine against reference fixtures: parity DIR"}},
        {"bench", {runBench, "time one sampler step of the real-size networks"}},
        {"devices", {runDevices, "list CPU and CUDA devices"}},
        {"download", {runDownload, "download the Stable Cascade weights: download --set lite|full|mixed --to DIR"}},
        {"train-lora", {runTrainLora, "train a Stage C LoRA on a folder of pictures (see train-lora --help)"}},
        {"convert-lora",
         {runConvertLora, "write a LoRA under ComfyUI names: convert-lora LORA --model DIR --out FILE"}},
    };
    return table;
}

int printHelp()
{
    QTextStream out(stdout);
    out << "Kaskade " << KASKADE_VERSION << " - Stable Cascade on the command line\n\n"
        << "usage: kaskade-cli COMMAND [options]   (global: --threads N)\n\ncommands:\n";
    for (const auto& [name, entry] : commands())
        out << "  " << name.leftJustified(16) << entry.summary << "\n";
    return 0;
}

} // namespace

void kaskade::cli::printError(const QString& message)
{
    std::fprintf(stderr, "kaskade-cli: %s\n", message.toLocal8Bit().constData());
}

int main(int argc, char** argv)
{
    // Qt turns bytes that are not UTF-8 into U+FFFD, so such a file name would later read as "not found":
    // name the real problem instead.
    for (int i = 1; i < argc; ++i) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString text = utf8(QByteArrayView(argv[i]));
        if (utf8.hasError()) {
            std::fprintf(stderr,
                         "kaskade-cli: argument %d ('%s') is not valid UTF-8; Kaskade needs UTF-8 file names "
                         "(rename the file)\n",
                         i, text.toUtf8().constData());
            return 2;
        }
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("kaskade-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KASKADE_VERSION));
    QStringList args = app.arguments().mid(1);
    if (args.isEmpty() || args.first() == "help" || args.first() == "--help" || args.first() == "-h")
        return printHelp();
    if (args.first() == "--version") {
        std::printf("kaskade-cli %s, %s\n", KASKADE_VERSION, kaskade::torchVersionString().c_str());
        return 0;
    }
    int threads = 0;
    if (const int i = args.indexOf("--threads"); i >= 0) {
        bool ok = false;
        threads = i + 1 < args.size() ? args.at(i + 1).toInt(&ok) : 0;
        if (!ok || threads < 1 || threads > kaskade::kMaxThreads) {
            kaskade::cli::printError(QStringLiteral("--threads needs a number from 1 to %1").arg(kaskade::kMaxThreads));
            return 2;
        }
        args.remove(i, 2);
    }
    if (args.isEmpty())
        return printHelp();
    const QString name = args.takeFirst();
    auto it = commands().find(name);
    if (it == commands().end()) {
        kaskade::cli::printError(QStringLiteral("unknown command '%1' (try kaskade-cli help)").arg(name));
        return 2;
    }
    try {
        kaskade::setThreads(threads);
        return it->second.run(args);
    } catch (const kaskade::Error& e) {
        kaskade::cli::printError(QString::fromStdString(e.what()));
        return kaskade::exitStatusFor(e.code());
    } catch (const std::exception& e) {
        kaskade::cli::printError(QString::fromStdString(e.what()));
        return 70;
    }
}
