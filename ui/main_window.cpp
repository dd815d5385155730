#include "ui/main_window.h"

#include "app/core/model_hash.h"
#include "app/core/prompt_loras.h"
#include "ui/error_text.h"
#include "ui/gallery_model.h"
#include "ui/gallery_panel.h"
#include "ui/generation_controller.h"
#include "ui/image_input_panel.h"
#include "ui/lora_panel.h"
#include "ui/model_controller.h"
#include "ui/parameter_panel.h"
#include "ui/preview_pane.h"
#include "ui/prompt_editor.h"
#include "ui/queue_panel.h"
#include "ui/theme.h"
#include "ui/wheel_guard.h"

#include "pipeline/text/prompt_parser.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace kaskade::ui {

namespace keys = core::keys;

MainWindow::MainWindow(core::EngineHooks hooks, QWidget* parent)
    : QMainWindow(parent), controller_(new GenerationController(std::move(hooks), this)),
      model_(new ModelController(controller_, settings_, this)), gallery_(new GalleryModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Kaskade"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));
    setAcceptDrops(true);
    applyTheme(settings_.value(keys::theme));
    controller_->setOutputFolder(settings_.outputFolder());
    controller_->setThreads(settings_.value(keys::threads));
    createActions();
    createLayout();
    createMenus();
    connectAll();
    restoreState();
    updateActions();
    updateModelStatus();
    updateQueueStatus();
    applyPaletteColors();
    // After the constructor, so that a test or main() can connect to the signals first.
    QTimer::singleShot(0, this, [this] {
        model_->loadInitial();
        rescanGallery();
    });
}

MainWindow::~MainWindow()
{
    controller_->shutdown();
    stopHashing_->store(true);
    for (QThread* thread : {scanThread_.data(), tokenizerThread_.data(), checkpointThread_.data(), hashThread_.data()})
        if (thread)
            thread->wait();
}

int MainWindow::addSidePanel(QWidget* panel, const QString& title)
{
    guardWheel(panel);
    return sideTabs_->addTab(panel, title);
}

