#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (apt packages), builds clawsim and the viewer (release)
# and runs the main job on the shipped default. Extra arguments are passed to the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
targets=(clawsim)
# The viewer is configured when its packages are present (install-deps.sh installs them).
if grep -q '^CLAWSIM_BUILD_VIEWER:BOOL=ON' build/release/CMakeCache.txt; then targets+=(clawsim-view); fi
cmake --build --preset release --target "${targets[@]}"
./build/release/sim/clawsim run scenarios/baseline.textproto "$@"
if [ -x build/release/viz/clawsim-view ]; then
  echo "Open the run in the viewer (the run file is in the folder named above; results/baseline-s1 by default):"
  echo "  ./build/release/viz/clawsim-view results/baseline-s1/run.clawrun"
fi
