#include "ui/download_dialog.h"

#include "app/core/downloader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace kaskade::ui {

namespace {

const char* const kSetKey = "download/set";
const char* const kFolderKey = "download/folder";
const char* const kEndpointKey = "download/endpoint";
const char* const kTokenKey = "download/token";
const char* const kRememberTokenKey = "download/rememberToken";

constexpr int kBarSteps = 1000; // progress bars count in per mille: file sizes do not fit an int
enum Column { FileColumn, SizeColumn, ProgressColumn, StatusColumn };

int perMille(qint64 done, qint64 total)
{
    return total > 0 ? int(done * kBarSteps / total) : 0;
}

QString defaultFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("models/stable-cascade");
}

} // namespace

DownloadDialog::DownloadDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Download Stable Cascade"));
    buildUi();
    loadSettings();
    updateButtons();
    schedulePlan();
}

DownloadDialog::~DownloadDialog()
{
    saveSettings();
}

void DownloadDialog::buildUi()
{
    set_ = new QComboBox(this);
    for (ModelSet set : {ModelSet::Lite, ModelSet::Mixed, ModelSet::Full})
        set_->addItem(modelSetDescription(set), modelSetName(set));

    folder_ = new QLineEdit(this);
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the model files"), targetFolder());
        if (!dir.isEmpty())
            setTargetFolder(dir);
    });
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(folder_, 1);
    folderRow->addWidget(browse);

    endpoint_ = new QLineEdit(this);
    endpoint_->setPlaceholderText(Downloader::Options().endpoint.toString());
    endpoint_->setToolTip(tr("A mirror of the Hugging Face hub with the same URL layout; empty for the hub."));
    token_ = new QLineEdit(this);
    token_->setEchoMode(QLineEdit::Password);
    token_->setPlaceholderText(tr("only for gated repositories"));
    rememberToken_ = new QCheckBox(tr("Remember"), this);
    auto* tokenRow = new QHBoxLayout;
    tokenRow->addWidget(token_, 1);
    tokenRow->addWidget(rememberToken_);

    auto* form = new QFormLayout;
    form->addRow(tr("&Weights:"), set_);
    imageInputs_ =
        new QCheckBox(tr("Also the image-input files (effnet encoder, ControlNets, CLIP image encoder)"), this);
    imageInputs_->setObjectName(QStringLiteral("downloadImageInputs"));
    imageInputs_->setToolTip(tr("effnet_encoder.safetensors (image to image, inpainting, upscaling), "
                                "controlnet/canny, inpainting, super_resolution (for Stage C 3.6B) and, for "
                                "variations, image_encoder/ (CLIP ViT-L/14, about 1.2 GB) from %1.")
                                 .arg(Downloader::imageEncoderRepo()));
    form->addRow(QString(), imageInputs_);
    connect(imageInputs_, &QCheckBox::toggled, this, &DownloadDialog::schedulePlan);
    // Rows holding a layout get no buddy from QFormLayout: give their labels one, for the mnemonic.
    auto* folderLabel = new QLabel(tr("&Folder:"), this);
    folderLabel->setBuddy(folder_);
    form->addRow(folderLabel, folderRow);
    form->addRow(tr("&Endpoint:"), endpoint_);
    auto* tokenLabel = new QLabel(tr("Access &token:"), this);
    tokenLabel->setBuddy(token_);
    form->addRow(tokenLabel, tokenRow);

    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    files_ = new QTreeWidget(this);
    files_->setHeaderLabels({tr("File"), tr("Size"), tr("Progress"), tr("Status")});
    files_->setRootIsDecorated(false);
    files_->setSelectionMode(QAbstractItemView::NoSelection);
    files_->header()->setStretchLastSection(false); // the file names get the room, not an empty status
    files_->header()->setSectionResizeMode(FileColumn, QHeaderView::Stretch);
    files_->header()->setSectionResizeMode(SizeColumn, QHeaderView::ResizeToContents);
    files_->header()->setSectionResizeMode(StatusColumn, QHeaderView::ResizeToContents);
    files_->setColumnWidth(ProgressColumn, 160);
    files_->setMinimumSize(700, 260);

    overall_ = new QProgressBar(this);
    overall_->setRange(0, kBarSteps);
    rate_ = new QLabel(this);
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    download_ = new QPushButton(tr("&Download"), this);
    download_->setDefault(true);
    pause_ = new QPushButton(tr("&Pause"), this);
    stop_ = new QPushButton(tr("&Stop"), this);
    stop_->setToolTip(tr("Stops the download; the partial files are kept and the next download continues them."));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(download_, QDialogButtonBox::ActionRole);
    buttons->addButton(pause_, QDialogButtonBox::ActionRole);
    buttons->addButton(stop_, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &DownloadDialog::reject);
    connect(download_, &QPushButton::clicked, this, &DownloadDialog::startDownload);
    connect(pause_, &QPushButton::clicked, this, &DownloadDialog::togglePause);
    connect(stop_, &QPushButton::clicked, this, &DownloadDialog::stopDownload);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(summary_);
    layout->addWidget(files_, 1);
    layout->addWidget(overall_);
    layout->addWidget(rate_);
    layout->addWidget(message_);
    layout->addWidget(buttons);

    // The sizes follow the choices: ask the hub again shortly after the user stops typing.
    planDelay_ = new QTimer(this);
    planDelay_->setSingleShot(true);
    planDelay_->setInterval(600);
    connect(planDelay_, &QTimer::timeout, this, &DownloadDialog::fetchPlan);
    connect(set_, &QComboBox::currentIndexChanged, this, &DownloadDialog::schedulePlan);
    for (QLineEdit* edit : {folder_, endpoint_, token_})
        connect(edit, &QLineEdit::textEdited, this, &DownloadDialog::schedulePlan);
}

