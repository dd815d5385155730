#pragma once
// SIGTERM, SIGINT and SIGHUP (a logout, `kill`, Ctrl+C in the terminal that started the app) close the
// desktop app the way its window's close button does: the prompt and settings are saved and a running job
// or LoRA training stops at its next step and writes what it must, instead of the process dying where it
// stands. A second signal kills it at once (the default action), so a close that hangs cannot trap anyone.

#include <functional>

class QObject;

namespace kaskade::core {

// Installs the handlers; `close` runs on `context`'s thread (the GUI thread), once, from the event loop.
void closeOnTerminationSignals(QObject* context, std::function<void()> close);

} // namespace kaskade::core
