// FixedWindowCounter: the rate limiter used by the permission gate and by the services.
//
// Time is cut into windows [k*W, (k+1)*W) aligned to run time 0; at most `max` requests are
// admitted per window. Aligned windows keep the limiter a pure function of the request times,
// so it is deterministic and costs two integer operations. A burst across a window edge can
// reach 2*max in W; scenario writers who need a smoother limit pick a shorter window.
#pragma once

#include <cstdint>

#include "sim/engine/time.h"

namespace clawsim::services {

struct FixedWindowCounter {
  int64_t window_index = -1;  // which window `count` belongs to
  uint32_t count = 0;         // admitted requests in that window

  bool HasRoom(engine::TimeUs now_us, engine::TimeUs window_us, uint32_t max) const {
    return now_us / window_us != window_index || count < max;
  }
  void Consume(engine::TimeUs now_us, engine::TimeUs window_us) {
    const int64_t w = now_us / window_us;
    if (w != window_index) {
      window_index = w;
      count = 0;
    }
    ++count;
  }
  // HasRoom, then Consume when there is room. Returns whether the request was admitted.
  bool TryConsume(engine::TimeUs now_us, engine::TimeUs window_us, uint32_t max) {
    if (!HasRoom(now_us, window_us, max)) return false;
    Consume(now_us, window_us);
    return true;
  }
};

}  // namespace clawsim::services
