#include "ui/image_input_panel.h"

#include "app/core/canny_preview.h"
#include "app/core/image_inputs.h"
#include "pipeline/errors.h"
#include "ui/choice_combo.h"
#include "ui/mask_painter.h"
#include "ui/slider_spin_box.h"

#include <QAction>
#include <QBuffer>
#include <QComboBox>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>
#include <QVBoxLayout>

namespace kaskade::ui {

namespace {

// Bounds and defaults of the two sliders (not persisted: a picture is chosen per job).
const core::DoubleKey kImageStrengthKey{"imageInputs/strength", 0.8, 0.01, 1.0, 2};
const core::DoubleKey kControlStrengthKey{"imageInputs/controlStrength", 1.0, 0.0, 2.0, 2};
constexpr int kThumbSize = 160;

QImage imagePanelToQImage(const RgbImage& image)
{
    if (image.empty())
        return {};
    const QImage view(image.rgb.data(), image.width, image.height, image.width * 3, QImage::Format_RGB888);
    return view.copy();
}

QPixmap imagePanelThumb(const QImage& image)
{
    return QPixmap::fromImage(image.scaled(kThumbSize, kThumbSize, Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

QString imagePanelDroppedFile(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            return url.toLocalFile();
    return {};
}

// The painted mask as a PNG under the app's data folder, named by its hash: the metadata can then record
// it like any input picture and `--from-image` finds it again.
InputImage imagePanelSaveMask(const QImage& mask)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    mask.save(&buffer, "PNG");
    const QString sha = QString::fromLatin1(QCryptographicHash::hash(png, QCryptographicHash::Sha256).toHex());
    InputImage input;
    input.pixels = core::toRgbImage(mask);
    input.sha256 = sha.toStdString();
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/masks");
    const QString path = folder + QStringLiteral("/mask-") + sha.left(16) + QStringLiteral(".png");
    if (QFileInfo::exists(path) || QDir().mkpath(folder)) {
        QSaveFile file(path);
        if (QFileInfo::exists(path) ||
            (file.open(QIODevice::WriteOnly) && file.write(png) == png.size() && file.commit()))
            input.source = path.toStdString();
    }
    return input; // without a source when the folder is not writable: the job still runs
}

} // namespace

ImageInputPanel::ImageInputPanel(QWidget* parent)
    : QWidget(parent), thumbnail_(new QLabel(this)), controlThumb_(new QLabel(this)), controlCaption_(new QLabel(this)),
      info_(new QLabel(this)), problem_(new QLabel(this)), open_(new QPushButton(tr("&Open picture…"), this)),
      clear_(new QPushButton(tr("Clear"), this)), mode_(new QComboBox(this)), controlKind_(new QComboBox(this)),
      controlKindLabel_(new QLabel(tr("ControlNet:"), this)), strengthLabel_(new QLabel(tr("Strength:"), this)),
      strength_(new SliderSpinBox(kImageStrengthKey, this)),
      controlStrengthLabel_(new QLabel(tr("Control strength:"), this)),
      controlStrength_(new SliderSpinBox(kControlStrengthKey, this)),
      paintMask_(new QPushButton(tr("Paint &mask / extend…"), this))
{
    setObjectName(QStringLiteral("imageInputPanel"));
    setAcceptDrops(true);

    thumbnail_->setObjectName(QStringLiteral("imageInputThumbnail"));
    thumbnail_->setAlignment(Qt::AlignCenter);
    thumbnail_->setMinimumSize(kThumbSize, kThumbSize);
    thumbnail_->setFrameShape(QFrame::StyledPanel);
    thumbnail_->setWordWrap(true);
    controlThumb_->setObjectName(QStringLiteral("controlThumbnail"));
    controlThumb_->setAlignment(Qt::AlignCenter);
    controlThumb_->setMinimumSize(kThumbSize, kThumbSize);
    controlThumb_->setFrameShape(QFrame::StyledPanel);
    controlCaption_->setAlignment(Qt::AlignCenter);
    info_->setObjectName(QStringLiteral("imageInputInfo"));
    info_->setWordWrap(true);
    info_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    problem_->setObjectName(QStringLiteral("imageInputProblem"));
    problem_->setWordWrap(true);
    problem_->setTextFormat(Qt::RichText);
    problem_->setStyleSheet(QStringLiteral("color: #c0392b;"));
    problem_->hide();
    connect(problem_, &QLabel::linkActivated, this, [this] { Q_EMIT downloadRequested(); });

    open_->setObjectName(QStringLiteral("imageInputOpen"));
    open_->setToolTip(tr("Choose a picture (PNG, JPEG, WebP, …); you can also drop one here"));
    clear_->setObjectName(QStringLiteral("imageInputClear"));
    clear_->setToolTip(tr("Back to text to image"));
    connect(open_, &QPushButton::clicked, this, &ImageInputPanel::openImage);
    connect(clear_, &QPushButton::clicked, this, &ImageInputPanel::clear);

    mode_->setObjectName(QStringLiteral("imageInputMode"));
    mode_->addItem(tr("Image to image"));
    mode_->setItemData(0, tr("Start from the picture, noised to the strength: low keeps it, high changes more"),
                       Qt::ToolTipRole);
    mode_->addItem(tr("Variations (image prompt)"));
    mode_->setItemData(1, tr("The picture's CLIP embedding guides Stage C; a prompt is optional"), Qt::ToolTipRole);
    mode_->addItem(tr("ControlNet"));
    mode_->setItemData(2, tr("Canny edges, inpainting/outpainting or ×2 super-resolution (needs Stage C 3.6B)"),
                       Qt::ToolTipRole);
    mode_->addItem(tr("Reconstruct (Stage B/A only)"));
    mode_->setItemData(3, tr("What the Stage B/A compression keeps of the picture; no Stage C, no prompt"),
                       Qt::ToolTipRole);
    controlKind_->setObjectName(QStringLiteral("controlKind"));
    for (const Choice<ControlKind>& row : choiceTable<ControlKind>().rows) // the ControlNet table
        controlKind_->addItem(choiceLabel(row), int(row.value));
    strength_->setObjectName(QStringLiteral("imageStrength"));
    strength_->setToolTip(
        tr("Noise level of the picture: Stage C runs this share of its steps (1 = ignore the picture)"));
    controlStrength_->setObjectName(QStringLiteral("controlStrength"));
    controlStrength_->setToolTip(tr("Multiplies the ControlNet's features (1 = as trained)"));
    paintMask_->setObjectName(QStringLiteral("paintMask"));
    paintMask_->setToolTip(tr("Paint the area to repaint, or add canvas on the sides (outpainting)"));
    connect(paintMask_, &QPushButton::clicked, this, &ImageInputPanel::editMask);

    const auto changedUi = [this] {
        problem_->hide();
        updateUi();
        refreshControlPreview();
        Q_EMIT changed();
    };
    connect(mode_, &QComboBox::currentIndexChanged, this, changedUi);
    connect(controlKind_, &QComboBox::currentIndexChanged, this, changedUi);
    connect(strength_, &SliderSpinBox::valueChanged, this, [this] { Q_EMIT changed(); });
    connect(controlStrength_, &SliderSpinBox::valueChanged, this, [this] { Q_EMIT changed(); });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(open_);
    buttons->addWidget(clear_);
    buttons->addStretch(1);
    auto* thumbs = new QGridLayout;
    thumbs->addWidget(thumbnail_, 0, 0);
    thumbs->addWidget(controlThumb_, 0, 1);
    thumbs->addWidget(controlCaption_, 1, 1);
    auto* form = new QGridLayout;
    form->addWidget(new QLabel(tr("Use it for:"), this), 0, 0);
    form->addWidget(mode_, 0, 1);
    form->addWidget(controlKindLabel_, 1, 0);
    form->addWidget(controlKind_, 1, 1);
    form->addWidget(strengthLabel_, 2, 0);
    form->addWidget(strength_, 2, 1);
    form->addWidget(controlStrengthLabel_, 3, 0);
    form->addWidget(controlStrength_, 3, 1);
    form->addWidget(paintMask_, 4, 1);
    form->setColumnStretch(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addLayout(thumbs);
    layout->addLayout(form);
    layout->addWidget(info_);
    layout->addWidget(problem_);
    layout->addStretch(1);

    const auto galleryAction = [this](const char* name, const QString& text, const QString& tip, Mode mode,
                                      std::optional<ControlKind> kind) {
        auto* action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        action->setToolTip(tip);
        action->setStatusTip(tip);
        connect(action, &QAction::triggered, this, [this, mode, kind] { useFromGallery(mode, kind); });
        galleryActions_ << action;
    };
    auto* separator = new QAction(this);
    separator->setSeparator(true);
    galleryActions_ << separator;
    galleryAction("actionUseAsInitImage", tr("Use as &init image"),
                  tr("Image to image from the selected picture (Image tab)"), Mode::ImageToImage, std::nullopt);
    galleryAction("actionVariations", tr("&Variations"), tr("New pictures like the selected one (image prompt)"),
                  Mode::Variation, std::nullopt);
    galleryAction("actionUpscale", tr("&Upscale ×2"), tr("Super-resolution ControlNet on the selected picture"),
                  Mode::ControlNet, ControlKind::SuperResolution);
    galleryAction("actionEditInpaint", tr("&Edit (inpaint)…"),
                  tr("Paint over part of the selected picture and repaint it"), Mode::ControlNet, ControlKind::Inpaint);
    updateUi();
}

bool ImageInputPanel::setImageFile(const QString& path, bool quiet)
{
    InputImage loaded;
    try {
        loaded = core::loadInputImage(path, tr("picture"));
    } catch (const Error& error) {
        if (!quiet)
            QMessageBox::warning(this, tr("Cannot use this picture"), QString::fromStdString(error.what()));
        return false;
    }
    image_ = std::move(loaded);
    picture_ = imagePanelToQImage(image_.pixels);
    maskImage_ = {};
    maskInput_ = {};
    outpaint_ = {};
    problem_->hide();
    updateUi();
    refreshControlPreview();
    Q_EMIT changed();
    return true;
}

void ImageInputPanel::setMode(Mode mode)
{
    mode_->setCurrentIndex(int(mode));
}

ImageInputPanel::Mode ImageInputPanel::mode() const
{
    return Mode(mode_->currentIndex());
}

void ImageInputPanel::setControlKind(ControlKind kind)
{
    controlKind_->setCurrentIndex(controlKind_->findData(int(kind)));
}

ControlKind ImageInputPanel::controlKind() const
{
    return ControlKind(controlKind_->currentData().toInt());
}

void ImageInputPanel::setStrength(double strength)
{
    strength_->setValue(strength);
}

double ImageInputPanel::strength() const
{
    return strength_->value();
}

void ImageInputPanel::setControlStrength(double strength)
{
    controlStrength_->setValue(strength);
}

double ImageInputPanel::controlStrength() const
{
    return controlStrength_->value();
}

void ImageInputPanel::setMask(const QImage& mask, Outpaint outpaint)
{
    maskImage_ = mask.isNull() ? QImage() : mask.convertToFormat(QImage::Format_Grayscale8);
    maskInput_ = maskImage_.isNull() ? InputImage{} : imagePanelSaveMask(maskImage_);
    outpaint_ = outpaint;
    problem_->hide();
    updateUi();
    refreshControlPreview();
    Q_EMIT changed();
}

void ImageInputPanel::clear()
{
    image_ = {};
    picture_ = {};
    maskImage_ = {};
    maskInput_ = {};
    outpaint_ = {};
    controlPreview_ = {};
    ++previewTicket_;
    problem_->hide();
    updateUi();
    Q_EMIT changed();
}

QString ImageInputPanel::applyTo(ImageInputs& inputs) const
{
    if (!image_.loaded())
        return {};
    switch (mode()) {
    case Mode::ImageToImage:
        inputs.init = image_;
        inputs.strength = strength();
        break;
    case Mode::Variation: inputs.imagePrompt = image_; break;
    case Mode::Reconstruct:
        inputs.init = image_;
        inputs.reconstruct = true;
        break;
    case Mode::ControlNet:
        switch (controlKind()) {
        case ControlKind::Canny:
        case ControlKind::SuperResolution: inputs.controlImage = image_; break;
        case ControlKind::Inpaint: {
            bool painted = false;
            for (int y = 0; y < maskImage_.height() && !painted; ++y) {
                const uchar* row = maskImage_.constScanLine(y);
                for (int x = 0; x < maskImage_.width() && !painted; ++x)
                    painted = row[x] > 127;
            }
            if (!painted && !outpaint_.any())
                return tr("Inpainting needs a mask: paint the area to repaint or extend the canvas (Paint mask / "
                          "extend…).");
            inputs.init = image_;
            if (painted)
                inputs.mask = maskInput_;
            inputs.outpaint = outpaint_;
            break;
        }
        }
        inputs.control = controlKind();
        inputs.controlStrength = controlStrength();
        break;
    }
    return {};
}

void ImageInputPanel::setInputs(const ImageInputs& inputs)
{
    const InputImage* picture = nullptr;
    Mode mode = Mode::ImageToImage;
    if (inputs.control) {
        mode = Mode::ControlNet;
        picture = *inputs.control == ControlKind::Inpaint ? &inputs.init : &inputs.controlImage;
        if (!picture->loaded())
            picture = &inputs.init;
    } else if (inputs.reconstruct) {
        mode = Mode::Reconstruct;
        picture = &inputs.init;
    } else if (inputs.init.loaded()) {
        picture = &inputs.init;
    } else if (inputs.imagePrompt.loaded()) {
        mode = Mode::Variation;
        picture = &inputs.imagePrompt;
    }
    if (!picture || !picture->loaded()) {
        clear();
        return;
    }
    image_ = *picture;
    picture_ = imagePanelToQImage(image_.pixels);
    maskImage_ = {};
    maskInput_ = {};
    outpaint_ = inputs.outpaint;
    if (inputs.mask.loaded()) {
        maskInput_ = inputs.mask;
        maskImage_ =
            imagePanelToQImage(inputs.mask.pixels).scaled(picture_.size()).convertToFormat(QImage::Format_Grayscale8);
    }
    const QSignalBlocker blockMode(mode_), blockKind(controlKind_);
    setMode(mode);
    if (inputs.control)
        setControlKind(*inputs.control);
    if (inputs.strength)
        setStrength(*inputs.strength);
    setControlStrength(inputs.controlStrength);
    problem_->hide();
    updateUi();
    refreshControlPreview();
    Q_EMIT changed();
}

QString ImageInputPanel::tabTitle() const
{
    if (!image_.loaded())
        return tr("Image");
    QString what = mode_->currentText();
    if (mode() == Mode::ControlNet)
        what = controlKind_->currentText();
    return tr("Image · %1").arg(what);
}

void ImageInputPanel::showProblem(const QString& message)
{
    problem_->setText(message.toHtmlEscaped() + QStringLiteral(" <a href=\"download\">") + tr("Download…") +
                      QStringLiteral("</a>"));
    problem_->show();
}

void ImageInputPanel::openImage()
{
    QStringList patterns;
    for (const QByteArray& format : QImageReader::supportedImageFormats())
        patterns << QStringLiteral("*.") + QString::fromLatin1(format);
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a picture"), QString(),
                                                      tr("Pictures (%1)").arg(patterns.join(QLatin1Char(' '))));
    if (!path.isEmpty())
        setImageFile(path);
}

void ImageInputPanel::editMask()
{
    if (!image_.loaded())
        return;
    setMode(Mode::ControlNet);
    setControlKind(ControlKind::Inpaint);
    MaskPainter painter(picture_, maskImage_, outpaint_, this);
    if (painter.exec() == QDialog::Accepted)
        setMask(painter.maskEmpty() ? QImage() : painter.mask(), painter.outpaint());
}

void ImageInputPanel::useFromGallery(Mode mode, std::optional<ControlKind> kind)
{
    const QString path = source_ ? source_() : QString();
    if (path.isEmpty() || !setImageFile(path))
        return;
    setMode(mode);
    if (kind)
        setControlKind(*kind);
    Q_EMIT activated();
    if (kind == ControlKind::Inpaint)
        editMask();
}

void ImageInputPanel::dragEnterEvent(QDragEnterEvent* event)
{
    if (!imagePanelDroppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ImageInputPanel::dropEvent(QDropEvent* event)
{
    const QString path = imagePanelDroppedFile(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    setImageFile(path);
}

void ImageInputPanel::updateUi()
{
    const bool have = image_.loaded();
    const Mode m = mode();
    const bool control = m == Mode::ControlNet;
    const bool inpaint = control && controlKind() == ControlKind::Inpaint;
    controlKindLabel_->setVisible(control);
    controlKind_->setVisible(control);
    controlStrengthLabel_->setVisible(control);
    controlStrength_->setVisible(control);
    strengthLabel_->setVisible(m == Mode::ImageToImage);
    strength_->setVisible(m == Mode::ImageToImage);
    paintMask_->setVisible(inpaint);
    paintMask_->setEnabled(have);
    clear_->setEnabled(have);
    controlThumb_->setVisible(have && control);
    controlCaption_->setVisible(have && control);
    if (!have) {
        thumbnail_->setPixmap({});
        thumbnail_->setText(tr("Drop a picture here\nor open one"));
        info_->setText(tr("No picture: the next job is text to image. Pictures can also come from the gallery "
                          "(right-click an image)."));
        return;
    }
    thumbnail_->setPixmap(imagePanelThumb(picture_));
    thumbnail_->setToolTip(QString::fromStdString(image_.source));
    QString text = tr("%1 × %2 · %3")
                       .arg(picture_.width())
                       .arg(picture_.height())
                       .arg(QFileInfo(QString::fromStdString(image_.source)).fileName());
    switch (m) {
    case Mode::ImageToImage: text += QLatin1Char('\n') + tr("Needs effnet_encoder.safetensors."); break;
    case Mode::Variation: text += QLatin1Char('\n') + tr("Needs the image encoder (image_encoder/)."); break;
    case Mode::Reconstruct:
        text += QLatin1Char('\n') + tr("Needs effnet_encoder.safetensors. The size comes from the picture.");
        break;
    case Mode::ControlNet:
        text += QLatin1Char('\n') +
                tr("Needs controlnet/%1 and Stage C 3.6B.").arg(QLatin1String(controlKindFileName(controlKind())));
        if (controlKind() != ControlKind::Canny)
            text += QLatin1Char(' ') + tr("Also effnet_encoder.safetensors.");
        if (controlKind() == ControlKind::SuperResolution)
            text += QLatin1Char(' ') + tr("The output is about 2.67× the picture.");
        if (inpaint && outpaint_.any())
            text += QLatin1Char('\n') + tr("Canvas extended by %1, %2, %3, %4 px (left, top, right, bottom).")
                                            .arg(outpaint_.left)
                                            .arg(outpaint_.top)
                                            .arg(outpaint_.right)
                                            .arg(outpaint_.bottom);
        break;
    }
    info_->setText(text);
}

void ImageInputPanel::refreshControlPreview()
{
    const quint64 ticket = ++previewTicket_;
    controlPreview_ = {};
    if (!image_.loaded() || mode() != Mode::ControlNet) {
        controlThumb_->setPixmap({});
        return;
    }
    switch (controlKind()) {
    case ControlKind::Canny: {
        controlCaption_->setText(tr("Canny edges"));
        controlThumb_->setPixmap({});
        controlThumb_->setText(tr("Computing…"));
        // OpenCV on a full-size photo takes a moment: off the GUI thread; a newer request wins.
        const QImage picture = picture_;
        const QSize size = picture.size().scaled(kThumbSize * 2, kThumbSize * 2, Qt::KeepAspectRatio);
        QPointer<ImageInputPanel> self(this);
        QThread* thread = QThread::create([self, picture, size, ticket] {
            const QImage edges = core::cannyEdgesPreview(picture, size);
            QMetaObject::invokeMethod(
                qApp,
                [self, edges, ticket] {
                    if (!self || self->previewTicket_ != ticket)
                        return;
                    self->controlPreview_ = edges;
                    self->controlThumb_->setPixmap(imagePanelThumb(edges));
                    Q_EMIT self->controlPreviewReady();
                },
                Qt::QueuedConnection);
        });
        thread->setObjectName(QStringLiteral("kaskade-canny-preview"));
        connect(thread, &QThread::finished, thread, &QObject::deleteLater);
        thread->start(QThread::LowPriority);
        return;
    }
    case ControlKind::Inpaint: {
        // What the inpainting ControlNet sees: the picture with the area to repaint blanked (white), on the
        // extended canvas.
        controlCaption_->setText(tr("Area to repaint"));
        const int w = picture_.width() + outpaint_.left + outpaint_.right;
        const int h = picture_.height() + outpaint_.top + outpaint_.bottom;
        QImage canvas(w, h, QImage::Format_RGB32);
        canvas.fill(Qt::white);
        QImage shown = picture_.convertToFormat(QImage::Format_RGB32);
        if (!maskImage_.isNull()) {
            const QImage mask = maskImage_.scaled(shown.size());
            for (int y = 0; y < shown.height(); ++y) {
                auto* row = reinterpret_cast<QRgb*>(shown.scanLine(y));
                const uchar* m = mask.constScanLine(y);
                for (int x = 0; x < shown.width(); ++x)
                    if (m[x] > 127)
                        row[x] = qRgb(255, 255, 255);
            }
        }
        QPainter painter(&canvas);
        painter.drawImage(outpaint_.left, outpaint_.top, shown);
        painter.end();
        controlPreview_ = canvas;
        break;
    }
    case ControlKind::SuperResolution:
        controlCaption_->setText(tr("Upscaled ×2 (about 2.67× output)"));
        controlPreview_ = picture_;
        break;
    }
    controlThumb_->setText({});
    controlThumb_->setPixmap(imagePanelThumb(controlPreview_));
    Q_EMIT controlPreviewReady();
}

} // namespace kaskade::ui
