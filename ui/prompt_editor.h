#pragma once
// PromptEditor: prompt and negative prompt with emphasis highlighting, token counters against CLIP's
// 75-token window and a prompt history (Alt+Up / Alt+Down).

#include <QStringList>

#include <functional>
#include <QSyntaxHighlighter>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace kaskade::ui {

// Colours (word:1.2), (word), [word] and escapes the way the prompt parser reads them.
class EmphasisHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString& text) override;
};

// Approximate CLIP token count (emphasis syntax removed; long words count as several BPE pieces).
int approximateTokenCount(const QString& prompt);
inline constexpr int kTokenWindow = 75;

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
    QPlainTextEdit* promptEdit() const { return prompt_; }
    // The model's tokenizer once loaded (exact counts); empty: approximateTokenCount.
    void setTokenCounter(std::function<int(const QString&)> counter);

Q_SIGNALS:
    void changed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateCounters();
    void stepHistory(int direction);

    QPlainTextEdit* prompt_;
    QPlainTextEdit* negative_;
    QLabel* promptLabel_;
    QLabel* negativeLabel_;
    QLabel* promptTokens_;
    QLabel* negativeTokens_;
    std::function<int(const QString&)> counter_;
    QStringList history_;
    int historyIndex_ = -1; // -1: the text being typed
    QString draft_;
};

} // namespace kaskade::ui
