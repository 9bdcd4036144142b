#include "sim/study/decision.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "sim/study/measure_kinds.h"
#include "sim/study/pricing.h"
#include "sim/study/stats.h"

namespace clawsim::study {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> Finite(const std::vector<double>& x) {
  std::vector<double> f;
  for (double v : x) {
    if (std::isfinite(v)) f.push_back(v);
  }
  return f;
}

// The paired difference a - b over replications where both are finite.
Interval Paired(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> pa, pb;
  for (size_t r = 0; r < a.size() && r < b.size(); ++r) {
    if (std::isfinite(a[r]) && std::isfinite(b[r])) pa.push_back(a[r]), pb.push_back(b[r]);
  }
  return PairedDifference(pa, pb);
}

std::string IntervalText(const std::string& measure, const Interval& v) {
  if (!v.has_mean()) return "n/a";
  std::string s = FormatMeasure(measure, v.mean);
  if (v.has_ci()) s += " [" + FormatMeasure(measure, v.ci_low) + ", " + FormatMeasure(measure, v.ci_high) + "]";
  return s + " (n=" + std::to_string(v.n) + ")";
}

std::string DiffText(const std::string& measure, const Interval& d) {
  if (!d.has_mean()) return "n/a";
  std::string s = FormatDifference(measure, d.mean);
  if (d.has_ci()) s += " [" + FormatDifference(measure, d.ci_low) + ", " + FormatDifference(measure, d.ci_high) + "]";
  return s;
}

// The objective in words for the answer.
std::string ObjectiveWords(const std::string& objective) {
  if (objective == "priced.net_value_usd") return "net value after priced harms (priced.net_value_usd)";
  if (objective == "priced.harm_cost_usd") return "priced harms (priced.harm_cost_usd)";
  return objective;
}

std::string Factor(double f) {
  if (f == kInf) return "any higher factor";
  char buf[32];
  std::snprintf(buf, sizeof buf, "x%.3g", f);
  return buf;
}

bool Keeps(const proto::StudyConstraint& c, double mean) {
  if (!std::isfinite(mean)) return false;
  if (c.has_at_most() && mean > c.at_most()) return false;
  if (c.has_at_least() && mean < c.at_least()) return false;
  return true;
}

// The best feasible arm by the means `objective[a]` (NaN: no value); -1 if none. Also the runner-up.
void Rank(const std::vector<double>& objective, const std::vector<bool>& feasible, bool maximize, int* best,
          int* runner_up) {
  *best = *runner_up = -1;
  auto better = [&](double x, double y) { return maximize ? x > y : x < y; };
  for (size_t a = 0; a < objective.size(); ++a) {
    if (!feasible[a] || !std::isfinite(objective[a])) continue;
    const int ai = static_cast<int>(a);
    if (*best < 0 || better(objective[a], objective[static_cast<size_t>(*best)])) {
      *runner_up = *best;
      *best = ai;
    } else if (*runner_up < 0 || better(objective[a], objective[static_cast<size_t>(*runner_up)])) {
      *runner_up = ai;
    }
  }
}

}  // namespace

void SetInterval(const Interval& in, proto::StudyInterval* out) {
  out->set_n(in.n);
  if (!in.has_mean()) return;
  out->set_mean(in.mean);
  if (!in.has_ci()) return;
  out->set_sd(in.sd);
  out->set_ci_low(in.ci_low);
  out->set_ci_high(in.ci_high);
}

std::vector<std::string> DecisionKeyMeasures(const StudySpec& spec) {
  std::vector<std::string> key;
  auto add = [&](const std::string& m) {
    if (!m.empty() && std::find(key.begin(), key.end(), m) == key.end()) key.push_back(m);
  };
  const proto::StudyDecision& d = spec.proto.decision();
  add(d.objective());
  for (const Objective& o : spec.pareto) add(o.measure);
  for (const proto::StudyConstraint& c : d.constraints()) add(c.measure());
  for (const std::string& m : d.key_measures()) add(m);
  // By default, a priced objective shows what the harms cost and what they cost per dollar
  // of delivered value.
  if (d.key_measures_size() == 0 && IsPricedMeasure(d.objective())) {
    add("priced.harm_cost_usd");
    add("priced.harm_usd_per_1000_usd_value");
  }
  return key;
}

