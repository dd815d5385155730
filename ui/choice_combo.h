#pragma once
// Combo boxes filled from the choice tables of pipeline/choices.h: the item text is the row's label translated
// (lupdate collects the labels from the tables), the item data its id. The parameter panel and Preferences
// share these, so a new table row appears in both without touching ui/.

#include "pipeline/choices.h"
#include "pipeline/device.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QString>

namespace kaskade::ui {

template <class E> QString choiceLabel(const Choice<E>& row)
{
    return QCoreApplication::translate(kChoiceLabelContext, row.label);
}

template <class E> void addChoiceItems(QComboBox* box)
{
    for (const Choice<E>& row : choiceTable<E>().rows)
        box->addItem(choiceLabel(row), QString::fromLatin1(row.id));
}

// "auto", "cpu", then one item per CUDA GPU this build and machine have (choosing CUDA elsewhere could only
// fail); item data are device ids ("cuda:1").
void addDeviceItems(QComboBox* box);

// Selects the item with this id; an id the box lacks (a GPU of another machine) is added as it is.
void selectChoice(QComboBox* box, const QString& id);

} // namespace kaskade::ui
