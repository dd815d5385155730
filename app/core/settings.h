#pragma once
// Settings: the one typed registry of everything Kaskade persists. Every key has a default and, for numbers,
// bounds; parameter panels take their ranges from here. QSettings sits behind it. Generation defaults come
// from GenerationParams{} (the single source of defaults shared with the CLI and the tests), the bounds of
// generation values from pipeline/limits.h and the choices from the tables of pipeline/choices.h.

#include "pipeline/generation_params.h"
#include "pipeline/generator.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QSettings;

namespace kaskade::core {

struct IntKey
{
    const char* key;
    int defaultValue;
    int minimum;
    int maximum;
};

struct DoubleKey
{
    const char* key;
    double defaultValue;
    double minimum;
    double maximum;
    int decimals;
};

struct StringKey
{
    const char* key;
    const char* defaultValue;
    bool (*accepts)(const QString& value); // nullptr: free text
};

namespace keys {
// Generation parameters (the panels' last state).
extern const IntKey width, height, batch, stageCSteps, stageBSteps;
extern const DoubleKey stageCCfg, stageBCfg, stageCShift, stageBShift;
extern const DoubleKey cfgRho;   // Stage C CFG rescale (official 0.7; 0 = off)
extern const IntKey compression; // Stage C latent compression (0 = official; else 16…64)
extern const StringKey prompt, negativePrompt, sampler;
// The model's placement (ModelSpec, not GenerationParams): Preferences and the parameter panel edit them.
extern const StringKey device, precision;
extern const StringKey seed;    // decimal text; empty = none yet
extern const IntKey seedLocked; // 0/1
// Application.
extern const StringKey outputFolder; // empty default = <Pictures>/Kaskade
extern const StringKey modelFolder;  // empty = none chosen yet (first start)
extern const StringKey stageCFile, stageBFile;
extern const StringKey language;    // "system", "en", "de", "fr"
extern const StringKey theme;       // "system", "light", "dark"
extern const StringKey galleryView; // "grid", "list"
extern const IntKey threads;        // 0 = all cores
extern const IntKey historySize;
extern const IntKey recentModelsSize;
} // namespace keys

// Cascade works on 128-pixel multiples (the official gradio demo steps sizes by 128).
inline constexpr int kSizeStep = 128;
int snapToSizeStep(int pixels, const IntKey& bounds);

class Settings
{
public:
    Settings();
    ~Settings();
    Settings(const Settings&) = delete;
    Settings& operator=(const Settings&) = delete;

    // Test hook: every Settings created afterwards reads and writes this ini file (empty = the user's settings).
    static void useFile(const QString& iniPath);

    int value(const IntKey& key) const;          // clamped to the bounds
    void setValue(const IntKey& key, int value); // clamped
    double value(const DoubleKey& key) const;
    void setValue(const DoubleKey& key, double value);
    QString value(const StringKey& key) const; // a value the key does not accept reads as the default
    // A value the key does not accept is not written (and logged): the stored one stays.
    void setValue(const StringKey& key, const QString& value);
    // Stored values that read as their default because this version does not know them (a sampler chosen in
    // a newer Kaskade, a hand edit), one line each: "generation/sampler: unknown sampler 'euler' …; using ddpm".
    QStringList problems() const;

    bool contains(const char* key) const;
    void reset(const char* key);

    // Free-form values: window geometry, splitter states, lists.
    QByteArray bytes(const QString& key) const;
    void setBytes(const QString& key, const QByteArray& value);
    QStringList list(const QString& key) const;
    void setList(const QString& key, const QStringList& value);

    // Derived values.
    QString outputFolder() const; // the configured folder or <Pictures>/Kaskade
    static QString defaultOutputFolder();
    static QString demoModelFolder(); // <AppData>/demo-model
    QStringList promptHistory() const;
    void addPromptHistory(const QString& prompt);
    QStringList recentModels() const;
    void addRecentModel(const QString& folder);

    GenerationParams params() const; // from the generation keys (seed only when locked)
    // Writes the generation keys. An unknown stored sampler stays stored while `params` has the default one
    // (which is what reading it gave), so starting an older Kaskade once does not lose a newer one's choice.
    void setParams(const GenerationParams& params);
    // ModelSpec's device, precision and residency from the device/precision keys.
    void applyPlacement(ModelSpec& spec) const;
    void setPlacement(const ModelSpec& spec);

    void sync();

private:
    std::unique_ptr<QSettings> settings_;
};

// Choice lists of the application keys (the generation ones are pipeline/choices.h's tables).
QStringList languageChoices(); // "system", "en", "de", "fr"
QStringList themeChoices();    // "system", "light", "dark"

} // namespace kaskade::core
