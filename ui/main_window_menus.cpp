// MainWindow: the actions (text, icon, shortcut, tips) and the menus and toolbar that hold them.
#include "ui/main_window.h"

#include "ui/model_controller.h"
#include "ui/theme.h"
#include "ui/train_lora_dialog.h"

#include <QAction>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

namespace kaskade::ui {

void MainWindow::createActions()
{
    const auto make = [this](const char* name, const QString& text, const QString& icon, const QKeySequence& key,
                             const QString& tip) {
        auto* action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        if (!icon.isEmpty())
            setThemedIcon(action, icon, palette()); // recoloured on palette changes (dark themes)
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
    openImage_ = make("actionOpenImage", tr("Open &image…"), "reuse", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I),
                      tr("Restore the prompt and parameters stored in an image (Kaskade, A1111 or ComfyUI)"));
    saveAs_ = make("actionSaveAs", tr("&Save image as…"), "save", QKeySequence::SaveAs,
                   tr("Save the selected image as PNG, JPEG or WebP with its parameters"));
    saveAs_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_S)});
    copyImage_ = make("actionCopyImage", tr("&Copy image"), "copy", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
                      tr("Copy the selected image to the clipboard"));
    copyParameters_ =
        make("actionCopyParameters", tr("Copy &parameters"), "copy-text", QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C),
             tr("Copy the selected image's parameters as text (A1111 format)"));
    reuseParameters_ =
        make("actionReuseParameters", tr("&Reuse parameters"), "reuse", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
             tr("Fill the prompt and every parameter from the selected image"));
    viewImage_ = make("actionViewImage", tr("&View full size"), "", QKeySequence(Qt::Key_Space),
                      tr("Open the selected image in the viewer: zoom, pan, previous and next"));
    viewImage_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    compare_ = make("actionCompare", tr("C&ompare two images"), "", {},
                    tr("Show the two selected images side by side or with a swipe divider"));
    deleteImage_ = make("actionDeleteImage", tr("&Delete"), "delete", QKeySequence::Delete,
                        tr("Move the selected images to the trash (Edit ▸ Undo brings them back)"));
    deleteImage_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    undoDelete_ = make("actionUndoDelete", tr("&Undo delete"), "", QKeySequence::Undo,
                       tr("Bring the images deleted last back from the trash"));
    undoDelete_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    openFolder_ = make("actionOpenOutputFolder", tr("Open output &folder"), "folder",
                       QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), tr("Show the folder the images are saved in"));
    preferences_ = make("actionPreferences", tr("&Preferences…"), "settings", QKeySequence::Preferences,
                        tr("Output folder, model folder, device, language, theme"));
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
    fileMenu_ = menuBar()->addMenu(tr("&File"));
    fileMenu_->setObjectName(QStringLiteral("fileMenu"));
    fileMenu_->addAction(openImage_);
    fileMenu_->addAction(saveAs_);
    fileMenu_->addAction(openFolder_);
    fileMenu_->addSeparator();
    fileMenu_->addAction(preferences_);
    fileMenu_->addSeparator();
    fileMenu_->addAction(quit_);

    generateMenu_ = menuBar()->addMenu(tr("&Generate"));
    generateMenu_->setObjectName(QStringLiteral("generateMenu"));
    generateMenu_->addAction(generate_);
    generateMenu_->addAction(cancel_);
    generateMenu_->addSeparator();
    generateMenu_->addAction(randomSeed_);
    generateMenu_->addAction(resetParameters_);

    imageMenu_ = menuBar()->addMenu(tr("&Image"));
    imageMenu_->setObjectName(QStringLiteral("imageMenu"));
    for (QAction* action : {viewImage_, compare_, copyImage_, copyParameters_, reuseParameters_})
        imageMenu_->addAction(action);
    imageMenu_->addSeparator();
    imageMenu_->addAction(deleteImage_);
    imageMenu_->addAction(undoDelete_);

    modelMenu_ = menuBar()->addMenu(tr("&Model"));
    modelMenu_->setObjectName(QStringLiteral("modelMenu"));
    modelMenu_->setToolTipsVisible(true);
    modelMenu_->addAction(openModelFolder_);
    modelMenu_->addAction(download_);
    recentMenu_ = modelMenu_->addMenu(tr("&Recent models"));
    recentMenu_->setObjectName(QStringLiteral("recentModelsMenu"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    modelMenu_->addSeparator();
    modelMenu_->addAction(loadStageC_);
    modelMenu_->addAction(loadStageB_);
    modelMenu_->addAction(loadLora_);
    modelMenu_->addAction(clearLoras_);
    // Model ▸ Train LoRA…: the dialog owns the training worker; a finished LoRA joins the LoRA list.
    auto* trainLora = modelMenu_->addAction(tr("&Train LoRA…"));
    trainLora->setObjectName(QStringLiteral("actionTrainLora"));
    trainLora->setToolTip(tr("Fine-tune Stage C on a folder of pictures (the official LoRA recipe)"));
    connect(trainLora, &QAction::triggered, this, [this] {
        auto* dialog = new TrainLoraDialog(QString::fromStdString(model_->spec().directory), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &TrainLoraDialog::loraReady, model_,
                [this](const QString& path) { model_->addLora(path, 1.0); });
        dialog->show();
    });
    checkpointsMenu_ = modelMenu_->addMenu(tr("Checkpoints in the model &folder"));
    checkpointsMenu_->setObjectName(QStringLiteral("checkpointsMenu"));
    connect(checkpointsMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildCheckpointsMenu);
    modelMenu_->addSeparator();
    modelMenu_->addAction(useDemoModel_);

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

} // namespace kaskade::ui
