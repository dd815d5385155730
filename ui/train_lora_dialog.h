#pragma once
// Model ▸ Train LoRA…: pick a folder of pictures (thumbnails with editable captions, saved as same-name .txt),
// a trigger token, steps, rank, learning rate and resolution; Train runs on core::LoraTrainingWorker with a
// live loss curve and a sample render every N updates; Pause writes the checkpoint and Resume continues from
// it; the finished LoRA can be loaded into the model (loraReady). No Torch here.

#include <QDialog>

#include <atomic>
#include <memory>

class QChartView;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QValueAxis;

namespace kaskade::core {
class LoraTrainingWorker;
}

namespace kaskade::ui {

class TrainLoraDialog : public QDialog
{
    Q_OBJECT

public:
    // `modelFolder`: the model set to train on (the main window's current folder).
    explicit TrainLoraDialog(const QString& modelFolder, QWidget* parent = nullptr);
    ~TrainLoraDialog() override;

    void setFolder(const QString& folder); // fills the picture table

Q_SIGNALS:
    void loraReady(const QString& path); // "Load LoRA" after a finished run

private:
    void browseFolder();
    void browseOutput();
    void startTraining(bool resume);
    void pause();
    void cancel();
    void setRunning(bool running);
    void onProgress(int update, int updates, double loss, double lr, double eta, const QString& message);
    void onFinished(const QString& lora, bool stopped, const QString& checkpoint, double before, double after);
    void onFailed(const QString& message);
    void loadThumbnails(const QStringList& paths);
    void saveCaptions();
    void exportComfyUi();
    void closeEvent(QCloseEvent* event) override;

    QString modelFolder_;
    QLineEdit* folder_ = nullptr;
    QTableWidget* pictures_ = nullptr;
    QLineEdit* token_ = nullptr;
    QLineEdit* initFrom_ = nullptr;
    QLineEdit* caption_ = nullptr;
    QLineEdit* output_ = nullptr;
    QLineEdit* samplePrompt_ = nullptr;
    QSpinBox* steps_ = nullptr;
    QSpinBox* rank_ = nullptr;
    QDoubleSpinBox* lr_ = nullptr;
    QSpinBox* resolution_ = nullptr;
    QCheckBox* buckets_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QSpinBox* sampleEvery_ = nullptr;
    QLineSeries* lossSeries_ = nullptr;
    QValueAxis* lossX_ = nullptr;
    QValueAxis* lossY_ = nullptr;
    QChartView* chart_ = nullptr;
    QLabel* sample_ = nullptr;
    QLabel* status_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QPushButton* train_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* resume_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* load_ = nullptr;
    QPushButton* export_ = nullptr;
    std::unique_ptr<core::LoraTrainingWorker> worker_;
    QString checkpoint_, lora_;
    double maxLoss_ = 0;
    bool cancelling_ = false;
    // The current thumbnail job; shared with its worker thread, which stops when a newer job starts.
    std::shared_ptr<std::atomic<quint64>> thumbnailTicket_ = std::make_shared<std::atomic<quint64>>(0);
};

} // namespace kaskade::ui
