#pragma once
// PromptEditor: prompt and negative prompt with emphasis highlighting, token counters against CLIP's
// 75-token window and a prompt history (Alt+Up / Alt+Down).

#include <QStringList>

#include <QSyntaxHighlighter>
#include <QWidget>
#include <functional>

class QLabel;
class QPlainTextEdit;
class QTimer;
class QToolButton;

namespace kaskade::ui {

// Colours (word:1.2), (word), [word] and escapes the way the prompt parser reads them.
class EmphasisHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;
    // Colours follow the palette: tints that keep the text readable on light and dark backgrounds.
    void setPalette(const QPalette& palette);
    QColor strongerTint() const { return stronger_; }

protected:
    void highlightBlock(const QString& text) override;

private:
    QColor bracket_{0x1e, 0x88, 0xe5}, weight_{0xd8, 0x43, 0x15}, stronger_{255, 170, 0}, weaker_{80, 140, 255};
    QColor lora_{0x2e, 0x7d, 0x32};
};

// Approximate CLIP token count (emphasis syntax removed; long words count as several BPE pieces).
int approximateTokenCount(const QString& prompt);
inline constexpr int kTokenWindow = 75;
// The most characters a prompt field takes (about 1,000 tokens, far past what CLIP weighs well). Laying out
// one long paragraph costs 1–2 µs a character on the GUI thread: a pasted 100 KB froze the window ~200 ms.
// Pastes, drops and setPrompt() are cut here, with a notice under the prompt.
inline constexpr int kMaxPromptChars = 5000;

class PromptEditor final : public QWidget
{
    Q_OBJECT
public:
    explicit PromptEditor(QWidget* parent = nullptr);

    QString prompt() const;
    QString negativePrompt() const;
    void setPrompt(const QString& prompt);
    void setNegativePrompt(const QString& prompt);
    void setHistory(const QStringList& newestFirst);
    const QStringList& history() const { return history_; }
    QToolButton* historyButton() const { return historyButton_; }
    QPlainTextEdit* promptEdit() const { return prompt_; }
    // The model's tokenizer once loaded (exact counts); empty: approximateTokenCount. Counting runs on a pool
    // thread, a moment after typing stops, so a pasted 100 KB prompt does not freeze the window; the counter
    // must be thread-safe.
    void setTokenCounter(std::function<int(const QString&)> counter);
    bool countsPending() const; // tests wait for it

Q_SIGNALS:
    void changed();
    void countsUpdated();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateCounters(); // schedules a count
    void startCount();
    void showCounts(int prompt, int negative);
    void showHistoryMenu();
    void stepHistory(int direction);
    void showCutNotice(bool shown);

    QPlainTextEdit* prompt_;
    QPlainTextEdit* negative_;
    QLabel* promptLabel_;
    QLabel* negativeLabel_;
    QLabel* promptTokens_;
    QLabel* negativeTokens_;
    QLabel* cutNotice_; // shown after a paste or restore was cut to kMaxPromptChars
    QToolButton* historyButton_;
    EmphasisHighlighter* promptHighlighter_;
    EmphasisHighlighter* negativeHighlighter_;
    QTimer* countTimer_;
    bool counting_ = false;
    bool recount_ = false;
    std::function<int(const QString&)> counter_;
    QStringList history_;
    int historyIndex_ = -1; // -1: the text being typed
    QString draft_;
};

} // namespace kaskade::ui
