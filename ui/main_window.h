#pragma once
#include <QMainWindow>
namespace kaskade::ui {
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};
} // namespace kaskade::ui
