#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (apt packages), builds clawsim with warnings as errors,
# and runs every test. This is the command CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci -j "$(nproc)"
