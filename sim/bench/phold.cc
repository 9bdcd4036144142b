#include "sim/bench/phold.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "sim/engine/engine.h"

namespace clawsim::bench {
namespace {

using engine::Context;
using engine::Event;
using engine::NoPayload;
using engine::TimeUs;

struct PholdModel {
  using Payload = NoPayload;

  uint32_t lps;
  double remote;
  double exp_mean_us;  // mean - lookahead
  TimeUs lookahead_us;

  TimeUs StepDelay(engine::Rng& rng) const {
    return lookahead_us + static_cast<TimeUs>(rng.Exponential(exp_mean_us) + 0.5);
  }

  // The event that processing one at `lp` causes: its delay and destination. Both loops
  // (the engine's and the tight one) draw through here, in this order.
  struct Step {
    TimeUs delay_us;
    engine::LpId dst;
  };
  Step NextStep(engine::Rng& rng, engine::LpId lp) const {
    const TimeUs delay = StepDelay(rng);
    engine::LpId dst = lp;
    if (rng.Uniform01() < remote) dst = static_cast<engine::LpId>(rng.UniformInt(lps));
    return {delay, dst};
  }

  void Handle(Context<Payload>& ctx, const Event<Payload>&) {
    const Step step = NextStep(ctx.rng(), ctx.lp());
    ctx.Send(step.dst, step.delay_us, 0);
  }
};

PholdModel MakeModel(const PholdOptions& o) {
  return PholdModel{o.lps, o.remote, static_cast<double>(o.mean_us - o.lookahead_us), o.lookahead_us};
}

// The tight loop's pending event: PHOLD's kind is always 0 and it has no payload.
struct PendingEvent {
  TimeUs time_us;
  uint64_t order;  // src_lp << 32 | src_seq: the delivery order after time
  engine::LpId dst_lp;
};

// A 4-ary min-heap on (time_us, order), which is unique per event. Shallower than a binary
// heap, and a node's four children sit in two cache lines.
class PendingHeap {
 public:
  void Reserve(size_t n) { v_.reserve(n); }
  size_t size() const { return v_.size(); }
  const PendingEvent& top() const { return v_[0]; }

  void Push(const PendingEvent& ev) {
    size_t i = v_.size();
    v_.push_back(ev);
    while (i > 0) {
      const size_t parent = (i - 1) / 4;
      if (!Before(ev, v_[parent])) break;
      v_[i] = v_[parent];
      i = parent;
    }
    v_[i] = ev;
  }

  // Replaces the earliest event with `ev` (a pop and a push in one sift).
  void ReplaceTop(const PendingEvent& ev) {
    const size_t n = v_.size();
    size_t i = 0;
    for (;;) {
      const size_t first = 4 * i + 1;
      if (first >= n) break;
      size_t best = first;
      const size_t last = std::min(first + 4, n);
      for (size_t c = first + 1; c < last; ++c) {
        if (Before(v_[c], v_[best])) best = c;
      }
      if (!Before(v_[best], ev)) break;
      v_[i] = v_[best];
      i = best;
    }
    v_[i] = ev;
  }

