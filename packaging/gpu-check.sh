#!/usr/bin/env bash
# One-command GPU check from a bare checkout (no Qt needed): configures the headless engine against the
# LibTorch of the installed pip PyTorch (or Debian's LibTorch when there is no pip torch), builds it with
# all cores, runs the parity fixtures in fp32 (on CUDA with TF32 off when a GPU is present) and the
# benchmarks in bf16, and prints one summary table. Meant to finish within 8 minutes on an H100/H200.
#
#   packaging/gpu-check.sh            full check (on a CPU-only machine: a short variant)
#   packaging/gpu-check.sh --quick    short variant anywhere (512², few steps, one parity filter)
#
# Environment: KASKADE_PARITY_DIR (default ../shared/parity, then ./shared/parity), BUILD_DIR
# (default build/gpu-check), PYTHON (default python3), JOBS (default all cores), KASKADE_UNITY_BUILD
# (default ON: fastest cold build), BUILD_TIMEOUT (seconds, default 420).
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1
BUILD_DIR=${BUILD_DIR:-build/gpu-check}
PYTHON=${PYTHON:-python3}
JOBS=${JOBS:-$(nproc)}
LOG_DIR="$BUILD_DIR/gpu-check-logs"
START=$(date +%s)
declare -a ROWS=()

row() { ROWS+=("$(printf '%-34s | %-8s | %s' "$1" "$2" "$3")"); }
elapsed() { echo $(( $(date +%s) - START )); }
# Runs a step with a time limit, logging to LOG_DIR/NAME.log; prints the last lines on failure.
step() {
    local name=$1 limit=$2; shift 2
    local t0=$(date +%s)
    timeout "$limit" "$@" >"$LOG_DIR/$name.log" 2>&1
    local rc=$?
    STEP_SECONDS=$(( $(date +%s) - t0 ))
    if [[ $rc -ne 0 ]]; then
        echo "== $name failed (exit $rc after ${STEP_SECONDS}s); last lines of $LOG_DIR/$name.log:"
        tail -n 15 "$LOG_DIR/$name.log"
    fi
    return $rc
}

mkdir -p "$LOG_DIR"

# --- LibTorch: the pip torch's CMake prefix, else the system's (Debian libtorch-dev) -------------------
PREFIX=""
if "$PYTHON" -c 'import torch' >/dev/null 2>&1; then
    PREFIX=$("$PYTHON" -c 'import torch; print(torch.utils.cmake_prefix_path)')
    TORCH_DESC=$("$PYTHON" -c 'import torch; print("pip torch", torch.__version__, "CUDA", torch.version.cuda)')
else
    TORCH_DESC="system LibTorch"
fi
echo "gpu-check: $TORCH_DESC; $JOBS build jobs; build dir $BUILD_DIR"

CMAKE_ARGS=(-S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKASKADE_BUILD_QT=OFF
            "-DKASKADE_UNITY_BUILD=${KASKADE_UNITY_BUILD:-ON}")
command -v ccache >/dev/null 2>&1 && CMAKE_ARGS+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
[[ -n "$PREFIX" ]] && CMAKE_ARGS+=("-DCMAKE_PREFIX_PATH=$PREFIX")
if command -v nvcc >/dev/null 2>&1 && [[ -n "$PREFIX" ]]; then
    CMAKE_ARGS+=("-DCMAKE_CUDA_COMPILER=$(command -v nvcc)" -DCMAKE_CUDA_ARCHITECTURES=native)
fi
command -v ninja >/dev/null 2>&1 || { echo "gpu-check: ninja is required"; exit 2; }

if step configure 300 cmake "${CMAKE_ARGS[@]}"; then
    row "configure (headless engine)" ok "${STEP_SECONDS}s"
else
    row "configure (headless engine)" FAILED "see $LOG_DIR/configure.log"
    printf '%s\n' "${ROWS[@]}"; exit 1
fi
if step build "${BUILD_TIMEOUT:-420}" cmake --build "$BUILD_DIR" -j "$JOBS" --target kaskade-engine; then
    row "build kaskade-engine" ok "${STEP_SECONDS}s"
else
    row "build kaskade-engine" FAILED "see $LOG_DIR/build.log"
    printf '%s\n' "${ROWS[@]}"; exit 1
fi
ENGINE="$BUILD_DIR/app/kaskade-engine"
[[ -x "$ENGINE" ]] || ENGINE=$(find "$BUILD_DIR" -name kaskade-engine -type f -perm -u+x | head -n 1)

