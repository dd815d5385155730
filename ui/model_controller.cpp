#include "ui/model_controller.h"

#include "ui/error_text.h"
#include "ui/generation_controller.h"

#include "pipeline/device.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace kaskade::ui {

namespace keys = core::keys;

ModelController::ModelController(GenerationController* generation, core::Settings& settings, QObject* parent)
    : QObject(parent), generation_(generation), settings_(settings)
{
    connect(generation_, &GenerationController::modelLoaded, this, &ModelController::onLoaded);
    connect(generation_, &GenerationController::modelLoadFailed, this, &ModelController::onFailed);
}

ModelController::Request ModelController::next(Change change, const QString& subject) const
{
    Request request = wanted_;
    request.change = change;
    request.subject = subject;
    return request;
}

void ModelController::send(Request request)
{
    const bool lorasDiffer = request.loras != wanted_.loras;
    request.spec.loras.clear();
    for (const LoraEntry& lora : request.loras)
        if (lora.enabled)
            request.spec.loras.push_back({lora.path.toStdString(), lora.strength});
    wanted_ = request;
    pending_ << request;
    generation_->loadModel(request.spec, request.demo);
    if (lorasDiffer)
        Q_EMIT lorasChanged();
}

void ModelController::loadInitial()
{
    Request request;
    request.change = Change::Start;
    settings_.applyPlacement(request.spec);
    // A CUDA choice saved on another machine or build would only fail here.
    if (request.spec.device.kind == DeviceKind::Cuda && !cudaAvailable())
        request.spec.device = DeviceChoice{};
    const QString folder = settings_.value(keys::modelFolder);
    if (!folder.isEmpty() && QFileInfo(folder).isDir()) {
        request.spec.directory = folder.toStdString();
        request.spec.stageCFile = settings_.value(keys::stageCFile).toStdString();
        request.spec.stageBFile = settings_.value(keys::stageBFile).toStdString();
        request.subject = folder;
    } else {
        // First start (or the folder went away): the demo model, so that everything can be tried at once.
        request.spec.directory = core::Settings::demoModelFolder().toStdString();
        request.demo = true;
    }
    request.loras = wanted_.loras;
    send(request);
}

void ModelController::openFolder(const QString& folder)
{
    Request request = next(Change::Folder, folder);
    request.spec.directory = folder.toStdString();
    request.spec.stageCFile.clear();
    request.spec.stageBFile.clear();
    request.demo = false;
    request.loras.clear(); // LoRAs are mapped onto one Stage C
    send(request);
}

void ModelController::useDemo()
{
    Request request = next(Change::Folder, tr("the demo model"));
    request.spec.directory = core::Settings::demoModelFolder().toStdString();
    request.spec.stageCFile.clear();
    request.spec.stageBFile.clear();
    request.demo = true;
    request.loras.clear();
    send(request);
}

void ModelController::setCheckpoint(bool stageC, const QString& file)
{
    Request request = next(stageC ? Change::StageC : Change::StageB, file);
    (stageC ? request.spec.stageCFile : request.spec.stageBFile) = file.toStdString();
    if (stageC)
        request.loras.clear();
    send(request);
}

void ModelController::setDevice(const DeviceChoice& device, Precision precision)
{
    if (device == wanted_.spec.device && precision == wanted_.spec.precision)
        return;
    Request request = next(Change::Device, QString::fromStdString(deviceId(device)));
    request.spec.device = device;
    request.spec.precision = precision;
    send(request);
}

void ModelController::addLora(const QString& path, double strength)
{
    Request request = next(Change::Lora, path);
    auto it =
        std::find_if(request.loras.begin(), request.loras.end(), [&](const LoraEntry& l) { return l.path == path; });
    if (it != request.loras.end()) {
        it->strength = strength;
        it->enabled = true;
    } else {
        request.loras.append(LoraEntry{path, strength, true});
    }
    send(request);
}

void ModelController::setLoraStrength(const QString& path, double strength)
{
    Request request = next(Change::Lora, path);
    for (LoraEntry& lora : request.loras)
        if (lora.path == path)
            lora.strength = strength;
    if (request.loras != wanted_.loras)
        send(request);
}

void ModelController::setLoraEnabled(const QString& path, bool enabled)
{
    Request request = next(Change::Lora, path);
    for (LoraEntry& lora : request.loras)
        if (lora.path == path)
            lora.enabled = enabled;
    if (request.loras != wanted_.loras)
        send(request);
}

void ModelController::removeLora(const QString& path)
{
    Request request = next(Change::Lora, path);
    request.loras.removeIf([&](const LoraEntry& l) { return l.path == path; });
    if (request.loras != wanted_.loras)
        send(request);
}

void ModelController::clearLoras()
{
    setLoras({});
}

