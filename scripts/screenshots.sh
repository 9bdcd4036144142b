#!/usr/bin/env bash
# Regenerates the README's viewer screenshots (docs/screenshots/*.png) from the shipped
# scenarios, headless. Makes the runs it needs when they are missing:
#   results/safety-autonomous-21d-sN  scenarios/safety_injection_campaign.textproto, 21 days,
#                                     permissions.preset=fully_autonomous, the first seed N
#                                     of 1-4 with a leak
#   results/safety-read-only-21d-sN   the same with permissions.preset=read_only (for Compare)
#   results/detection-sN/detection.json  clawsim detect on the first (for Detection)
#   results/serve-seat-day            clawsim serve tests/serve/seat_day.textproto, seat dana,
#                                     the scripted day (for the seat's timeline lane)
# and finds the ids it selects in them (the first leak, its employee, the injection email it
# began with) with `clawsim inspect --trace-back harms --json`, so no id is pasted here.
#
# usage: scripts/screenshots.sh [--build DIR] [--size WxH] [--out DIR]
#   --build DIR  where clawsim and clawsim-view were built (default build/release; the
#                script builds both there when missing)
#   --size WxH   image size (default 1600x900); run again with 1280x720 to check the small size
#   --out DIR    where the PNGs go (default docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build/release
SIZE=1600x900
OUT=docs/screenshots
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "usage: scripts/screenshots.sh [--build DIR] [--size WxH] [--out DIR]" >&2; exit 2 ;;
  esac
done
CLAWSIM="$BUILD/sim/clawsim"
VIEW="$BUILD/viz/clawsim-view"
if [ ! -x "$CLAWSIM" ] || [ ! -x "$VIEW" ]; then
  preset=$(basename "$BUILD")
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" --target clawsim clawsim-view
fi
mkdir -p "$OUT"

# The safety run: the injection campaign with fully autonomous agents (the preset that lets
# injected agents send mail out), 21 days, at the first seed of 1-4 whose run has a leak.
for seed in 1 2 3 4; do
  SAFETY=results/safety-autonomous-21d-s$seed
  OTHER=results/safety-read-only-21d-s$seed
  [ -f "$SAFETY/run.clawrun" ] ||
    "$CLAWSIM" run scenarios/safety_injection_campaign.textproto --days 21 --seed $seed --threads 2 --out "$SAFETY" \
      --set permissions.preset=fully_autonomous >/dev/null
  HARMS=$("$CLAWSIM" inspect "$SAFETY/run.clawrun" --trace-back harms --json --page-size 100000)
  LEAK=$(printf '%s' "$HARMS" | python3 -c 'import json,sys; r=[h for h in json.load(sys.stdin)["rows"] if h["kind"]=="leak"]; print(r[0]["id"] if r else "")')
  [ -n "$LEAK" ] && break
done
if [ -z "$LEAK" ]; then
  echo "screenshots.sh: no leak in seeds 1-4 of the autonomous injection campaign; the Harms and Inspector shots need one" >&2
  exit 1
fi
[ -f "$OTHER/run.clawrun" ] ||
  "$CLAWSIM" run scenarios/safety_injection_campaign.textproto --days 21 --seed $seed --threads 2 --out "$OTHER" \
    --set permissions.preset=read_only >/dev/null
# The ids to select, from the run itself: the first leak (harms list leaks first), the
# incident nearest the start, and the injection email the leak began with.
INCIDENT=$(printf '%s' "$HARMS" | python3 -c 'import json,sys; r=[h for h in json.load(sys.stdin)["rows"] if h["kind"]=="incident"]; print(r[0]["id"] if r else "")')
EMAIL=$("$CLAWSIM" inspect "$SAFETY/run.clawrun" --trace-back "$LEAK" --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["origin"].get("id",""))')
echo "selecting $LEAK (leak), $INCIDENT (incident), $EMAIL (its injection email)"

shot() {  # shot FILE PANEL [ARGS...]
  local file="$1" panel="$2"
  shift 2
  "$VIEW" --screenshot "$OUT/$file.png" --panel "$panel" --size "$SIZE" "$@"
}
shot overview Overview "$SAFETY/run.clawrun"
shot harms Harms --select "$LEAK" "$SAFETY/run.clawrun"
shot timeseries "Time series" "$SAFETY/run.clawrun"
shot leaderboard Leaderboard --select "$LEAK" "$SAFETY/run.clawrun"
shot scatter "Tokens vs value" --select "$LEAK" "$SAFETY/run.clawrun"
shot timeline Timeline --select "$INCIDENT" "$SAFETY/run.clawrun"
shot inspector Inspector --select "${EMAIL:-$LEAK}" "$SAFETY/run.clawrun"
shot audit "Audit log" --select "$LEAK" "$SAFETY/run.clawrun"
shot graphs Graphs --select "$LEAK" "$SAFETY/run.clawrun"
shot compare Compare "$SAFETY/run.clawrun" "$OTHER/run.clawrun"
DETECTION=results/detection-s$seed
[ -f "$DETECTION/detection.json" ] ||
  "$CLAWSIM" detect "$SAFETY/run.clawrun" --detectors scenarios/detectors.textproto --out "$DETECTION" >/dev/null
shot detection Detection "$DETECTION/detection.json"
if [ -f results/permissions/study.clawstudy ]; then
  shot study Study results/permissions/study.clawstudy
else
  echo "screenshots.sh: no results/permissions/study.clawstudy (clawsim study scenarios/study_permissions.textproto); study.png left as it is" >&2
fi
# A served run: tests/serve/seat_day.jsonl replayed in dana's seat (clawsim serve). The
# timeline selects the leak its client caused, on the seat's own lane under dana's.
SEATRUN=results/serve-seat-day
[ -f "$SEATRUN/run.clawrun" ] ||
  "$CLAWSIM" serve tests/serve/seat_day.textproto --seat dana --script tests/serve/seat_day.jsonl --out "$SEATRUN" >/dev/null
SEAT_LEAK=$(python3 -c 'import json,sys; l=json.load(open(sys.argv[1]))["seats"][0]["call_log"]; print([c["audit_id"] for c in l if c.get("outcome")=="data_leaked"][0])' "$SEATRUN/seats.json")
shot timeline-seat Timeline --select "audit:$SEAT_LEAK" "$SEATRUN/run.clawrun"
echo "wrote $OUT/*.png at $SIZE"
