#!/usr/bin/env bash
# Builds a profile-guided `clawsim` (GCC's -fprofile-generate / -fprofile-use) into
# build/pgo/sim/clawsim: the release build instrumented, trained on a 100,000-employee
# `bench org` and two shipped scenarios, then rebuilt with the profile. Results are identical
# to the release build's (same fingerprints); only speed differs (README, "A
# profile-guided build"). Two builds of the clawsim target and the training: about 8 minutes on 2 cores.
# Usage: scripts/build-pgo.sh [JOBS]   (default: all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${1:-$(nproc)}"
dir=build/pgo
profile="$PWD/$dir/profile"
common=(-DCLAWSIM_BUILD_TESTS=OFF -DCLAWSIM_BUILD_BENCHMARKS=OFF -DCLAWSIM_BUILD_VIEWER=OFF)
rm -rf "$profile"
# GCC names each object's profile after the object's path, so both builds use one folder.
cmake --preset release -B "$dir" "${common[@]}" \
  "-DCMAKE_CXX_FLAGS=-fprofile-generate -fprofile-update=atomic -fprofile-dir=$profile" >/dev/null
cmake --build "$dir" -j "$jobs" --target clawsim
echo "== training"
"$dir/sim/clawsim" bench org --employees 100000 --days 2 --threads 2 >/dev/null
"$dir/sim/clawsim" run scenarios/baseline.textproto --days 5 --out "$dir/train-baseline" >/dev/null
"$dir/sim/clawsim" run scenarios/safety_injection_campaign.textproto --days 14 --out "$dir/train-safety" >/dev/null
rm -rf "$dir/train-baseline" "$dir/train-safety"
cmake "$dir" "-DCMAKE_CXX_FLAGS=-fprofile-use -fprofile-partial-training -Wno-missing-profile -fprofile-dir=$profile" >/dev/null
cmake --build "$dir" -j "$jobs" --target clawsim
echo "built $dir/sim/clawsim"
