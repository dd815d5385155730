#include "ui/choice_combo.h"

namespace kaskade::ui {

void addDeviceItems(QComboBox* box)
{
    for (const Choice<DeviceKind>& row : choiceTable<DeviceKind>().rows) {
        if (row.value != DeviceKind::Cuda) {
            box->addItem(choiceLabel(row), QString::fromLatin1(row.id));
            continue;
        }
        for (const DeviceInfo& device : listDevices())
            if (device.id != "cpu")
                box->addItem(QStringLiteral("%1 %2 (%3)")
                                 .arg(choiceLabel(row), QString::fromStdString(device.id.substr(5)),
                                      QString::fromStdString(device.name)),
                             QString::fromStdString(device.id));
    }
}

void selectChoice(QComboBox* box, const QString& id)
{
    const int index = box->findData(id);
    if (index >= 0) {
        box->setCurrentIndex(index);
    } else if (!id.isEmpty()) {
        box->addItem(id, id);
        box->setCurrentIndex(box->count() - 1);
    }
}

} // namespace kaskade::ui
