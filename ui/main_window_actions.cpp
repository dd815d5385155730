// MainWindow: gallery actions, drag and drop, the model menu, Preferences and About.
#include "ui/main_window.h"

#include "app_info.h"
#include "ui/download_dialog.h"
#include "ui/error_text.h"
#include "ui/gallery_model.h"
#include "ui/gallery_panel.h"
#include "ui/generation_controller.h"
#include "ui/parameter_panel.h"
#include "ui/preferences_dialog.h"
#include "ui/preview_pane.h"
#include "ui/prompt_editor.h"

#include "pipeline/checkpoint_scan.h"
#include "pipeline/device.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QInputDialog>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QUrl>

namespace kaskade::ui {

namespace keys = core::keys;

// ---- Gallery ---------------------------------------------------------------------------------------------

QStringList MainWindow::selectedPaths() const
{
    QStringList paths;
    const QModelIndexList rows = galleryPanel_->view()->selectionModel()->selectedIndexes();
    for (const QModelIndex& index : rows)
        paths << index.data(GalleryModel::PathRole).toString();
    return paths;
}

void MainWindow::showSelected(int row)
{
    updateActions();
    if (row < 0 || controller_->state() == GenerationController::State::Generating)
        return; // previews own the pane while a job runs
    const QModelIndex index = gallery_->index(row);
    const QImage image(index.data(GalleryModel::PathRole).toString());
    const QString prompt = index.data(GalleryModel::PromptRole).toString();
    preview_->showImage(image, prompt.isEmpty() ? index.data(Qt::DisplayRole).toString() : prompt);
}

void MainWindow::saveSelectedAs()
{
    const int row = galleryPanel_->currentRow();
    if (row < 0)
        return;
    const QString source = gallery_->index(row).data(GalleryModel::PathRole).toString();
    const QString target = QFileDialog::getSaveFileName(
        this, tr("Save image as"), QDir::home().filePath(QFileInfo(source).fileName()), tr("PNG images (*.png)"));
    if (target.isEmpty() || QFileInfo(target) == QFileInfo(source))
        return;
    try {
        const std::optional<core::ImageRecord> record = core::readImageRecord(source);
        const QImage image(source);
        if (image.isNull())
            throw Error(ErrorCode::BadFormat, "cannot read " + source.toStdString());
        core::saveImage(target, image, record.value_or(core::ImageRecord{}));
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(target)), 5000);
    } catch (const Error& e) {
        showError(this, tr("The image could not be saved"), e.code(), QString::fromStdString(e.what()));
    }
}

void MainWindow::copySelectedImage()
{
    const int row = galleryPanel_->currentRow();
    if (row >= 0)
        QApplication::clipboard()->setImage(QImage(gallery_->index(row).data(GalleryModel::PathRole).toString()));
}

void MainWindow::copySelectedParameters()
{
    const int row = galleryPanel_->currentRow();
    if (row >= 0)
        QApplication::clipboard()->setText(gallery_->index(row).data(GalleryModel::ParametersTextRole).toString());
}

void MainWindow::reuseSelectedParameters()
{
    const int row = galleryPanel_->currentRow();
    if (row < 0)
        return;
    const auto& record = gallery_->entry(row).record;
    if (!record) {
        statusBar()->showMessage(tr("This image carries no parameters."), 5000);
        return;
    }
    applyRecord(*record);
    statusBar()->showMessage(tr("Parameters restored (seed %1 locked)").arg(record->seed), 5000);
}

void MainWindow::deleteSelected()
{
    QStringList failed;
    for (const QString& path : selectedPaths()) {
        if (!core::GalleryStore::remove(path)) {
            failed << path;
            continue;
        }
        const int row = gallery_->rowOf(path);
        if (row >= 0)
            gallery_->removeRows(row, 1);
    }
    if (!failed.isEmpty())
        showError(this, tr("The image could not be deleted"), ErrorCode::FileIo, failed.join(QLatin1Char('\n')));
}

void MainWindow::openOutputFolder()
{
    const QString folder = settings_.outputFolder();
    QDir().mkpath(folder);
    QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
}

void MainWindow::applyRecord(const core::ImageRecord& record)
{
    GenerationParams p = record.params;
    p.seed = record.seed ? std::optional<std::uint64_t>(record.seed) : record.params.seed;
    prompt_->setPrompt(QString::fromStdString(p.prompt));
    prompt_->setNegativePrompt(QString::fromStdString(p.negativePrompt));
    params_->setParams(p);
}

