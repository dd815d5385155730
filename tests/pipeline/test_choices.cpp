// The choice tables and the limits table (pipeline/choices.h, pipeline/limits.h): every row's names lead back to
// it, device names parse in one place, and GenerationParams::validate() accepts each limit's ends and refuses the
// values just outside them. A new row that is not wired up makes one of these fail.

#include "pipeline/choices.h"
#include "pipeline/device.h"
#include "pipeline/errors.h"
#include "pipeline/generation_params.h"
#include "pipeline/limits.h"

#include <QTest>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

using namespace kaskade;

namespace {

RgbImage picture(int width, int height)
{
    return RgbImage{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 3, 128)};
}

// How each limit reaches GenerationParams. Limits that other code checks are listed with a null setter.
using IntSetter = std::function<void(GenerationParams&, int)>;
using RealSetter = std::function<void(GenerationParams&, double)>;

const std::map<const IntLimit*, IntSetter>& intSetters()
{
    static const std::map<const IntLimit*, IntSetter> setters{
        {&limits::width, [](GenerationParams& p, int v) { p.width = v; }},
        {&limits::height, [](GenerationParams& p, int v) { p.height = v; }},
        {&limits::batch, [](GenerationParams& p, int v) { p.batch = v; }},
        {&limits::steps,
         [](GenerationParams& p, int v) {
             p.stageC.steps = v;
             p.stageB.steps = v;
         }},
        {&limits::compression, [](GenerationParams& p, int v) { p.compression = v; }},
        {&limits::outpaint,
         [](GenerationParams& p, int v) {
             p.images.init.pixels = picture(64, 64);
             p.images.control = ControlKind::Inpaint;
             p.images.outpaint = {v, 1, 0, 0}; // top 1: a border to fill even at left 0
         }},
        {&limits::inputImageSide, [](GenerationParams& p, int v) { p.images.init.pixels = picture(v, 8); }},
        {&limits::threads, nullptr}, // setThreads(); checked in threadLimitIsTheEngines()
    };
    return setters;
}

const std::map<const RealLimit*, RealSetter>& realSetters()
{
    static const std::map<const RealLimit*, RealSetter> setters{
        {&limits::cfg,
         [](GenerationParams& p, double v) {
             p.stageC.cfg = v;
             p.stageB.cfg = v;
         }},
        {&limits::shift,
         [](GenerationParams& p, double v) {
             p.stageC.shift = v;
             p.stageB.shift = v;
         }},
        {&limits::cfgRho, [](GenerationParams& p, double v) { p.cfgRho = v; }},
        {&limits::strength,
         [](GenerationParams& p, double v) {
             p.images.init.pixels = picture(64, 64);
             p.images.strength = v;
         }},
        {&limits::controlStrength, [](GenerationParams& p, double v) { p.images.controlStrength = v; }},
        {&limits::loraStrength, nullptr}, // a model setting: LoadedModels::open checks it
    };
    return setters;
}

bool accepts(const std::function<void(GenerationParams&)>& set)
{
    GenerationParams p;
    set(p);
    try {
        p.validate();
        return true;
    } catch (const Error&) {
        return false;
    }
}

template <class E> void checkTable()
{
    const auto& table = choiceTable<E>();
    QVERIFY(!table.rows.empty());
    std::set<std::string> ids;
    for (const Choice<E>& row : table.rows) {
        QVERIFY2(ids.insert(row.id).second, row.id); // unique
        QVERIFY2(row.label && *row.label, row.id);
        QCOMPARE(choiceId(row.value), row.id);
        QVERIFY2(choiceFromId<E>(row.id) == row.value, row.id);
        std::string upper(row.id);
        for (char& c : upper)
            c = char(std::toupper(static_cast<unsigned char>(c)));
        QVERIFY2(choiceFromId<E>(upper) == row.value, row.id); // case does not matter
        QVERIFY2(choiceIdList<E>().find(row.id) != std::string::npos, row.id);
    }
    QVERIFY(!choiceFromId<E>("no such choice"));
    try {
        parseChoice<E>("no such choice");
        QFAIL("accepted");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        const std::string message = e.what();
        QVERIFY2(message.find(table.what) != std::string::npos, e.what());
        QVERIFY2(message.find(choiceIdList<E>()) != std::string::npos, e.what());
    }
}

} // namespace

