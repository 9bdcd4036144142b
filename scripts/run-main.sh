#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (apt packages), builds clawsim (release) and runs the
# main job on the shipped default. Extra arguments are passed to the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target clawsim
./build/release/sim/clawsim run scenarios/baseline.textproto "$@"
