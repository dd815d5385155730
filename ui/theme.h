#pragma once
// Light and dark palettes: the theme choice (system / light / dark), icons recoloured from the palette, and
// the few colours the app draws itself (demo banner, emphasis highlight) derived from the palette.

#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

class QObject;
class QWidget;

namespace kaskade::ui {

// True when text is lighter than the window background (a dark theme, whatever its source).
bool isDarkPalette(const QPalette& palette);

// "system" restores the style and palette the application started with; "light" and "dark" use Fusion with
// a light or a dark palette. Widgets get QEvent::PaletteChange and recolour themselves.
void applyTheme(const QString& choice);

// An icon from :/icons/<name>.svg whose foreground (the neutral stroke) is drawn in the palette's text colour;
// coloured accents (the generate star, the red cancel cross) keep their colours.
QIcon themedIcon(const QString& name, const QPalette& palette);

// Gives an action or a button a themed icon and remembers the name, so refreshThemedIcons() can redraw it.
void setThemedIcon(QObject* actionOrButton, const QString& name, const QPalette& palette);
// Redraws every themed icon of root's children (after a palette change).
void refreshThemedIcons(QObject* root, const QPalette& palette);

// Colours for the demo banner: a warm note that stays readable on light and dark palettes.
struct BannerColors
{
    QColor background, border, text;
};
BannerColors bannerColors(const QPalette& palette);

} // namespace kaskade::ui
