#pragma once
// Scrolling a panel must not change the value under the mouse: spin boxes, combo boxes and sliders take wheel
// events only while they have keyboard focus; otherwise the event goes on to the scroll area around them.

class QWidget;

namespace kaskade::ui {

// Guards every spin box, combo box and slider below root (call again after adding widgets; guarding twice is
// harmless).
void guardWheel(QWidget* root);

} // namespace kaskade::ui