class TestChoices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyTableRoundTrips()
    {
        checkTable<SamplerKind>();
        checkTable<DeviceKind>();
        checkTable<Precision>();
        checkTable<Residency>();
        checkTable<ControlKind>();
    }

    void aliasesAndLists()
    {
        QVERIFY(choiceFromId<Precision>("bfloat16") == Precision::Bf16);
        QVERIFY(choiceFromId<ControlKind>("super_resolution") == ControlKind::SuperResolution);
        QCOMPARE(choiceIdList<Residency>(), std::string("auto, all or sequential"));
        QCOMPARE(choiceIdList<Precision>("and"), std::string("auto, fp32, bf16 and fp16"));
        QVERIFY(samplerFromForeignName("DPM++ 2M") == SamplerKind::DpmPp2m);
        QVERIFY(samplerFromForeignName("dpmpp_2m") == SamplerKind::DpmPp2m);
        QVERIFY(!samplerFromForeignName("DPM++ 2M Karras")); // another schedule: not the same sampler
    }

    void devicesParseInOnePlace_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("id"); // empty: refused
        QTest::newRow("auto") << "auto"
                              << "auto";
        QTest::newRow("cpu") << "CPU"
                             << "cpu";
        QTest::newRow("cuda") << "cuda"
                              << "cuda:0";
        QTest::newRow("cuda:3") << "cuda:3"
                                << "cuda:3";
        QTest::newRow("cuda:12") << "Cuda:12"
                                 << "cuda:12";
        QTest::newRow("gpu") << "gpu"
                             << "";
        QTest::newRow("cuda:") << "cuda:"
                               << "";
        QTest::newRow("cuda:x") << "cuda:x"
                                << "";
        QTest::newRow("cuda:-1") << "cuda:-1"
                                 << "";
        QTest::newRow("cuda:1000") << "cuda:1000"
                                   << "";
        QTest::newRow("empty") << ""
                               << "";
    }
    void devicesParseInOnePlace()
    {
        QFETCH(QString, name);
        QFETCH(QString, id);
        const auto device = parseDevice(name.toStdString());
        QCOMPARE(device.has_value(), !id.isEmpty());
        if (device)
            QCOMPARE(QString::fromStdString(deviceId(*device)), id);
        else
            QVERIFY_THROWS_EXCEPTION(Error, parseDeviceOrThrow(name.toStdString()));
    }

    void resolvingDevicesAndPrecisions()
    {
        QCOMPARE(resolveDevice(DeviceChoice{DeviceKind::Cpu}), std::string("cpu"));
        QCOMPARE(resolveDtype(Precision::Fp16, "cpu"), std::string("fp16"));
        QCOMPARE(resolveDtype(Precision::Auto, "cpu"), defaultDtype("cpu"));
        QCOMPARE(resolveDtype("bfloat16", "cpu"), std::string("bf16"));
        QVERIFY_THROWS_EXCEPTION(Error, resolveDtype("int8", "cpu"));
        QVERIFY_THROWS_EXCEPTION(Error, resolveDevice(std::string("gpu")));
        if (!cudaAvailable()) {
            try {
                resolveDevice(DeviceChoice{DeviceKind::Cuda, 1});
                QFAIL("accepted CUDA without CUDA");
            } catch (const Error& e) {
                QCOMPARE(e.code(), ErrorCode::DeviceError);
            }
        }
    }

    // validate() takes every limit's ends and refuses the values just outside.
    void validateFollowsTheLimits()
    {
        QVERIFY(accepts([](GenerationParams&) {}));
        for (const IntLimit* limit : limits::kIntLimits) {
            QVERIFY2(intSetters().count(limit), limit->what); // a new limit needs a row above
            const IntSetter& set = intSetters().at(limit);
            if (!set)
                continue;
            for (const int inside : {limit->min, limit->max})
                QVERIFY2(accepts([&](GenerationParams& p) { set(p, inside); }),
                         qPrintable(QStringLiteral("%1 %2 refused").arg(limit->what).arg(inside)));
            for (const int outside : {limit->min - 1, limit->max + 1})
                QVERIFY2(!accepts([&](GenerationParams& p) { set(p, outside); }),
                         qPrintable(QStringLiteral("%1 %2 accepted").arg(limit->what).arg(outside)));
        }
        constexpr double inf = std::numeric_limits<double>::infinity();
        for (const RealLimit* limit : limits::kRealLimits) {
            QVERIFY2(realSetters().count(limit), limit->what);
            const RealSetter& set = realSetters().at(limit);
            if (!set)
                continue;
            for (const double inside : {limit->min, limit->max})
                QVERIFY2(accepts([&](GenerationParams& p) { set(p, inside); }),
                         qPrintable(QStringLiteral("%1 %2 refused").arg(limit->what).arg(inside)));
            for (const double outside : {std::nextafter(limit->min, -inf), std::nextafter(limit->max, inf),
                                         std::numeric_limits<double>::quiet_NaN()})
                QVERIFY2(!accepts([&](GenerationParams& p) { set(p, outside); }),
                         qPrintable(QStringLiteral("%1 %2 accepted").arg(limit->what).arg(outside)));
        }
        QVERIFY(accepts([](GenerationParams& p) { p.compression = 0; })); // the official rule, below the range
    }

    void messagesNameTheLimits()
    {
        GenerationParams p;
        p.stageC.steps = limits::steps.max + 1;
        try {
            p.validate();
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(std::string(e.what()), "Stage C steps must be between 1 and " + std::to_string(limits::steps.max) +
                                                " (got " + std::to_string(limits::steps.max + 1) + ")");
        }
    }

    void threadLimitIsTheEngines()
    {
        QCOMPARE(kMaxThreads, limits::threads.max);
        QVERIFY_THROWS_EXCEPTION(Error, setThreads(limits::threads.max + 1));
    }
};

QTEST_APPLESS_MAIN(TestChoices)
#include "test_choices.moc"
