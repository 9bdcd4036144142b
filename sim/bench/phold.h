// PHOLD, the standard benchmark for parallel discrete-event engines (as ROSS's models/phold).
//
// N LPs start with E events each. Processing an event schedules exactly one new event at
// now + lookahead + Exp(mean - lookahead), so the mean step is `mean`; with probability
// `remote` the destination is a uniformly chosen LP (possibly the sender), otherwise the
// sender itself. The number of events alive stays N * E.
#pragma once

#include <cstdint>

#include "sim/common/status.h"
#include "sim/engine/time.h"

namespace clawsim::bench {

struct PholdOptions {
  uint32_t lps = 1024;
  uint32_t events_per_lp = 1;
  double remote = 0.25;                     // probability a new event goes to a random LP
  engine::TimeUs mean_us = 1'000'000;       // mean time between an LP's events
  engine::TimeUs lookahead_us = 100'000;    // minimum delay, also the engine's lookahead
  engine::TimeUs end_us = 100'000'000;      // process events with time < end_us
  int threads = 1;
  uint32_t partitions = 0;                  // 0: one per thread
  uint64_t seed = 1;
};

struct PholdResult {
  uint64_t events_committed = 0;
  uint64_t events_sent = 0;
  uint64_t events_pending = 0;
  uint64_t events_cross_partition = 0;
  uint64_t windows = 0;
  uint64_t fingerprint = 0;
  double wall_s = 0;           // wall time of the event loop only (set-up excluded)
  double events_per_s = 0;
  double event_mib = 0;        // memory reserved by the engine's event sets
};

// Checks the options (mean > lookahead > 0, 0 <= remote <= 1, ...).
Status ValidatePholdOptions(const PholdOptions& options);

// Runs PHOLD on the engine; options must be valid.
Status RunPhold(const PholdOptions& options, PholdResult* result);

// Runs the same PHOLD as a tight loop, for reference: one thread, no engine, no windows;
// a 4-ary heap of pending events ordered by (time, source LP, source's send counter), the
// earliest replaced by the event it causes. Each LP draws from the engine's stream for it
// (Rng::ForStream(seed, LP)) and sees its events in the engine's delivery order, so the
// committed events, the counts and the fingerprint are RunPhold's at any thread count
// (PHOLD's would be with any order of an LP's events at one time too: what an event causes
// does not depend on which event it is). `threads` and `partitions` are ignored, and the
// cross-partition and window counts are 0. What RunPhold's rate lacks against this one's
// is the engine's own cost. Options must be valid.
Status RunPholdSequential(const PholdOptions& options, PholdResult* result);

// The expected number of committed events: each of the N*E chains is a renewal process
// whose steps are lookahead + Exp(mean - lookahead); the renewal function gives the mean
// count by end_us, and its variance is summed over the independent chains.
struct PholdExpectation {
  double mean_events;
  double stddev_events;
};
PholdExpectation ExpectedPholdEvents(const PholdOptions& options);

}  // namespace clawsim::bench
