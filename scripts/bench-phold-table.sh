#!/usr/bin/env bash
# Measures the README's PHOLD table: committed events per second at 1,024 / 65,536 /
# 1,048,576 LPs (remote 0.25, lookahead 0.1 s, mean 1 s, one event per LP) for the given
# thread counts, REPS runs each, printing the median. Usage: bench-phold-table.sh [REPS] [THREADS...]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}; shift || true
threads=("$@"); [ ${#threads[@]} -eq 0 ] && threads=(1 2)
bin=./build/release/sim/clawsim
printf "%-10s %-8s %-14s %-12s %s\n" lps threads median_Mev/s peak_MiB command
for lps in 1024 65536 1048576; do
  case $lps in 1024) end=2000;; 65536) end=100;; 1048576) end=10;; esac
  for t in "${threads[@]}"; do
    cmd="$bin bench phold --lps $lps --remote 0.25 --lookahead 0.1 --mean 1 --end $end --threads $t --json"
    rates=(); mem=0
    for ((i = 0; i < reps; i++)); do
      out=$($cmd)
      rates+=("$(sed -E 's/.*"events_per_s":([0-9.e+]+).*/\1/' <<<"$out")")
      mem=$(sed -E 's/.*"peak_rss_mib":([0-9.]+).*/\1/' <<<"$out")
    done
    median=$(printf "%s\n" "${rates[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]/1e6}')
    printf "%-10s %-8s %-14.2f %-12.0f %s\n" "$lps" "$t" "$median" "$mem" "${cmd#./}"
  done
done
