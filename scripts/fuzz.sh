#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang, AddressSanitizer + UBSan) and runs each
# for SECONDS (default 600), one after another, under `nice`. First every kept finding in
# tests/fuzz/regressions/TARGET/ is replayed (a regression fails the script at once); then
# the target fuzzes from its seeds (shipped files) and its scratch corpus in
# build/fuzz/corpus/TARGET/. Memory is capped (-rss_limit_mb, -malloc_limit_mb) so an
# allocation storm is a finding, not a dead machine; an input slower than -timeout is a
# finding too. A finding is written to build/fuzz/findings/TARGET/ and the script exits 1:
# fix it, then copy the file into tests/fuzz/regressions/TARGET/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: scenario set_path study run_file study_results mcp
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(scenario set_path study run_file study_results mcp); fi

cmake --preset fuzz >/dev/null
build_targets=()
for t in "${targets[@]}"; do build_targets+=("${t}_fuzz"); done
cmake --build build/fuzz --target "${build_targets[@]}"

seeds_of() {
  case "$1" in
    scenario | study) echo scenarios ;;
    set_path) echo tests/fuzz/seeds/set_path ;;
    run_file) echo tests/fuzz/seeds/run_file ;;
    study_results) echo tests/fuzz/seeds/study_results ;;
    mcp) echo tests/fuzz/seeds/mcp ;;
  esac
}

for t in "${targets[@]}"; do
  bin="build/fuzz/tests/fuzz/${t}_fuzz"
  limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20)
  regressions="tests/fuzz/regressions/$t"
  if compgen -G "$regressions/*" >/dev/null; then
    echo "== $t: replaying $(ls "$regressions" | wc -l) kept findings"
    "$bin" "${limits[@]}" "$regressions"/* 2>&1 | tail -n 2
  fi
  corpus="build/fuzz/corpus/$t"
  findings="build/fuzz/findings/$t"
  mkdir -p "$corpus" "$findings"
  echo "== $t: fuzzing for $seconds s"
  nice -n 10 "$bin" "${limits[@]}" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" "$(seeds_of "$t")" 2>&1 | grep -E "^#[0-9]+.*(DONE|pulse)|stat::|ERROR: |runtime error|SUMMARY|Test unit written" | tail -n 12
done
