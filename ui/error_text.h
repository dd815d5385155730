#pragma once
// The one place where pipeline error codes become translatable sentences; the technical message goes into
// the dialog's details.

#include "pipeline/errors.h"

#include <QString>

class QWidget;

namespace kaskade::ui {

QString errorText(ErrorCode code);
// A warning box with the sentence for code, what was being done, and message as details.
void showError(QWidget* parent, const QString& action, ErrorCode code, const QString& details);

} // namespace kaskade::ui
