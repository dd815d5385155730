// Build-time tool: renders the application SVG to a square PNG for the hicolor icon theme.
//   kaskade-render-icon IN.svg SIZE OUT.png
// Used when rsvg-convert is not installed; Qt's SVG renderer is always there when the GUI builds.
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv); // fonts for any text in the SVG
    const QStringList args = app.arguments();
    if (args.size() != 4 || args.at(2).toInt() <= 0) {
        std::fprintf(stderr, "usage: kaskade-render-icon IN.svg SIZE OUT.png\n");
        return 2;
    }
    QSvgRenderer svg(args.at(1));
    if (!svg.isValid()) {
        std::fprintf(stderr, "kaskade-render-icon: cannot read %s\n", qPrintable(args.at(1)));
        return 1;
    }
    const int size = args.at(2).toInt();
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform);
    svg.setAspectRatioMode(Qt::KeepAspectRatio);
    svg.render(&painter);
    painter.end();
    if (!image.save(args.at(3), "PNG")) {
        std::fprintf(stderr, "kaskade-render-icon: cannot write %s\n", qPrintable(args.at(3)));
        return 1;
    }
    return 0;
}
