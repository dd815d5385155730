#pragma once
// Model > Download Stable Cascade...: choose a weight set and a folder, see the sizes and the free space, then
// download with per-file and overall progress, pause/resume and stop. Stopping (or closing the dialog) keeps
// the .part files, and the next download of the same set into the same folder continues them. Endpoint and
// access token are remembered with QSettings ("download/..."); the token is never shown outside its field.
//
//   auto* dialog = new kaskade::ui::DownloadDialog(this);
//   connect(dialog, &DownloadDialog::modelsDownloaded, this, &MainWindow::openModelFolder);
//   dialog->setAttribute(Qt::WA_DeleteOnClose);
//   dialog->show();

#include <QDialog>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace kaskade {
class Downloader;
struct DownloadProgress;
} // namespace kaskade

namespace kaskade::ui {

class DownloadDialog : public QDialog
{
    Q_OBJECT

public:
    explicit DownloadDialog(QWidget* parent = nullptr);
    ~DownloadDialog() override;

    QString targetFolder() const;
    void setTargetFolder(const QString& folder); // default: the last one used, else <AppData>/models/stable-cascade

Q_SIGNALS:
    // Every file of the chosen set is in folder and verified: the main window can load it.
    void modelsDownloaded(const QString& folder);

protected:
    void reject() override; // Close/Escape: stops a running download (resumable), then closes

private:
    void buildUi();
    void loadSettings();
    void saveSettings() const;
    void schedulePlan();
    void fetchPlan();
    void showPlan();
    void startDownload();
    void togglePause();
    void stopDownload();
    void onProgress(const kaskade::DownloadProgress& progress);
    void onFileFinished(int index);
    void onFinished();
    void onFailed(const QString& message);
    void showMessage(const QString& text, bool error);
    void updateButtons();
    bool isActive() const;

    std::unique_ptr<Downloader> downloader_;
    QComboBox* set_ = nullptr;
    QLineEdit* folder_ = nullptr;
    QLineEdit* endpoint_ = nullptr;
    QLineEdit* token_ = nullptr;
    QCheckBox* rememberToken_ = nullptr;
    QCheckBox* imageInputs_ = nullptr; // also effnet_encoder + controlnet/*
    QLabel* summary_ = nullptr;
    QTreeWidget* files_ = nullptr;
    QProgressBar* overall_ = nullptr;
    QLabel* rate_ = nullptr;
    QLabel* message_ = nullptr;
    QPushButton* download_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* stop_ = nullptr;
    QTimer* planDelay_ = nullptr;
};

} // namespace kaskade::ui
