#pragma once
// MainWindow: owns the panels and the GenerationController; wires them in one connect block and enables
// actions by the controller's state. Generation logic lives in the controller and the worker.

#include "app/core/generation_worker.h"
#include "app/core/settings.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QFrame;
class QLabel;
class QMenu;
class QSplitter;
class QThread;

namespace kaskade::ui {

class GalleryModel;
class GalleryPanel;
class GenerationController;
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
    GalleryModel* gallery() const { return gallery_; }
    PromptEditor* promptEditor() const { return prompt_; }
    ParameterPanel* parameters() const { return params_; }
    PreviewPane* previewPane() const { return preview_; }

    // Fills the prompt editor and every panel from an image's record.
    void applyRecord(const core::ImageRecord& record);
    // Restores parameters from an image file (Kaskade, A1111 or ComfyUI metadata). False when none.
    bool restoreFromFile(const QString& path);
    void generate();
    void loadModelFolder(const QString& folder);
    // Reads the output folder again (start, or after Preferences changed it); runs off the GUI thread.
    void rescanGallery();

Q_SIGNALS:
    void galleryScanned(); // tests wait for it

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createLayout();
    void connectAll();
    void restoreState();
    void saveState();
    void loadInitialModel();
    void loadModel(const ModelSpec& spec, bool demo);
    void loadTokenizer(const ModelInfo& info);
    void updateActions();
    void updateModelStatus();
    void onJobFinished(quint64 id, const core::JobResult& result);
    // Gallery actions on the selection.
    QStringList selectedPaths() const;
    void saveSelectedAs();
    void copySelectedImage();
    void copySelectedParameters();
    void reuseSelectedParameters();
    void deleteSelected();
    void openOutputFolder();
    void showSelected(int row);
    // Model menu.
    void openModelFolder();
    void showDownloadDialog();
    void loadCheckpoint(bool stageC);
    void loadLora();
    // Stage C / Stage B checkpoints and LoRAs under the model folder, with variant, dtype and size.
    void rebuildCheckpointsMenu();
    void rebuildRecentMenu();
    void showPreferences();
    void showAbout();

    core::Settings settings_;
    GenerationController* controller_;
    GalleryModel* gallery_;
    PromptEditor* prompt_ = nullptr;
    ParameterPanel* params_ = nullptr;
    PreviewPane* preview_ = nullptr;
    QueuePanel* queue_ = nullptr;
    GalleryPanel* galleryPanel_ = nullptr;
    QSplitter* mainSplitter_ = nullptr;
    QSplitter* centerSplitter_ = nullptr;
    QFrame* demoBanner_ = nullptr;
    QLabel* modelStatus_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* checkpointsMenu_ = nullptr;
    QPointer<QThread> scanThread_;
    QPointer<QThread> tokenizerThread_;
    ModelSpec lastSpec_;
    bool lastSpecDemo_ = false;

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
    QAction* saveAs_ = nullptr;
    QAction* copyImage_ = nullptr;
    QAction* copyParameters_ = nullptr;
    QAction* reuseParameters_ = nullptr;
    QAction* deleteImage_ = nullptr;
    QAction* openFolder_ = nullptr;
    QAction* preferences_ = nullptr;
    QAction* quit_ = nullptr;
    QAction* about_ = nullptr;
    QAction* aboutQt_ = nullptr;
};

} // namespace kaskade::ui
