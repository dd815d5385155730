// MainWindow: gallery actions, drag and drop, the model menu, Preferences and About.
#include "ui/main_window.h"

#include "app/core/image_inputs.h"
#include "ui/image_input_panel.h"

#include "app/core/prompt_loras.h"
#include "app_info.h"
#include "ui/download_dialog.h"
#include "ui/error_text.h"
#include "ui/gallery_model.h"
#include "ui/gallery_panel.h"
#include "ui/generation_controller.h"
#include "ui/image_viewer.h"
#include "ui/model_controller.h"
#include "ui/parameter_panel.h"
#include "ui/preferences_dialog.h"
#include "ui/preview_pane.h"
#include "ui/prompt_editor.h"
#include "ui/theme.h"

#include "pipeline/device.h"
#include "pipeline/loading/checkpoint_scan.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QImageWriter>
#include <QInputDialog>
#include <QListView>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
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
    // JPEG and WebP keep the parameters in EXIF UserComment, where A1111 and other tools look for them.
    const QString png = tr("PNG images (*.png)"), jpeg = tr("JPEG images (*.jpg *.jpeg)"),
                  webp = tr("WebP images (*.webp)");
    QStringList filters{png, jpeg};
    if (QImageWriter::supportedImageFormats().contains("webp"))
        filters << webp;
    QString filter = png;
    QString target =
        QFileDialog::getSaveFileName(this, tr("Save image as"), QDir::home().filePath(QFileInfo(source).fileName()),
                                     filters.join(QStringLiteral(";;")), &filter);
    if (target.isEmpty())
        return;
    const QString suffix = QFileInfo(target).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("jpg") && suffix != QLatin1String("jpeg") &&
        suffix != QLatin1String("webp"))
        target += filter == jpeg   ? QStringLiteral(".jpg")
                  : filter == webp ? QStringLiteral(".webp")
                                   : QStringLiteral(".png");
    if (QFileInfo(target) == QFileInfo(source))
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
    reuseRow(galleryPanel_->currentRow());
}

void MainWindow::reuseRow(int row)
{
    if (row < 0 || row >= gallery_->rowCount())
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
    const QStringList paths = selectedPaths();
    if (paths.isEmpty())
        return;
    QStringList failed;
    QList<DeletedImage> deleted;
    for (const QString& path : paths) {
        const int row = gallery_->rowOf(path);
        DeletedImage item;
        if (row >= 0)
            item.entry = gallery_->entry(row);
        item.entry.path = path;
        // To the trash where the platform has one (so that Undo can bring it back), else deleted for good.
        if (!QFile::moveToTrash(path, &item.trashPath)) {
            item.trashPath.clear();
            if (!core::GalleryStore::remove(path)) {
                failed << path;
                continue;
            }
        }
        if (row >= 0)
            gallery_->removeRows(row, 1);
        deleted << item;
    }
    lastDeleted_ = deleted;
    updateActions();
    if (!deleted.isEmpty()) {
        const bool undoable =
            std::any_of(deleted.begin(), deleted.end(), [](const DeletedImage& d) { return !d.trashPath.isEmpty(); });
        statusBar()->showMessage(undoable ? tr("%n image(s) moved to the trash. Image ▸ Undo delete (Ctrl+Z) brings "
                                               "them back.",
                                               nullptr, int(deleted.size()))
                                          : tr("%n image(s) deleted.", nullptr, int(deleted.size())),
                                 10000);
    }
    if (!failed.isEmpty())
        showError(this, tr("The image could not be deleted"), ErrorCode::FileIo, failed.join(QLatin1Char('\n')));
}

bool MainWindow::undoDelete()
{
    QStringList failed;
    int restored = 0;
    for (const DeletedImage& item : std::as_const(lastDeleted_)) {
        if (item.trashPath.isEmpty() || !QFile::rename(item.trashPath, item.entry.path)) {
            failed << item.entry.path;
            continue;
        }
        // The freedesktop trash keeps info/<name>.trashinfo beside files/<name>; it is stale now.
        const QFileInfo trashed(item.trashPath);
        QFile::remove(QDir(trashed.absolutePath() + QStringLiteral("/../info"))
                          .filePath(trashed.fileName() + QStringLiteral(".trashinfo")));
        gallery_->insertByDate(item.entry);
        ++restored;
    }
    lastDeleted_.clear();
    updateActions();
    if (restored > 0)
        statusBar()->showMessage(tr("%n image(s) restored.", nullptr, restored), 5000);
    if (!failed.isEmpty())
        showError(this, tr("The image could not be restored from the trash"), ErrorCode::FileIo,
                  failed.join(QLatin1Char('\n')));
    return failed.isEmpty() && restored > 0;
}

