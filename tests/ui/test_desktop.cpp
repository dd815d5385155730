// Issue 13 as a user meets it, offscreen: each of the seven reported problems (each test fails on the code
// before the fix), then the viewer, compare, gallery grid/list/search/sort/undo, the LoRA panel and the
// <lora:name:w> prompt syntax, the theme switch, and restoring an image with a sampler Kaskade lacks.
#include "tests/ui/ui_test_support.h"
#include "ui/gallery_model.h"
#include "ui/gallery_panel.h"
#include "ui/generation_controller.h"
#include "ui/image_viewer.h"
#include "ui/lora_panel.h"
#include "ui/main_window.h"
#include "ui/model_controller.h"
#include "ui/parameter_panel.h"
#include "ui/preview_pane.h"
#include "ui/prompt_editor.h"
#include "ui/stall_probe.h"
#include "ui/theme.h"

#include "pipeline/device.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTranslator>
#include <QWheelEvent>

using namespace kaskade;
using namespace kaskade::ui;

class TestDesktop : public test::MainWindowTest
{
    Q_OBJECT

    std::unique_ptr<MainWindow> makeWindow()
    {
        auto window = std::make_unique<MainWindow>(test::fakeHooks(state_));
        window->resize(1400, 900);
        window->show();
        if (!QTest::qWaitFor([&] { return window->controller()->modelReady(); }, 10000))
            qWarning("the model did not load");
        return window;
    }

    // The error box shown last (showError opens it without blocking).
    static QMessageBox* errorBox(MainWindow& window)
    {
        const auto boxes = window.findChildren<QMessageBox*>(QStringLiteral("errorDialog"));
        return boxes.isEmpty() ? nullptr : boxes.last();
    }

    static double meanOpaqueLightness(const QImage& image)
    {
        double sum = 0;
        int n = 0;
        const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
        for (int y = 0; y < argb.height(); ++y)
            for (int x = 0; x < argb.width(); ++x) {
                const QColor c = QColor::fromRgba(argb.pixel(x, y));
                if (c.alpha() > 160) {
                    sum += c.lightness();
                    ++n;
                }
            }
        return n ? sum / n : -1;
    }

    void generateAndWait(MainWindow& window, const QString& prompt, int rows)
    {
        window.promptEditor()->setPrompt(prompt);
        action(window, "actionGenerate")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(window.gallery()->rowCount(), rows, 10000);
    }

private Q_SLOTS:
    void initTestCase() { prepareTestCase(); }
    void init() { prepareTest(); }

    void cleanup() { applyTheme(QStringLiteral("system")); }

