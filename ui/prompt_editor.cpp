#include "ui/prompt_editor.h"

#include "ui/theme.h"

#include "app/core/prompt_loras.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QRegularExpression>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>

#include <cmath>

namespace kaskade::ui {

namespace {

// The first `limit` characters of text, without splitting a surrogate pair.
QString leftChars(const QString& text, int limit)
{
    if (text.size() <= limit)
        return text;
    if (limit > 0 && text.at(limit - 1).isHighSurrogate())
        --limit;
    return text.left(std::max(0, limit));
}

// Takes at most kMaxPromptChars in all from a paste or a drop: the bulk inserts that can bring megabytes at
// once. Typing is not limited (a character at a time cannot freeze the window).
class BoundedTextEdit final : public QPlainTextEdit
{
public:
    BoundedTextEdit(std::function<void()> onCut, QWidget* parent) : QPlainTextEdit(parent), onCut_(std::move(onCut)) {}

protected:
    void insertFromMimeData(const QMimeData* source) override
    {
        const QString text = source->hasText() ? source->text() : QString();
        const int kept = document()->characterCount() - 1 - int(textCursor().selectedText().size());
        const int room = std::max(0, kMaxPromptChars - kept);
        if (text.size() <= room) {
            QPlainTextEdit::insertFromMimeData(source);
            return;
        }
        QTextCursor cursor = textCursor();
        cursor.insertText(leftChars(text, room)); // replaces the selection, as a paste does
        setTextCursor(cursor);
        ensureCursorVisible();
        onCut_();
    }

private:
    std::function<void()> onCut_;
};

} // namespace

void EmphasisHighlighter::setPalette(const QPalette& palette)
{
    const bool dark = isDarkPalette(palette);
    bracket_ = palette.color(QPalette::Link);
    weight_ = dark ? QColor(0xff, 0x8a, 0x65) : QColor(0xd8, 0x43, 0x15);
    stronger_ = dark ? QColor(0xc0, 0x7a, 0x00) : QColor(255, 170, 0);
    weaker_ = dark ? QColor(0x3d, 0x6a, 0xc4) : QColor(80, 140, 255);
    lora_ = dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x2e, 0x7d, 0x32);
    rehighlight();
}

