#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (apt packages), builds clawsim with warnings as errors,
# and runs every test: optimised with asserts (preset ci), then again under AddressSanitizer
# + UBSan (asan) and ThreadSanitizer (tsan; without the viewer, which runs on one thread and
# which asan covers), then every libFuzzer target briefly (preset fuzz,
# scripts/fuzz.sh: the kept findings replayed, then CLAWSIM_FUZZ_SECONDS, default 10, of
# fuzzing each). This is the command CI runs.
# CLAWSIM_QUICK_TEST=1 runs the ci preset only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
presets=(ci asan tsan)
if [ "${CLAWSIM_QUICK_TEST:-0}" = 1 ]; then presets=(ci); fi
for preset in "${presets[@]}"; do
  echo "== preset $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset" -j "$(nproc)"
done
if [ "${CLAWSIM_QUICK_TEST:-0}" != 1 ]; then
  echo "== fuzz targets"
  bash scripts/fuzz.sh "${CLAWSIM_FUZZ_SECONDS:-10}"
fi