void MainWindow::createLayout()
{
    prompt_ = new PromptEditor(this);
    params_ = new ParameterPanel(this);
    preview_ = new PreviewPane(this);
    queue_ = new QueuePanel(controller_, this);
    galleryPanel_ = new GalleryPanel(gallery_, this);
    loraPanel_ = new LoraPanel(model_, this);
    galleryPanel_->setActions({saveAs_, copyImage_, copyParameters_, reuseParameters_, deleteImage_, openFolder_});
    galleryPanel_->view()->addAction(viewImage_);
    galleryPanel_->view()->addAction(compare_);
    galleryPanel_->view()->addAction(undoDelete_);

    // Left: prompt, Generate button, then tabs: parameters (scrolling), LoRAs, and what features add.
    auto* generateButton = new QPushButton(this);
    generateButton->setObjectName(QStringLiteral("generateButton"));
    generateButton->setText(tr("Generate"));
    setThemedIcon(generateButton, QStringLiteral("generate"), palette());
    generateButton->setToolTip(generate_->toolTip());
    generateButton->setMinimumHeight(36);
    connect(generateButton, &QPushButton::clicked, generate_, &QAction::trigger);
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("parameterScroll"));
    scroll->setWidget(params_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    guardWheel(params_); // the wheel scrolls the panel; it changes a field only when that field has focus
    auto* loraScroll = new QScrollArea(this);
    loraScroll->setWidget(loraPanel_);
    loraScroll->setWidgetResizable(true);
    loraScroll->setFrameShape(QFrame::NoFrame);
    sideTabs_ = new QTabWidget(this);
    sideTabs_->setObjectName(QStringLiteral("sideTabs"));
    sideTabs_->setDocumentMode(true);
    sideTabs_->addTab(scroll, tr("Parameters"));
    sideTabs_->addTab(loraScroll, tr("LoRAs"));
    connect(model_, &ModelController::lorasChanged, this, [this] {
        const int n = int(model_->loras().size());
        sideTabs_->setTabText(1, n == 0 ? tr("LoRAs") : tr("LoRAs (%1)").arg(n));
    });
    // Image inputs (image to image, variations, ControlNets) in a tab of their own; the gallery's context
    // actions send the selected picture there.
    imageInputs_ = new ImageInputPanel(this);
    auto* imageScroll = new QScrollArea(this);
    imageScroll->setObjectName(QStringLiteral("imageInputScroll"));
    imageScroll->setWidget(imageInputs_);
    imageScroll->setWidgetResizable(true);
    imageScroll->setFrameShape(QFrame::NoFrame);
    guardWheel(imageInputs_);
    sideTabs_->addTab(imageScroll, imageInputs_->tabTitle());
    imageInputs_->setImageSource([this] { return selectedPaths().value(0); });
    galleryPanel_->view()->addActions(imageInputs_->galleryActions());
    connect(imageInputs_, &ImageInputPanel::changed, this,
            [this, imageScroll] { sideTabs_->setTabText(sideTabs_->indexOf(imageScroll), imageInputs_->tabTitle()); });
    connect(imageInputs_, &ImageInputPanel::activated, this,
            [this, imageScroll] { sideTabs_->setCurrentWidget(imageScroll); });
    connect(imageInputs_, &ImageInputPanel::downloadRequested, download_, &QAction::trigger);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(prompt_, 2);
    leftLayout->addWidget(generateButton);
    leftLayout->addWidget(sideTabs_, 5);
    // Wide enough for the longest translated labels: the parameter column never scrolls sideways.
    left->setMinimumWidth(
        std::max(340, params_->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() + 24));

    // Centre: first-start banner, preview, queue.
    demoBanner_ = new QFrame(this);
    demoBanner_->setObjectName(QStringLiteral("demoBanner"));
    demoBanner_->setFrameShape(QFrame::StyledPanel);
    auto* bannerText = new QLabel(demoBanner_);
    bannerText->setObjectName(QStringLiteral("demoBannerText"));
    bannerText->setWordWrap(true);
    bannerText->setTextFormat(Qt::RichText);
    bannerText->setOpenExternalLinks(true);
    bannerText->setText(
        tr("<b>Demo model: it draws noise.</b> No Stable Cascade weights were found, so Kaskade loaded a model with "
           "random weights to show how everything works. To make real images, download the weights from Hugging "
           "Face (<a href=\"https://huggingface.co/stabilityai/stable-cascade\">stabilityai/stable-cascade</a>; "
           "non-commercial licence) with Model ▸ Download Stable Cascade…, or open a folder that has them."));
    auto* bannerOpen = new QPushButton(tr("Open model folder…"), demoBanner_);
    bannerOpen->setObjectName(QStringLiteral("bannerOpenModelFolder"));
    connect(bannerOpen, &QPushButton::clicked, openModelFolder_, &QAction::trigger);
    auto* bannerDownload = new QPushButton(tr("Download…"), demoBanner_);
    bannerDownload->setObjectName(QStringLiteral("bannerDownload"));
    connect(bannerDownload, &QPushButton::clicked, download_, &QAction::trigger);
    auto* bannerButtons = new QVBoxLayout;
    bannerButtons->addWidget(bannerOpen);
    bannerButtons->addWidget(bannerDownload);
    auto* bannerLayout = new QHBoxLayout(demoBanner_);
    bannerLayout->addWidget(bannerText, 1);
    bannerLayout->addLayout(bannerButtons);
    demoBanner_->hide();

    auto* previewBox = new QWidget(this);
    auto* previewLayout = new QVBoxLayout(previewBox);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    previewLayout->addWidget(demoBanner_);
    previewLayout->addWidget(preview_, 1);
    centerSplitter_ = new QSplitter(Qt::Vertical, this);
    centerSplitter_->setObjectName(QStringLiteral("centerSplitter"));
    centerSplitter_->addWidget(previewBox);
    centerSplitter_->addWidget(queue_);
    centerSplitter_->setStretchFactor(0, 5);
    centerSplitter_->setStretchFactor(1, 1);
    centerSplitter_->setChildrenCollapsible(false);

    mainSplitter_ = new QSplitter(Qt::Horizontal, this);
    mainSplitter_->setObjectName(QStringLiteral("mainSplitter"));
    mainSplitter_->addWidget(left);
    mainSplitter_->addWidget(centerSplitter_);
    mainSplitter_->addWidget(galleryPanel_);
    mainSplitter_->setStretchFactor(0, 2);
    mainSplitter_->setStretchFactor(1, 4);
    mainSplitter_->setStretchFactor(2, 2);
    mainSplitter_->setChildrenCollapsible(false);
    mainSplitter_->setSizes({380, 760, 360});
    centerSplitter_->setSizes({700, 160});
    setCentralWidget(mainSplitter_);

    // The queue count lives here permanently and follows every queue change (a transient message would go stale).
    queueStatus_ = new QLabel(this);
    queueStatus_->setObjectName(QStringLiteral("queueStatus"));
    queueStatus_->setContentsMargins(0, 0, 16, 0); // the status bar draws no separator: keep it off the model text
    statusBar()->addPermanentWidget(queueStatus_);
    modelStatus_ = new QLabel(this);
    modelStatus_->setObjectName(QStringLiteral("modelStatus"));
    statusBar()->addPermanentWidget(modelStatus_);
    preview_->setPlaceholder(tr("Type a prompt and press Ctrl+Return.\nThe image forms here step by step."));
}

