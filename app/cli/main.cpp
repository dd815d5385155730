// kaskade-cli: headless front end. `kaskade-cli COMMAND [options]`; `kaskade-cli help` lists commands.
// The table is the engine's (pipeline/tools/commands.h: parity, bench, devices, make-demo-model, the same
// as kaskade-engine's) plus the commands below, which need Qt.
#include "app/cli/commands.h"
#include "app_info.h"
#include "pipeline/device.h"
#include "pipeline/runtime/blas_cpu.h"

#include <QCoreApplication>
#include <QStringDecoder>

#include <cstdio>

namespace kaskade::cli {

QString takeText(Args& args, std::string_view option)
{
    return QString::fromStdString(args.take(option, ""));
}

QStringList toQt(const std::vector<std::string>& values)
{
    QStringList list;
    for (const auto& value : values)
        list.append(QString::fromStdString(value));
    return list;
}

Args toArgs(const QStringList& values)
{
    std::vector<std::string> list;
    for (const auto& value : values)
        list.push_back(value.toStdString());
    return Args(std::move(list));
}

void printError(const QString& message)
{
    std::fprintf(stderr, "kaskade-cli: %s\n", message.toLocal8Bit().constData());
}

} // namespace kaskade::cli

namespace {

std::vector<kaskade::tools::Command> commands()
{
    using namespace kaskade::cli;
    auto table = kaskade::tools::engineCommands();
    const bool ownHelp = true; // these print their own --help (the option lists are long)
    table.insert(
        table.begin(),
        {
            {"generate", "--model DIR --prompt TEXT [options]", "generate images from a prompt (see generate --help)",
             runGenerate, ownHelp},
            {"reconstruct", "IMAGE --model DIR",
             "encode a picture and decode it through Stage B+A (what the compression keeps)", runReconstruct, ownHelp},
            {"upscale", "IMAGE --model DIR", "x2 super-resolution with the sr ControlNet", runUpscale, ownHelp},
            {"inspect", "PATH", "identify a checkpoint file or a model folder", runInspect},
            {"scan", "DIR", "list the checkpoints under a folder with kind, variant, dtype and size", runScan},
            {"info", "IMAGE.png [--json]", "show the generation parameters stored in an image", runInfo, ownHelp},
            {"tokenize", "TEXT --tokenizer PATH [--chunk] [--no-emphasis]", "tokenize text as the text encoder sees it",
             runTokenize, ownHelp},
            {"download", "--set lite|full|mixed --to DIR", "download the Stable Cascade weights", runDownload, ownHelp},
            {"train-lora", "--images DIR --model DIR --out FILE [options]",
             "train a Stage C LoRA on a folder of pictures (see train-lora --help)", runTrainLora, ownHelp},
            {"convert-lora", "LORA --model DIR --out FILE", "write a LoRA under ComfyUI's lora_prior_unet_* names",
             runConvertLora},
        });
    return table;
}

} // namespace

int main(int argc, char** argv)
{
    kaskade::runtime::reexecWithMatchingBlasCore(argv);
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
    std::vector<std::string> args;
    for (const QString& arg : app.arguments().mid(1))
        args.push_back(arg.toStdString());
    if (args.size() == 1 && args.front() == "--version") {
        std::printf("kaskade-cli %s, %s\n", KASKADE_VERSION, kaskade::torchVersionString().c_str());
        return 0;
    }
    const auto table = commands();
    return kaskade::tools::runCommandLine(
        "kaskade-cli", "Kaskade " KASKADE_VERSION " - Stable Cascade on the command line", table, std::move(args));
}
