// Timeline lanes: one per employee, agent and service, each holding its spans sorted by start
// so that the spans visible in a time window are found by binary search, and spans narrower
// than a pixel are folded into one mark (as Tracy folds zones). An external seat's agent
// (`clawsim serve`) has no invocation spans: its lane holds its calls' audit rows instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace clawsim::viz {

struct SpanRow;

struct Lane {
  enum class Kind : uint8_t { kEmployee, kAgent, kService };
  Kind kind = Kind::kEmployee;
  uint32_t subject = 0;          // employee id, agent id, or target index ("service:NAME")
  std::string label;
  // An agent lane of an external seat (its audit records are marked external): labelled
  // "seat: OWNER (external)", with its calls' audit rows (indices into RunData::audit, in
  // time order) drawn as marks.
  bool external = false;
  std::vector<uint32_t> audit;
  std::vector<uint32_t> spans;   // indices into RunData::spans, by (start_us, index)
  std::vector<int64_t> starts;   // starts[i] = start_us of spans[i]
  std::vector<int64_t> ends;     // ends[i] = end_us of spans[i]
  std::vector<int64_t> max_end;  // max_end[i] = the latest end_us among spans[0..i]
};

// Positions [first, last) in lane.spans of the spans that overlap [t0_us, t1_us]: the first
// whose running max end reaches t0 (max_end is sorted) to the last that starts by t1.
// O(log n).
struct LaneRange {
  size_t first = 0;
  size_t last = 0;
};
LaneRange VisibleRange(const Lane& lane, int64_t t0_us, int64_t t1_us);

// One mark to draw: a single span, or `count` spans folded because each was narrower than
// `min_width_us` (one pixel, typically). A folded mark covers [start_us, end_us); it ends at
// the latest end among its spans, or one pixel after the last start, whichever is later.
struct LaneMark {
  int64_t start_us = 0;
  int64_t end_us = 0;
  uint32_t first = 0;  // position in lane.spans of the first span
  uint32_t count = 1;
};

// The marks for `range` of `lane` (VisibleRange(lane, t0_us, ...)), in time order, appended
// to *out; spans of the range that end before t0_us are skipped. Spans at least min_width_us
// wide are drawn one by one (all of them when min_width_us <= 1); runs of narrower ones are
// folded, jumping over them by binary search. Where the lane's spans do not overlap (one
// person or agent doing one thing at a time) a fold's end comes from the running max end,
// so the cost grows with the pixels drawn, not with the spans; where they overlap, the
// fold's end is found by scanning the folded spans' ends (a contiguous array).
void FoldSpans(const Lane& lane, LaneRange range, int64_t t0_us, int64_t min_width_us, std::vector<LaneMark>* out);

// Sorts lane.spans by (start, index) and fills starts, ends and max_end.
void FinishLane(const std::vector<SpanRow>& spans, Lane* lane);

// Fills every lane's spans, starts and ends from `spans` (each span's SpanRow::lane says
// which; every lane must be in *lanes), sized exactly, in span order, then finishes each lane
// (FinishLane). Replaces what the lanes held.
void BuildLanes(const std::vector<SpanRow>& spans, std::vector<Lane>* lanes);

}  // namespace clawsim::viz