void MainWindow::applyPaletteColors()
{
    const BannerColors colors = bannerColors(palette());
    demoBanner_->setStyleSheet(
        QStringLiteral("#demoBanner { background: %1; border: 1px solid %2; border-radius: 4px; }"
                       " #demoBanner QLabel { color: %3; }")
            .arg(colors.background.name(), colors.border.name(), colors.text.name()));
    refreshThemedIcons(this, palette());
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPaletteColors();
    QMainWindow::changeEvent(event);
}

void MainWindow::connectAll()
{
    // Actions.
    connect(generate_, &QAction::triggered, this, &MainWindow::generate);
    connect(cancel_, &QAction::triggered, controller_, &GenerationController::cancel);
    connect(preview_, &PreviewPane::cancelRequested, controller_, &GenerationController::cancel);
    connect(randomSeed_, &QAction::triggered, params_, &ParameterPanel::randomizeSeed);
    connect(resetParameters_, &QAction::triggered, params_, &ParameterPanel::resetToDefaults);
    connect(openModelFolder_, &QAction::triggered, this, &MainWindow::openModelFolder);
    connect(download_, &QAction::triggered, this, &MainWindow::showDownloadDialog);
    connect(loadStageC_, &QAction::triggered, this, [this] { loadCheckpoint(true); });
    connect(loadStageB_, &QAction::triggered, this, [this] { loadCheckpoint(false); });
    connect(loadLora_, &QAction::triggered, this, &MainWindow::loadLora);
    connect(loraPanel_, &LoraPanel::addRequested, this, &MainWindow::loadLora);
    connect(clearLoras_, &QAction::triggered, model_, &ModelController::clearLoras);
    connect(useDemoModel_, &QAction::triggered, model_, &ModelController::useDemo);
    connect(openImage_, &QAction::triggered, this, &MainWindow::openImage);
    connect(saveAs_, &QAction::triggered, this, &MainWindow::saveSelectedAs);
    connect(copyImage_, &QAction::triggered, this, &MainWindow::copySelectedImage);
    connect(copyParameters_, &QAction::triggered, this, &MainWindow::copySelectedParameters);
    connect(reuseParameters_, &QAction::triggered, this, &MainWindow::reuseSelectedParameters);
    connect(viewImage_, &QAction::triggered, this, [this] { openViewer(galleryPanel_->currentRow()); });
    connect(compare_, &QAction::triggered, this, &MainWindow::compareSelected);
    connect(deleteImage_, &QAction::triggered, this, &MainWindow::deleteSelected);
    connect(undoDelete_, &QAction::triggered, this, &MainWindow::undoDelete);
    connect(openFolder_, &QAction::triggered, this, &MainWindow::openOutputFolder);
    connect(preferences_, &QAction::triggered, this, &MainWindow::showPreferences);
    connect(quit_, &QAction::triggered, this, &QWidget::close);
    connect(about_, &QAction::triggered, this, &MainWindow::showAbout);
    connect(aboutQt_, &QAction::triggered, qApp, &QApplication::aboutQt);

    // Controller → panels.
    connect(controller_, &GenerationController::stateChanged, this, &MainWindow::updateActions);
    connect(controller_, &GenerationController::stateChanged, this, &MainWindow::updateModelStatus);
    connect(controller_, &GenerationController::stateChanged, this, &MainWindow::updateQueueStatus);
    connect(controller_, &GenerationController::queueChanged, this, &MainWindow::updateActions);
    connect(controller_, &GenerationController::queueChanged, this, &MainWindow::updateQueueStatus);
    connect(controller_, &GenerationController::jobStarted, this, [this](quint64, const GenerationParams& p) {
        preview_->jobStarted(describeJob(p));
        queue_->setRunningCaption(describeJob(p));
    });
    connect(controller_, &GenerationController::progress, preview_,
            [this](quint64, const core::ProgressInfo& info) { preview_->showProgress(info); });
    connect(controller_, &GenerationController::preview, preview_,
            [this](quint64, const QImage& image, int step, int steps) { preview_->showPreview(image, step, steps); });
    connect(controller_, &GenerationController::jobFinished, this, &MainWindow::onJobFinished);
    connect(controller_, &GenerationController::jobCancelled, this, [this] {
        preview_->jobEnded(tr("Cancelled"));
        queue_->setRunningCaption({});
    });
    connect(controller_, &GenerationController::jobFailed, this, [this](quint64, const core::ErrorReport& error) {
        preview_->jobEnded(tr("Failed: %1").arg(errorAdvice(error.code, error.message)));
        queue_->setRunningCaption({});
        showError(this, tr("Generation failed"), error.code, error.message);
        // A missing effnet / image encoder / ControlNet file: named in the Image tab with a download link.
        if (imageInputs_->hasImage() &&
            (error.code == ErrorCode::FileNotFound || error.code == ErrorCode::BadCheckpoint))
            imageInputs_->showProblem(error.message);
    });
    connect(controller_, &GenerationController::modelLoading, this, [this] {
        preview_->jobStarted(QString());
        preview_->statusLabel()->setText(tr("Loading the model…"));
        demoBanner_->hide();
        updateModelStatus();
    });
    connect(controller_, &GenerationController::modelLoaded, this, [this](const ModelInfo& info) {
        preview_->jobEnded(info.demo ? tr("Demo model loaded (it draws noise)") : tr("Model loaded"));
        demoBanner_->setVisible(info.demo);
        updateModelStatus();
        loadTokenizer(info);
        scanCheckpointsInBackground();
        hashModelInBackground(info);
    });
    connect(controller_, &GenerationController::modelLoadFailed, this, [this] {
        preview_->jobEnded(model_->loading() ? tr("Loading the previous model again…") : tr("No model loaded"));
        updateModelStatus();
    });
    connect(model_, &ModelController::failed, this,
            [this](const QString& headline, const QString& advice, const core::ErrorReport& error, bool kept) {
                showError(this, headline,
                          kept ? advice + QLatin1Char(' ') + tr("The previous model stays loaded.") : advice,
                          error.message);
            });
    connect(model_, &ModelController::restored, this, [this] {
        // A device the model could not move to is not kept in the panel either.
        params_->setPlacement(model_->spec().device, model_->spec().precision);
    });

    // Gallery.
    connect(galleryPanel_, &GalleryPanel::currentChanged, this, &MainWindow::showSelected);
    connect(galleryPanel_, &GalleryPanel::activated, this, &MainWindow::openViewer);
    connect(galleryPanel_, &GalleryPanel::gridModeChanged, this, [this](bool grid) {
        settings_.setValue(keys::galleryView, grid ? QStringLiteral("grid") : QStringLiteral("list"));
    });
    connect(galleryPanel_->view()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
}

void MainWindow::updateActions()
{
    const bool running = controller_->busy();
    const QStringList selected = selectedPaths();
    cancel_->setEnabled(controller_->state() == GenerationController::State::Generating ||
                        controller_->state() == GenerationController::State::Loading);
    generate_->setText(running ? tr("&Queue") : tr("&Generate"));
    for (QAction* action : {saveAs_, copyImage_, copyParameters_, reuseParameters_, viewImage_})
        action->setEnabled(!selected.isEmpty() && galleryPanel_->currentRow() >= 0);
    compare_->setEnabled(selected.size() == 2);
    deleteImage_->setEnabled(!selected.isEmpty());
    undoDelete_->setEnabled(!lastDeleted_.isEmpty());
    for (QAction* action : imageInputs_->galleryActions()) // one picture to the Image tab
        action->setEnabled(selected.size() == 1);
    if (!running)
        queue_->setRunningCaption({});
}

void MainWindow::updateQueueStatus()
{
    const int waiting = int(controller_->queue().size());
    queueStatus_->setText(waiting == 0 ? QString() : tr("Queued: %n job(s) waiting", nullptr, waiting));
    queueStatus_->setVisible(waiting > 0);
}

void MainWindow::updateModelStatus()
{
    const ModelInfo& info = controller_->modelInfo();
    QString text;
    if (controller_->state() == GenerationController::State::Loading || model_->loading())
        text = tr("Loading model…");
    else if (!info.loaded)
        text = tr("No model loaded");
    else {
        // Built from the parts rather than the engine's English summary, so that it can be translated.
        const QString device =
            info.device == "cpu" ? tr("CPU") : tr("CUDA %1").arg(QString::fromStdString(info.device).mid(5));
        QStringList parts;
        if (info.demo)
            parts << tr("Demo model (draws noise)");
        if (!info.stageCVariant.empty())
            parts << tr("Stage C %1").arg(QString::fromStdString(info.stageCVariant));
        if (!info.stageBVariant.empty())
            parts << tr("Stage B %1").arg(QString::fromStdString(info.stageBVariant));
        if (!info.dtype.empty())
            parts << QString::fromStdString(info.dtype);
        if (!info.device.empty())
            parts << device;
        if (!info.loras.empty())
            parts << tr("%n LoRA(s)", nullptr, int(info.loras.size()));
        text = parts.isEmpty() ? QString::fromStdString(info.summary) : parts.join(QStringLiteral(" · "));
        if (text.isEmpty())
            text = tr("Model loaded");
        if (info.memoryBytes > 0)
            text += tr(" · %1 in memory").arg(QLocale().formattedDataSize(qint64(info.memoryBytes)));
    }
    modelStatus_->setText(text);
    modelStatus_->setToolTip(QString::fromStdString(info.summary));
}

void MainWindow::restoreState()
{
    if (!restoreGeometry(settings_.bytes(QStringLiteral("window/geometry"))))
        resize(1500, 920);
    mainSplitter_->restoreState(settings_.bytes(QStringLiteral("window/mainSplitter")));
    centerSplitter_->restoreState(settings_.bytes(QStringLiteral("window/centerSplitter")));
    QMainWindow::restoreState(settings_.bytes(QStringLiteral("window/state")));
    params_->load(settings_);
    // A stored value this version does not know (a sampler chosen in a newer Kaskade) is kept; say so.
    if (const QStringList problems = settings_.problems(); !problems.isEmpty())
        statusBar()->showMessage(
            tr("Settings this version does not know use their defaults: %1").arg(problems.join(QStringLiteral("; "))),
            15000);
    prompt_->setPrompt(settings_.value(keys::prompt));
    prompt_->setNegativePrompt(settings_.value(keys::negativePrompt));
    prompt_->setHistory(settings_.promptHistory());
    galleryPanel_->setGridMode(settings_.value(keys::galleryView) != QLatin1String("list"));
}

void MainWindow::saveState()
{
    settings_.setBytes(QStringLiteral("window/geometry"), saveGeometry());
    settings_.setBytes(QStringLiteral("window/state"), QMainWindow::saveState());
    settings_.setBytes(QStringLiteral("window/mainSplitter"), mainSplitter_->saveState());
    settings_.setBytes(QStringLiteral("window/centerSplitter"), centerSplitter_->saveState());
    params_->save(settings_);
    settings_.setValue(keys::prompt, prompt_->prompt());
    settings_.setValue(keys::negativePrompt, prompt_->negativePrompt());
    settings_.sync();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveState();
    controller_->shutdown(); // cancels the running job, quits the worker thread and waits for it
    event->accept();
}

void MainWindow::generate()
{
    GenerationParams p = params_->params();
    const QString prompt = prompt_->prompt();
    if (!applyPromptLoras(prompt))
        return;
    // <lora:…> tags chose the LoRAs above; the worker keeps them from the text encoder and in the metadata.
    p.prompt = prompt.toStdString();
    p.negativePrompt = prompt_->negativePrompt().toStdString();
    if (const QString problem = imageInputs_->applyTo(p.images); !problem.isEmpty()) {
        showError(this, tr("Cannot start the job"), ErrorCode::InvalidArgument, problem);
        return;
    }
    settings_.addPromptHistory(prompt);
    prompt_->setHistory(settings_.promptHistory());
    saveState();
    controller_->setOutputFolder(settings_.outputFolder());
    // Device or precision changed in the panel: reload first; the job waits for the load (and runs on the
    // previous model if the change fails).
    model_->setDevice(params_->device(), params_->precision());
    controller_->enqueue(p);
    if (!controller_->modelReady() && controller_->state() != GenerationController::State::Loading)
        statusBar()->showMessage(tr("The job waits until a model is loaded (Model ▸ Open model folder…)."), 8000);
}

void MainWindow::onJobFinished(quint64, const core::JobResult& result)
{
    QStringList problems;
    QList<QImage> images;
    for (const core::FinishedImage& image : result.images) {
        core::GalleryEntry entry;
        entry.path = image.path;
        entry.thumbnail = image.thumbnail;
        entry.imageSize = image.image.size();
        entry.created = QDateTime::currentDateTime();
        entry.record = image.record;
        images << (image.display.isNull() ? image.image : image.display);
        if (!image.saveError.isEmpty())
            problems << image.saveError;
        else
            gallery_->prepend(std::move(entry), image.image);
    }
    if (!result.images.isEmpty()) {
        const core::FinishedImage& first = result.images.first();
        GenerationParams shown = first.record.params;
        shown.batch = int(result.images.size()); // the caption counts the whole batch
        preview_->showImages(images, describeJob(shown));
        params_->showUsedSeed(first.record.seed);
    }
    const int n = int(result.images.size());
    QString message = tr("Finished %n image(s) in %1 s", nullptr, n).arg(QLocale().toString(result.seconds, 'f', 1));
    if (!result.notes.isEmpty())
        message += QStringLiteral(" (") + result.notes.join(QStringLiteral("; ")) + QLatin1Char(')');
    preview_->jobEnded(message);
    queue_->setRunningCaption({});
    if (!problems.isEmpty())
        showError(this, tr("The image could not be saved"), ErrorCode::FileIo, problems.join(QLatin1Char('\n')));
}

void MainWindow::rescanGallery()
{
    if (scanThread_)
        return;
    const QString folder = settings_.outputFolder();
    QPointer<MainWindow> self(this);
    scanThread_ = QThread::create([folder, self] {
        std::vector<core::GalleryEntry> entries = core::GalleryStore(folder).scan();
        if (self)
            QMetaObject::invokeMethod(
                self.data(),
                [self, entries = std::move(entries)]() mutable {
                    if (!self)
                        return;
                    self->gallery_->append(std::move(entries));
                    Q_EMIT self->galleryScanned();
                },
                Qt::QueuedConnection);
    });
    scanThread_->setObjectName(QStringLiteral("kaskade-gallery-scan"));
    connect(scanThread_, &QThread::finished, scanThread_, &QObject::deleteLater);
    scanThread_->start(QThread::LowPriority);
}

// The token counter switches to the model's own tokenizer, read off the GUI thread (the vocabulary is large).
void MainWindow::loadTokenizer(const ModelInfo& info)
{
    std::string path = model_->spec().directory;
    for (const ModelFileInfo& file : info.files)
        if (file.role == Role::Tokenizer)
            path = file.path;
    if (path.empty() || tokenizerThread_)
        return;
    QPointer<MainWindow> self(this);
    tokenizerThread_ = QThread::create([path, self] {
        std::shared_ptr<text::ClipTokenizer> tokenizer;
        try {
            tokenizer = std::make_shared<text::ClipTokenizer>(text::ClipTokenizer::load(path));
        } catch (const std::exception&) {
            return; // keep the approximate count
        }
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, tokenizer] {
                if (self)
                    self->prompt_->setTokenCounter([tokenizer](const QString& prompt) {
                        return text::countTokens(*tokenizer, prompt.toStdString(), true);
                    });
            },
            Qt::QueuedConnection);
    });
    tokenizerThread_->setObjectName(QStringLiteral("kaskade-tokenizer"));
    connect(tokenizerThread_, &QThread::finished, tokenizerThread_, &QObject::deleteLater);
    tokenizerThread_->start(QThread::LowPriority);
}