bool MainWindow::restoreFromFile(const QString& path)
{
    try {
        const std::optional<core::ImageRecord> record = core::readImageRecord(path);
        if (!record) {
            statusBar()->showMessage(tr("%1 carries no generation parameters.").arg(QFileInfo(path).fileName()), 8000);
            return false;
        }
        applyRecord(*record);
        statusBar()->showMessage(
            tr("Parameters restored from %1 (%2 metadata)")
                .arg(QFileInfo(path).fileName(), record->source.isEmpty() ? tr("Kaskade") : record->source),
            8000);
        return true;
    } catch (const Error& e) {
        showError(this, tr("The parameters could not be read"), e.code(), QString::fromStdString(e.what()));
        return false;
    }
}

static QString droppedImage(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl& url : mime->urls()) {
        const QString suffix = QFileInfo(url.toLocalFile()).suffix().toLower();
        if (url.isLocalFile() && (suffix == QLatin1String("png") || suffix == QLatin1String("webp") ||
                                  suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg")))
            return url.toLocalFile();
    }
    return {};
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedImage(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = droppedImage(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    restoreFromFile(path);
}

// ---- Model -----------------------------------------------------------------------------------------------

void MainWindow::loadModel(const ModelSpec& spec, bool demo)
{
    lastSpec_ = spec;
    lastSpecDemo_ = demo;
    demoBanner_->hide();
    controller_->loadModel(spec, demo);
}

void MainWindow::loadInitialModel()
{
    ModelSpec spec;
    spec.device = settings_.value(keys::device).toStdString();
    spec.dtype = settings_.value(keys::precision).toStdString();
    const QString folder = settings_.value(keys::modelFolder);
    if (!folder.isEmpty() && QFileInfo(folder).isDir()) {
        spec.directory = folder.toStdString();
        spec.stageCFile = settings_.value(keys::stageCFile).toStdString();
        spec.stageBFile = settings_.value(keys::stageBFile).toStdString();
        loadModel(spec, false);
        return;
    }
    // First start (or the folder went away): the demo model, so that everything can be tried at once.
    spec.directory = core::Settings::demoModelFolder().toStdString();
    loadModel(spec, true);
}

void MainWindow::loadModelFolder(const QString& folder)
{
    settings_.setValue(keys::modelFolder, folder);
    settings_.setValue(keys::stageCFile, QString());
    settings_.setValue(keys::stageBFile, QString());
    settings_.addRecentModel(folder);
    loadInitialModel();
}

void MainWindow::openModelFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Open a Stable Cascade model folder (official, diffusers or ComfyUI layout)"),
        settings_.value(keys::modelFolder).isEmpty() ? QDir::homePath() : settings_.value(keys::modelFolder));
    if (!folder.isEmpty())
        loadModelFolder(folder);
}

void MainWindow::showDownloadDialog()
{
    auto* dialog = new DownloadDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &DownloadDialog::modelsDownloaded, this, &MainWindow::loadModelFolder);
    dialog->show();
}

void MainWindow::loadCheckpoint(bool stageC)
{
    const QString file =
        QFileDialog::getOpenFileName(this, stageC ? tr("Load a Stage C checkpoint") : tr("Load a Stage B checkpoint"),
                                     settings_.value(keys::modelFolder), tr("Safetensors checkpoints (*.safetensors)"));
    if (file.isEmpty())
        return;
    settings_.setValue(stageC ? keys::stageCFile : keys::stageBFile, file);
    ModelSpec spec = lastSpec_;
    (stageC ? spec.stageCFile : spec.stageBFile) = file.toStdString();
    loadModel(spec, lastSpecDemo_);
}

void MainWindow::loadLora()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Load a Stage C LoRA"), settings_.value(keys::modelFolder),
                                                      tr("LoRA files (*.safetensors)"));
    if (file.isEmpty())
        return;
    bool ok = false;
    const double strength = QInputDialog::getDouble(
        this, tr("LoRA strength"), tr("Strength of %1 (-2 to 2; 1 = as trained):").arg(QFileInfo(file).fileName()),
        1.0, -2.0, 2.0, 2, &ok);
    if (!ok)
        return;
    ModelSpec spec = lastSpec_;
    auto it = std::find_if(spec.loras.begin(), spec.loras.end(),
                           [&](const LoraSpec& l) { return l.path == file.toStdString(); });
    if (it != spec.loras.end())
        it->strength = strength; // only the strength changes: re-merged without reading the file again
    else
        spec.loras.push_back({file.toStdString(), strength});
    loadModel(spec, lastSpecDemo_);
}

