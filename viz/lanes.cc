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
      // Galloping search: the first start at or after `end` is usually near, so probe 1, 2,
      // 4, ... ahead, then binary-search the last step (O(log distance), cache-friendly).
      size_t lo = next, step = 1;
      while (lo + step < range.last && lane.starts[lo + step] < end) {
        lo += step;
        step *= 2;
      }
      const size_t hi = std::min(range.last, lo + step);
      const size_t k = static_cast<size_t>(
          std::lower_bound(starts_begin + static_cast<std::ptrdiff_t>(lo), starts_begin + static_cast<std::ptrdiff_t>(hi),
                           end) -
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
  const size_t n = lane->spans.size();
  if (lane->starts.size() != n || lane->ends.size() != n) {
    lane->starts.resize(n);
    lane->ends.resize(n);
    for (size_t i = 0; i < n; ++i) {
      lane->starts[i] = spans[lane->spans[i]].start_us;
      lane->ends[i] = spans[lane->spans[i]].end_us;
    }
  }
  // Spans usually arrive in start order per lane; sort (by start, then index) only if not.
  bool sorted = true;
  for (size_t i = 1; i < n && sorted; ++i) {
    sorted = lane->starts[i - 1] < lane->starts[i] ||
             (lane->starts[i - 1] == lane->starts[i] && lane->spans[i - 1] < lane->spans[i]);
  }
  if (!sorted) {
    std::vector<uint32_t> order(n);
    for (uint32_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return lane->starts[a] != lane->starts[b] ? lane->starts[a] < lane->starts[b] : lane->spans[a] < lane->spans[b];
    });
    std::vector<uint32_t> ids(n);
    std::vector<int64_t> starts(n), ends(n);
    for (size_t i = 0; i < n; ++i) {
      ids[i] = lane->spans[order[i]];
      starts[i] = lane->starts[order[i]];
      ends[i] = lane->ends[order[i]];
    }
    lane->spans = std::move(ids);
    lane->starts = std::move(starts);
    lane->ends = std::move(ends);
  }
  lane->max_end.resize(n);
  int64_t max_end = INT64_MIN;
  for (size_t i = 0; i < n; ++i) {
    max_end = std::max(max_end, lane->ends[i]);
    lane->max_end[i] = max_end;
  }
}

void BuildLanes(const std::vector<SpanRow>& spans, std::vector<Lane>* lanes) {
  // Two passes (count, then fill) instead of growing three vectors per lane by doubling:
  // the arrays are written once, at their final size.
  std::vector<size_t> count(lanes->size(), 0);
  for (const SpanRow& s : spans) ++count[s.lane];
  for (size_t l = 0; l < lanes->size(); ++l) {
    Lane& lane = (*lanes)[l];
    lane.spans.resize(count[l]);
    lane.starts.resize(count[l]);
    lane.ends.resize(count[l]);
    count[l] = 0;
  }
  for (size_t i = 0; i < spans.size(); ++i) {
    const SpanRow& s = spans[i];
    Lane& lane = (*lanes)[s.lane];
    const size_t at = count[s.lane]++;
    lane.spans[at] = static_cast<uint32_t>(i);
    lane.starts[at] = s.start_us;
    lane.ends[at] = s.end_us;
  }
  for (Lane& lane : *lanes) FinishLane(spans, &lane);
}

}  // namespace clawsim::viz