 private:
  static bool Before(const PendingEvent& a, const PendingEvent& b) {
    return a.time_us != b.time_us ? a.time_us < b.time_us : a.order < b.order;
  }
  std::vector<PendingEvent> v_;
};

}  // namespace

Status ValidatePholdOptions(const PholdOptions& o) {
  if (o.lps == 0) return Status::Error("--lps must be > 0");
  if (o.events_per_lp == 0) return Status::Error("--events-per-lp must be > 0");
  if (!(o.remote >= 0 && o.remote <= 1)) return Status::Error("--remote must be in [0, 1]");
  if (o.lookahead_us <= 0) return Status::Error("--lookahead must be > 0 (at least 1 us)");
  if (o.mean_us < o.lookahead_us) return Status::Error("--mean must be >= --lookahead");
  if (o.end_us <= 0) return Status::Error("--end must be > 0");
  if (o.threads < 1) return Status::Error("--threads must be >= 1");
  return Status::Ok();
}

Status RunPhold(const PholdOptions& o, PholdResult* result) {
  PholdModel model = MakeModel(o);
  engine::EngineOptions eo;
  eo.num_lps = o.lps;
  eo.lookahead_us = o.lookahead_us;
  eo.seed = o.seed;
  eo.threads = o.threads;
  eo.partitions = o.partitions;
  // Cover the bulk of the step distribution (mean + 20 exponential means) with the ring.
  eo.ring_windows = static_cast<uint32_t>(std::min<double>(
      65536, 2 + 20.0 * static_cast<double>(o.mean_us) / static_cast<double>(o.lookahead_us)));
  engine::Engine<PholdModel> eng(eo, &model);
  Status status = eng.Init();
  if (!status.ok()) return status;
  for (uint32_t lp = 0; lp < o.lps; ++lp) {
    for (uint32_t e = 0; e < o.events_per_lp; ++e) eng.Schedule(lp, model.StepDelay(eng.lp_rng(lp)), 0);
  }
  const auto start = std::chrono::steady_clock::now();
  status = eng.RunUntil(o.end_us);
  const auto stop = std::chrono::steady_clock::now();
  if (!status.ok()) return status;
  const engine::EngineStats s = eng.stats();
  result->events_committed = s.events_committed;
  result->events_sent = s.events_sent;
  result->events_pending = s.events_pending;
  result->events_cross_partition = s.events_cross_partition;
  result->windows = s.windows;
  result->fingerprint = s.fingerprint;
  result->wall_s = std::chrono::duration<double>(stop - start).count();
  result->events_per_s = result->wall_s > 0 ? static_cast<double>(s.events_committed) / result->wall_s : 0;
  result->event_mib = static_cast<double>(eng.event_bytes_reserved()) / (1024.0 * 1024.0);
  return Status::Ok();
}

Status RunPholdSequential(const PholdOptions& o, PholdResult* result) {
  const PholdModel model = MakeModel(o);
  // Each LP's stream and send counter, as the engine keeps them.
  struct LpState {
    engine::Rng rng;
    uint32_t next_seq = 0;
  };
  std::vector<LpState> lp_state(o.lps);
  PendingHeap pending;
  pending.Reserve(uint64_t{o.lps} * o.events_per_lp);
  for (engine::LpId lp = 0; lp < o.lps; ++lp) {
    LpState& s = lp_state[lp];
    s.rng = engine::Rng::ForStream(o.seed, lp);
    for (uint32_t e = 0; e < o.events_per_lp; ++e) {
      const TimeUs t = model.StepDelay(s.rng);
      pending.Push({t, (uint64_t{lp} << 32) | s.next_seq++, lp});
    }
  }
  const uint64_t initial = pending.size();
  uint64_t committed = 0;
  uint64_t fingerprint = 0;
  const auto start = std::chrono::steady_clock::now();
  // Every event causes one later event, so the heap is never empty. Events at one time are
  // taken in (source, counter) order, which is each destination's delivery order.
  while (pending.top().time_us < o.end_us) {
    const PendingEvent ev = pending.top();
    Event<NoPayload> committed_ev;
    committed_ev.time_us = ev.time_us;
    committed_ev.dst_lp = ev.dst_lp;
    committed_ev.src_lp = static_cast<engine::LpId>(ev.order >> 32);
    committed_ev.src_seq = static_cast<uint32_t>(ev.order);
    fingerprint += engine::CommittedEventHash(committed_ev);
    ++committed;
    LpState& s = lp_state[ev.dst_lp];
    const PholdModel::Step step = model.NextStep(s.rng, ev.dst_lp);
    pending.ReplaceTop({ev.time_us + step.delay_us, (uint64_t{ev.dst_lp} << 32) | s.next_seq++, step.dst});
  }
  const auto stop = std::chrono::steady_clock::now();
  *result = PholdResult{};
  result->events_committed = committed;
  result->events_sent = initial + committed;
  result->events_pending = pending.size();
  result->fingerprint = engine::FinishFingerprint(fingerprint, committed);
  result->wall_s = std::chrono::duration<double>(stop - start).count();
  result->events_per_s = result->wall_s > 0 ? static_cast<double>(committed) / result->wall_s : 0;
  result->event_mib = static_cast<double>(pending.size() * sizeof(PendingEvent)) / (1024.0 * 1024.0);
  return Status::Ok();
}

PholdExpectation ExpectedPholdEvents(const PholdOptions& o) {
  // Renewal process with inter-event times X = L + Exp(m - L): mean mu = m, variance
  // s2 = (m - L)^2. Counting the events at times < T (the first at X_1):
  // E[N(T)] ~ T/mu + (s2 - mu^2) / (2 mu^2), Var[N(T)] ~ s2 * T / mu^3.
  const double mu = static_cast<double>(o.mean_us);
  const double t = static_cast<double>(o.end_us);
  const double s2 = std::pow(mu - static_cast<double>(o.lookahead_us), 2);
  const double chains = static_cast<double>(o.lps) * o.events_per_lp;
  const double per_chain_mean = t / mu + (s2 - mu * mu) / (2 * mu * mu);
  const double per_chain_var = s2 * t / (mu * mu * mu);
  return {chains * per_chain_mean, std::sqrt(chains * per_chain_var)};
}

}  // namespace clawsim::bench
