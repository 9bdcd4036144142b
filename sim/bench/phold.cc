#include "sim/bench/phold.h"

#include <chrono>
#include <cmath>
#include <string>

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

  void Handle(Context<Payload>& ctx, const Event<Payload>&) {
    engine::Rng& rng = ctx.rng();
    const TimeUs delay = StepDelay(rng);
    engine::LpId dst = ctx.lp();
    if (rng.Uniform01() < remote) dst = static_cast<engine::LpId>(rng.UniformInt(lps));
    ctx.Send(dst, delay, 0);
  }
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
  PholdModel model{o.lps, o.remote, static_cast<double>(o.mean_us - o.lookahead_us), o.lookahead_us};
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
