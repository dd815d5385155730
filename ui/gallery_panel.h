#pragma once
// GalleryPanel: the icon-mode list of finished images and the details of the selected one. Actions (save as,
// copy, reuse, delete, open folder) belong to the main window; the panel shows them in a toolbar and a
// context menu.

#include <QWidget>

class QComboBox;
class QLineEdit;
class QListView;
class QToolButton;
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
    QList<int> selectedRows() const; // in view order

    // Grid of thumbnails (icon mode) or a list with names and dates.
    void setGridMode(bool grid);
    bool gridMode() const;
    // Shows only images whose prompt contains text (case-insensitive); empty shows all.
    void setFilterText(const QString& text);
    QLineEdit* searchEdit() const { return search_; }
    QComboBox* sortCombo() const { return sort_; }

Q_SIGNALS:
    void currentChanged(int row); // -1: nothing selected
    void activated(int row);      // double click / Enter
    void gridModeChanged(bool grid);

private:
    void showDetails(int row);
    void applyFilter();

    GalleryModel* model_;
    QListView* view_;
    QTextBrowser* details_;
    QToolBar* toolbar_;
    QLineEdit* search_;
    QComboBox* sort_;
    QToolButton* grid_;
    QToolButton* list_;
};

} // namespace kaskade::ui