void EmphasisHighlighter::highlightBlock(const QString& text)
{
    // A pasted novel is not worth a frozen window: very long blocks stay plain.
    if (text.size() > 20000)
        return;
    QTextCharFormat bracket;
    bracket.setForeground(bracket_);
    bracket.setFontWeight(QFont::Bold);
    QTextCharFormat weight;
    weight.setForeground(weight_);
    weight.setFontWeight(QFont::Bold);
    QTextCharFormat escape;
    escape.setForeground(Qt::gray);

    static const QRegularExpression weightRe(QStringLiteral(R"(:\s*-?\d*\.?\d+\s*$)"));
    struct Span
    {
        int from, length;
    };
    QList<std::pair<Span, QTextCharFormat>> marks; // brackets, weights, escapes: drawn over the tints
    QList<std::pair<Span, QColor>> tints;          // innermost first: brackets close inside out
    QList<int> open;                               // positions of unmatched '(' / '['
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            marks.append({{i, 2}, escape});
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
            const auto match = weightRe.match(QStringView(text).mid(start + 1, i - start - 1));
            if (round && match.hasMatch()) {
                factor = match.captured().mid(1).trimmed().toDouble();
                marks.append({{start + 1 + int(match.capturedStart()), int(match.capturedLength())}, weight});
            }
            QColor tint = factor >= 1 ? stronger_ : weaker_;
            tint.setAlpha(std::min(120, int(std::abs(factor - 1.0) * 200) + 30));
            tints.append({{start + 1, i - start - 1}, tint});
            marks.append({{start, 1}, bracket});
            marks.append({{i, 1}, bracket});
        }
    }
    // Each character takes the tint of the innermost span around it, set a run at a time: a format per
    // character (copied, changed, set) made a pasted prompt of a few thousand characters cost a frame or more.
    std::vector<int> tintOf(std::size_t(text.size()), -1);
    for (int t = 0; t < tints.size(); ++t)
        for (int k = tints[t].first.from; k < tints[t].first.from + tints[t].first.length; ++k)
            if (tintOf[std::size_t(k)] < 0)
                tintOf[std::size_t(k)] = t;
    for (int k = 0; k < text.size();) {
        const int t = tintOf[std::size_t(k)];
        int end = k + 1;
        while (end < text.size() && tintOf[std::size_t(end)] == t)
            ++end;
        if (t >= 0) {
            QTextCharFormat background;
            background.setBackground(tints[t].second);
            setFormat(k, end - k, background);
        }
        k = end;
    }
    for (const auto& [span, mark] : std::as_const(marks))
        for (int k = span.from; k < span.from + span.length; ++k) {
            QTextCharFormat merged = format(k); // keeps the tint behind a bracket or a weight
            merged.merge(mark);
            setFormat(k, 1, merged);
        }
    // <lora:name:0.8> is taken out of the prompt and merged into Stage C.
    static const QRegularExpression loraRe(QStringLiteral(R"(<lora:[^<>:]+(?::[^<>]*)?>)"));
    QTextCharFormat lora;
    lora.setForeground(lora_);
    lora.setFontItalic(true);
    for (auto it = loraRe.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        setFormat(int(match.capturedStart()), int(match.capturedLength()), lora);
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
    : QWidget(parent), prompt_(new BoundedTextEdit([this] { showCutNotice(true); }, this)),
      negative_(new BoundedTextEdit([this] { showCutNotice(true); }, this)), promptLabel_(new QLabel(this)),
      negativeLabel_(new QLabel(this)), promptTokens_(new QLabel(this)), negativeTokens_(new QLabel(this)),
      cutNotice_(new QLabel(this)), historyButton_(new QToolButton(this)), countTimer_(new QTimer(this))
{
    cutNotice_->setObjectName(QStringLiteral("promptCutNotice"));
    cutNotice_->setWordWrap(true);
    cutNotice_->hide();
    prompt_->setObjectName(QStringLiteral("promptEdit"));
    negative_->setObjectName(QStringLiteral("negativePromptEdit"));
    promptTokens_->setObjectName(QStringLiteral("promptTokens"));
    negativeTokens_->setObjectName(QStringLiteral("negativePromptTokens"));
    promptHighlighter_ = new EmphasisHighlighter(prompt_->document());
    negativeHighlighter_ = new EmphasisHighlighter(negative_->document());
    promptHighlighter_->setPalette(palette());
    negativeHighlighter_->setPalette(palette());
    countTimer_->setSingleShot(true);
    countTimer_->setInterval(120);
    connect(countTimer_, &QTimer::timeout, this, &PromptEditor::startCount);
    historyButton_->setObjectName(QStringLiteral("promptHistoryButton"));
    historyButton_->setPopupMode(QToolButton::InstantPopup);
    historyButton_->setAutoRaise(true);
    historyButton_->setMenu(new QMenu(historyButton_));
    connect(historyButton_->menu(), &QMenu::aboutToShow, this, &PromptEditor::showHistoryMenu);
    for (QPlainTextEdit* edit : {prompt_, negative_}) {
        edit->setTabChangesFocus(true);
        edit->installEventFilter(this);
        connect(edit, &QPlainTextEdit::textChanged, this, &PromptEditor::updateCounters);
        connect(edit, &QPlainTextEdit::textChanged, this, &PromptEditor::changed);
        connect(edit, &QPlainTextEdit::textChanged, this, [this] {
            // The notice stays while the text is at the limit, and goes once the user made room.
            if (!cutNotice_->isHidden() && prompt_->document()->characterCount() <= kMaxPromptChars &&
                negative_->document()->characterCount() <= kMaxPromptChars)
                showCutNotice(false);
        });
    }
    prompt_->setMinimumHeight(90);
    negative_->setMaximumHeight(70);
    promptLabel_->setBuddy(prompt_);
    negativeLabel_->setBuddy(negative_);
    for (QLabel* counter : {promptTokens_, negativeTokens_})
        counter->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    auto* promptHeader = new QHBoxLayout;
    promptHeader->addWidget(promptLabel_);
    promptHeader->addWidget(historyButton_);
    promptHeader->addStretch(1);
    grid->addLayout(promptHeader, 0, 0);
    grid->addWidget(promptTokens_, 0, 1);
    grid->addWidget(prompt_, 1, 0, 1, 2);
    grid->addWidget(cutNotice_, 2, 0, 1, 2);
    grid->addWidget(negativeLabel_, 3, 0);
    grid->addWidget(negativeTokens_, 3, 1);
    grid->addWidget(negative_, 4, 0, 1, 2);
    grid->setRowStretch(1, 3);
    grid->setRowStretch(4, 1);
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
    prompt_->setPlainText(leftChars(prompt, kMaxPromptChars));
    if (prompt.size() > kMaxPromptChars)
        showCutNotice(true);
}
void PromptEditor::setNegativePrompt(const QString& prompt)
{
    negative_->setPlainText(leftChars(prompt, kMaxPromptChars));
    if (prompt.size() > kMaxPromptChars)
        showCutNotice(true);
}

void PromptEditor::showCutNotice(bool shown)
{
    if (shown) {
        QPalette pal = palette();
        pal.setColor(QPalette::WindowText, isDarkPalette(pal) ? QColor(0xef, 0x9a, 0x9a) : QColor(0xc6, 0x28, 0x28));
        cutNotice_->setPalette(pal);
        cutNotice_->setText(
            tr("A prompt holds at most %L1 characters: the rest of the text was left out.").arg(kMaxPromptChars));
    }
    cutNotice_->setVisible(shown);
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
    historyButton_->setEnabled(!history_.isEmpty());
}

void PromptEditor::showHistoryMenu()
{
    QMenu* menu = historyButton_->menu();
    menu->clear();
    for (const QString& entry : std::as_const(history_)) {
        QString label = entry.simplified();
        if (label.size() > 80)
            label = label.left(77) + QStringLiteral("…");
        label.replace(QLatin1Char('&'), QStringLiteral("&&"));
        QAction* action = menu->addAction(label);
        action->setToolTip(entry);
        connect(action, &QAction::triggered, this, [this, entry] {
            setPrompt(entry);
            prompt_->setFocus();
            prompt_->moveCursor(QTextCursor::End);
        });
    }
}

void PromptEditor::retranslate()
{
    promptLabel_->setText(tr("&Prompt"));
    historyButton_->setText(tr("History"));
    historyButton_->setToolTip(tr("Earlier prompts (Alt+Up / Alt+Down)"));
    negativeLabel_->setText(tr("&Negative prompt"));
    prompt_->setPlaceholderText(tr("Describe the image, e.g. a lighthouse at dusk, (oil painting:1.2)"));
    negative_->setPlaceholderText(tr("What the image should not show"));
    const QString help = tr("Emphasis: (word:1.2) weights words, (word) multiplies by 1.1, [word] divides by 1.1.\n"
                            "Alt+Up / Alt+Down: previous prompts. Ctrl+Return: generate.");
    prompt_->setToolTip(help);
    negative_->setToolTip(tr("Text the image is steered away from (classifier-free guidance)."));
    if (!cutNotice_->isHidden())
        showCutNotice(true);
    updateCounters();
}

bool PromptEditor::countsPending() const
{
    return counting_ || countTimer_->isActive();
}

void PromptEditor::updateCounters()
{
    countTimer_->start(); // restarts while typing
}

void PromptEditor::startCount()
{
    if (counting_) {
        recount_ = true; // the text changed while counting: once more when this count is in
        return;
    }
    counting_ = true;
    QPointer<PromptEditor> self(this);
    QThreadPool::globalInstance()->start([self, counter = counter_, prompt = prompt(), negative = negativePrompt()] {
        const auto count = [&counter](const QString& typed) {
            const QString text = core::stripLoraTags(typed); // <lora:…> tags never reach the text encoder
            try {
                return counter ? counter(text) : approximateTokenCount(text);
            } catch (const std::exception&) {
                return approximateTokenCount(text);
            }
        };
        const int p = count(prompt), n = count(negative);
        QMetaObject::invokeMethod(
            qApp,
            [self, p, n] {
                if (self)
                    self->showCounts(p, n);
            },
            Qt::QueuedConnection);
    });
}

void PromptEditor::showCounts(int promptCount, int negativeCount)
{
    counting_ = false;
    const bool exact = bool(counter_);
    const auto show = [this, exact](QLabel* label, int count) {
        label->setText(tr("%1 / %2 tokens").arg(count).arg(kTokenWindow));
        const bool over = count > kTokenWindow;
        label->setForegroundRole(QPalette::WindowText);
        QPalette pal = palette();
        if (over)
            pal.setColor(QPalette::WindowText,
                         isDarkPalette(pal) ? QColor(0xef, 0x9a, 0x9a) : QColor(0xc6, 0x28, 0x28));
        label->setPalette(pal);
        label->setToolTip(over ? tr("More than %1 tokens: the prompt is encoded in 75-token chunks; the model weighs "
                                    "later chunks less reliably.")
                                     .arg(kTokenWindow)
                          : exact ? tr("CLIP token count; the text encoder reads 75 tokens at a time.")
                                  : tr("Approximate CLIP token count; the text encoder reads 75 tokens at a time."));
    };
    show(promptTokens_, promptCount);
    show(negativeTokens_, negativeCount);
    if (recount_) {
        recount_ = false;
        startCount();
        return;
    }
    Q_EMIT countsUpdated();
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
    if (event->type() == QEvent::PaletteChange) {
        promptHighlighter_->setPalette(palette());
        negativeHighlighter_->setPalette(palette());
        refreshThemedIcons(this, palette());
    }
    QWidget::changeEvent(event);
}

} // namespace kaskade::ui
