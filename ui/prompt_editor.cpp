#include "ui/prompt_editor.h"

#include <QEvent>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>

#include <cmath>

namespace kaskade::ui {

void EmphasisHighlighter::highlightBlock(const QString& text)
{
    QTextCharFormat bracket;
    bracket.setForeground(QColor(0x1e, 0x88, 0xe5));
    bracket.setFontWeight(QFont::Bold);
    QTextCharFormat weight;
    weight.setForeground(QColor(0xd8, 0x43, 0x15));
    weight.setFontWeight(QFont::Bold);
    QTextCharFormat escape;
    escape.setForeground(Qt::gray);

    static const QRegularExpression weightRe(QStringLiteral(R"(:\s*-?\d*\.?\d+\s*$)"));
    QList<int> open; // positions of unmatched '(' / '['
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            setFormat(i, 2, escape);
            ++i;
        } else if (c == QLatin1Char('(') || c == QLatin1Char('[')) {
            open << i;
        } else if ((c == QLatin1Char(')') || c == QLatin1Char(']')) && !open.isEmpty()) {
            const int start = open.takeLast();
            const bool round = text[start] == QLatin1Char('(');
            if (round != (c == QLatin1Char(')')))
                continue;
            // Tint the emphasised words: warmer for stronger, cooler for weaker.
            double factor = round ? 1.1 : 1 / 1.1;
            const QString inner = text.mid(start + 1, i - start - 1);
            const auto match = weightRe.match(inner);
            if (round && match.hasMatch()) {
                factor = match.captured().mid(1).trimmed().toDouble();
                setFormat(start + 1 + int(match.capturedStart()), int(match.capturedLength()), weight);
            }
            QTextCharFormat words = format(start + 1);
            const int alpha = std::min(120, int(std::abs(factor - 1.0) * 200) + 30);
            words.setBackground(factor >= 1 ? QColor(255, 170, 0, alpha) : QColor(80, 140, 255, alpha));
            for (int k = start + 1; k < i; ++k) {
                QTextCharFormat f = format(k);
                if (f.background().style() == Qt::NoBrush)
                    f.setBackground(words.background());
                setFormat(k, 1, f);
            }
            setFormat(start, 1, bracket);
            setFormat(i, 1, bracket);
        }
    }
}

int approximateTokenCount(const QString& prompt)
{
    static const QRegularExpression weights(QStringLiteral(R"(:\s*-?\d*\.?\d+\s*\))"));
    static const QRegularExpression pieces(QStringLiteral(R"([\p{L}]+|\p{N}|[^\s\p{L}\p{N}])"));
    QString text = prompt;
    text.replace(weights, QStringLiteral(" "));
    text.remove(QRegularExpression(QStringLiteral(R"((?<!\\)[()\[\]])")));
    int count = 0;
    for (auto it = pieces.globalMatch(text.toLower()); it.hasNext();) {
        const int length = int(it.next().capturedLength());
        // Common words are one BPE token; rarer long words split into pieces of about 6 letters.
        count += std::max(1, int(std::ceil(length / 7.0)));
    }
    return count;
}

PromptEditor::PromptEditor(QWidget* parent)
    : QWidget(parent), prompt_(new QPlainTextEdit(this)), negative_(new QPlainTextEdit(this)),
      promptLabel_(new QLabel(this)), negativeLabel_(new QLabel(this)), promptTokens_(new QLabel(this)),
      negativeTokens_(new QLabel(this))
{
    prompt_->setObjectName(QStringLiteral("promptEdit"));
    negative_->setObjectName(QStringLiteral("negativePromptEdit"));
    promptTokens_->setObjectName(QStringLiteral("promptTokens"));
    negativeTokens_->setObjectName(QStringLiteral("negativePromptTokens"));
    for (QPlainTextEdit* edit : {prompt_, negative_}) {
        new EmphasisHighlighter(edit->document());
        edit->setTabChangesFocus(true);
        edit->installEventFilter(this);
        connect(edit, &QPlainTextEdit::textChanged, this, &PromptEditor::updateCounters);
        connect(edit, &QPlainTextEdit::textChanged, this, &PromptEditor::changed);
    }
    prompt_->setMinimumHeight(90);
    negative_->setMaximumHeight(70);
    promptLabel_->setBuddy(prompt_);
    negativeLabel_->setBuddy(negative_);
    for (QLabel* counter : {promptTokens_, negativeTokens_})
        counter->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(promptLabel_, 0, 0);
    grid->addWidget(promptTokens_, 0, 1);
    grid->addWidget(prompt_, 1, 0, 1, 2);
    grid->addWidget(negativeLabel_, 2, 0);
    grid->addWidget(negativeTokens_, 2, 1);
    grid->addWidget(negative_, 3, 0, 1, 2);
    grid->setRowStretch(1, 3);
    grid->setRowStretch(3, 1);
    retranslate();
}

