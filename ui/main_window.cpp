#include "ui/main_window.h"

#include "ui/error_text.h"
#include "ui/gallery_model.h"
#include "ui/gallery_panel.h"
#include "ui/generation_controller.h"
#include "ui/parameter_panel.h"
#include "ui/preview_pane.h"
#include "ui/prompt_editor.h"
#include "ui/queue_panel.h"

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
#include <QMenuBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStatusBar>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace kaskade::ui {

namespace keys = core::keys;

MainWindow::MainWindow(core::EngineHooks hooks, QWidget* parent)
    : QMainWindow(parent), controller_(new GenerationController(std::move(hooks), this)),
      gallery_(new GalleryModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Kaskade"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/app.svg")));
    setAcceptDrops(true);
    controller_->setOutputFolder(settings_.outputFolder());
    controller_->setThreads(settings_.value(keys::threads));
    createActions();
    createLayout();
    createMenus();
    connectAll();
    restoreState();
    updateActions();
    updateModelStatus();
    // After the constructor, so that a test or main() can connect to the signals first.
    QTimer::singleShot(0, this, [this] {
        loadInitialModel();
        rescanGallery();
    });
}

MainWindow::~MainWindow()
{
    controller_->shutdown();
    if (scanThread_)
        scanThread_->wait();
    if (tokenizerThread_)
        tokenizerThread_->wait();
}

