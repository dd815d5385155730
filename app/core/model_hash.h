#pragma once
// A1111's "Model hash" in its AutoV2 form: the first 10 hex digits of the file's SHA-256, so other tools can
// match the model an image was made with. Hashing a 7 GB checkpoint takes tens of seconds, so it is computed
// once, off the GUI thread, and cached: in memory for this run and in the settings by path, size and time.

#include <QString>

#include <functional>
#include <optional>

namespace kaskade::core {

class ModelHashes
{
public:
    // The cached hash, or nullopt when it was not computed yet (or the file changed since). Thread-safe.
    static std::optional<QString> cached(const QString& path);
    // Computes (reading the whole file) and caches it; empty when the file cannot be read. Thread-safe; call it
    // on a worker thread. shouldStop is checked between blocks.
    static QString compute(const QString& path, const std::function<bool()>& shouldStop = {});
    // "abcdef0123" of the SHA-256 hex digest.
    static QString autoV2(const QByteArray& sha256Hex);
};

} // namespace kaskade::core