void ModelController::setLoras(const QList<LoraEntry>& loras)
{
    if (loras == wanted_.loras)
        return;
    Request request = next(Change::Lora, loras.isEmpty() ? QString() : loras.last().path);
    request.loras = loras;
    send(request);
}

void ModelController::persist(const Request& request)
{
    // Only what loaded is saved: a bad choice never comes back at the next start.
    settings_.setValue(keys::modelFolder, request.demo ? QString() : QString::fromStdString(request.spec.directory));
    settings_.setValue(keys::stageCFile, QString::fromStdString(request.spec.stageCFile));
    settings_.setValue(keys::stageBFile, QString::fromStdString(request.spec.stageBFile));
    if (request.change == Change::Folder && !request.demo)
        settings_.addRecentModel(QString::fromStdString(request.spec.directory));
}

void ModelController::onLoaded(const ModelInfo& info)
{
    if (pending_.isEmpty())
        return; // a load this controller did not send
    good_ = pending_.takeFirst();
    haveGood_ = true;
    persist(good_);
    Q_EMIT loaded(info);
}

void ModelController::onFailed(const core::ErrorReport& error)
{
    if (pending_.isEmpty())
        return;
    const Request failedRequest = pending_.takeFirst();
    if (!pending_.isEmpty()) {
        // A newer request follows and replaces the engine state anyway; just tell what went wrong.
        if (error.code != ErrorCode::Cancelled)
            Q_EMIT failed(headlineFor(failedRequest.change, failedRequest.subject),
                          adviceFor(failedRequest.change, error), error, false);
        return;
    }
    const bool canRestore = haveGood_ && failedRequest.change != Change::Restore;
    if (error.code != ErrorCode::Cancelled)
        Q_EMIT failed(headlineFor(failedRequest.change, failedRequest.subject), adviceFor(failedRequest.change, error),
                      error, canRestore);
    if (!canRestore) {
        haveGood_ = false;
        return;
    }
    // The engine may hold a half-loaded set: load the last working one again; queued jobs wait for it.
    Request restore = good_;
    restore.change = Change::Restore;
    restore.subject.clear();
    const bool lorasDiffer = restore.loras != wanted_.loras;
    wanted_ = restore;
    pending_ << restore;
    generation_->loadModel(restore.spec, restore.demo);
    if (lorasDiffer)
        Q_EMIT lorasChanged();
    Q_EMIT restored();
}

QString ModelController::headlineFor(Change change, const QString& subject)
{
    const QString name = QFileInfo(subject).fileName().isEmpty() ? subject : QFileInfo(subject).fileName();
    switch (change) {
    case Change::Folder: return tr("The model in %1 could not be loaded").arg(QDir::toNativeSeparators(subject));
    case Change::StageC: return tr("The Stage C checkpoint %1 could not be loaded").arg(name);
    case Change::StageB: return tr("The Stage B checkpoint %1 could not be loaded").arg(name);
    case Change::Lora:
        return name.isEmpty() ? tr("The LoRAs could not be applied") : tr("The LoRA %1 could not be applied").arg(name);
    case Change::Device: return tr("The model could not be moved to %1").arg(subject);
    case Change::Restore: return tr("The previous model could not be loaded again");
    case Change::Start: break;
    }
    return tr("The model could not be loaded");
}

QString ModelController::adviceFor(Change change, const core::ErrorReport& error)
{
    const QString message = error.message;
    if (change == Change::Lora) {
        if (error.code == ErrorCode::BadCheckpoint || error.code == ErrorCode::BadFormat)
            return tr("The file is not a Stable Cascade Stage C LoRA, or it was trained for another Stage C "
                      "(lite or full). Check the file, or pick one in Model ▸ Checkpoints in the model folder.");
        if (error.code == ErrorCode::FileNotFound)
            return tr("The LoRA file was not found. It may have been moved or deleted.");
    }
    if (change == Change::StageC || change == Change::StageB) {
        if (error.code == ErrorCode::BadCheckpoint || error.code == ErrorCode::BadFormat)
            return change == Change::StageC
                       ? tr("The file is not a Stable Cascade Stage C checkpoint (it may be a Stage B, a LoRA or a "
                            "checkpoint of another model), or it is damaged.")
                       : tr("The file is not a Stable Cascade Stage B checkpoint (it may be a Stage C, a LoRA or a "
                            "checkpoint of another model), or it is damaged.");
    }
    if (change == Change::Folder || change == Change::Start) {
        if (error.code == ErrorCode::FileNotFound)
            return tr("The folder does not hold a complete Stable Cascade model (Stage C, Stage B, Stage A, text "
                      "encoder and tokenizer). Open a folder with the official files, a diffusers snapshot or a "
                      "ComfyUI models folder; kaskade-cli inspect FOLDER lists what is missing.");
    }
    return errorAdvice(error.code, message);
}

} // namespace kaskade::ui
