#include "ui/gallery_panel.h"

#include "ui/gallery_model.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QSplitter>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace kaskade::ui {

GalleryPanel::GalleryPanel(GalleryModel* model, QWidget* parent)
    : QWidget(parent), model_(model), view_(new QListView(this)), details_(new QTextBrowser(this)),
      toolbar_(new QToolBar(this)), search_(new QLineEdit(this)), sort_(new QComboBox(this)),
      grid_(new QToolButton(this)), list_(new QToolButton(this))
{
    view_->setObjectName(QStringLiteral("galleryView"));
    details_->setObjectName(QStringLiteral("galleryDetails"));
    view_->setModel(model_);
    view_->setViewMode(QListView::IconMode);
    view_->setIconSize(QSize(128, 128));
    view_->setGridSize(QSize(146, 146));
    view_->setResizeMode(QListView::Adjust);
    view_->setMovement(QListView::Static);
    view_->setUniformItemSizes(true);
    view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view_->setWordWrap(false);
    view_->setTextElideMode(Qt::ElideMiddle);
    view_->setContextMenuPolicy(Qt::ActionsContextMenu);
    view_->setToolTip(tr("Finished images, newest first. Right-click for actions; drop a PNG on the window to "
                         "restore its parameters."));
    // Only the thumbnail: file names are long and the details pane names the file.
    view_->setSpacing(4);
    view_->setStyleSheet(QStringLiteral("QListView::item { border: 3px solid transparent; border-radius: 4px; }"
                                        "QListView::item:selected { border-color: palette(highlight); }"));
    details_->setOpenLinks(false);
    details_->setMinimumHeight(120);
    toolbar_->setIconSize(QSize(18, 18));
    toolbar_->setToolButtonStyle(Qt::ToolButtonIconOnly);

    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { showDetails(current.isValid() ? current.row() : -1); });
    connect(model_, &QAbstractItemModel::rowsRemoved, this, [this] { showDetails(currentRow()); });
    connect(view_, &QListView::activated, this, [this](const QModelIndex& index) { Q_EMIT activated(index.row()); });

    search_->setObjectName(QStringLiteral("gallerySearch"));
    search_->setPlaceholderText(tr("Search prompts…"));
    search_->setClearButtonEnabled(true);
    search_->setToolTip(tr("Show only images whose prompt contains this text"));
    connect(search_, &QLineEdit::textChanged, this, &GalleryPanel::applyFilter);
    sort_->setObjectName(QStringLiteral("gallerySortCombo"));
    sort_->addItem(tr("Newest first"));
    sort_->addItem(tr("Oldest first"));
    sort_->setToolTip(tr("Sort by date"));
    connect(sort_, &QComboBox::currentIndexChanged, this, [this](int index) { model_->setNewestFirst(index == 0); });
    grid_->setObjectName(QStringLiteral("galleryGridButton"));
    grid_->setText(tr("Grid"));
    grid_->setToolTip(tr("Thumbnails in a grid"));
    list_->setObjectName(QStringLiteral("galleryListButton"));
    list_->setText(tr("List"));
    list_->setToolTip(tr("A list with names"));
    for (QToolButton* button : {grid_, list_}) {
        button->setCheckable(true);
        button->setAutoRaise(true);
    }
    grid_->setChecked(true);
    connect(grid_, &QToolButton::clicked, this, [this] { setGridMode(true); });
    connect(list_, &QToolButton::clicked, this, [this] { setGridMode(false); });
    connect(model_, &QAbstractItemModel::rowsInserted, this, &GalleryPanel::applyFilter);
    connect(model_, &QAbstractItemModel::modelReset, this, &GalleryPanel::applyFilter);
    auto* filterRow = new QHBoxLayout;
    filterRow->setContentsMargins(0, 0, 0, 0);
    filterRow->addWidget(search_, 1);
    filterRow->addWidget(sort_);
    filterRow->addWidget(grid_);
    filterRow->addWidget(list_);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("gallerySplitter"));
    splitter->addWidget(view_);
    splitter->addWidget(details_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar_);
    layout->addLayout(filterRow);
    layout->addWidget(splitter, 1);
    showDetails(-1);
}

void GalleryPanel::setGridMode(bool grid)
{
    grid_->setChecked(grid);
    list_->setChecked(!grid);
    if (grid == gridMode())
        return;
    if (grid) {
        view_->setViewMode(QListView::IconMode);
        view_->setIconSize(QSize(128, 128));
        view_->setGridSize(QSize(146, 146));
        view_->setWordWrap(false);
    } else {
        view_->setViewMode(QListView::ListMode);
        view_->setIconSize(QSize(56, 56));
        view_->setGridSize(QSize());
    }
    view_->setMovement(QListView::Static);
    view_->setResizeMode(QListView::Adjust);
    applyFilter(); // a view mode change shows hidden rows again
    Q_EMIT gridModeChanged(grid);
}

bool GalleryPanel::gridMode() const
{
    return view_->viewMode() == QListView::IconMode;
}

void GalleryPanel::setFilterText(const QString& text)
{
    search_->setText(text);
}

void GalleryPanel::applyFilter()
{
    const QString text = search_->text().trimmed();
    for (int row = 0; row < model_->rowCount(); ++row) {
        const QModelIndex index = model_->index(row);
        const bool match = text.isEmpty() ||
                           index.data(GalleryModel::PromptRole).toString().contains(text, Qt::CaseInsensitive) ||
                           index.data(Qt::DisplayRole).toString().contains(text, Qt::CaseInsensitive);
        view_->setRowHidden(row, !match);
    }
}

QList<int> GalleryPanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex& index : view_->selectionModel()->selectedIndexes())
        if (!view_->isRowHidden(index.row()))
            rows << index.row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void GalleryPanel::setActions(const QList<QAction*>& actions)
{
    toolbar_->addActions(actions);
    view_->addActions(actions);
}

int GalleryPanel::currentRow() const
{
    const QModelIndex current = view_->currentIndex();
    return current.isValid() && view_->selectionModel()->isSelected(current) ? current.row() : -1;
}

void GalleryPanel::selectRow(int row)
{
    if (row < 0 || row >= model_->rowCount()) {
        view_->clearSelection();
        return;
    }
    view_->setCurrentIndex(model_->index(row));
}

void GalleryPanel::showDetails(int row)
{
    if (row < 0 || row >= model_->rowCount()) {
        details_->setHtml(QStringLiteral("<p style='color:gray'>%1</p>")
                              .arg(tr("Select an image to see its parameters.").toHtmlEscaped()));
        Q_EMIT currentChanged(-1);
        return;
    }
    const QModelIndex index = model_->index(row);
    const QSize size = index.data(GalleryModel::SizeRole).toSize();
    QString html = QStringLiteral("<b>%1</b><br>").arg(index.data(Qt::DisplayRole).toString().toHtmlEscaped());
    html += tr("%1 × %2 px, %3")
                .arg(size.width())
                .arg(size.height())
                .arg(QLocale().toString(index.data(GalleryModel::CreatedRole).toDateTime(), QLocale::ShortFormat))
                .toHtmlEscaped();
    const QString text = index.data(GalleryModel::ParametersTextRole).toString();
    if (text.isEmpty())
        html += QStringLiteral("<p style='color:gray'>%1</p>")
                    .arg(tr("No generation parameters in this file.").toHtmlEscaped());
    else
        html +=
            QStringLiteral("<p>%1</p>").arg(text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    details_->setHtml(html);
    Q_EMIT currentChanged(row);
}

} // namespace kaskade::ui
