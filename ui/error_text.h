#pragma once
// The one place where pipeline error codes become translatable sentences; the technical message goes into
// the dialog's details.

#include "pipeline/errors.h"

#include <QString>

class QWidget;

namespace kaskade::ui {

QString errorText(ErrorCode code);
// What happened and what to do, from the code and the engine's message (which tells a missing CUDA from a
// full GPU, for example). Falls back to errorText(code).
QString errorAdvice(ErrorCode code, const QString& message);
// A warning box with the sentence for code, what was being done, and message as details.
void showError(QWidget* parent, const QString& action, ErrorCode code, const QString& details);
// The same with the advice given (ModelController::adviceFor).
void showError(QWidget* parent, const QString& headline, const QString& advice, const QString& details);

} // namespace kaskade::ui