QString PromptEditor::prompt() const
{
    return prompt_->toPlainText();
}
QString PromptEditor::negativePrompt() const
{
    return negative_->toPlainText();
}
void PromptEditor::setPrompt(const QString& prompt)
{
    prompt_->setPlainText(prompt);
}
void PromptEditor::setNegativePrompt(const QString& prompt)
{
    negative_->setPlainText(prompt);
}

void PromptEditor::setTokenCounter(std::function<int(const QString&)> counter)
{
    counter_ = std::move(counter);
    updateCounters();
}

void PromptEditor::setHistory(const QStringList& newestFirst)
{
    history_ = newestFirst;
    historyIndex_ = -1;
}

void PromptEditor::retranslate()
{
    promptLabel_->setText(tr("&Prompt"));
    negativeLabel_->setText(tr("&Negative prompt"));
    prompt_->setPlaceholderText(tr("Describe the image, e.g. a lighthouse at dusk, (oil painting:1.2)"));
    negative_->setPlaceholderText(tr("What the image should not show"));
    const QString help = tr("Emphasis: (word:1.2) weights words, (word) multiplies by 1.1, [word] divides by 1.1.\n"
                            "Alt+Up / Alt+Down: previous prompts. Ctrl+Return: generate.");
    prompt_->setToolTip(help);
    negative_->setToolTip(tr("Text the image is steered away from (classifier-free guidance)."));
    updateCounters();
}

void PromptEditor::updateCounters()
{
    const bool exact = bool(counter_);
    const auto show = [exact](QLabel* label, int count) {
        label->setText(tr("%1 / %2 tokens").arg(count).arg(kTokenWindow));
        const bool over = count > kTokenWindow;
        label->setStyleSheet(over ? QStringLiteral("color: #c62828;") : QString());
        label->setToolTip(over ? tr("More than %1 tokens: the prompt is encoded in 75-token chunks; the model weighs "
                                    "later chunks less reliably.")
                                     .arg(kTokenWindow)
                     : exact ? tr("CLIP token count; the text encoder reads 75 tokens at a time.")
                             : tr("Approximate CLIP token count; the text encoder reads 75 tokens at a time."));
    };
    const auto count = [this](const QString& text) { return counter_ ? counter_(text) : approximateTokenCount(text); };
    show(promptTokens_, count(prompt()));
    show(negativeTokens_, count(negativePrompt()));
}

void PromptEditor::stepHistory(int direction)
{
    if (history_.isEmpty())
        return;
    if (historyIndex_ == -1)
        draft_ = prompt();
    const int next = std::clamp(historyIndex_ + direction, -1, int(history_.size()) - 1);
    if (next == historyIndex_)
        return;
    historyIndex_ = next;
    setPrompt(next == -1 ? draft_ : history_.at(next));
    prompt_->moveCursor(QTextCursor::End);
}

bool PromptEditor::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == prompt_ && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() == Qt::AltModifier && (key->key() == Qt::Key_Up || key->key() == Qt::Key_Down)) {
            stepHistory(key->key() == Qt::Key_Up ? +1 : -1); // Up = older
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PromptEditor::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace kaskade::ui
