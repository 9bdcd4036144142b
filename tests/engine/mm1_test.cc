// An M/M/1 queue built on the engine: a source LP sends customers to a server LP. The
// measured mean time in system and utilisation must match queueing theory
// (W = 1 / (mu - lambda), rho = lambda / mu) within the run's own confidence interval.
#include <cmath>
#include <deque>
#include <vector>

#include <gtest/gtest.h>

#include "sim/engine/engine.h"

namespace clawsim::engine {
namespace {

constexpr uint32_t kGenerate = 0, kArrive = 1, kDepart = 2;
constexpr LpId kSource = 0, kServer = 1;

struct Mm1Model {
  using Payload = TimeUs;  // for kArrive: the customer's arrival time
  double mean_interarrival_us;
  double mean_service_us;
  TimeUs link_delay_us;
  std::deque<TimeUs> queue;         // arrival times, head in service
  std::vector<TimeUs> sojourn_us;   // per departed customer, in departure order
  TimeUs busy_since_us = -1;
  TimeUs busy_total_us = 0;
  std::vector<std::pair<TimeUs, TimeUs>> busy_periods;  // [start, end)

  void Handle(Context<Payload>& ctx, const Event<Payload>& ev) {
    switch (ev.kind) {
      case kGenerate:
        ctx.Send(kServer, link_delay_us, kArrive, ctx.now_us() + link_delay_us);
        ctx.SendSelf(Draw(ctx, mean_interarrival_us), kGenerate);
        break;
      case kArrive:
        queue.push_back(ev.payload);
        if (queue.size() == 1) StartService(ctx);
        break;
      case kDepart:
        sojourn_us.push_back(ctx.now_us() - queue.front());
        queue.pop_front();
        if (!queue.empty()) {
          StartService(ctx);
        } else {
          busy_periods.emplace_back(busy_since_us, ctx.now_us());
          busy_since_us = -1;
        }
        break;
    }
  }
  void StartService(Context<Payload>& ctx) {
    if (busy_since_us < 0) busy_since_us = ctx.now_us();
    ctx.SendSelf(Draw(ctx, mean_service_us), kDepart);
  }
  static TimeUs Draw(Context<Payload>& ctx, double mean_us) {
    return 1 + static_cast<TimeUs>(ctx.rng().Exponential(mean_us));
  }
};

struct MeanAndHalfWidth {
  double mean;
  double half_width;  // about 4 standard errors of the batch means
};

MeanAndHalfWidth BatchMeans(const std::vector<double>& x, int batches) {
  const size_t per = x.size() / batches;
  std::vector<double> means(batches, 0.0);
  for (int b = 0; b < batches; ++b) {
    for (size_t i = 0; i < per; ++i) means[b] += x[b * per + i];
    means[b] /= static_cast<double>(per);
  }
  double m = 0;
  for (double v : means) m += v;
  m /= batches;
  double var = 0;
  for (double v : means) var += (v - m) * (v - m);
  var /= (batches - 1);
  return {m, 4.0 * std::sqrt(var / batches)};
}

TEST(Mm1Test, TimeInSystemAndUtilisationMatchQueueingTheory) {
  const double lambda_per_us = 1.0 / 1000.0, mu_per_us = 1.0 / 750.0;
  Mm1Model model{1000.0, 750.0, 100, {}, {}, -1, 0, {}};
  EngineOptions o;
  o.num_lps = 2;
  o.lookahead_us = 100;
  o.seed = 77;  // one thread: two LPs have no parallelism to offer, and thread counts are tested elsewhere
  Engine<Mm1Model> eng(o, &model);
  ASSERT_TRUE(eng.Init().ok());
  eng.Schedule(kSource, 0, kGenerate);
  constexpr TimeUs kEnd = 400'000'000;  // about 400,000 customers
  ASSERT_TRUE(eng.RunUntil(kEnd).ok());

  // Time in system: drop a warm-up, then 40 batch means.
  std::vector<double> sojourn(model.sojourn_us.begin() + 5000, model.sojourn_us.end());
  const MeanAndHalfWidth w = BatchMeans(sojourn, 40);
  const double w_theory = 1.0 / (mu_per_us - lambda_per_us);  // 3000 us
  EXPECT_NEAR(w.mean, w_theory, w.half_width);
  EXPECT_LT(w.half_width, 0.1 * w_theory);  // the interval is informative

  // Utilisation: busy fraction of 40 equal slices of time.
  const int slices = 40;
  const TimeUs slice = kEnd / slices;
  std::vector<double> busy(slices, 0.0);
  for (auto [start, end] : model.busy_periods) {
    for (TimeUs t = start; t < end;) {
      const int s = static_cast<int>(t / slice);
      if (s >= slices) break;
      const TimeUs stop = std::min<TimeUs>(end, (s + 1) * slice);
      busy[s] += static_cast<double>(stop - t) / static_cast<double>(slice);
      t = stop;
    }
  }
  const MeanAndHalfWidth rho = BatchMeans(busy, slices);
  EXPECT_NEAR(rho.mean, lambda_per_us / mu_per_us, rho.half_width);
  EXPECT_LT(rho.half_width, 0.05);
}

}  // namespace
}  // namespace clawsim::engine