"$ENGINE" devices >"$LOG_DIR/devices.log" 2>&1
cat "$LOG_DIR/devices.log"
DEVICE=cpu
grep -q '^cuda:0' "$LOG_DIR/devices.log" && DEVICE=cuda:0
[[ "$DEVICE" == cpu ]] && QUICK=1 # a CPU needs minutes per 1024² step: the short variant
row "device" "$DEVICE" "$(head -n 1 "$LOG_DIR/devices.log" | cut -c1-70)"

# --- parity, fp32 (TF32 off on CUDA: kaskade-engine parity disables it) --------------------------------
PARITY_DIR=${KASKADE_PARITY_DIR:-}
for d in ../shared/parity shared/parity; do
    [[ -z "$PARITY_DIR" && -d "$d" ]] && PARITY_DIR=$d
done
if [[ -z "$PARITY_DIR" ]]; then
    row "parity" skipped "no fixture folder (set KASKADE_PARITY_DIR)"
else
    FILTER=()
    [[ $QUICK == 1 && "$DEVICE" == cpu ]] && FILTER=(--filter stage_)
    [[ "$DEVICE" != cpu ]] && export KASKADE_PARITY_DEVICE=$DEVICE # Stage B/C fixtures run there
    if step parity 240 "$ENGINE" parity "$PARITY_DIR" "${FILTER[@]}"; then
        row "parity fp32 ${FILTER[*]}" ok "$(tail -n 1 "$LOG_DIR/parity.log") (${STEP_SECONDS}s)"
    else
        row "parity fp32 ${FILTER[*]}" FAILED "$(tail -n 1 "$LOG_DIR/parity.log") (${STEP_SECONDS}s)"
    fi
fi

# --- benchmarks, bf16 ---------------------------------------------------------------------------------
if [[ $QUICK == 1 ]]; then
    BENCH_STEP=(bench --device "$DEVICE" --dtype bf16 --repeats 1 --warmup 0 --only stage_c_1b)
    BENCH_FULL=(bench --full --device "$DEVICE" --dtype bf16 --model lite --size 512 --steps-c 2 --steps-b 2)
else
    BENCH_STEP=(bench --device "$DEVICE" --dtype bf16 --repeats 5 --only stage_c_3.6b --only stage_b_1.5b)
    BENCH_FULL=(bench --full --device "$DEVICE" --dtype bf16 --model full --size 1024)
fi
BENCH_LIMIT=240
[[ "$DEVICE" == cpu ]] && BENCH_LIMIT=900 # a 1024² CPU step takes tens of seconds, more on a busy machine
if step bench-step "$BENCH_LIMIT" "$ENGINE" "${BENCH_STEP[@]}"; then
    while read -r line; do
        row "step ${line%%:*}" ok "$(echo "${line#*: }" | sed -E 's/.*step median ([0-9.]+ s).*(peak [^,]*)(, peak CUDA allocated [0-9.]+ GiB)?.*/median \1, \2\3/')"
    done < <(grep -E '^stage_[bc]_[0-9.a-z]+: ' "$LOG_DIR/bench-step.log")
else
    row "step benchmark" FAILED "see $LOG_DIR/bench-step.log"
fi
if step bench-full "$((BENCH_LIMIT + 60))" "$ENGINE" "${BENCH_FULL[@]}"; then
    row "generation ${BENCH_FULL[*]:6:4}" ok "$(grep -m1 'total' "$LOG_DIR/bench-full.log" | sed 's/bench --full: //')"
    row "  first preview / memory" "" "$(grep -m1 'first preview' "$LOG_DIR/bench-full.log" | sed 's/^ *//'); $(grep -m1 'peak RSS' "$LOG_DIR/bench-full.log" | sed 's/^ *//' | cut -c1-80)"
else
    row "generation (bench --full)" FAILED "see $LOG_DIR/bench-full.log"
fi

echo
echo "gpu-check summary ($TORCH_DESC, $(elapsed) s in all; logs in $LOG_DIR)"
printf '%-34s | %-8s | %s\n' "check" "result" "detail"
printf '%s\n' "-----------------------------------+----------+-------------------------------------------"
printf '%s\n' "${ROWS[@]}"
grep -q FAILED <<<"${ROWS[*]}" && exit 1
exit 0
