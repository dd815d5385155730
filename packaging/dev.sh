#!/usr/bin/env bash
# Kaskade set-up commands for a fresh Debian 12 / Ubuntu 22.04+ machine.
#   packaging/dev.sh run    install missing packages, build (Release) and start the app
#   packaging/dev.sh test   install missing packages, build (Release) and run every test through CTest
# Works as root or as a sudo user; packages already installed are not reinstalled.
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
    clang-14 clang-format libclang-rt-14-dev libfuzzer-14-dev
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

build() {
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
    cmake --build "$build_dir" -j "$(nproc)"
}

case "$mode" in
run)
    install_missing
    build
    exec "$build_dir/app/kaskade" "$@"
    ;;
test)
    install_missing
    # The project's .clang-format applies to every C++ file.
    git ls-files -- '*.cpp' '*.h' | xargs clang-format --dry-run -Werror
    build
    # LibTorch's intra-op threads: one per test, tests run two at a time.
    ctest --test-dir "$build_dir" --output-on-failure -j 2 "$@"
    # Fuzz smoke tests: clang builds only the parsers and their libFuzzer harnesses (tests/fuzz), each
    # runs KASKADE_FUZZ_SECONDS (25 s). KASKADE_SKIP_FUZZ=1 leaves them out.
    if [ "${KASKADE_SKIP_FUZZ:-0}" != 1 ]; then
        cmake -S . -B build/fuzz -G Ninja -DKASKADE_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 \
            -DCMAKE_BUILD_TYPE=RelWithDebInfo
        cmake --build build/fuzz -j "$(nproc)"
        ctest --test-dir build/fuzz --output-on-failure -j 2
    fi
    # The whole suite again under AddressSanitizer + UBSan + LeakSanitizer (the asan preset). Opt-in with
    # KASKADE_ASAN=1 until its cold build time on the 2-core CI machine is measured (see README).
    if [ "${KASKADE_ASAN:-0}" = 1 ]; then
        cmake --preset asan
        cmake --build build/asan -j "$(nproc)"
        ctest --test-dir build/asan --output-on-failure -j 2 "$@"
    fi
    ;;
*)
    echo "usage: packaging/dev.sh run|test" >&2
    exit 2
    ;;
esac
