#include "ui/wheel_guard.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QScrollBar>
#include <QWidget>

namespace kaskade::ui {

namespace {

class WheelGuard final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() != QEvent::Wheel)
            return false;
        auto* widget = qobject_cast<QWidget*>(watched);
        if (!widget || widget->hasFocus())
            return false;
        // Swallowed here but left unaccepted: QApplication then offers it to the parents, up to the scroll area.
        event->ignore();
        return true;
    }
};

const QString kGuardName = QStringLiteral("kaskadeWheelGuard");

QObject* guardFor(QWidget* root)
{
    if (QObject* guard = root->findChild<QObject*>(kGuardName, Qt::FindDirectChildrenOnly))
        return guard;
    auto* guard = new WheelGuard(root);
    guard->setObjectName(kGuardName);
    return guard;
}

} // namespace

void guardWheel(QWidget* root)
{
    QObject* guard = guardFor(root);
    const auto guardOne = [guard](QWidget* widget) {
        widget->removeEventFilter(guard);
        widget->installEventFilter(guard);
        // Wheel focus would let the first wheel turn focus the widget and change it at once.
        if (widget->focusPolicy() == Qt::WheelFocus)
            widget->setFocusPolicy(Qt::StrongFocus);
    };
    for (QWidget* widget : root->findChildren<QWidget*>()) {
        if (qobject_cast<QAbstractSpinBox*>(widget) || qobject_cast<QComboBox*>(widget) ||
            (qobject_cast<QAbstractSlider*>(widget) && !qobject_cast<QScrollBar*>(widget)))
            guardOne(widget);
    }
}

} // namespace kaskade::ui
