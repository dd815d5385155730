#include "ui/train_lora_dialog.h"

#include "app/core/lora_training_data.h"
#include "app/core/lora_training_worker.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>
#include <QValueAxis>

namespace kaskade::ui {
namespace {

constexpr int kThumb = 64;

QString trainDuration(double seconds)
{
    const auto s = static_cast<long long>(seconds + 0.5);
    return s >= 3600 ? QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
                     : QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
}

} // namespace

TrainLoraDialog::TrainLoraDialog(const QString& modelFolder, QWidget* parent)
    : QDialog(parent), modelFolder_(modelFolder)
{
    setObjectName(QStringLiteral("trainLoraDialog"));
    setWindowTitle(tr("Train LoRA"));
    resize(1000, 720);

    // Pictures: folder + thumbnails with editable captions.
    folder_ = new QLineEdit(this);
    folder_->setObjectName(QStringLiteral("trainFolder"));
    folder_->setPlaceholderText(tr("Folder of pictures (captions in same-name .txt files)"));
    auto* browse = new QPushButton(tr("&Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &TrainLoraDialog::browseFolder);
    connect(folder_, &QLineEdit::editingFinished, this, [this] { setFolder(folder_->text()); });
    pictures_ = new QTableWidget(0, 2, this);
    pictures_->setObjectName(QStringLiteral("trainPictures"));
    pictures_->setHorizontalHeaderLabels({tr("Picture"), tr("Caption")});
    pictures_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    pictures_->horizontalHeader()->setStretchLastSection(true);
    pictures_->verticalHeader()->setDefaultSectionSize(kThumb + 8);
    pictures_->setIconSize(QSize(kThumb, kThumb));
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(folder_);
    folderRow->addWidget(browse);
    auto* picturesBox = new QGroupBox(tr("Pictures"), this);
    auto* picturesLayout = new QVBoxLayout(picturesBox);
    picturesLayout->addLayout(folderRow);
    picturesLayout->addWidget(pictures_);

    // Settings (defaults: the official recipe, 512 px for the CPU).
    token_ = new QLineEdit(QStringLiteral("[name]"), this);
    token_->setObjectName(QStringLiteral("trainToken"));
    token_->setToolTip(tr("A new word the LoRA learns, written [..] or <..>; use it in the captions"));
    initFrom_ = new QLineEdit(QStringLiteral("^dog</w>"), this);
    initFrom_->setToolTip(tr("Start the token from the mean embedding of the vocabulary entries matching this regex"));
    caption_ = new QLineEdit(QStringLiteral("a photo of [name]"), this);
    caption_->setToolTip(tr("Caption of pictures without their own"));
    connect(token_, &QLineEdit::textEdited, this, [this](const QString& t) {
        if (caption_->text().startsWith(QStringLiteral("a photo of ")))
            caption_->setText(QStringLiteral("a photo of ") + t);
    });
    steps_ = new QSpinBox(this);
    steps_->setObjectName(QStringLiteral("trainSteps"));
    steps_->setRange(1, 100000);
    steps_->setValue(500);
    rank_ = new QSpinBox(this);
    rank_->setObjectName(QStringLiteral("trainRank"));
    rank_->setRange(1, 128);
    rank_->setValue(4);
    lr_ = new QDoubleSpinBox(this);
    lr_->setObjectName(QStringLiteral("trainLr"));
    lr_->setDecimals(6);
    lr_->setRange(0.000001, 0.1);
    lr_->setSingleStep(0.00001);
    lr_->setValue(0.0001);
    resolution_ = new QSpinBox(this);
    resolution_->setObjectName(QStringLiteral("trainResolution"));
    resolution_->setRange(64, 2048);
    resolution_->setSingleStep(32);
    resolution_->setValue(512);
    buckets_ = new QCheckBox(tr("&Aspect buckets (keep portrait and landscape framing)"), this);
    buckets_->setObjectName(QStringLiteral("trainBuckets"));
    buckets_->setToolTip(tr("Group the pictures by aspect ratio into sizes of about resolution² pixels instead of "
                            "cropping every picture to a square"));
    batch_ = new QSpinBox(this);
    batch_->setRange(1, 64);
    batch_->setValue(1);
    sampleEvery_ = new QSpinBox(this);
    sampleEvery_->setRange(0, 100000);
    sampleEvery_->setValue(50);
    sampleEvery_->setSpecialValueText(tr("never"));
    samplePrompt_ = new QLineEdit(QStringLiteral("a photo of [name]"), this);
    output_ = new QLineEdit(this);
    output_->setObjectName(QStringLiteral("trainOutput"));
    auto* browseOut = new QPushButton(tr("…"), this);
    connect(browseOut, &QPushButton::clicked, this, &TrainLoraDialog::browseOutput);
    auto* outputRow = new QHBoxLayout;
    outputRow->addWidget(output_);
    outputRow->addWidget(browseOut);
    auto* form = new QFormLayout;
    form->addRow(tr("Trigger &token:"), token_);
    form->addRow(tr("&Initialise from:"), initFrom_);
    form->addRow(tr("Default &caption:"), caption_);
    form->addRow(tr("&Steps:"), steps_);
    form->addRow(tr("&Rank:"), rank_);
    form->addRow(tr("&Learning rate:"), lr_);
    form->addRow(tr("Resol&ution:"), resolution_);
    form->addRow(QString(), buckets_);
    form->addRow(tr("&Batch:"), batch_);
    form->addRow(tr("Sample &every:"), sampleEvery_);
    form->addRow(tr("Sample &prompt:"), samplePrompt_);
    form->addRow(tr("&Output:"), outputRow);
    auto* settingsBox = new QGroupBox(tr("Training"), this);
    settingsBox->setLayout(form);

    // Live view: loss curve and the latest sample.
    lossSeries_ = new QLineSeries;
    lossSeries_->setName(tr("loss"));
    auto* chart = new QChart;
    chart->addSeries(lossSeries_);
    chart->legend()->hide();
    chart->setTitle(tr("Loss per update"));
    lossX_ = new QValueAxis;
    lossX_->setLabelFormat(QStringLiteral("%d"));
    lossX_->setRange(0, 1);
    lossY_ = new QValueAxis;
    lossY_->setRange(0, 1);
    chart->addAxis(lossX_, Qt::AlignBottom);
    chart->addAxis(lossY_, Qt::AlignLeft);
    lossSeries_->attachAxis(lossX_);
    lossSeries_->attachAxis(lossY_);
    chart_ = new QChartView(chart, this);
    chart_->setObjectName(QStringLiteral("trainLossChart"));
    chart_->setRenderHint(QPainter::Antialiasing);
    chart_->setMinimumHeight(220);
    sample_ = new QLabel(tr("Samples appear here"), this);
    sample_->setObjectName(QStringLiteral("trainSample"));
    sample_->setAlignment(Qt::AlignCenter);
    sample_->setMinimumSize(256, 256);
    auto* live = new QHBoxLayout;
    live->addWidget(chart_, 2);
    live->addWidget(sample_, 1);

    progress_ = new QProgressBar(this);
    progress_->setObjectName(QStringLiteral("trainProgress"));
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("trainStatus"));
    status_->setWordWrap(true);
    train_ = new QPushButton(tr("&Train"), this);
    train_->setObjectName(QStringLiteral("trainStart"));
    pause_ = new QPushButton(tr("&Pause"), this);
    pause_->setObjectName(QStringLiteral("trainPause"));
    resume_ = new QPushButton(tr("&Resume"), this);
    resume_->setObjectName(QStringLiteral("trainResume"));
    cancel_ = new QPushButton(tr("&Cancel"), this);
    cancel_->setObjectName(QStringLiteral("trainCancel"));
    load_ = new QPushButton(tr("&Load LoRA"), this);
    load_->setObjectName(QStringLiteral("trainLoad"));
    export_ = new QPushButton(tr("Export for &ComfyUI…"), this);
    export_->setObjectName(QStringLiteral("trainExportComfy"));
    export_->setToolTip(tr("Write the LoRA under ComfyUI's lora_prior_unet_* names, and the learned token as a ComfyUI "
                           "embedding in an embeddings folder next to it"));
    connect(export_, &QPushButton::clicked, this, &TrainLoraDialog::exportComfyUi);
    auto* close = new QPushButton(tr("Close"), this);
    connect(train_, &QPushButton::clicked, this, [this] { startTraining(false); });
    connect(resume_, &QPushButton::clicked, this, [this] { startTraining(true); });
    connect(pause_, &QPushButton::clicked, this, &TrainLoraDialog::pause);
    connect(cancel_, &QPushButton::clicked, this, &TrainLoraDialog::cancel);
    connect(load_, &QPushButton::clicked, this, [this] {
        Q_EMIT loraReady(lora_);
        status_->setText(tr("Loaded %1 into the model").arg(QFileInfo(lora_).fileName()));
    });
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(train_);
    buttons->addWidget(pause_);
    buttons->addWidget(resume_);
    buttons->addWidget(cancel_);
    buttons->addStretch();
    buttons->addWidget(export_);
    buttons->addWidget(load_);
    buttons->addWidget(close);

    auto* top = new QHBoxLayout;
    top->addWidget(picturesBox, 3);
    top->addWidget(settingsBox, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top, 3);
    layout->addLayout(live, 2);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addLayout(buttons);

    setRunning(false);
    resume_->setEnabled(false);
    load_->setEnabled(false);
    export_->setEnabled(false);
    if (modelFolder_.isEmpty())
        status_->setText(tr("Open a model folder first (Model ▸ Open model folder…): training needs Stage C, the "
                            "text encoder and the EfficientNet encoder."));
}

TrainLoraDialog::~TrainLoraDialog()
{
    ++*thumbnailTicket_; // a thumbnail worker still running stops at its next picture
}

void TrainLoraDialog::setFolder(const QString& folder)
{
    folder_->setText(folder);
    pictures_->setRowCount(0);
    if (output_->text().isEmpty() && !folder.isEmpty())
        output_->setText(QDir(folder).filePath(QDir(folder).dirName() + QStringLiteral("_lora.safetensors")));
    QList<core::TrainingFolderEntry> entries;
    try {
        entries = core::scanTrainingFolder(folder);
    } catch (const std::exception& e) {
        status_->setText(QString::fromUtf8(e.what()));
        return;
    }
    QStringList paths;
    for (const auto& entry : entries) {
        const int row = pictures_->rowCount();
        pictures_->insertRow(row);
        paths.append(entry.imagePath);
        auto* picture = new QTableWidgetItem(QFileInfo(entry.imagePath).fileName());
        picture->setFlags(picture->flags() & ~Qt::ItemIsEditable);
        picture->setData(Qt::UserRole, entry.imagePath);
        picture->setData(Qt::UserRole + 1, entry.captionPath);
        pictures_->setItem(row, 0, picture);
        auto* caption = new QTableWidgetItem(entry.caption);
        caption->setToolTip(tr("Empty: the default caption"));
        pictures_->setItem(row, 1, caption);
    }
    status_->setText(tr("%n picture(s)", nullptr, int(entries.size())));
    loadThumbnails(paths);
}

// Decoding a folder of camera photos takes seconds, so the thumbnails come from a worker thread, each set
// on its row as it is ready; a newer folder (or closing the dialog) makes the worker stop.
void TrainLoraDialog::loadThumbnails(const QStringList& paths)
{
    const quint64 ticket = ++*thumbnailTicket_;
    QPointer<TrainLoraDialog> self(this);
    QThread* thread = QThread::create([self, paths, ticket, current = thumbnailTicket_] {
        for (int row = 0; row < paths.size() && *current == ticket; ++row) {
            QImageReader reader(paths[row]);
            reader.setAutoTransform(true);
            const QSize size = reader.size();
            if (size.isValid())
                reader.setScaledSize(size.scaled(kThumb, kThumb, Qt::KeepAspectRatio));
            QMetaObject::invokeMethod(
                qApp,
                [self, row, path = paths[row], thumbnail = reader.read(), ticket] {
                    if (!self || *self->thumbnailTicket_ != ticket)
                        return;
                    if (QTableWidgetItem* item = self->pictures_->item(row, 0);
                        item && item->data(Qt::UserRole).toString() == path)
                        item->setIcon(QIcon(QPixmap::fromImage(thumbnail)));
                },
                Qt::QueuedConnection);
        }
    });
    thread->setObjectName(QStringLiteral("kaskade-training-thumbnails"));
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start(QThread::LowPriority);
}

void TrainLoraDialog::browseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder of training pictures"), folder_->text());
    if (!folder.isEmpty())
        setFolder(folder);
}

void TrainLoraDialog::browseOutput()
{
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Save the LoRA as"), output_->text(), tr("LoRA (*.safetensors)"));
    if (!file.isEmpty())
        output_->setText(file);
}

void TrainLoraDialog::saveCaptions()
{
    for (int row = 0; row < pictures_->rowCount(); ++row) {
        core::TrainingFolderEntry entry;
        entry.imagePath = pictures_->item(row, 0)->data(Qt::UserRole).toString();
        entry.captionPath = pictures_->item(row, 0)->data(Qt::UserRole + 1).toString();
        const QString caption = pictures_->item(row, 1)->text().trimmed();
        if (caption.isEmpty() && !QFileInfo::exists(entry.captionPath))
            continue;
        core::saveTrainingCaption(entry, caption);
    }
}

void TrainLoraDialog::startTraining(bool resume)
{
    if (modelFolder_.isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Open a model folder first."));
        return;
    }
    LoraTrainingParams p;
    try {
        saveCaptions();
        const auto entries = core::scanTrainingFolder(folder_->text());
        if (entries.isEmpty())
            throw std::runtime_error(tr("The folder has no pictures.").toStdString());
        p.images = core::loadTrainingImages(entries);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, windowTitle(), QString::fromUtf8(e.what()));
        return;
    }
    p.modelDir = modelFolder_.toStdString();
    p.token = token_->text().trimmed().toStdString();
    p.initFrom = initFrom_->text().trimmed().toStdString();
    p.defaultCaption = caption_->text().trimmed().toStdString();
    p.updates = steps_->value();
    p.rank = rank_->value();
    p.lr = lr_->value();
    p.resolution = resolution_->value() / 32 * 32;
    p.buckets = buckets_->isChecked();
    p.batch = batch_->value();
    p.sampleEvery = sampleEvery_->value();
    p.output = output_->text().toStdString();
    if (resume)
        p.resume = checkpoint_.toStdString();
    else {
        lossSeries_->clear();
        maxLoss_ = 0;
    }
    if (!worker_) {
        worker_ = std::make_unique<core::LoraTrainingWorker>();
        connect(worker_.get(), &core::LoraTrainingWorker::progress, this, &TrainLoraDialog::onProgress);
        connect(worker_.get(), &core::LoraTrainingWorker::finished, this, &TrainLoraDialog::onFinished);
        connect(worker_.get(), &core::LoraTrainingWorker::failed, this, &TrainLoraDialog::onFailed);
        connect(worker_.get(), &core::LoraTrainingWorker::sampleReady, this, [this](int update, const QImage& image) {
            sample_->setPixmap(
                QPixmap::fromImage(image).scaled(sample_->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
            sample_->setToolTip(tr("Sample after update %1").arg(update));
        });
    }
    cancelling_ = false;
    progress_->setRange(0, p.updates);
    status_->setText(resume ? tr("Resuming…") : tr("Starting…"));
    setRunning(true);
    worker_->start(p, samplePrompt_->text().trimmed());
}

void TrainLoraDialog::exportComfyUi()
{
    const QFileInfo info(lora_);
    const QString out = QFileDialog::getSaveFileName(
        this, tr("Export for ComfyUI"),
        info.dir().filePath(info.completeBaseName() + QStringLiteral("_comfyui.safetensors")),
        tr("LoRA (*.safetensors)"));
    if (out.isEmpty())
        return;
    try {
        const auto notes = convertLoraToComfyUi(lora_.toStdString(), out.toStdString(), modelFolder_.toStdString());
        // The notes name the token's embedding file and anything left out (engine text, like error details).
        QString text = tr("Wrote %1").arg(out);
        for (const auto& note : notes)
            text += QLatin1Char('\n') + QString::fromStdString(note);
        status_->setText(text);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, windowTitle(), QString::fromUtf8(e.what()));
    }
}

void TrainLoraDialog::pause()
{
    if (worker_)
        worker_->requestStop();
    status_->setText(tr("Pausing after the current step…"));
}

void TrainLoraDialog::cancel()
{
    cancelling_ = true;
    pause();
}

void TrainLoraDialog::setRunning(bool running)
{
    train_->setEnabled(!running);
    pause_->setEnabled(running);
    cancel_->setEnabled(running);
    resume_->setEnabled(!running && !checkpoint_.isEmpty());
    for (QWidget* w : std::initializer_list<QWidget*>{folder_, pictures_, token_, initFrom_, caption_, rank_,
                                                      resolution_, buckets_, batch_, output_})
        w->setEnabled(!running);
}

void TrainLoraDialog::onProgress(int update, int updates, double loss, double lr, double eta, const QString& message)
{
    if (!message.isEmpty()) {
        status_->setText(message);
        return;
    }
    progress_->setValue(update);
    lossSeries_->append(update, loss);
    maxLoss_ = std::max(maxLoss_, loss);
    lossX_->setRange(0, std::max(updates, 1));
    lossY_->setRange(0, maxLoss_ * 1.1);
    status_->setText(tr("Update %1 of %2 · loss %3 · lr %4 · %5 left")
                         .arg(update)
                         .arg(updates)
                         .arg(loss, 0, 'f', 5)
                         .arg(lr, 0, 'g', 3)
                         .arg(trainDuration(eta)));
}

void TrainLoraDialog::onFinished(const QString& lora, bool stopped, const QString& checkpoint, double before,
                                 double after)
{
    lora_ = lora;
    checkpoint_ = stopped && !cancelling_ ? checkpoint : QString();
    setRunning(false);
    load_->setEnabled(true);
    export_->setEnabled(true);
    if (stopped)
        status_->setText(cancelling_ ? tr("Cancelled. The LoRA so far is in %1.").arg(lora)
                                     : tr("Paused. Resume continues from %1.").arg(checkpoint));
    else
        status_->setText(tr("Done: %1 (held-out loss %2 → %3)").arg(lora).arg(before, 0, 'f', 5).arg(after, 0, 'f', 5));
}

void TrainLoraDialog::onFailed(const QString& message)
{
    setRunning(false);
    status_->setText(message);
    QMessageBox::warning(this, windowTitle(), message);
}

void TrainLoraDialog::closeEvent(QCloseEvent* event)
{
    if (worker_ && worker_->isRunning()) {
        const auto answer = QMessageBox::question(
            this, windowTitle(), tr("Training is running. Stop it (a checkpoint is written) and close?"));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    worker_.reset(); // stops after the current step and joins the thread
    QDialog::closeEvent(event);
}

} // namespace kaskade::ui