// The Stage C file's AutoV2 hash for the metadata ("Model hash"), once per file: minutes of reading for the
// largest checkpoints, so never on the GUI or the generation thread.
void MainWindow::hashModelInBackground(const ModelInfo& info)
{
    QString path;
    for (const ModelFileInfo& file : info.files)
        if (file.role == Role::StageC)
            path = QString::fromStdString(file.path);
    if (path.isEmpty() || hashThread_ || core::ModelHashes::cached(path))
        return;
    QPointer<MainWindow> self(this);
    hashThread_ = QThread::create([self, path, stop = stopHashing_] {
        const QString hash = core::ModelHashes::compute(path, [stop] { return stop->load(); });
        QMetaObject::invokeMethod(
            qApp,
            [self, hash] {
                if (self && !hash.isEmpty())
                    Q_EMIT self->modelHashed(hash);
            },
            Qt::QueuedConnection);
    });
    hashThread_->setObjectName(QStringLiteral("kaskade-model-hash"));
    connect(hashThread_, &QThread::finished, hashThread_, &QObject::deleteLater);
    hashThread_->start(QThread::LowestPriority);
}

// Stage B/C checkpoints and LoRAs below the model folder: read off the GUI thread (each file's header is
// parsed), for the Checkpoints menu and for <lora:name> in prompts.
void MainWindow::scanCheckpointsInBackground()
{
    const QString folder = model_->demo() ? QString() : QString::fromStdString(model_->spec().directory);
    if (checkpointThread_ || (folder == checkpointsFolder_ && checkpointsReady_))
        return;
    checkpointsReady_ = false;
    checkpointsFolder_ = folder;
    QPointer<MainWindow> self(this);
    checkpointThread_ = QThread::create([folder, self] {
        std::vector<CheckpointEntry> entries;
        try {
            if (!folder.isEmpty())
                entries = scanCheckpoints(folder.toStdString());
        } catch (const std::exception&) {
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, folder, entries = std::move(entries)]() mutable {
                if (!self || self->checkpointsFolder_ != folder)
                    return;
                self->checkpoints_ = std::move(entries);
                self->checkpointsReady_ = true;
                Q_EMIT self->checkpointsScanned();
            },
            Qt::QueuedConnection);
    });
    checkpointThread_->setObjectName(QStringLiteral("kaskade-checkpoint-scan"));
    connect(checkpointThread_, &QThread::finished, checkpointThread_, &QObject::deleteLater);
    connect(checkpointThread_, &QThread::finished, this, [this] {
        checkpointThread_.clear(); // deleted later; a new scan may start now
        // The model folder may have changed while scanning: scan the new one.
        QTimer::singleShot(0, this, &MainWindow::scanCheckpointsInBackground);
    });
    checkpointThread_->start(QThread::LowPriority);
}

} // namespace kaskade::ui
