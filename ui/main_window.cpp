// STUB main window until the desktop app lands.
#include "ui/main_window.h"
#include <QLabel>
#include <QStatusBar>
namespace kaskade::ui {
MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Kaskade"));
    setCentralWidget(new QLabel(tr("No model loaded")));
    statusBar()->showMessage(tr("No model loaded"));
}
} // namespace kaskade::ui