    // 1. Preferences ▸ OK must not reset the parameter panel.
    void preferencesOkKeepsPanel()
    {
        auto window = makeWindow();
        window->findChild<QSpinBox*>(QStringLiteral("widthSpin"))->setValue(384);
        auto* seed = window->findChild<QLineEdit*>(QStringLiteral("seedEdit"));
        seed->setText(QStringLiteral("4711"));
        window->findChild<QCheckBox*>(QStringLiteral("lockSeedCheck"))->setChecked(true);
        bool accepted = false;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            auto* dialog = window->findChild<QDialog*>(QStringLiteral("preferencesDialog"));
            if (!dialog || !dialog->isVisible())
                return;
            dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
            accepted = true;
            poll.stop();
        });
        poll.start(20);
        window->showPreferences();
        QVERIFY(accepted);
        QCOMPARE(window->findChild<QSpinBox*>(QStringLiteral("widthSpin"))->value(), 384);
        QCOMPARE(seed->text(), QStringLiteral("4711"));
        QVERIFY(window->findChild<QCheckBox*>(QStringLiteral("lockSeedCheck"))->isChecked());
        QCOMPARE(window->parameters()->params().seed.value_or(0), quint64(4711));
    }

    // 2. A failed load keeps the previous model; the job queued behind it runs.
    void failedLoraKeepsModelAndQueue()
    {
        state_->script.failLoadIfContains = "bad";
        auto window = makeWindow();
        setSmall(*window, 128);
        window->modelController()->addLora(dir_.filePath(QStringLiteral("bad_style.safetensors")), 0.8);
        generateAndWait(*window, QStringLiteral("queued behind a bad LoRA"), 1);
        QVERIFY(window->controller()->modelReady());
        QVERIFY(window->modelController()->loras().isEmpty());
        QTRY_VERIFY(errorBox(*window));
        QMessageBox* box = errorBox(*window);
        // 3. The headline says what failed, the advice what to do; not "checkpoint does not match".
        QVERIFY2(box->text().contains(QStringLiteral("LoRA")), qPrintable(box->text()));
        QVERIFY2(box->text().contains(QStringLiteral("bad_style.safetensors")), qPrintable(box->text()));
        QVERIFY2(!box->informativeText().contains(QStringLiteral("does not match")),
                 qPrintable(box->informativeText()));
        QVERIFY(box->informativeText().contains(QStringLiteral("previous model stays loaded")));
    }

    void failedStageCIsNotSavedForNextStart()
    {
        state_->script.failLoadIfContains = "bad";
        const QString folder = dir_.filePath(QStringLiteral("models-a"));
        QDir().mkpath(folder);
        {
            auto window = makeWindow();
            QSignalSpy loaded(window->controller(), &GenerationController::modelLoaded);
            window->loadModelFolder(folder);
            QVERIFY(loaded.wait(5000));
            window->modelController()->setCheckpoint(true, dir_.filePath(QStringLiteral("bad_stage_c.safetensors")));
            QVERIFY(loaded.wait(5000)); // the previous set again
            QTRY_VERIFY(errorBox(*window));
            QVERIFY(errorBox(*window)->text().contains(QStringLiteral("Stage C")));
            window->close();
        }
        core::Settings settings;
        QCOMPARE(settings.value(core::keys::stageCFile), QString());
        auto window = makeWindow(); // opens without an error
        QCOMPARE(QString::fromStdString(window->modelController()->spec().directory), folder);
        QVERIFY(!errorBox(*window));
    }

    // 3. CUDA is offered only where this build and machine have it.
    void cudaOfferedOnlyWhereAvailable()
    {
        auto window = makeWindow();
        auto* device = window->findChild<QComboBox*>(QStringLiteral("deviceCombo"));
        QVERIFY(device);
        bool offersCuda = false;
        for (int i = 0; i < device->count(); ++i)
            offersCuda |= device->itemData(i).toString().startsWith(QLatin1String("cuda"));
        QCOMPARE(offersCuda, cudaAvailable());
    }

    // 4. The wheel scrolls the panel instead of changing the combo box under the mouse: an unfocused field
    // leaves the event unaccepted, so QApplication hands a real (spontaneous) wheel event on to the parents,
    // up to the scroll area. (QTest cannot send spontaneous events; the scrolling was checked under Xvfb.)
    void wheelScrollsPanelNotFields()
    {
        auto window = makeWindow();
        window->promptEditor()->promptEdit()->setFocus();
        const auto turn = [](QWidget* widget) {
            QWheelEvent wheel(QPointF(5, 5), widget->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, -120),
                              Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(widget, &wheel);
            return wheel.isAccepted();
        };
        for (const char* name : {"deviceCombo", "samplerCombo", "precisionCombo", "widthSpin", "compressionSpin"}) {
            auto* field = window->findChild<QWidget*>(QLatin1String(name));
            QVERIFY2(field && !field->hasFocus(), name);
            const QString before = field->property("currentIndex").isValid()
                                       ? field->property("currentIndex").toString()
                                       : field->property("value").toString();
            QVERIFY2(!turn(field), name); // left for the scroll area
            const QString after = field->property("currentIndex").isValid() ? field->property("currentIndex").toString()
                                                                            : field->property("value").toString();
            QCOMPARE(after, before);
        }
        auto* slider = window->findChild<QWidget*>(QStringLiteral("stageCCfg"))->findChild<QSlider*>();
        const int value = slider->value();
        QVERIFY(!turn(slider));
        QCOMPARE(slider->value(), value);
        // The panel's own scroll bar is not guarded.
        auto* scroll = window->findChild<QScrollArea*>(QStringLiteral("parameterScroll"));
        QVERIFY(scroll);
        // With focus the field takes the wheel as usual.
        auto* sampler = window->findChild<QComboBox*>(QStringLiteral("samplerCombo"));
        sampler->setFocus();
        QTRY_VERIFY(sampler->hasFocus());
        const int before = sampler->currentIndex();
        QVERIFY(turn(sampler));
        QVERIFY(sampler->currentIndex() != before);
    }

    // 5. Dark palettes: icons and the demo banner follow; Preferences offers the theme.
    void darkThemeRecoloursIconsAndBanner()
    {
        auto window = makeWindow();
        auto* banner = window->findChild<QWidget*>(QStringLiteral("demoBanner"));
        QTRY_VERIFY(banner->isVisible());
        applyTheme(QStringLiteral("dark"));
        QApplication::processEvents();
        QVERIFY(isDarkPalette(window->palette()));
        const double window_ = window->palette().color(QPalette::Window).lightness();
        for (const char* name : {"actionOpenOutputFolder", "actionPreferences", "actionSaveAs"}) {
            const QImage icon = action(*window, name)->icon().pixmap(24, 24).toImage();
            const double ink = meanOpaqueLightness(icon);
            QVERIFY2(
                ink - window_ > 100,
                qPrintable(QStringLiteral("%1: icon %2 on window %3").arg(QLatin1String(name)).arg(ink).arg(window_)));
        }
        const QImage bannerImage = banner->grab().toImage();
        const QColor bannerBackground = bannerImage.pixelColor(bannerImage.width() / 2, 3);
        QVERIFY2(bannerBackground.lightness() < 110, qPrintable(bannerBackground.name()));
        applyTheme(QStringLiteral("light"));
        QApplication::processEvents();
        QVERIFY(!isDarkPalette(window->palette()));
        QVERIFY(meanOpaqueLightness(action(*window, "actionOpenOutputFolder")->icon().pixmap(24, 24).toImage()) < 110);
    }

    // 6. A batch shows as a grid, and the caption uses plural forms.
    void batchShowsGridWithPluralCaption()
    {
        QTranslator english;
        const bool translated = english.load(QStringLiteral(KASKADE_BIN_DIR "/kaskade_en.qm"));
        if (translated)
            QCoreApplication::installTranslator(&english);
        auto window = makeWindow();
        setSmall(*window, 128);
        window->findChild<QSpinBox*>(QStringLiteral("batchSpin"))->setValue(3);
        generateAndWait(*window, QStringLiteral("three foxes"), 3);
        QCOMPARE(window->previewPane()->view()->imageCount(), 3);
        const QList<QLabel*> labels = window->previewPane()->findChildren<QLabel*>();
        QString caption;
        for (QLabel* label : labels)
            if (label->text().startsWith(QStringLiteral("three foxes")))
                caption = label->text();
        QVERIFY2(caption.contains(QStringLiteral("3")), qPrintable(caption));
        if (translated) {
            QVERIFY2(caption.endsWith(QStringLiteral("3 images")), qPrintable(caption));
            QCoreApplication::removeTranslator(&english);
        } else {
            qWarning("kaskade_en.qm not found in %s: plural wording not checked", KASKADE_BIN_DIR);
        }
    }

    // 7. The status bar's queue count is the queue's.
    void queueCountMatchesQueue()
    {
        state_->script.stepDelayMs = 40;
        auto window = makeWindow();
        setSmall(*window, 128);
        for (int i = 0; i < 4; ++i) {
            window->promptEditor()->setPrompt(QStringLiteral("job %1").arg(i));
            action(*window, "actionGenerate")->trigger();
        }
        auto* status = window->findChild<QLabel*>(QStringLiteral("queueStatus"));
        QVERIFY(status);
        QCOMPARE(window->controller()->queue().size(), 3);
        QVERIFY2(status->text().contains(QStringLiteral("3")), qPrintable(status->text()));
        QTRY_COMPARE_WITH_TIMEOUT(window->controller()->queue().size(), 2, 10000);
        QVERIFY2(status->text().contains(QStringLiteral("2")), qPrintable(status->text()));
        QVERIFY2(!window->statusBar()->currentMessage().contains(QStringLiteral("3")),
                 qPrintable(window->statusBar()->currentMessage()));
        QTRY_COMPARE_WITH_TIMEOUT(window->gallery()->rowCount(), 4, 15000);
        QVERIFY(!status->isVisible() || status->text().isEmpty());
    }

    void viewerZoomPanNextAndCompare()
    {
        auto window = makeWindow();
        setSmall(*window, 256);
        generateAndWait(*window, QStringLiteral("first"), 1);
        generateAndWait(*window, QStringLiteral("second"), 2);
        auto* view = window->galleryPanel()->view();
        const QRect cell = view->visualRect(window->gallery()->index(1));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QTRY_VERIFY(window->viewer() && window->viewer()->isVisible());
        ImageViewer* viewer = window->viewer();
        QCOMPARE(viewer->row(), 1);
        ZoomView* zoom = viewer->zoomView();
        QCOMPARE(zoom->image().size(), QSize(256, 256));
        QVERIFY(zoom->fitted());
        viewer->findChild<QAction*>(QStringLiteral("viewerActualSize"))->trigger();
        QCOMPARE(zoom->zoom(), 1.0);
        QWheelEvent wheel(QPointF(50, 50), zoom->mapToGlobal(QPointF(50, 50)), QPoint(), QPoint(0, 240), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(zoom, &wheel);
        QVERIFY(zoom->zoom() > 1.2);
        QTest::mousePress(zoom, Qt::LeftButton, {}, QPoint(100, 100));
        QTest::mouseMove(zoom, QPoint(140, 120));
        QTest::mouseRelease(zoom, Qt::LeftButton, {}, QPoint(140, 120));
        QVERIFY(zoom->offset() != QPointF());
        viewer->findChild<QAction*>(QStringLiteral("viewerFit"))->trigger();
        QVERIFY(zoom->fitted());
        QTest::keyClick(viewer, Qt::Key_Right);
        QCOMPARE(viewer->row(), 0);
        QCOMPARE(window->galleryPanel()->currentRow(), 0);
        QTest::keyClick(viewer, Qt::Key_Left);
        QCOMPARE(viewer->row(), 1);

        view->selectionModel()->select(QItemSelection(window->gallery()->index(0), window->gallery()->index(1)),
                                       QItemSelectionModel::ClearAndSelect);
        QVERIFY(action(*window, "actionCompare")->isEnabled());
        action(*window, "actionCompare")->trigger();
        QVERIFY(viewer->comparing());
        viewer->findChild<QComboBox*>(QStringLiteral("compareModeCombo"))->setCurrentIndex(1);
        QCOMPARE(viewer->compareView()->mode(), CompareView::Mode::Swipe);
        QTest::mouseClick(viewer->compareView(), Qt::LeftButton, {},
                          QPoint(viewer->compareView()->width() / 4, viewer->compareView()->height() / 2));
        QVERIFY(viewer->compareView()->split() < 0.4);
    }

    void galleryGridListSearchSortAndUndo()
    {
        auto window = makeWindow();
        setSmall(*window, 128);
        generateAndWait(*window, QStringLiteral("a red fox"), 1);
        generateAndWait(*window, QStringLiteral("a blue whale"), 2);
        GalleryPanel* panel = window->galleryPanel();
        QCOMPARE(window->gallery()->index(0).data(GalleryModel::PromptRole).toString(), QStringLiteral("a blue whale"));
        QVERIFY(panel->gridMode());
        panel->findChild<QToolButton*>(QStringLiteral("galleryListButton"))->click();
        QVERIFY(!panel->gridMode());
        QCOMPARE(panel->view()->viewMode(), QListView::ListMode);
        panel->findChild<QToolButton*>(QStringLiteral("galleryGridButton"))->click();
        QCOMPARE(panel->view()->viewMode(), QListView::IconMode);
        QTest::keyClicks(panel->searchEdit(), QStringLiteral("FOX"));
        QVERIFY(panel->view()->isRowHidden(0));
        QVERIFY(!panel->view()->isRowHidden(1));
        panel->searchEdit()->clear();
        QVERIFY(!panel->view()->isRowHidden(0));
        panel->sortCombo()->setCurrentIndex(1); // oldest first
        QCOMPARE(window->gallery()->index(0).data(GalleryModel::PromptRole).toString(), QStringLiteral("a red fox"));
        panel->sortCombo()->setCurrentIndex(0);

        const QString path = window->gallery()->index(0).data(GalleryModel::PathRole).toString();
        panel->selectRow(0);
        action(*window, "actionDeleteImage")->trigger();
        QCOMPARE(window->gallery()->rowCount(), 1);
        QVERIFY(!QFile::exists(path));
        if (!action(*window, "actionUndoDelete")->isEnabled())
            QSKIP("no trash here: the file was deleted for good");
        QVERIFY(window->undoDelete());
        QVERIFY(QFile::exists(path));
        QCOMPARE(window->gallery()->rowCount(), 2);
        QCOMPARE(window->gallery()->index(0).data(GalleryModel::PathRole).toString(), path);
    }

    void loraPanelAndPromptSyntax()
    {
        const QString folder = dir_.filePath(QStringLiteral("models-lora"));
        QDir(folder).mkpath(QStringLiteral("loras"));
        for (const char* name : {"loras/detail.safetensors", "style.safetensors"}) {
            QFile file(QDir(folder).filePath(QLatin1String(name)));
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        auto window = makeWindow();
        QSignalSpy loaded(window->controller(), &GenerationController::modelLoaded);
        window->loadModelFolder(folder);
        QVERIFY(loaded.wait(5000));
        setSmall(*window, 128);

        // The panel: add, change strength, disable, remove.
        window->modelController()->addLora(QDir(folder).filePath(QStringLiteral("style.safetensors")), 1.0);
        QVERIFY(loaded.wait(5000));
        LoraPanel* panel = window->loraPanel();
        QTRY_VERIFY(panel->findChild<QDoubleSpinBox*>(QStringLiteral("loraStrength0")));
        panel->setStrength(0, 0.5);
        QTRY_COMPARE_WITH_TIMEOUT(window->controller()->modelInfo().loras.size(), std::size_t(1), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(window->controller()->modelInfo().loras.at(0).strength, 0.5, 5000);
        panel->findChild<QCheckBox*>(QStringLiteral("loraEnabled0"))->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(window->controller()->modelInfo().loras.empty(), 5000);
        QTRY_VERIFY(panel->findChild<QCheckBox*>(QStringLiteral("loraEnabled0")));
        panel->findChild<QToolButton*>(QStringLiteral("loraRemove0"))->click();
        QTRY_VERIFY(window->modelController()->loras().isEmpty());

        // <lora:name:w> in the prompt: resolved in the model folder, merged, kept in the metadata.
        generateAndWait(*window, QStringLiteral("a cat, <lora:detail:0.7>"), 1);
        QCOMPARE(window->controller()->modelInfo().loras.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(window->controller()->modelInfo().loras.at(0).path),
                 QDir(folder).filePath(QStringLiteral("loras/detail.safetensors")));
        QCOMPARE(window->controller()->modelInfo().loras.at(0).strength, 0.7);
        const auto record = core::readImageRecord(window->gallery()->index(0).data(GalleryModel::PathRole).toString());
        QVERIFY(record.has_value());
        QCOMPARE(QString::fromStdString(record->params.prompt), QStringLiteral("a cat, <lora:detail:0.7>"));
        // A name that is not there: said, and nothing is queued.
        window->promptEditor()->setPrompt(QStringLiteral("a dog <lora:missing:1>"));
        action(*window, "actionGenerate")->trigger();
        QTRY_VERIFY(errorBox(*window));
        QVERIFY(errorBox(*window)->informativeText().contains(QStringLiteral("missing")));
        QCOMPARE(window->controller()->queue().size(), 0);
        // The next prompt without tags takes the prompt's LoRA off again.
        generateAndWait(*window, QStringLiteral("plain"), 2);
        QVERIFY(window->controller()->modelInfo().loras.empty());
    }

    void restoringUnknownSamplerSaysSo()
    {
        const QString file = dir_.filePath(QStringLiteral("unipc.png"));
        QImage image(32, 32, QImage::Format_RGB888);
        image.fill(Qt::green);
        image.setText(QStringLiteral("parameters"),
                      QStringLiteral("a harbour\nSteps: 30, Sampler: UniPC, CFG scale: 5, Seed: 9, Size: 1024x1024"));
        QVERIFY(image.save(file, "png"));
        auto window = makeWindow();
        QVERIFY(window->restoreFromFile(file));
        QCOMPARE(window->promptEditor()->prompt(), QStringLiteral("a harbour"));
        auto* box = window->findChild<QMessageBox*>(QStringLiteral("unknownSamplerDialog"));
        QVERIFY(box);
        QVERIFY(box->text().contains(QStringLiteral("UniPC")));
        QCOMPARE(window->parameters()->params().sampler, SamplerKind::Ddpm);
    }

    void cfgRescaleAndSmallPresets()
    {
        auto window = makeWindow();
        setSmall(*window, 128);
        window->findChild<QWidget*>(QStringLiteral("cfgRescale"))->findChild<QDoubleSpinBox*>()->setValue(0.3);
        generateAndWait(*window, QStringLiteral("rescaled"), 1);
        const auto record = core::readImageRecord(window->gallery()->index(0).data(GalleryModel::PathRole).toString());
        QVERIFY(record.has_value());
        QCOMPARE(record->params.cfgRho, 0.3);
        auto* presets = window->findChild<QComboBox*>(QStringLiteral("presetCombo"));
        int small = -1;
        for (int i = 0; i < presets->count(); ++i)
            if (presets->itemText(i).contains(QStringLiteral("512 × 512")))
                small = i;
        QVERIFY(small >= 0);
        presets->setCurrentIndex(small);
        Q_EMIT presets->activated(small);
        QCOMPARE(window->findChild<QSpinBox*>(QStringLiteral("widthSpin"))->value(), 512);
    }

    // ComfyUI's compression: engine rule, GUI field, metadata.
    void compressionReachesMetadata()
    {
        QCOMPARE(stageCLatentSize(1024, 0), 24); // the official ceil(1024 / 42.67)
        QCOMPARE(stageCLatentSize(1024, 32), 32);
        QCOMPARE(stageCLatentSize(1024, 42), 24);
        auto window = makeWindow();
        setSmall(*window, 128);
        auto* compression = window->findChild<QSpinBox*>(QStringLiteral("compressionSpin"));
        QVERIFY(compression);
        QCOMPARE(window->parameters()->params().compression, 0);
        compression->setValue(32);
        generateAndWait(*window, QStringLiteral("more detail"), 1);
        const auto record = core::readImageRecord(window->gallery()->index(0).data(GalleryModel::PathRole).toString());
        QVERIFY(record.has_value());
        QCOMPARE(record->params.compression, 32);
        QVERIFY(core::toA1111Text(*record).contains(QStringLiteral("Compression: 32")));
    }

    // A pasted 100 KB prompt: counting and highlighting stay off the GUI thread's critical path.
    void hugePromptDoesNotFreeze()
    {
        auto window = makeWindow();
        QString huge;
        while (huge.size() < 100 * 1024)
            huge += QStringLiteral("a (very:1.2) long [prompt] with many words, ");
        StallProbe probe;
        probe.start();
        window->promptEditor()->setPrompt(huge);
        QTRY_VERIFY_WITH_TIMEOUT(!window->promptEditor()->countsPending(), 20000);
        probe.stop();
        qInfo("100 KB prompt: longest GUI stall %.1f ms", probe.longestStallMs());
        auto* tokens = window->findChild<QLabel*>(QStringLiteral("promptTokens"));
        // Cut to kMaxPromptChars (test_prompt_editor.cpp): still far past the 75-token window.
        QCOMPARE(window->promptEditor()->prompt().size(), kMaxPromptChars);
        QVERIFY2(tokens->text().section(QLatin1Char(' '), 0, 0).toInt() > 500, qPrintable(tokens->text()));
        QVERIFY2(probe.longestStallMs() < 1000, "the window froze");
    }
};

QTEST_MAIN(TestDesktop)
#include "test_desktop.moc"
