#include "ui/theme.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QPixmap>
#include <QStyle>
#include <QStyleFactory>

namespace kaskade::ui {

namespace {

const char* const kIconProperty = "kaskadeThemedIcon";

// What the application looked like before the first applyTheme(): "system" goes back to it.
struct StartupLook
{
    QString style;
    QPalette palette;
};
StartupLook& startupLook()
{
    static StartupLook look{QApplication::style() ? QApplication::style()->name() : QString(), QApplication::palette()};
    return look;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1f, 0x20, 0x22), text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3a));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x6a, 0xb0, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xc0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4c, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x40, 0x44));
    p.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x28));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1a));
    p.setColor(QPalette::Shadow, Qt::black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

} // namespace

bool isDarkPalette(const QPalette& palette)
{
    return palette.color(QPalette::WindowText).lightness() > palette.color(QPalette::Window).lightness();
}

void applyTheme(const QString& choice)
{
    static bool changedOnce = false;
    const StartupLook& look = startupLook(); // captured before the first change
    if (choice == QLatin1String("dark") || choice == QLatin1String("light")) {
        if (QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
            QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(choice == QLatin1String("dark") ? darkPalette()
                                                                 : QApplication::style()->standardPalette());
        changedOnce = true;
        return;
    }
    // Untouched so far: leave Qt following the platform (a palette set explicitly would stop that).
    if (!changedOnce)
        return;
    if (!look.style.isEmpty() && QApplication::style()->name() != look.style)
        QApplication::setStyle(QStyleFactory::create(look.style));
    QApplication::setPalette(look.palette);
}

QIcon themedIcon(const QString& name, const QPalette& palette)
{
    QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray svg = file.readAll();
    // The icons draw their neutral parts in one slate grey; that grey becomes the palette's text colour.
    svg.replace("#37474f", palette.color(QPalette::WindowText).name().toLatin1());
    QIcon icon;
    for (int size : {16, 20, 24, 32, 48, 64}) {
        QBuffer buffer(&svg);
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer, "svg");
        reader.setScaledSize(QSize(size, size));
        const QImage image = reader.read();
        if (!image.isNull())
            icon.addPixmap(QPixmap::fromImage(image));
    }
    if (icon.isNull()) // no SVG image plugin: the unrecoloured icon through the icon engine
        return QIcon(file.fileName());
    return icon;
}

void setThemedIcon(QObject* target, const QString& name, const QPalette& palette)
{
    if (!target || name.isEmpty())
        return;
    target->setProperty(kIconProperty, name);
    const QIcon icon = themedIcon(name, palette);
    if (auto* action = qobject_cast<QAction*>(target))
        action->setIcon(icon);
    else if (auto* button = qobject_cast<QAbstractButton*>(target))
        button->setIcon(icon);
}

void refreshThemedIcons(QObject* root, const QPalette& palette)
{
    QList<QObject*> targets = root->findChildren<QObject*>();
    targets.prepend(root);
    for (QObject* object : targets) {
        const QString name = object->property(kIconProperty).toString();
        if (!name.isEmpty())
            setThemedIcon(object, name, palette);
    }
}

BannerColors bannerColors(const QPalette& palette)
{
    if (isDarkPalette(palette))
        return {QColor(0x4a, 0x3c, 0x12), QColor(0x9a, 0x7b, 0x2a), palette.color(QPalette::WindowText)};
    return {QColor(0xff, 0xf4, 0xd6), QColor(0xe0, 0xb8, 0x4c), QColor(0x4a, 0x3b, 0x00)};
}

} // namespace kaskade::ui