void Decide(const StudySpec& spec, const SeriesFn& uncached, const std::function<bool(uint32_t, uint32_t)>& identical,
            proto::StudyResults* out) {
  const proto::StudyDecision& d = spec.proto.decision();
  const proto::StudyPrices& prices = spec.proto.prices();
  // Every pair of arms is compared in several measures: fetch each series at the study's
  // prices once.
  std::map<std::pair<uint32_t, std::string>, std::vector<double>> cache;
  const SeriesFn series = [&](uint32_t arm, const std::string& measure, const proto::StudyPrices& p) {
    if (&p != &prices) return uncached(arm, measure, p);
    auto [it, inserted] = cache.try_emplace({arm, measure});
    if (inserted) it->second = uncached(arm, measure, p);
    return it->second;
  };
  const bool maximize = d.direction() == proto::MAXIMIZE;
  const std::string& objective = d.objective();
  const uint32_t arms = static_cast<uint32_t>(spec.arms.size());
  proto::StudyDecisionResult* dr = out->mutable_decision();
  dr->set_objective(objective);
  dr->set_direction(d.direction());
  *dr->mutable_prices() = prices;
  // Every price written out, defaults included, so that the file says what was used.
  dr->mutable_prices()->set_leaked_message_usd(prices.leaked_message_usd());
  dr->mutable_prices()->set_leaked_sensitive_message_usd(prices.leaked_sensitive_message_usd());
  dr->mutable_prices()->set_incident_usd(prices.incident_usd());
  dr->mutable_prices()->set_approval_minute_usd(prices.approval_minute_usd());
  dr->mutable_prices()->set_detector_review_hour_usd(prices.detector_review_hour_usd());
  for (const proto::StudyConstraint& c : d.constraints()) *dr->add_constraints() = c;
  const std::vector<std::string> key = DecisionKeyMeasures(spec);
  for (const std::string& k : key) dr->add_key_measures(k);

  // 1. Feasibility and the objective's means.
  std::vector<bool> feasible(arms, true);
  std::vector<double> means(arms, NAN);
  for (uint32_t a = 0; a < arms; ++a) {
    proto::StudyArmResult* ar = out->mutable_arms(static_cast<int>(a));
    if (ar->runs_ok() == 0) feasible[a] = false;
    for (const proto::StudyConstraint& c : d.constraints()) {
      const Interval v = MeanInterval(Finite(series(a, c.measure(), prices)));
      if (!Keeps(c, v.has_mean() ? v.mean : NAN)) feasible[a] = false;
    }
    ar->set_feasible(feasible[a]);
    const Interval v = MeanInterval(Finite(series(a, objective, prices)));
    if (v.has_mean()) means[a] = v.mean;
  }

  // 2. Dominance with 95% confidence over the Pareto objectives and the decision's objective
  //    (so that "dominated" never contradicts the objective the choice is made on), and arms
  //    that do not differ.
  std::vector<Objective> criteria = spec.pareto;
  if (std::none_of(criteria.begin(), criteria.end(), [&](const Objective& o) { return o.measure == objective; })) {
    criteria.push_back({objective, maximize});
  }
  for (uint32_t b = 0; b < arms; ++b) {
    proto::StudyArmResult* br = out->mutable_arms(static_cast<int>(b));
    for (uint32_t a = 0; a < arms; ++a) {
      if (a == b) continue;
      std::vector<std::string> better_in;
      bool worse = false;
      for (const Objective& o : criteria) {
        const Interval diff = Paired(series(a, o.measure, prices), series(b, o.measure, prices));
        if (!diff.has_ci()) {
          worse = true;  // too few paired runs to claim anything
          break;
        }
        const double lo = o.maximize ? diff.ci_low : -diff.ci_high;  // positive: a better
        const double hi = o.maximize ? diff.ci_high : -diff.ci_low;
        if (lo > 0) better_in.push_back(o.measure);
        if (hi < 0) worse = true;
      }
      if (!worse && !better_in.empty()) {
        proto::StudyDominance* dom = br->add_dominated_by();
        dom->set_arm_index(a);
        for (const std::string& m : better_in) dom->add_better_in(m);
      }
    }
    for (uint32_t a = 0; a < b; ++a) {
      if (identical(a, b)) {
        br->set_identical_to(a);
        break;
      }
    }
    for (uint32_t a = 0; a < arms; ++a) {
      if (a == b || identical(a, b)) continue;
      bool differs = false, any = false;
      for (const std::string& k : key) {
        const Interval diff = Paired(series(a, k, prices), series(b, k, prices));
        if (!diff.has_ci()) continue;
        any = true;
        if (diff.ci_low > 0 || diff.ci_high < 0) differs = true;
      }
      if (any && !differs) br->add_indistinguishable_from(a);
    }
  }

  // 3. The best arm and the runner-up among the candidates: feasible and not dominated (an
  //    arm another beats with 95% confidence in some objective, and loses to in none, is never
  //    the choice). `top` is the best feasible arm by the objective alone, for the answer.
  std::vector<bool> candidate(arms);
  for (uint32_t a = 0; a < arms; ++a) candidate[a] = feasible[a] && out->arms(static_cast<int>(a)).dominated_by_size() == 0;
  int best = -1, runner_up = -1, top = -1, top_second = -1;
  Rank(means, candidate, maximize, &best, &runner_up);
  Rank(means, feasible, maximize, &top, &top_second);
  Interval best_iv, gap;
  if (best >= 0) {
    dr->set_best_arm(static_cast<uint32_t>(best));
    best_iv = MeanInterval(Finite(series(static_cast<uint32_t>(best), objective, prices)));
  }
  if (runner_up >= 0) {
    dr->set_runner_up(static_cast<uint32_t>(runner_up));
    gap = Paired(series(static_cast<uint32_t>(best), objective, prices),
                 series(static_cast<uint32_t>(runner_up), objective, prices));
    SetInterval(gap, dr->mutable_best_minus_runner_up());
  }

  // 4. Sensitivity to the leak prices (objectives that price harms only).
  std::string sensitivity;
  if (IsPricedMeasure(objective) && best >= 0) {
    // Means at factor 0 and 1; the objective is linear in the factor in between and beyond.
    std::vector<double> at0(arms, NAN);
    const proto::StudyPrices zero = ScaleLeakPrices(prices, 0);
    for (uint32_t a = 0; a < arms; ++a) {
      const Interval v = MeanInterval(Finite(series(a, objective, zero)));
      if (v.has_mean()) at0[a] = v.mean;
    }
    for (double factor : {0.1, 10.0}) {
      const proto::StudyPrices scaled = ScaleLeakPrices(prices, factor);
      std::vector<double> m(arms, NAN);
      for (uint32_t a = 0; a < arms; ++a) m[a] = at0[a] + factor * (means[a] - at0[a]);
      int b = -1, r = -1;
      Rank(m, candidate, maximize, &b, &r);
      proto::StudySensitivity* s = dr->add_sensitivity();
      s->set_price("leak prices");
      s->set_factor(factor);
      if (b >= 0) {
        s->set_best_arm(static_cast<uint32_t>(b));
        SetInterval(MeanInterval(Finite(series(static_cast<uint32_t>(b), objective, scaled))), s->mutable_best_objective());
      }
    }
    // The factors f >= 0 over which `best` stays best: best(f) beats a(f) for every feasible a.
    const size_t bi = static_cast<size_t>(best);
    double f_lo = 0, f_hi = kInf;
    uint32_t below = 0, above = 0;  // the arms that win just outside the range
    for (uint32_t a = 0; a < arms; ++a) {
      if (a == bi || !candidate[a] || !std::isfinite(means[a]) || !std::isfinite(at0[a])) continue;
      // g(f) = sign * (best(f) - a(f)) = g0 + f * g1 must stay >= 0.
      const double sign = maximize ? 1 : -1;
      const double g0 = sign * (at0[bi] - at0[a]);
      const double g1 = sign * ((means[bi] - at0[bi]) - (means[a] - at0[a]));
      if (g1 > 0 && -g0 / g1 > f_lo) f_lo = -g0 / g1, below = a;
      if (g1 < 0 && -g0 / g1 < f_hi) f_hi = -g0 / g1, above = a;
    }
    const std::string& name = spec.arms[bi].name;
    if (f_lo <= 1e-9 && f_hi == kInf) {
      sensitivity = name + " stays the choice at any leak price.";
    } else if (f_lo <= 1e-9) {
      sensitivity = name + " stays the choice while leaked messages cost at most " + Factor(f_hi) +
                    " the prices assumed; above that " + spec.arms[above].name + " wins.";
    } else if (f_hi == kInf) {
      sensitivity = name + " stays the choice while leaked messages cost at least " + Factor(f_lo) +
                    " the prices assumed; below that " + spec.arms[below].name + " wins.";
    } else {
      sensitivity = name + " stays the choice while leaked messages cost between " + Factor(f_lo) + " and " +
                    Factor(f_hi) + " the prices assumed (below, " + spec.arms[below].name + " wins; above, " +
                    spec.arms[above].name + ").";
    }
    for (const proto::StudySensitivity& s : dr->sensitivity()) {
      sensitivity += std::string(" At ") + Factor(s.factor()) + ": " +
                     (s.has_best_arm() ? spec.arms[s.best_arm()].name : std::string("no feasible arm")) + ".";
    }
  }

  // 5. The answer in plain language.
  std::string answer;
  if (best < 0) {
    answer = "No arm can be chosen: none keeps every constraint of the decision and is undominated.";
  } else {
    const std::string& name = spec.arms[static_cast<size_t>(best)].name;
    answer = "Choose " + name + ": it has the " + (maximize ? "highest " : "lowest ") + ObjectiveWords(objective) +
             (top != best ? " of the arms no other dominates" : "") + ", " + IntervalText(objective, best_iv) + ".";
    if (top >= 0 && top != best) {
      const proto::StudyArmResult& t = out->arms(top);
      std::string why;
      if (t.dominated_by_size() > 0) {
        const proto::StudyDominance& dom = t.dominated_by(0);
        std::string better;
        for (const std::string& m : dom.better_in()) better += (better.empty() ? "" : ", ") + m;
        why = "dominated by " + out->arms(static_cast<int>(dom.arm_index())).name() + " (better in " + better +
              ", worse in nothing with 95% confidence)";
      }
      const Interval over = Paired(series(static_cast<uint32_t>(top), objective, prices),
                                   series(static_cast<uint32_t>(best), objective, prices));
      answer += " " + t.name() + " has a " + (maximize ? "higher" : "lower") + " mean, " + DiffText(objective, over) +
                " against it, but is " + why + ".";
      // Dominance with confidence is not transitive: the top arm can be surely better than the
      // choice in the objective while an arm between them, itself dominated, dominates it.
      if (over.has_ci() && (maximize ? over.ci_low > 0 : over.ci_high < 0)) {
        answer += " That difference from " + name + " is sure at 95%, so the evidence does not yet order these two: "
                  "more replications would settle it.";
      }
    }
    if (runner_up >= 0) {
      const std::string& second = spec.arms[static_cast<size_t>(runner_up)].name;
      const bool clear = gap.has_ci() && (maximize ? gap.ci_low > 0 : gap.ci_high < 0);
      const std::string paired = " (paired over " + std::to_string(gap.n) + " replications)";
      // Arms whose objective equals the choice's in every replication: a tie, not a close call.
      std::string tied;
      const std::vector<double> mine = series(static_cast<uint32_t>(best), objective, prices);
      for (uint32_t a = 0; a < arms; ++a) {
        if (static_cast<int>(a) != best && candidate[a] && series(a, objective, prices) == mine) {
          tied += (tied.empty() ? "" : ", ") + spec.arms[a].name;
        }
      }
      if (!tied.empty()) {
        answer += " Tied with it (the same " + objective + " in every replication): " + tied +
                  "; it comes first in the study's order.";
      } else {
        answer += clear ? " It beats the runner-up, " + second + ", by " + DiffText(objective, gap) + paired + "."
                        : " The runner-up, " + second + ", cannot be told apart from it with 95% confidence: the "
                          "difference is " + DiffText(objective, gap) + paired + ", so more replications would "
                          "separate them, or the two are equally good.";
      }
    }
    std::string dominated;
    for (const proto::StudyArmResult& a : out->arms()) {
      if (a.dominated_by_size() == 0) continue;
      dominated += (dominated.empty() ? "" : "; ") + a.name() + " (by " +
                   out->arms(static_cast<int>(a.dominated_by(0).arm_index())).name() + ")";
    }
    answer += dominated.empty() ? " No arm is dominated with 95% confidence."
                                : " Dominated with 95% confidence: " + dominated + ".";
    if (!sensitivity.empty()) answer += " " + sensitivity;
  }
  dr->set_answer(answer);
}

}  // namespace clawsim::study