void DownloadDialog::loadSettings()
{
    const QSettings settings;
    const int set = set_->findData(settings.value(kSetKey, modelSetName(ModelSet::Lite)).toString());
    set_->setCurrentIndex(qMax(0, set));
    folder_->setText(QDir::toNativeSeparators(settings.value(kFolderKey, defaultFolder()).toString()));
    endpoint_->setText(settings.value(kEndpointKey).toString());
    rememberToken_->setChecked(settings.value(kRememberTokenKey, true).toBool());
    token_->setText(settings.value(kTokenKey).toString());
}

void DownloadDialog::saveSettings() const
{
    QSettings settings;
    settings.setValue(kSetKey, set_->currentData().toString());
    settings.setValue(kFolderKey, targetFolder());
    settings.setValue(kEndpointKey, endpoint_->text().trimmed());
    settings.setValue(kRememberTokenKey, rememberToken_->isChecked());
    if (rememberToken_->isChecked())
        settings.setValue(kTokenKey, token_->text().trimmed());
    else
        settings.remove(kTokenKey);
}

QString DownloadDialog::targetFolder() const
{
    return QDir::fromNativeSeparators(folder_->text().trimmed());
}

void DownloadDialog::setTargetFolder(const QString& folder)
{
    folder_->setText(QDir::toNativeSeparators(folder));
    schedulePlan();
}

bool DownloadDialog::isActive() const
{
    return downloader_ && (downloader_->state() == Downloader::State::Downloading ||
                           downloader_->state() == Downloader::State::Paused);
}

void DownloadDialog::schedulePlan()
{
    if (!isActive())
        planDelay_->start();
}

void DownloadDialog::fetchPlan()
{
    if (isActive())
        return;
    Downloader::Options options;
    options.targetDir = targetFolder();
    if (options.targetDir.isEmpty()) {
        showMessage(tr("Choose a folder for the model files."), true);
        return;
    }
    if (const QString endpoint = endpoint_->text().trimmed(); !endpoint.isEmpty()) {
        options.endpoint = QUrl(endpoint);
        if (!options.endpoint.isValid() || !options.endpoint.scheme().startsWith(QLatin1String("http"))) {
            showMessage(tr("The endpoint must be an http:// or https:// address."), true);
            return;
        }
    }
    options.token = token_->text().trimmed().toUtf8();
    ModelSet set = ModelSet::Lite;
    parseModelSet(set_->currentData().toString(), &set);

    downloader_ = std::make_unique<Downloader>(options);
    Downloader* d = downloader_.get();
    connect(d, &Downloader::planReady, this, &DownloadDialog::showPlan);
    connect(d, &Downloader::progress, this, &DownloadDialog::onProgress);
    connect(d, &Downloader::fileFinished, this, &DownloadDialog::onFileFinished);
    connect(d, &Downloader::finished, this, &DownloadDialog::onFinished);
    connect(d, &Downloader::failed, this, &DownloadDialog::onFailed);
    connect(d, &Downloader::notice, this, [this](const QString& text) { showMessage(text, false); });
    connect(d, &Downloader::stateChanged, this, &DownloadDialog::updateButtons);
    files_->clear();
    overall_->setValue(0);
    rate_->clear();
    summary_->setText(tr("Asking %1 for the file list…").arg(options.endpoint.host()));
    showMessage(QString(), false);
    d->fetchPlan(set, imageInputs_ && imageInputs_->isChecked());
    updateButtons();
}

