#pragma once
// StallProbe: measures how long the GUI event loop goes without running a 1 ms timer. The GUI thread must never
// run model code, so during a generation this stays near a frame (goal: under 16 ms).

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace kaskade::ui {

class StallProbe final : public QObject
{
    Q_OBJECT
public:
    explicit StallProbe(QObject* parent = nullptr) : QObject(parent)
    {
        timer_.setInterval(1);
        timer_.setTimerType(Qt::PreciseTimer);
        connect(&timer_, &QTimer::timeout, this, [this] {
            const double now = clock_.nsecsElapsed() / 1e6;
            longest_ = std::max(longest_, now - last_ - timer_.interval());
            last_ = now;
        });
    }
    void start()
    {
        longest_ = 0;
        clock_.start();
        last_ = 0;
        timer_.start();
    }
    void stop() { timer_.stop(); }
    double longestStallMs() const { return longest_; }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    double last_ = 0;
    double longest_ = 0;
};

} // namespace kaskade::ui
