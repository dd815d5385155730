#pragma once
// GalleryPanel: the icon-mode list of finished images and the details of the selected one. Actions (save as,
// copy, reuse, delete, open folder) belong to the main window; the panel shows them in a toolbar and a
// context menu.

#include <QWidget>

class QListView;
class QTextBrowser;
class QToolBar;
class QAction;

namespace kaskade::ui {

class GalleryModel;

class GalleryPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit GalleryPanel(GalleryModel* model, QWidget* parent = nullptr);

    QListView* view() const { return view_; }
    void setActions(const QList<QAction*>& actions);
    int currentRow() const;
    void selectRow(int row);

Q_SIGNALS:
    void currentChanged(int row); // -1: nothing selected
    void activated(int row);      // double click / Enter

private:
    void showDetails(int row);

    GalleryModel* model_;
    QListView* view_;
    QTextBrowser* details_;
    QToolBar* toolbar_;
};

} // namespace kaskade::ui