void DownloadDialog::showPlan()
{
    files_->clear();
    QStringList otherRepos; // the image encoder comes from the diffusers prior repository
    for (const DownloadFile& file : downloader_->files()) {
        auto* item = new QTreeWidgetItem(files_);
        item->setText(FileColumn, file.path);
        item->setToolTip(
            FileColumn,
            tr("%1, from %2").arg(file.path, file.repo.isEmpty() ? downloader_->options().repo : file.repo));
        if (!file.repo.isEmpty() && !otherRepos.contains(file.repo))
            otherRepos << file.repo;
        item->setText(SizeColumn, formatBytes(file.size));
        item->setTextAlignment(SizeColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(StatusColumn, file.complete ? tr("done") : file.presentBytes > 0 ? tr("partial") : QString());
        auto* bar = new QProgressBar(files_);
        bar->setRange(0, kBarSteps);
        bar->setValue(perMille(file.presentBytes, file.size));
        files_->setItemWidget(item, ProgressColumn, bar);
    }
    const qint64 total = downloader_->totalBytes();
    const qint64 present = downloader_->presentBytes();
    const qint64 free = downloader_->freeBytes();
    QString text = tr("Total %1, already here %2, to download %3. Free space in this folder: %4.")
                       .arg(formatBytes(total), formatBytes(present), formatBytes(total - present),
                            free >= 0 ? formatBytes(free) : tr("unknown"));
    if (!otherRepos.isEmpty())
        text += QLatin1Char(' ') + tr("image_encoder/ comes from %1.").arg(otherRepos.join(QStringLiteral(", ")));
    if (free >= 0 && total - present > free)
        text += QLatin1Char(' ') + tr("<b>Not enough free space.</b>");
    summary_->setText(text);
    overall_->setValue(perMille(present, total));
    updateButtons();
}

void DownloadDialog::startDownload()
{
    if (!downloader_ || downloader_->files().isEmpty() || planDelay_->isActive()) {
        // No plan for the current choices yet: get one, then start.
        planDelay_->stop();
        fetchPlan();
        if (downloader_)
            connect(downloader_.get(), &Downloader::planReady, this, &DownloadDialog::startDownload,
                    Qt::SingleShotConnection);
        return;
    }
    saveSettings();
    showMessage(QString(), false);
    downloader_->start();
}

void DownloadDialog::togglePause()
{
    if (!downloader_)
        return;
    if (downloader_->state() == Downloader::State::Paused)
        downloader_->resume();
    else
        downloader_->pause();
}

void DownloadDialog::stopDownload()
{
    if (downloader_)
        downloader_->cancel();
}

void DownloadDialog::reject()
{
    if (downloader_)
        downloader_->cancel(); // keeps the .part files
    QDialog::reject();
}

void DownloadDialog::onProgress(const DownloadProgress& p)
{
    if (p.fileIndex >= 0 && p.fileIndex < files_->topLevelItemCount()) {
        QTreeWidgetItem* item = files_->topLevelItem(p.fileIndex);
        if (auto* bar = qobject_cast<QProgressBar*>(files_->itemWidget(item, ProgressColumn)))
            bar->setValue(perMille(p.fileDone, p.fileTotal));
        if (item->text(StatusColumn) != tr("verified"))
            item->setText(StatusColumn,
                          downloader_->state() == Downloader::State::Paused ? tr("paused") : tr("downloading"));
        files_->scrollToItem(item);
    }
    overall_->setValue(perMille(p.done, p.total));
    QString text = tr("%1 of %2").arg(formatBytes(p.done), formatBytes(p.total));
    if (p.bytesPerSecond > 0)
        text += tr(" · %1/s · %2 left").arg(formatBytes(qint64(p.bytesPerSecond)), formatDuration(p.etaSeconds));
    rate_->setText(text);
}

void DownloadDialog::onFileFinished(int index)
{
    if (QTreeWidgetItem* item = files_->topLevelItem(index)) {
        item->setText(StatusColumn, tr("verified"));
        if (auto* bar = qobject_cast<QProgressBar*>(files_->itemWidget(item, ProgressColumn)))
            bar->setValue(kBarSteps);
    }
}

void DownloadDialog::onFinished()
{
    showMessage(tr("All files are downloaded and verified in %1.").arg(QDir::toNativeSeparators(targetFolder())),
                false);
    updateButtons();
    Q_EMIT modelsDownloaded(targetFolder());
}

void DownloadDialog::onFailed(const QString& message)
{
    if (downloader_ && downloader_->error() == DownloadError::Cancelled) {
        showMessage(tr("Stopped. The partial files are kept: downloading the same weights into this folder "
                       "continues them."),
                    false);
    } else {
        showMessage(message, true);
        summary_->setText(downloader_ && downloader_->files().isEmpty() ? QString() : summary_->text());
    }
    updateButtons();
}

void DownloadDialog::showMessage(const QString& text, bool error)
{
    message_->setStyleSheet(error ? QStringLiteral("color: #c62828; font-weight: bold;") : QString());
    message_->setText(text);
}

void DownloadDialog::updateButtons()
{
    const Downloader::State state = downloader_ ? downloader_->state() : Downloader::State::Idle;
    const bool active = isActive();
    for (QWidget* w : std::initializer_list<QWidget*>{set_, folder_, endpoint_, token_})
        w->setEnabled(!active);
    download_->setEnabled(!active && state != Downloader::State::Planning && state != Downloader::State::Finished);
    pause_->setEnabled(active);
    pause_->setText(state == Downloader::State::Paused ? tr("&Resume") : tr("&Pause"));
    stop_->setEnabled(active);
}

} // namespace kaskade::ui
