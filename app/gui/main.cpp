// kaskade: the desktop application.
#include "app_info.h"
#include "ui/main_window.h"

#include <QApplication>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral(KASKADE_ORG_NAME));
    QApplication::setApplicationName(QStringLiteral(KASKADE_APP_NAME));
    QApplication::setApplicationVersion(QStringLiteral(KASKADE_VERSION));
    kaskade::ui::MainWindow window;
    window.show();
    return app.exec();
}
