// A signal handler may only do async-signal-safe things, so it writes the signal number to a socket
// pair; a QSocketNotifier on the other end runs the close from the event loop (the usual Qt pattern).
#include "app/core/termination_signals.h"

#include <QObject>
#include <QSocketNotifier>

#include <array>
#include <csignal>
#include <cstdio>

#include <sys/socket.h>
#include <unistd.h>

namespace kaskade::core {
namespace {

constexpr std::array kSignals{SIGTERM, SIGINT, SIGHUP};
int wakeFds[2] = {-1, -1}; // [0] written by the handler, [1] read by the notifier

void onSignal(int signal)
{
    const char byte = static_cast<char>(signal);
    [[maybe_unused]] const auto written = ::write(wakeFds[0], &byte, 1); // nothing to do if it fails
}

void restoreDefaults()
{
    for (int signal : kSignals)
        std::signal(signal, SIG_DFL);
}

} // namespace

void closeOnTerminationSignals(QObject* context, std::function<void()> close)
{
    if (wakeFds[0] >= 0)
        return; // installed once per process
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, wakeFds) != 0) {
        std::perror("kaskade: termination signals keep their default action");
        return;
    }
    auto* notifier = new QSocketNotifier(wakeFds[1], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [notifier, close = std::move(close)] {
        char byte = 0;
        [[maybe_unused]] const auto got = ::read(wakeFds[1], &byte, 1);
        notifier->setEnabled(false);
        restoreDefaults(); // a second signal while closing ends the process
        close();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signal : kSignals)
        sigaction(signal, &action, nullptr);
}

} // namespace kaskade::core
