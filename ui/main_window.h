#pragma once
// MainWindow: owns the panels, the GenerationController (jobs) and the ModelController (the loaded model);
// wires them in one connect block and enables actions by the controllers' state. Generation logic lives in
// the controllers and the worker.
//
// Extending it: a new feature adds its QAction to one of the menus (fileMenu(), imageMenu(), modelMenu(),
// generateMenu()) and, if it needs room, a tab beside the parameters with addSidePanel().

#include "app/core/gallery_store.h"
#include "app/core/generation_worker.h"
#include "app/core/settings.h"
#include "pipeline/loading/checkpoint_scan.h"

#include <QMainWindow>
#include <QPointer>

#include <atomic>
#include <memory>
#include <vector>

class QAction;
class QFrame;
class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;
class QThread;

namespace kaskade::ui {

class GalleryModel;
class GalleryPanel;
class GenerationController;
class ImageViewer;
class ImageInputPanel;
class LoraPanel;
class ModelController;
class ParameterPanel;
class PreviewPane;
class PromptEditor;
class QueuePanel;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    // hooks: how the worker reaches the engine (tests inject a fake generator).
    explicit MainWindow(core::EngineHooks hooks = core::EngineHooks::real(), QWidget* parent = nullptr);
    ~MainWindow() override;

    GenerationController* controller() const { return controller_; }
    ModelController* modelController() const { return model_; }
    GalleryModel* gallery() const { return gallery_; }
    GalleryPanel* galleryPanel() const { return galleryPanel_; }
    PromptEditor* promptEditor() const { return prompt_; }
    ParameterPanel* parameters() const { return params_; }
    PreviewPane* previewPane() const { return preview_; }
    LoraPanel* loraPanel() const { return loraPanel_; }
    ImageInputPanel* imageInputs() const { return imageInputs_; } // the "Image" side tab
    ImageViewer* viewer() const { return viewer_; }               // null until first opened

    QMenu* fileMenu() const { return fileMenu_; }
    QMenu* generateMenu() const { return generateMenu_; }
    QMenu* imageMenu() const { return imageMenu_; }
    QMenu* modelMenu() const { return modelMenu_; }
    // A tab next to "Parameters" and "LoRAs" (image inputs, training …); returns its index.
    int addSidePanel(QWidget* panel, const QString& title);

    // Fills the prompt editor and every panel from an image's record.
    void applyRecord(const core::ImageRecord& record);
    // Restores parameters from an image file (Kaskade, A1111 or ComfyUI metadata). False when none.
    bool restoreFromFile(const QString& path);
    void generate();
    void loadModelFolder(const QString& folder);
    // Reads the output folder again (start, or after Preferences changed it); runs off the GUI thread.
    void rescanGallery();
    // The viewer on a gallery row (double-click), or two selected rows side by side.
    void openViewer(int row);
    void compareSelected();
    // Deletes the selected images (to the trash where there is one); undoDelete() brings the last ones back.
    void deleteSelected();
    bool undoDelete();
    void showPreferences();

Q_SIGNALS:
    void galleryScanned();                 // tests wait for it
    void checkpointsScanned();             // the model folder's checkpoints and LoRAs are known
    void modelHashed(const QString& hash); // AutoV2 of the Stage C file, now in the metadata of new images

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createLayout();
    void connectAll();
    void restoreState();
    void saveState();
    void loadTokenizer(const ModelInfo& info);
    void scanCheckpointsInBackground();
    void hashModelInBackground(const ModelInfo& info);
    void updateActions();
    void updateModelStatus();
    void updateQueueStatus();
    void applyPaletteColors();
    void onJobFinished(quint64 id, const core::JobResult& result);
    // <lora:name:w> in the prompt → the model's LoRA list; returns false (and says why) when a name is unknown.
    bool applyPromptLoras(const QString& prompt);
    // Gallery actions on the selection.
    QStringList selectedPaths() const;
    void saveSelectedAs();
    void copySelectedImage();
    void copySelectedParameters();
    void reuseSelectedParameters();
    void reuseRow(int row);
    void openOutputFolder();
    void openImage();
    void showSelected(int row);
    // Model menu.
    void openModelFolder();
    void showDownloadDialog();
    void loadCheckpoint(bool stageC);
    void loadLora();
    // Stage C / Stage B checkpoints and LoRAs under the model folder, with variant, dtype and size.
    void rebuildCheckpointsMenu();
    void rebuildRecentMenu();
    void showAbout();

    core::Settings settings_;
    GenerationController* controller_;
    ModelController* model_;
    GalleryModel* gallery_;
    PromptEditor* prompt_ = nullptr;
    ParameterPanel* params_ = nullptr;
    PreviewPane* preview_ = nullptr;
    QueuePanel* queue_ = nullptr;
    GalleryPanel* galleryPanel_ = nullptr;
    LoraPanel* loraPanel_ = nullptr;
    ImageInputPanel* imageInputs_ = nullptr;
    QTabWidget* sideTabs_ = nullptr;
    ImageViewer* viewer_ = nullptr;
    QSplitter* mainSplitter_ = nullptr;
    QSplitter* centerSplitter_ = nullptr;
    QFrame* demoBanner_ = nullptr;
    QLabel* modelStatus_ = nullptr;
    QLabel* queueStatus_ = nullptr;
    QMenu* fileMenu_ = nullptr;
    QMenu* generateMenu_ = nullptr;
    QMenu* imageMenu_ = nullptr;
    QMenu* modelMenu_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* checkpointsMenu_ = nullptr;
    QPointer<QThread> scanThread_;
    QPointer<QThread> tokenizerThread_;
    QPointer<QThread> checkpointThread_;
    QPointer<QThread> hashThread_;
    std::shared_ptr<std::atomic<bool>> stopHashing_ = std::make_shared<std::atomic<bool>>(false);
    std::vector<CheckpointEntry> checkpoints_; // of checkpointsFolder_
    QString checkpointsFolder_;
    bool checkpointsReady_ = false;
    // The last delete: where each file went (trash path, empty when it was deleted for good) and its entry.
    struct DeletedImage
    {
        core::GalleryEntry entry;
        QString trashPath;
    };
    QList<DeletedImage> lastDeleted_;

    QAction* generate_ = nullptr;
    QAction* cancel_ = nullptr;
    QAction* randomSeed_ = nullptr;
    QAction* resetParameters_ = nullptr;
    QAction* openModelFolder_ = nullptr;
    QAction* download_ = nullptr;
    QAction* loadStageC_ = nullptr;
    QAction* loadStageB_ = nullptr;
    QAction* loadLora_ = nullptr;
    QAction* clearLoras_ = nullptr;
    QAction* useDemoModel_ = nullptr;
    QAction* openImage_ = nullptr;
    QAction* saveAs_ = nullptr;
    QAction* copyImage_ = nullptr;
    QAction* copyParameters_ = nullptr;
    QAction* reuseParameters_ = nullptr;
    QAction* viewImage_ = nullptr;
    QAction* compare_ = nullptr;
    QAction* deleteImage_ = nullptr;
    QAction* undoDelete_ = nullptr;
    QAction* openFolder_ = nullptr;
    QAction* preferences_ = nullptr;
    QAction* quit_ = nullptr;
    QAction* about_ = nullptr;
    QAction* aboutQt_ = nullptr;
};

} // namespace kaskade::ui
