#!/usr/bin/env bash
# Kaskade set-up commands for a fresh Debian 12 / Ubuntu 22.04+ machine.
#   packaging/dev.sh run          install missing packages, build (Release) and start the app
#   packaging/dev.sh test         install missing packages, then everything CI checks (below); extra
#                                 arguments go to the main ctest run (e.g. -R pipeline_)
#   packaging/dev.sh tidy [FILE]  clang-tidy (.clang-tidy) on FILEs, or on the C++ files changed against HEAD
# Works as root or as a sudo user; packages already installed are not reinstalled.
#
# `test`, in order (each step stops the run when it fails; times are printed at the end):
#   1. format        every C++ file passes clang-format --dry-run -Werror (.clang-format)
#   2. headless      the engine alone, without Qt (KASKADE_BUILD_QT=OFF, and find_package(Qt6) disabled so
#                    nothing can pull Qt in), -Werror; the parity fixtures run on it
#   3. build + test  the same build folder reconfigured with Qt: the engine objects from step 2 are reused
#                    (same flags), so step 2 costs seconds; -Werror; every CTest test but parity (step 2 ran it)
#   4. translations  lupdate with the build's own options must find nothing to change in translations/*.ts
#   5. fuzz          libFuzzer smoke runs (build/fuzz, clang; KASKADE_SKIP_FUZZ=1 leaves them out)
#   6. asan          the whole suite under ASan + UBSan + LSan (the asan preset, build/asan); cold about
#                    11 min build + 6 min tests on 2 cores (README "Sanitizers"); KASKADE_SKIP_ASAN=1 leaves it out
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=${1:-}
shift || true
build_dir=${KASKADE_BUILD_DIR:-build/release}

packages=(
    build-essential cmake ninja-build ccache lld pkg-config
    libtorch-dev libopenblas0-openmp
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev qt6-charts-dev libqt6opengl6-dev
    qt6-image-formats-plugins
    zlib1g-dev nlohmann-json3-dev libutf8proc-dev libpcre2-dev libopencv-dev
    xvfb xauth appstream
    clang-14 clang-format clang-tidy libclang-rt-14-dev libfuzzer-14-dev
)

install_missing() {
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    echo "Installing: ${missing[*]}"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# configure [cmake -D options...]: the one Release configuration every mode shares. Options not given keep
# their cached value, so `run` after `test` (or the reverse) rebuilds nothing.
configure() {
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
}

with_qt=(-DKASKADE_BUILD_QT=ON -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=OFF)
without_qt=(-DKASKADE_BUILD_QT=OFF -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON)

# step NAME COMMAND...: runs and times one CI step.
timings=()
step() {
    local name=$1 start=$SECONDS
    shift
    echo "==> $name"
    "$@"
    timings+=("$(printf '%-14s %4d s' "$name" $((SECONDS - start)))")
}

check_format() {
    git ls-files -- '*.cpp' '*.h' | xargs clang-format --dry-run -Werror
}

headless() {
    configure -DKASKADE_WARNINGS_AS_ERRORS=ON "${without_qt[@]}"
    cmake --build "$build_dir" -j "$(nproc)" --target kaskade-engine
    ctest --test-dir "$build_dir" --output-on-failure -R '^parity$'
}

build_and_test() {
    configure -DKASKADE_WARNINGS_AS_ERRORS=ON "${with_qt[@]}"
    cmake --build "$build_dir" -j "$(nproc)"
    # LibTorch's intra-op threads: one per test, tests run two at a time.
    ctest --test-dir "$build_dir" --output-on-failure -j 2 -E '^parity$' "$@"
}

# The build's own lupdate command (app/CMakeLists.txt: sources and options), run on temporary copies of the
# .ts files it maintains (-ts overrides the project's list, so the checkout is never written); any difference
# fails. -locations none keeps line numbers out of the files; location lines are dropped anyway so that a file
# written with other options is compared by its messages only.
check_translations() {
    local command work ts copy stale=0
    command=$(ninja -C "$build_dir" -t commands kaskade_lupdate | tail -n 1)
    work=$(mktemp -d)
    # The first half of the command writes the project file that lists the .ts files; run it alone first.
    (eval "${command% && /*lupdate *}")
    local project=${command##*-project }
    project=${project%% *}
    local originals=()
    mapfile -t originals < <(grep -o '"[^"]*\.ts"' "$project" | tr -d '"')
    local copies=()
    for ts in "${originals[@]}"; do
        cp "$ts" "$work/"
        copies+=("$work/${ts##*/}")
    done
    (eval "$command -silent -ts ${copies[*]}")
    for ts in "${originals[@]}"; do
        copy="$work/${ts##*/}"
        if ! diff -u <(grep -v '<location ' "$ts") <(grep -v '<location ' "$copy") >"$work/diff"; then
            echo "$ts is out of date with the sources; lupdate would change:" >&2
            head -n 40 "$work/diff" >&2
            stale=1
        fi
    done
    rm -rf "$work"
    if [ $stale = 1 ]; then
        echo "Update with: cmake --build $build_dir --target update_translations, translate the new messages" \
            "(Qt Linguist) and commit translations/." >&2
        return 1
    fi
}

# Clang builds only the parsers and their libFuzzer harnesses (tests/fuzz); each runs KASKADE_FUZZ_SECONDS.
fuzz() {
    cmake -S . -B build/fuzz -G Ninja -DKASKADE_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cmake --build build/fuzz -j "$(nproc)"
    ctest --test-dir build/fuzz --output-on-failure -j 2
}

asan() {
    cmake --preset asan
    cmake --build build/asan -j "$(nproc)"
    ctest --test-dir build/asan --output-on-failure -j 2 "$@"
}

tidy() {
    local files=("$@")
    if [ ${#files[@]} -eq 0 ]; then
        mapfile -t files < <(git diff --name-only --diff-filter=d HEAD -- '*.cpp'; git ls-files -o --exclude-standard -- '*.cpp')
    fi
    [ ${#files[@]} -eq 0 ] && { echo "no changed C++ files"; return 0; }
    [ -f "$build_dir/compile_commands.json" ] || configure "${with_qt[@]}"
    # The build is GCC's: clang does not know some of its warning options (-Wno-restrict).
    clang-tidy -p "$build_dir" --quiet --extra-arg=-Wno-unknown-warning-option "${files[@]}"
}

case "$mode" in
run)
    install_missing
    configure "${with_qt[@]}"
    cmake --build "$build_dir" -j "$(nproc)"
    exec "$build_dir/app/kaskade" "$@"
    ;;
test)
    install_missing
    step format check_format
    step headless headless
    step build+test build_and_test "$@"
    step translations check_translations
    [ "${KASKADE_SKIP_FUZZ:-0}" = 1 ] || step fuzz fuzz
    [ "${KASKADE_SKIP_ASAN:-0}" = 1 ] || step asan asan
    printf '%s\n' "CI steps:" "${timings[@]}"
    ;;
tidy)
    install_missing
    tidy "$@"
    ;;
*)
    echo "usage: packaging/dev.sh run|test|tidy [FILE...]" >&2
    exit 2
    ;;
esac