void MainWindow::openViewer(int row)
{
    if (row < 0 || row >= gallery_->rowCount())
        return;
    if (!viewer_) {
        viewer_ = new ImageViewer(gallery_, this);
        connect(viewer_, &ImageViewer::reuseRequested, this, &MainWindow::reuseRow);
        connect(viewer_, &ImageViewer::rowShown, galleryPanel_, &GalleryPanel::selectRow);
    }
    viewer_->showRow(row);
    viewer_->show();
    viewer_->raise();
    viewer_->activateWindow();
}

void MainWindow::compareSelected()
{
    const QList<int> rows = galleryPanel_->selectedRows();
    if (rows.size() != 2) {
        statusBar()->showMessage(tr("Select two images to compare (Ctrl+click)."), 5000);
        return;
    }
    openViewer(rows[0]);
    viewer_->compare(rows[0], rows[1]);
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
    // The record names its pictures by path and SHA-256: the Image tab shows those still at hand.
    if (p.images.any()) {
        const QStringList missing = core::restoreInputImages(p.images);
        imageInputs_->setInputs(p.images);
        if (!missing.isEmpty())
            statusBar()->showMessage(tr("Input pictures not found: %1").arg(missing.join(QStringLiteral("; "))), 12000);
    }
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
        QString message =
            tr("Parameters restored from %1 (%2 metadata)")
                .arg(QFileInfo(path).fileName(), record->source.isEmpty() ? tr("Kaskade") : record->source);
        if (!record->unknownSampler.isEmpty()) {
            // Said out loud: silently sampling with DDPM would make a different picture than the file's.
            message = tr("Parameters restored from %1, but its sampler \"%2\" is not available in Kaskade: the "
                         "sampler is set to DDPM (official), so the image will differ.")
                          .arg(QFileInfo(path).fileName(), record->unknownSampler);
            QMessageBox* box =
                new QMessageBox(QMessageBox::Information, tr("Sampler not available"), message, QMessageBox::Ok, this);
            box->setObjectName(QStringLiteral("unknownSamplerDialog"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
        statusBar()->showMessage(message, 10000);
        return true;
    } catch (const Error& e) {
        showError(this, tr("The parameters could not be read"), e.code(), QString::fromStdString(e.what()));
        return false;
    }
}

void MainWindow::openImage()
{
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open an image to restore its parameters"), settings_.outputFolder(),
                                     tr("Images (*.png *.jpg *.jpeg *.webp);;All files (*)"));
    if (!file.isEmpty())
        restoreFromFile(file);
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

void MainWindow::loadModelFolder(const QString& folder)
{
    model_->openFolder(folder);
}

void MainWindow::openModelFolder()
{
    const QString current = settings_.value(keys::modelFolder);
    const QString folder = QFileDialog::getExistingDirectory(
        this, tr("Open a Stable Cascade model folder (official, diffusers or ComfyUI layout)"),
        current.isEmpty() ? QDir::homePath() : current);
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
    if (!file.isEmpty())
        model_->setCheckpoint(stageC, file); // saved in the settings only once it loaded
}

void MainWindow::loadLora()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Load a Stage C LoRA"), settings_.value(keys::modelFolder), tr("LoRA files (*.safetensors)"));
    if (file.isEmpty())
        return;
    bool ok = false;
    const double strength = QInputDialog::getDouble(
        this, tr("LoRA strength"), tr("Strength of %1 (-2 to 2; 1 = as trained):").arg(QFileInfo(file).fileName()), 1.0,
        -2.0, 2.0, 2, &ok);
    if (ok)
        model_->addLora(file, strength);
}

bool MainWindow::applyPromptLoras(const QString& prompt)
{
    const QList<core::PromptLora> tags = core::promptLoras(prompt);
    // The panel's own LoRAs stay; those that came from earlier prompt tags are replaced by this prompt's.
    QList<LoraEntry> wanted;
    for (const LoraEntry& lora : model_->loras())
        if (!lora.fromPrompt)
            wanted << lora;
    QStringList unknown;
    const QDir folder(QString::fromStdString(model_->spec().directory));
    for (const core::PromptLora& tag : tags) {
        // checkpoints_: the background scan of the model folder (the demo's folder is looked at only there).
        const QString path = core::findPromptLora(tag.name, model_->demo() ? QString() : folder.path(), checkpoints_);
        if (path.isEmpty()) {
            unknown << tag.name;
            continue;
        }
        auto it = std::find_if(wanted.begin(), wanted.end(), [&](const LoraEntry& l) { return l.path == path; });
        if (it != wanted.end()) {
            it->strength = tag.strength;
            it->enabled = true;
        } else {
            wanted << LoraEntry{path, tag.strength, true, true};
        }
    }
    if (!unknown.isEmpty()) {
        showError(this, tr("LoRA not found"),
                  tr("The prompt names %1, but no LoRA file of that name is in the model folder %2. Put the "
                     ".safetensors file there (or in its loras folder), or remove the tag.")
                      .arg(unknown.join(QStringLiteral(", ")), QDir::toNativeSeparators(folder.path())),
                  unknown.join(QLatin1Char('\n')));
        return false;
    }
    model_->setLoras(wanted);
    return true;
}

void MainWindow::rebuildCheckpointsMenu()
{
    checkpointsMenu_->clear();
    if (!checkpointsReady_) {
        checkpointsMenu_->addAction(tr("(looking through the model folder…)"))->setEnabled(false);
        scanCheckpointsInBackground();
        return;
    }
    int shown = 0;
    for (const auto& e : checkpoints_) {
        const bool stageC = e.holds(Role::StageC), stageB = e.holds(Role::StageB);
        if (!stageC && !stageB && !e.holds(Role::Lora))
            continue;
        const QString kind = stageC ? tr("Stage C") : stageB ? tr("Stage B") : tr("LoRA");
        const QString label =
            QStringLiteral("%1 — %2 %3 · %4 · %5")
                .arg(QString::fromStdString(e.path.filename().string()), kind, QString::fromStdString(e.variant),
                     QString::fromStdString(e.dtype), QLocale().formattedDataSize(static_cast<qint64>(e.bytes)));
        QAction* action = checkpointsMenu_->addAction(label);
        action->setToolTip(QString::fromStdString(e.description));
        const QString path = QString::fromStdString(e.path.string());
        connect(action, &QAction::triggered, this, [this, path, stageC, stageB] {
            if (stageC || stageB)
                model_->setCheckpoint(stageC, path);
            else if (std::none_of(model_->loras().begin(), model_->loras().end(),
                                  [&](const LoraEntry& l) { return l.path == path; }))
                model_->addLora(path, 1.0);
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
    // The panel's state is the user's work: Preferences change only what the dialog shows, never the size,
    // seed or anything just restored with Reuse.
    params_->save(settings_);
    PreferencesDialog dialog(settings_, this);
    const QString oldOutput = settings_.outputFolder();
    const QString oldModel = settings_.value(keys::modelFolder);
    const QString oldLanguage = settings_.value(keys::language);
    const QString oldDevice = settings_.value(keys::device);
    const QString oldPrecision = settings_.value(keys::precision);
    const QString oldTheme = settings_.value(keys::theme);
    if (dialog.exec() != QDialog::Accepted)
        return;
    controller_->setOutputFolder(settings_.outputFolder());
    controller_->setThreads(settings_.value(keys::threads));
    if (settings_.value(keys::device) != oldDevice || settings_.value(keys::precision) != oldPrecision) {
        ModelSpec placement;
        settings_.applyPlacement(placement);
        params_->setPlacement(placement.device, placement.precision);
    }
    if (settings_.value(keys::theme) != oldTheme)
        applyTheme(settings_.value(keys::theme));
    if (settings_.outputFolder() != oldOutput) {
        gallery_->clear();
        rescanGallery();
    }
    const QString newModel = settings_.value(keys::modelFolder);
    if (newModel != oldModel) {
        // The settings follow the model only once it loaded; until then they keep the working one.
        settings_.setValue(keys::modelFolder, oldModel);
        if (newModel.isEmpty())
            model_->useDemo();
        else
            model_->openFolder(newModel);
    }
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
