// kaskade-cli inspect PATH: what a checkpoint file is (kind, variant, key layout, counts, dtypes), or which
// layout a model folder has and which pieces of a full model set it holds.
#include "app/cli/commands.h"
#include "pipeline/errors.h"
#include "pipeline/loading/inspect.h"

#include <QLocale>
#include <QTextStream>

#include <filesystem>

namespace kaskade::cli {
namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

QString grouped(std::uint64_t n)
{
    QLocale locale = QLocale::c();
    locale.setNumberOptions(QLocale::DefaultNumberOptions); // thousands separators
    return locale.toString(qulonglong(n));
}

QString scaled(std::uint64_t n)
{
    if (n >= 1'000'000'000)
        return QString::number(double(n) / 1e9, 'f', 2) + " B";
    return QString::number(double(n) / 1e6, 'f', 1) + " M";
}

void printFile(QTextStream& out, const FileReport& r)
{
    out << "file:        ";
    for (std::size_t i = 0; i < r.files.size(); ++i)
        out << (i ? "\n             " : "") << q(r.files[i].string());
    out << "\nkind:        " << q(r.kindName()) << "\n";
    if (!r.main.variant.empty())
        out << "variant:     " << q(r.main.variant) << "\n";
    out << "what:        " << q(r.description) << "\n";
    out << "tensors:     " << grouped(r.tensorCount) << "\n";
    out << "parameters:  " << grouped(r.parameterCount);
    if (r.parameterCount >= 1'000'000)
        out << " (" << scaled(r.parameterCount) << ")";
    out << "\n";
    out << "dtypes:     ";
    for (const auto& [name, count] : r.dtypes)
        out << " " << q(name) << " x" << count;
    out << "\nsize:        " << QLocale::c().formattedDataSize(qint64(r.fileSize), 2, QLocale::DataSizeSIFormat) << " ("
        << grouped(r.fileSize) << " bytes)\n";
    if (r.parts.size() > 1) {
        out << "parts:\n";
        for (const auto& p : r.parts)
            out << "  " << QString(roleName(p.role)).leftJustified(13) << " " << q(p.variant).leftJustified(7) << " "
                << q(p.layout).leftJustified(15) << " " << (p.prefix.empty() ? QString("(no prefix)") : q(p.prefix))
                << "\n";
    }
}

void printDirectory(QTextStream& out, const LayoutReport& r)
{
    out << "folder:  " << q(r.path.string()) << "\n";
    out << "layout:  " << folderLayoutName(r.layout) << ": " << q(r.description) << "\n";
    for (const auto& piece : r.pieces) {
        const QString state = piece.present ? "found" : piece.required ? "MISSING" : "absent (optional)";
        out << "  " << q(piece.role).leftJustified(14) << state.leftJustified(10)
            << (piece.present ? q(piece.source) : QString()) << "\n";
    }
    if (r.missing.empty()) {
        out << "complete model set\n";
    } else {
        out << "missing:";
        for (const auto& m : r.missing)
            out << " " << q(m);
        out << "\n";
    }
    for (const auto& note : r.notes)
        out << "note:    " << q(note) << "\n";
}

} // namespace

int runInspect(Args& args)
{
    const std::filesystem::path path =
        args.positionals(1, 1, "kaskade-cli inspect PATH   (a .safetensors file or a model folder)")[0];
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, path.string() + ": not found");
    QTextStream out(stdout);
    if (std::filesystem::is_directory(path, ec))
        printDirectory(out, inspectDirectory(path));
    else
        printFile(out, inspectFile(path));
    return 0;
}

} // namespace kaskade::cli