void MainWindow::createActions()
{
    const auto make = [this](const char* name, const QString& text, const QString& icon, const QKeySequence& key,
                             const QString& tip) {
        auto* action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        if (!icon.isEmpty())
            action->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)));
        if (!key.isEmpty())
            action->setShortcut(key);
        action->setToolTip(key.isEmpty() ? tip : tr("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        action->setStatusTip(tip);
        return action;
    };
    generate_ = make("actionGenerate", tr("&Generate"), "generate", QKeySequence(Qt::CTRL | Qt::Key_Return),
                     tr("Generate an image from the prompt; while a job runs, queue another"));
    generate_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    cancel_ = make("actionCancel", tr("&Cancel"), "cancel", QKeySequence(Qt::Key_Escape),
                   tr("Stop the running job after the current step"));
    randomSeed_ = make("actionRandomSeed", tr("New random &seed"), "dice", QKeySequence(Qt::CTRL | Qt::Key_R),
                       tr("Draw a new random seed"));
    resetParameters_ = make("actionResetParameters", tr("&Reset parameters to defaults"), "reset", {},
                            tr("Official defaults for size, steps, CFG, shift and sampler"));
    openModelFolder_ = make("actionOpenModelFolder", tr("&Open model folder…"), "folder-model", QKeySequence::Open,
                            tr("Load Stable Cascade weights from a folder (official, diffusers or ComfyUI layout)"));
    download_ = make("actionDownloadModel", tr("&Download Stable Cascade…"), "download", {},
                     tr("Download the official weights from Hugging Face (resumable)"));
    loadStageC_ = make("actionLoadStageC", tr("Load Stage &C checkpoint…"), "", {},
                       tr("Replace Stage C with a fine-tuned .safetensors file"));
    loadStageB_ = make("actionLoadStageB", tr("Load Stage &B checkpoint…"), "", {},
                       tr("Replace Stage B with a fine-tuned .safetensors file"));
    loadLora_ = make("actionLoadLora", tr("Load &LoRA…"), "", {},
                     tr("Merge a Stage C LoRA (official, OneTrainer or kohya format) with a strength from -2 to 2"));
    clearLoras_ = make("actionClearLoras", tr("&Remove LoRAs"), "", {},
                       tr("Take every LoRA off again: the base weights are restored exactly"));
    useDemoModel_ = make("actionUseDemoModel", tr("Use &demo model"), "", {},
                         tr("Random weights that draw noise: for trying the app without the real weights"));
    saveAs_ = make("actionSaveAs", tr("&Save image as…"), "save", QKeySequence::SaveAs,
                   tr("Save the selected image as PNG with its parameters"));
    saveAs_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_S)});
    copyImage_ = make("actionCopyImage", tr("&Copy image"), "copy", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
                      tr("Copy the selected image to the clipboard"));
    copyParameters_ =
        make("actionCopyParameters", tr("Copy &parameters"), "copy-text", QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C),
             tr("Copy the selected image's parameters as text (A1111 format)"));
    reuseParameters_ =
        make("actionReuseParameters", tr("&Reuse parameters"), "reuse", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
             tr("Fill the prompt and every parameter from the selected image"));
    deleteImage_ = make("actionDeleteImage", tr("&Delete"), "delete", QKeySequence::Delete,
                        tr("Move the selected images to the trash"));
    deleteImage_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    openFolder_ = make("actionOpenOutputFolder", tr("Open output &folder"), "folder",
                       QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), tr("Show the folder the images are saved in"));
    preferences_ = make("actionPreferences", tr("&Preferences…"), "settings", QKeySequence::Preferences,
                        tr("Output folder, model folder, device, language"));
    if (preferences_->shortcut().isEmpty())
        preferences_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    quit_ = make("actionQuit", tr("&Quit"), "", QKeySequence(Qt::CTRL | Qt::Key_Q), tr("Quit Kaskade"));
    about_ = make("actionAbout", tr("&About Kaskade"), "", {}, tr("Versions and licences"));
    aboutQt_ = make("actionAboutQt", tr("About &Qt"), "", {}, tr("Qt version and licence"));
    for (QAction* action : {generate_, cancel_, randomSeed_, quit_})
        action->setShortcutContext(Qt::WindowShortcut);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(saveAs_);
    file->addAction(openFolder_);
    file->addSeparator();
    file->addAction(preferences_);
    file->addSeparator();
    file->addAction(quit_);

    QMenu* generateMenu = menuBar()->addMenu(tr("&Generate"));
    generateMenu->addAction(generate_);
    generateMenu->addAction(cancel_);
    generateMenu->addSeparator();
    generateMenu->addAction(randomSeed_);
    generateMenu->addAction(resetParameters_);

    QMenu* image = menuBar()->addMenu(tr("&Image"));
    for (QAction* action : {copyImage_, copyParameters_, reuseParameters_, deleteImage_})
        image->addAction(action);

    QMenu* model = menuBar()->addMenu(tr("&Model"));
    model->setObjectName(QStringLiteral("modelMenu"));
    model->setToolTipsVisible(true);
    model->addAction(openModelFolder_);
    model->addAction(download_);
    recentMenu_ = model->addMenu(tr("&Recent models"));
    recentMenu_->setObjectName(QStringLiteral("recentModelsMenu"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    model->addSeparator();
    model->addAction(loadStageC_);
    model->addAction(loadStageB_);
    model->addAction(loadLora_);
    model->addAction(clearLoras_);
    checkpointsMenu_ = model->addMenu(tr("Checkpoints in the model &folder"));
    checkpointsMenu_->setObjectName(QStringLiteral("checkpointsMenu"));
    connect(checkpointsMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildCheckpointsMenu);
    model->addSeparator();
    model->addAction(useDemoModel_);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(about_);
    help->addAction(aboutQt_);

    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setMovable(false);
    toolbar->addAction(generate_);
    toolbar->addAction(cancel_);
    toolbar->addSeparator();
    toolbar->addAction(openModelFolder_);
    toolbar->addAction(openFolder_);
    toolbar->addAction(preferences_);
}

void MainWindow::createLayout()
{
    prompt_ = new PromptEditor(this);
    params_ = new ParameterPanel(this);
    preview_ = new PreviewPane(this);
    queue_ = new QueuePanel(controller_, this);
    galleryPanel_ = new GalleryPanel(gallery_, this);
    galleryPanel_->setActions({saveAs_, copyImage_, copyParameters_, reuseParameters_, deleteImage_, openFolder_});
    galleryPanel_->view()->addAction(deleteImage_);

    // Left: prompt, Generate button, parameters (scrolling).
    auto* generateButton = new QPushButton(this);
    generateButton->setObjectName(QStringLiteral("generateButton"));
    generateButton->setText(tr("Generate"));
    generateButton->setIcon(generate_->icon());
    generateButton->setToolTip(generate_->toolTip());
    generateButton->setMinimumHeight(36);
    connect(generateButton, &QPushButton::clicked, generate_, &QAction::trigger);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(params_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(prompt_, 2);
    leftLayout->addWidget(generateButton);
    leftLayout->addWidget(scroll, 5);
    // Wide enough for the longest translated labels: the parameter column never scrolls sideways.
    left->setMinimumWidth(
        std::max(340, params_->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() + 24));

    // Centre: first-start banner, preview, queue.
    demoBanner_ = new QFrame(this);
    demoBanner_->setObjectName(QStringLiteral("demoBanner"));
    demoBanner_->setFrameShape(QFrame::StyledPanel);
    demoBanner_->setStyleSheet(QStringLiteral("#demoBanner { background: #fff4d6; border: 1px solid #e0b84c; "
                                              "border-radius: 4px; } #demoBanner QLabel { color: #4a3b00; }"));
    auto* bannerText = new QLabel(demoBanner_);
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

    modelStatus_ = new QLabel(this);
    modelStatus_->setObjectName(QStringLiteral("modelStatus"));
    statusBar()->addPermanentWidget(modelStatus_);
    preview_->setPlaceholder(tr("Type a prompt and press Ctrl+Return.\nThe image forms here step by step."));
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
    connect(clearLoras_, &QAction::triggered, this, [this] {
        ModelSpec spec = lastSpec_;
        spec.loras.clear();
        loadModel(spec, lastSpecDemo_);
    });
    connect(useDemoModel_, &QAction::triggered, this, [this] {
        settings_.setValue(keys::modelFolder, QString());
        loadInitialModel();
    });
    connect(saveAs_, &QAction::triggered, this, &MainWindow::saveSelectedAs);
    connect(copyImage_, &QAction::triggered, this, &MainWindow::copySelectedImage);
    connect(copyParameters_, &QAction::triggered, this, &MainWindow::copySelectedParameters);
    connect(reuseParameters_, &QAction::triggered, this, &MainWindow::reuseSelectedParameters);
    connect(deleteImage_, &QAction::triggered, this, &MainWindow::deleteSelected);
    connect(openFolder_, &QAction::triggered, this, &MainWindow::openOutputFolder);
    connect(preferences_, &QAction::triggered, this, &MainWindow::showPreferences);
    connect(quit_, &QAction::triggered, this, &QWidget::close);
    connect(about_, &QAction::triggered, this, &MainWindow::showAbout);
    connect(aboutQt_, &QAction::triggered, qApp, &QApplication::aboutQt);

    // Controller → panels.
    connect(controller_, &GenerationController::stateChanged, this, &MainWindow::updateActions);
    connect(controller_, &GenerationController::stateChanged, this, &MainWindow::updateModelStatus);
    connect(controller_, &GenerationController::queueChanged, this, &MainWindow::updateActions);
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
        preview_->jobEnded(tr("Failed: %1").arg(errorText(error.code)));
        queue_->setRunningCaption({});
        showError(this, tr("Generation failed"), error.code, error.message);
    });
    connect(controller_, &GenerationController::modelLoading, this, [this] {
        preview_->jobStarted(QString());
        preview_->statusLabel()->setText(tr("Loading the model…"));
        updateModelStatus();
    });
    connect(controller_, &GenerationController::modelLoaded, this, [this](const ModelInfo& info) {
        preview_->jobEnded(info.demo ? tr("Demo model loaded (it draws noise)") : tr("Model loaded"));
        demoBanner_->setVisible(info.demo);
        updateModelStatus();
        loadTokenizer(info);
    });
    connect(controller_, &GenerationController::modelLoadFailed, this, [this](const core::ErrorReport& error) {
        preview_->jobEnded(tr("No model loaded"));
        updateModelStatus();
        if (error.code != ErrorCode::Cancelled)
            showError(this, tr("The model could not be loaded"), error.code, error.message);
    });

    // Gallery.
    connect(galleryPanel_, &GalleryPanel::currentChanged, this, &MainWindow::showSelected);
    connect(galleryPanel_, &GalleryPanel::activated, this, [this] { reuseSelectedParameters(); });
    connect(galleryPanel_->view()->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
}

void MainWindow::updateActions()
{
    const bool running = controller_->busy();
    const bool selected = !selectedPaths().isEmpty();
    cancel_->setEnabled(controller_->state() == GenerationController::State::Generating ||
                        controller_->state() == GenerationController::State::Loading);
    generate_->setText(running ? tr("&Queue") : tr("&Generate"));
    for (QAction* action : {saveAs_, copyImage_, copyParameters_, reuseParameters_})
        action->setEnabled(selected && galleryPanel_->currentRow() >= 0);
    deleteImage_->setEnabled(selected);
    if (!running)
        queue_->setRunningCaption({});
}

void MainWindow::updateModelStatus()
{
    const ModelInfo& info = controller_->modelInfo();
    QString text;
    if (controller_->state() == GenerationController::State::Loading)
        text = tr("Loading model…");
    else if (!info.loaded)
        text = tr("No model loaded");
    else {
        // The engine's summary names the variant ("Stage C 3.6B · Stage B lite · bf16 · CUDA 0").
        text = QString::fromStdString(info.summary);
        if (text.isEmpty())
            text = info.demo ? tr("Demo model (draws noise)") : tr("Model loaded");
        if (info.memoryBytes > 0)
            text += tr(" · %1 in memory").arg(QLocale().formattedDataSize(qint64(info.memoryBytes)));
    }
    modelStatus_->setText(text);
}

void MainWindow::restoreState()
{
    if (!restoreGeometry(settings_.bytes(QStringLiteral("window/geometry"))))
        resize(1500, 920);
    mainSplitter_->restoreState(settings_.bytes(QStringLiteral("window/mainSplitter")));
    centerSplitter_->restoreState(settings_.bytes(QStringLiteral("window/centerSplitter")));
    QMainWindow::restoreState(settings_.bytes(QStringLiteral("window/state")));
    params_->load(settings_);
    prompt_->setPrompt(settings_.value(keys::prompt));
    prompt_->setNegativePrompt(settings_.value(keys::negativePrompt));
    prompt_->setHistory(settings_.promptHistory());
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
    p.prompt = prompt_->prompt().toStdString();
    p.negativePrompt = prompt_->negativePrompt().toStdString();
    settings_.addPromptHistory(prompt_->prompt());
    prompt_->setHistory(settings_.promptHistory());
    saveState();
    controller_->setOutputFolder(settings_.outputFolder());
    if (p.device != lastSpec_.device || p.dtype != lastSpec_.dtype) {
        // Device or precision changed in the panel: reload first; the job waits for the load.
        ModelSpec spec = lastSpec_;
        spec.device = p.device;
        spec.dtype = p.dtype;
        loadModel(spec, lastSpecDemo_);
    }
    controller_->enqueue(p);
    if (!controller_->modelReady() && controller_->state() != GenerationController::State::Loading)
        statusBar()->showMessage(tr("The job waits until a model is loaded (Model ▸ Open model folder…)."), 8000);
    else if (controller_->busy() && !controller_->queue().isEmpty())
        statusBar()->showMessage(tr("Queued: %n job(s) waiting", nullptr, int(controller_->queue().size())), 4000);
}

void MainWindow::onJobFinished(quint64, const core::JobResult& result)
{
    QStringList problems;
    for (const core::FinishedImage& image : result.images) {
        core::GalleryEntry entry;
        entry.path = image.path;
        entry.thumbnail = image.thumbnail;
        entry.imageSize = image.image.size();
        entry.created = QDateTime::currentDateTime();
        entry.record = image.record;
        if (!image.saveError.isEmpty())
            problems << image.saveError;
        else
            gallery_->prepend(std::move(entry), image.image);
    }
    if (!result.images.isEmpty()) {
        const core::FinishedImage& first = result.images.first();
        preview_->showImage(first.image, describeJob(first.record.params));
        params_->showUsedSeed(first.record.seed);
    }
    QString message =
        tr("Finished %n image(s) in %1 s", nullptr, int(result.images.size())).arg(result.seconds, 0, 'f', 1);
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

} // namespace kaskade::ui

namespace kaskade::ui {

// The token counter switches to the model's own tokenizer, read off the GUI thread (the vocabulary is large).
void MainWindow::loadTokenizer(const ModelInfo& info)
{
    std::string path = lastSpec_.directory;
    for (const ModelFileInfo& file : info.files)
        if (file.role == "tokenizer")
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

} // namespace kaskade::ui
