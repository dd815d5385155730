#pragma once
// Shared by the pipeline tests: where the reference fixtures are, and running one through the parity runner.

#include "pipeline/tools/parity/parity.h"

#include <QTest>

#include <cstdlib>
#include <filesystem>

namespace kaskade::test {

// $KASKADE_PARITY_DIR, else the directory given at configure time (default ../shared/parity).
inline std::filesystem::path parityDir()
{
    const char* env = std::getenv("KASKADE_PARITY_DIR");
    return env && *env ? std::filesystem::path(env) : std::filesystem::path(KASKADE_PARITY_DIR);
}

// Runs the named reference fixture through the parity runner; skips when the fixture is absent.
inline void runFixture(const char* name)
{
    const std::filesystem::path dir = parityDir();
    if (!std::filesystem::exists(dir / name / "fixture.json"))
        QSKIP(qPrintable(QString("fixture %1 not found under %2 (set KASKADE_PARITY_DIR)").arg(name, dir.c_str())));
    std::vector<parity::FixtureResult> results;
    for (const auto& r : parity::runAll(dir, name, {}))
        if (r.name == name)
            results.push_back(r);
    QCOMPARE(results.size(), std::size_t{1});
    QVERIFY2(results[0].passed, parity::formatResult(results[0]).c_str());
}

} // namespace kaskade::test
