#include "viz/lanes.h"

#include <algorithm>

#include "viz/run_data.h"

namespace clawsim::viz {

LaneRange VisibleRange(const Lane& lane, int64_t t0_us, int64_t t1_us) {
  LaneRange r;
  r.first = static_cast<size_t>(std::lower_bound(lane.max_end.begin(), lane.max_end.end(), t0_us) -
                                lane.max_end.begin());
  r.last = static_cast<size_t>(std::upper_bound(lane.starts.begin(), lane.starts.end(), t1_us) - lane.starts.begin());
  if (r.last < r.first) r.last = r.first;
  return r;
}

void FoldSpans(const Lane& lane, LaneRange range, int64_t t0_us, int64_t min_width_us, std::vector<LaneMark>* out) {
  const bool fold = min_width_us > 1;
  size_t i = range.first;
  const auto starts_begin = lane.starts.begin();
  while (i < range.last) {
    const int64_t start = lane.starts[i];
    const int64_t own_end = lane.ends[i];
    if (own_end < t0_us) {  // inside the range only because an earlier span reaches t0
      ++i;
      continue;
    }
    if (!fold || own_end - start >= min_width_us) {
      out->push_back({start, own_end, static_cast<uint32_t>(i), 1});
      ++i;
      continue;
    }
    // Fold every span that starts before the mark's end, extending the end as they come.
    // The running max end is exact here if nothing before the fold reaches into it.
    const bool exact = i == 0 || lane.max_end[i - 1] <= start;
    int64_t end = std::max(own_end, start + min_width_us);
    size_t next = i + 1;
    while (next < range.last && lane.starts[next] < end) {
      const size_t k = static_cast<size_t>(
          std::lower_bound(starts_begin + static_cast<std::ptrdiff_t>(next),
                           starts_begin + static_cast<std::ptrdiff_t>(range.last), end) -
          starts_begin);
      int64_t folded_end = lane.max_end[k - 1];
      if (!exact) {
        folded_end = INT64_MIN;
        for (size_t j = next; j < k; ++j) folded_end = std::max(folded_end, lane.ends[j]);
      }
      end = std::max({end, folded_end, lane.starts[k - 1] + min_width_us});
      next = k;
    }
    out->push_back({start, end, static_cast<uint32_t>(i), static_cast<uint32_t>(next - i)});
    i = next;
  }
}

void FinishLane(const std::vector<SpanRow>& spans, Lane* lane) {
  auto by_start = [&](uint32_t a, uint32_t b) {
    return spans[a].start_us != spans[b].start_us ? spans[a].start_us < spans[b].start_us : a < b;
  };
  if (!std::is_sorted(lane->spans.begin(), lane->spans.end(), by_start)) {
    std::sort(lane->spans.begin(), lane->spans.end(), by_start);
  }
  lane->starts.resize(lane->spans.size());
  lane->ends.resize(lane->spans.size());
  lane->max_end.resize(lane->spans.size());
  int64_t max_end = INT64_MIN;
  for (size_t i = 0; i < lane->spans.size(); ++i) {
    const SpanRow& s = spans[lane->spans[i]];
    lane->starts[i] = s.start_us;
    lane->ends[i] = s.end_us;
    max_end = std::max(max_end, s.end_us);
    lane->max_end[i] = max_end;
  }
}

}  // namespace clawsim::viz
