#pragma once
// ModelController: the model the window works with. Owns the model spec (folder, Stage B/C overrides, device,
// precision) and the LoRA list, sends loads to the worker through the GenerationController (never on the GUI
// thread) and reports each outcome as a signal. A failed change never costs the working model: the last
// spec that loaded is loaded again, queued jobs then run on it, and the settings keep only what loaded.

#include "app/core/generation_worker.h"
#include "app/core/settings.h"

#include <QList>
#include <QObject>
#include <QString>

namespace kaskade::ui {

class GenerationController;

struct LoraEntry
{
    QString path;
    double strength = 1.0;   // -2…2; 1 = as trained
    bool enabled = true;     // disabled LoRAs stay in the list but are not merged
    bool fromPrompt = false; // chosen by a <lora:name:w> tag: replaced by the next prompt's tags
    bool operator==(const LoraEntry&) const = default;
};

class ModelController final : public QObject
{
    Q_OBJECT
public:
    // What a load request changes; it decides the headline of a failure.
    enum class Change { Start, Folder, StageC, StageB, Lora, Device, Restore };
    Q_ENUM(Change)

    ModelController(GenerationController* generation, core::Settings& settings, QObject* parent = nullptr);

    const ModelSpec& spec() const { return wanted_.spec; } // requested last (loaded or loading)
    bool demo() const { return wanted_.demo; }
    const QList<LoraEntry>& loras() const { return wanted_.loras; }
    bool loading() const { return !pending_.isEmpty(); }

    void loadInitial(); // the folder in the settings, else the demo model
    void openFolder(const QString& folder);
    void useDemo();
    void setCheckpoint(bool stageC, const QString& file);
    void setDevice(const DeviceChoice& device, Precision precision);

    // LoRAs: adding a known path changes its strength (re-merged without reading the file again).
    void addLora(const QString& path, double strength = 1.0);
    void setLoraStrength(const QString& path, double strength);
    void setLoraEnabled(const QString& path, bool enabled);
    void removeLora(const QString& path);
    void clearLoras();
    void setLoras(const QList<LoraEntry>& loras);

    // The headline and the advice for a failed load, e.g. "The LoRA x.safetensors could not be applied" and
    // "It is not a Stable Cascade Stage C LoRA …". Public for tests and for the CLI-style wording elsewhere.
    static QString headlineFor(Change change, const QString& subject);
    static QString adviceFor(Change change, const core::ErrorReport& error);

Q_SIGNALS:
    void lorasChanged();
    void loaded(const kaskade::ModelInfo& info);
    // keptPrevious: the last working model is being loaded again (the queue goes on with it).
    void failed(const QString& headline, const QString& advice, const kaskade::core::ErrorReport& error,
                bool keptPrevious);
    // A failed change was undone: spec() and loras() are the working model's again (panels follow).
    void restored();

private:
    struct Request
    {
        ModelSpec spec; // spec.loras is derived from loras (enabled ones) when sent
        bool demo = false;
        QList<LoraEntry> loras;
        Change change = Change::Start;
        QString subject; // file or folder named in a failure
    };
    void send(Request request);
    void onLoaded(const ModelInfo& info);
    void onFailed(const core::ErrorReport& error);
    void persist(const Request& request);
    Request next(Change change, const QString& subject) const;

    GenerationController* generation_;
    core::Settings& settings_;
    Request wanted_;
    Request good_;
    bool haveGood_ = false;
    QList<Request> pending_; // sent, in the worker's order
};

} // namespace kaskade::ui