void MainWindow::rebuildCheckpointsMenu()
{
    checkpointsMenu_->clear();
    const QString folder = QString::fromStdString(lastSpec_.directory);
    std::vector<CheckpointEntry> entries;
    try {
        entries = scanCheckpoints(folder.toStdString());
    } catch (const std::exception&) {
    }
    int shown = 0;
    for (const auto& e : entries) {
        const bool stageC = e.kind == ModelKind::StageC, stageB = e.kind == ModelKind::StageB;
        if (!stageC && !stageB && e.kind != ModelKind::Lora)
            continue;
        const QString kind = stageC ? tr("Stage C") : stageB ? tr("Stage B") : tr("LoRA");
        const QString label = QStringLiteral("%1 — %2 %3 · %4 · %5")
                                  .arg(QString::fromStdString(e.path.filename().string()), kind,
                                       QString::fromStdString(e.variant), QString::fromStdString(e.dtype),
                                       QLocale().formattedDataSize(static_cast<qint64>(e.bytes)));
        QAction* action = checkpointsMenu_->addAction(label);
        action->setToolTip(QString::fromStdString(e.description));
        const QString path = QString::fromStdString(e.path.string());
        connect(action, &QAction::triggered, this, [this, path, stageC, stageB] {
            ModelSpec spec = lastSpec_;
            if (stageC || stageB) {
                settings_.setValue(stageC ? keys::stageCFile : keys::stageBFile, path);
                (stageC ? spec.stageCFile : spec.stageBFile) = path.toStdString();
            } else if (std::none_of(spec.loras.begin(), spec.loras.end(),
                                    [&](const LoraSpec& l) { return l.path == path.toStdString(); })) {
                spec.loras.push_back({path.toStdString(), 1.0});
            }
            loadModel(spec, lastSpecDemo_);
        });
        ++shown;
    }
    if (shown == 0)
        checkpointsMenu_->addAction(tr("(no Stage B/C checkpoints or LoRAs found)"))->setEnabled(false);
}

void MainWindow::rebuildRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = settings_.recentModels();
    for (const QString& folder : recent) {
        QAction* action = recentMenu_->addAction(QDir::toNativeSeparators(folder));
        connect(action, &QAction::triggered, this, [this, folder] { loadModelFolder(folder); });
    }
    if (recent.isEmpty())
        recentMenu_->addAction(tr("(none yet)"))->setEnabled(false);
}

// ---- Dialogs ---------------------------------------------------------------------------------------------

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(settings_, this);
    const QString oldOutput = settings_.outputFolder();
    const QString oldModel = settings_.value(keys::modelFolder);
    const QString oldLanguage = settings_.value(keys::language);
    if (dialog.exec() != QDialog::Accepted)
        return;
    controller_->setOutputFolder(settings_.outputFolder());
    controller_->setThreads(settings_.value(keys::threads));
    params_->load(settings_);
    if (settings_.outputFolder() != oldOutput) {
        gallery_->clear();
        rescanGallery();
    }
    if (settings_.value(keys::modelFolder) != oldModel)
        loadInitialModel();
    if (settings_.value(keys::language) != oldLanguage)
        QMessageBox::information(this, tr("Language"), tr("The new language is used the next time Kaskade starts."));
}

void MainWindow::showAbout()
{
    QString cuda = tr("not available");
    if (cudaAvailable()) {
        QStringList names;
        for (const DeviceInfo& device : listDevices())
            if (device.id != "cpu")
                names << QString::fromStdString(device.id + " " + device.name);
        cuda = names.join(QStringLiteral(", "));
    }
    const QString text =
        tr("<h3>Kaskade %1</h3><p>A desktop app for Stable Cascade text-to-image generation.</p>"
           "<p>Qt %2<br>%3<br>CUDA: %4</p>"
           "<p><b>Model weights:</b> Stable Cascade is released by Stability AI under the "
           "<i>Stability AI Non-Commercial Research Community License</i>. The weights are not part of Kaskade; "
           "images you make with them may only be used as that licence allows.</p>")
            .arg(QStringLiteral(KASKADE_VERSION), QString::fromLatin1(qVersion()),
                 QString::fromStdString(torchVersionString()).toHtmlEscaped(), cuda.toHtmlEscaped());
    QMessageBox::about(this, tr("About Kaskade"), text);
}

} // namespace kaskade::ui
