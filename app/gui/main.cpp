// kaskade: the desktop application.
#include "app/core/settings.h"
#include "app/core/termination_signals.h"
#include "app_info.h"
#include "pipeline/runtime/blas_cpu.h"
#include "ui/main_window.h"
#include "ui/stall_probe.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>

namespace {

// The chosen language (Preferences), else the system's; English needs no translator.
void installTranslators(QApplication& app)
{
    const QString choice = kaskade::core::Settings().value(kaskade::core::keys::language);
    const QLocale locale = choice == QLatin1String("system") ? QLocale::system() : QLocale(choice);
    QLocale::setDefault(locale);
    auto* appTranslator = new QTranslator(&app);
    // English is the fallback: its file holds the plural forms ("1 image", "2 images") for any other locale.
    if (appTranslator->load(locale, QStringLiteral("kaskade"), QStringLiteral("_"), QStringLiteral(":/i18n")) ||
        appTranslator->load(QStringLiteral(":/i18n/kaskade_en.qm")))
        QApplication::installTranslator(appTranslator);
    auto* qtTranslator = new QTranslator(&app); // Qt's own dialogs and buttons
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qtTranslator);
}

} // namespace

int main(int argc, char** argv)
{
    kaskade::runtime::reexecWithMatchingBlasCore(argv);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral(KASKADE_ORG_NAME));
    QApplication::setOrganizationDomain(QStringLiteral(KASKADE_ORG_DOMAIN));
    QApplication::setApplicationName(QStringLiteral(KASKADE_APP_NAME));
    QApplication::setApplicationVersion(QStringLiteral(KASKADE_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Stable Cascade text-to-image desktop app"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption measureStall(QStringLiteral("measure-stall"),
                                          QStringLiteral("Print the longest GUI event-loop stall when quitting."));
    parser.addOption(measureStall);
    // "Open with Kaskade" on a PNG (the desktop entry passes %f): restore that picture's parameters.
    parser.addPositionalArgument(QStringLiteral("image"),
                                 QStringLiteral("PNG whose generation parameters to restore (optional)."));
    parser.process(app);

    installTranslators(app);
    kaskade::ui::StallProbe probe;
    if (parser.isSet(measureStall))
        probe.start();
    kaskade::ui::MainWindow window;
    // Quitting closes the windows first, as the close button does: the prompt and settings are saved and
    // the worker stops.
    kaskade::core::closeOnTerminationSignals(&app, [] { QApplication::quit(); });
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.restoreFromFile(parser.positionalArguments().first());
    const int status = QApplication::exec();
    if (parser.isSet(measureStall))
        std::fprintf(stderr, "longest event-loop stall: %.1f ms\n", probe.longestStallMs());
    return status;
}
