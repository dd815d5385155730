// The Image tab offscreen: a picture + mode + strength in the panel must reach the generator as
// GenerationParams::images; the canny preview comes from OpenCV off the GUI thread; the mask painter's
// strokes, undo, invert and canvas extension give the expected mask pixels; gallery actions fill the panel.
#include "tests/ui/ui_test_support.h"
#include "ui/gallery_model.h"
#include "ui/gallery_panel.h"
#include "ui/generation_controller.h"
#include "ui/image_input_panel.h"
#include "ui/main_window.h"
#include "ui/mask_painter.h"

#include "app/core/image_inputs.h"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QListView>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace kaskade;
using namespace kaskade::ui;

class TestImageInputs : public test::MainWindowTest
{
    Q_OBJECT

    // 96×64: grey with a black square (sharp edges for Canny).
    QString writePicture(const QString& name, const char* format = "PNG")
    {
        QImage image(96, 64, QImage::Format_RGB32);
        image.fill(QColor(200, 200, 200));
        QPainter painter(&image);
        painter.fillRect(QRect(32, 16, 32, 32), Qt::black);
        painter.end();
        const QString path = dir_.filePath(name);
        if (!image.save(path, format))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    static int countAbove(const QImage& grey, int threshold = 127)
    {
        int n = 0;
        const QImage g = grey.convertToFormat(QImage::Format_Grayscale8);
        for (int y = 0; y < g.height(); ++y)
            for (int x = 0; x < g.width(); ++x)
                n += g.constScanLine(y)[x] > threshold;
        return n;
    }

    std::unique_ptr<MainWindow> readyWindow()
    {
        auto window = std::make_unique<MainWindow>(test::fakeHooks(state_));
        window->show();
        if (!QTest::qWaitFor([&] { return window->controller()->modelReady(); }, 10000))
            qWarning("the fake model did not load");
        setSmall(*window, 256, 4);
        return window;
    }

private Q_SLOTS:
    void initTestCase() { prepareTestCase(); }
    void init() { prepareTest(); }

    void initImageAndStrengthReachTheGenerator()
    {
        auto window = readyWindow();
        QVERIFY(window->controller()->modelReady());
        const QString path = writePicture(QStringLiteral("init.jpg"), "JPEG");
        ImageInputPanel* panel = window->imageInputs();
        QVERIFY(panel);
        QVERIFY(panel->setImageFile(path, true));
        panel->setMode(ImageInputPanel::Mode::ImageToImage);
        // The strength through its spin box, as a user types it.
        auto* strength = panel->findChild<QWidget*>(QStringLiteral("imageStrength"))->findChild<QDoubleSpinBox*>();
        strength->setValue(0.55);
        QCOMPARE(window->findChild<QTabWidget*>(QStringLiteral("sideTabs"))->tabText(2),
                 panel->tabTitle()); // "Image · Image to image"
        QSignalSpy previews(window->controller(), &GenerationController::preview);
        window->findChild<QAction*>(QStringLiteral("actionGenerate"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(window->gallery()->rowCount(), 1, 10000);
        QVERIFY(previews.count() > 0); // live previews in image modes too

        const GenerationParams seen = state_->lastParams();
        const ImageInputs& in = seen.images;
        QVERIFY(in.init.loaded());
        QCOMPARE(in.init.pixels.width, 96);
        QCOMPARE(in.init.pixels.height, 64);
        QCOMPARE(QString::fromStdString(in.init.source), QFileInfo(path).absoluteFilePath());
        QCOMPARE(QString::fromStdString(in.init.sha256), core::fileSha256(path));
        QVERIFY(in.strength.has_value());
        QCOMPARE(*in.strength, 0.55);
        QVERIFY(!in.control);
        QVERIFY(in.imagePrompt.empty());
        QVERIFY(!in.reconstruct);
        QCOMPARE(QString::fromStdString(in.modeName()), QStringLiteral("img2img"));

        // Clear: the next job is text to image again.
        panel->findChild<QPushButton*>(QStringLiteral("imageInputClear"))->click();
        window->findChild<QAction*>(QStringLiteral("actionGenerate"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(window->gallery()->rowCount(), 2, 10000);
        QVERIFY(!state_->lastParams().images.any());
    }

    void controlNetModesFillTheirFields()
    {
        ImageInputPanel panel;
        const QString path = writePicture(QStringLiteral("control.png"));
        QVERIFY(panel.setImageFile(path, true));
        panel.setMode(ImageInputPanel::Mode::ControlNet);
        panel.setControlKind(ControlKind::SuperResolution);
        panel.setControlStrength(0.7);
        ImageInputs sr;
        QCOMPARE(panel.applyTo(sr), QString());
        QVERIFY(sr.control == ControlKind::SuperResolution);
        QVERIFY(sr.controlImage.loaded());
        QVERIFY(sr.init.empty());
        QCOMPARE(sr.controlStrength, 0.7);

        panel.setMode(ImageInputPanel::Mode::Variation);
        ImageInputs variation;
        QCOMPARE(panel.applyTo(variation), QString());
        QVERIFY(variation.imagePrompt.loaded());
        QVERIFY(!variation.control);

        panel.setMode(ImageInputPanel::Mode::Reconstruct);
        ImageInputs reconstruct;
        QCOMPARE(panel.applyTo(reconstruct), QString());
        QVERIFY(reconstruct.reconstruct && reconstruct.init.loaded());

        // Inpainting without a mask or extension is refused with a reason; with a mask it is complete.
        panel.setMode(ImageInputPanel::Mode::ControlNet);
        panel.setControlKind(ControlKind::Inpaint);
        ImageInputs refused;
        QVERIFY(!panel.applyTo(refused).isEmpty());
        QVERIFY(!refused.any());
        QImage mask(96, 64, QImage::Format_Grayscale8);
        mask.fill(0);
        QPainter(&mask).fillRect(QRect(0, 0, 10, 64), Qt::white);
        panel.setMask(mask, Outpaint{0, 0, 64, 0});
        ImageInputs inpaint;
        QCOMPARE(panel.applyTo(inpaint), QString());
        QVERIFY(inpaint.control == ControlKind::Inpaint);
        QVERIFY(inpaint.init.loaded());
        QVERIFY(inpaint.mask.loaded());
        QCOMPARE(countAbove(QImage(inpaint.mask.pixels.rgb.data(), 96, 64, 96 * 3, QImage::Format_RGB888)), 10 * 64);
        QCOMPARE(inpaint.outpaint, (Outpaint{0, 0, 64, 0}));
        // The mask was saved so that the metadata can name it: the recorded hash is the file's.
        QVERIFY(!inpaint.mask.source.empty());
        QCOMPARE(QString::fromStdString(inpaint.mask.sha256),
                 core::fileSha256(QString::fromStdString(inpaint.mask.source)));
        // The derived control image: picture on the extended canvas, masked part white.
        QCOMPARE(panel.controlPreview().size(), QSize(96 + 64, 64));
    }

    void cannyPreviewShowsTheSquaresEdges()
    {
        ImageInputPanel panel;
        QVERIFY(panel.setImageFile(writePicture(QStringLiteral("canny.png")), true));
        QSignalSpy ready(&panel, &ImageInputPanel::controlPreviewReady);
        panel.setMode(ImageInputPanel::Mode::ControlNet);
        panel.setControlKind(ControlKind::Canny);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controlPreview().isNull(), 10000);
        const QImage edges = panel.controlPreview().convertToFormat(QImage::Format_Grayscale8);
        QVERIFY(countAbove(edges, 40) > 20); // the square's outline
        // Inside the square and far from it there are no edges.
        const auto at = [&](double fx, double fy) {
            return edges.constScanLine(int(fy * edges.height()))[int(fx * edges.width())];
        };
        QCOMPARE(int(at(0.5, 0.5)), 0);
        QCOMPARE(int(at(0.1, 0.1)), 0);
    }

    void maskPainterPaintUndoInvert()
    {
        QImage picture(100, 80, QImage::Format_RGB32);
        picture.fill(Qt::gray);
        MaskPainter painter(picture);
        QVERIFY(painter.maskEmpty());
        painter.setBrushSize(10);
        painter.stroke(QPointF(20, 40), QPointF(80, 40)); // a horizontal band 10 px high
        const QImage once = painter.mask();
        QCOMPARE(once.size(), QSize(100, 80));
        QCOMPARE(int(once.pixel(50, 40) & 0xff), 255);
        QCOMPARE(int(once.pixel(50, 10) & 0xff), 0);
        const int painted = countAbove(once);
        QVERIFY(painted >= 55 * 9 && painted <= 75 * 11);

        // The eraser takes part of it away; undo brings it back.
        painter.setEraser(true);
        painter.stroke(QPointF(50, 40), QPointF(50, 40));
        QCOMPARE(int(painter.mask().pixel(50, 40) & 0xff), 0);
        QVERIFY(painter.undo());
        QCOMPARE(painter.mask(), once);

        // Invert: exactly the complement; undo restores; one more undo empties, then nothing is left.
        painter.invert();
        QCOMPARE(countAbove(painter.mask()), 100 * 80 - painted);
        QCOMPARE(int(painter.mask().pixel(50, 10) & 0xff), 255);
        QVERIFY(painter.undo());
        QCOMPARE(painter.mask(), once);
        QVERIFY(painter.undo());
        QVERIFY(painter.maskEmpty());
        QVERIFY(!painter.undo());

        // The mouse paints where it is: a click in the canvas centre marks the picture's centre.
        painter.resize(600, 500);
        painter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&painter));
        painter.setEraser(false);
        MaskCanvas* canvas = painter.canvas();
        const QPoint centre = canvas->toWidget(QPointF(50, 40)).toPoint();
        QTest::mouseClick(canvas, Qt::LeftButton, {}, centre);
        QCOMPARE(int(painter.mask().pixel(50, 40) & 0xff), 255);
        QCOMPARE(int(painter.mask().pixel(5, 5) & 0xff), 0);

        // Outpainting margins.
        painter.findChild<QSpinBox*>(QStringLiteral("outpaintLeft"))->setValue(128);
        painter.findChild<QSpinBox*>(QStringLiteral("outpaintBottom"))->setValue(64);
        QCOMPARE(painter.outpaint(), (Outpaint{128, 0, 0, 64}));
    }

    void galleryActionSendsPictureToThePanel()
    {
        auto window = readyWindow();
        QVERIFY(window->controller()->modelReady());
        window->findChild<QAction*>(QStringLiteral("actionGenerate"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(window->gallery()->rowCount(), 1, 10000);
        window->galleryPanel()->selectRow(0);
        QAction* variations = window->findChild<QAction*>(QStringLiteral("actionVariations"));
        QVERIFY(variations);
        QTRY_VERIFY(variations->isEnabled());
        QVERIFY(window->galleryPanel()->view()->actions().contains(variations)); // in the context menu
        variations->trigger();
        ImageInputPanel* panel = window->imageInputs();
        QVERIFY(panel->hasImage());
        QCOMPARE(panel->mode(), ImageInputPanel::Mode::Variation);
        QCOMPARE(QString::fromStdString(panel->image().source),
                 window->gallery()->index(0).data(GalleryModel::PathRole).toString());
        window->findChild<QAction*>(QStringLiteral("actionGenerate"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(window->gallery()->rowCount(), 2, 10000);
        QVERIFY(state_->lastParams().images.imagePrompt.loaded());
    }
};

QTEST_MAIN(TestImageInputs)
#include "test_image_inputs.moc"
