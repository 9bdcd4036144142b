#include "sim/telemetry/scoring.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace clawsim::telemetry {

std::vector<bool> EmployeePositives(const GroundTruth& truth, double min_performative_share) {
  std::vector<bool> out(truth.total_tokens.size());
  for (size_t e = 0; e < out.size(); ++e) {
    out[e] = truth.total_tokens[e] > 0 && truth.performative_tokens[e] > 0 &&
             static_cast<double>(truth.performative_tokens[e]) >= min_performative_share * static_cast<double>(truth.total_tokens[e]);
  }
  return out;
}

std::vector<bool> AgentPositives(const GroundTruth& truth) {
  std::vector<bool> out(truth.attack_records.size());
  for (size_t a = 0; a < out.size(); ++a) out[a] = truth.attack_records[a] > 0;
  return out;
}

std::vector<bool> InjectionFollowedPositives(const GroundTruth& truth) {
  std::vector<bool> out(truth.injected_calls.size());
  for (size_t a = 0; a < out.size(); ++a) out[a] = truth.injected_calls[a] > 0;
  return out;
}

const char* LabelName(Label label) {
  switch (label) {
    case Label::kTokenmaxxer: return "tokenmaxxer";
    case Label::kAttackerDriven: return "attacker_driven";
    case Label::kInjectionFollowed: return "injection_followed";
  }
  return "?";
}

std::vector<Label> LabelsFor(Entity entity, const GroundTruth& truth) {
  if (entity == Entity::kEmployee) return {Label::kTokenmaxxer};
  if (truth.injection_emails > 0) return {Label::kAttackerDriven, Label::kInjectionFollowed};
  return {Label::kAttackerDriven};
}

DetectorResult Score(const DetectorScores& s, const Telemetry& t, const GroundTruth& truth, Label label,
                     double min_performative_share) {
  DetectorResult r;
  r.name = s.name;
  r.label = label;
  r.kind = s.kind;
  r.entity = s.entity;
  r.threshold = s.threshold;
  r.entities = s.entities;
  const bool people = s.entity == Entity::kEmployee;
  const bool injection = !people && label == Label::kInjectionFollowed;
  const std::vector<bool> positive = people      ? EmployeePositives(truth, min_performative_share)
                                     : injection ? InjectionFollowedPositives(truth)
                                                 : AgentPositives(truth);
  // An agent's bad records: the calls that followed an injection, or the attacker's records.
  const std::vector<uint64_t>& agent_bad = injection ? truth.injected_calls : truth.attack_records;
  const std::vector<int64_t>& agent_first = injection ? truth.first_injected_us : truth.first_attack_us;
  const std::vector<std::vector<uint64_t>>& agent_by_day = injection ? truth.injected_calls_by_day : truth.attack_records_by_day;
  const uint32_t days = s.days;

  // Flags, true and false positives, time to detection.
  std::vector<double> ttd;
  double bad_total = 0, bad_caught = 0, bad_after = 0;
  std::vector<bool> fp_person(t.people.size(), false);
  for (uint32_t e = 0; e < s.entities; ++e) {
    const int day = s.FirstDayAtOrAbove(e, s.threshold);
    if (positive[e]) ++r.positives;
    // The entity's bad quantity in total and after the end of the flag's day.
    double bad = 0, after = 0;
    int64_t first_bad = kNever;
    for (uint32_t d = day < 0 ? days : static_cast<uint32_t>(day) + 1; d < days; ++d) {
      after += people ? truth.performative_cost_usd_by_day[d][e] : static_cast<double>(agent_by_day[d][e]);
    }
    if (people) {
      bad = truth.performative_cost_usd[e];
      first_bad = truth.first_performative_us[e];
    } else {
      bad = static_cast<double>(agent_bad[e]);
      first_bad = agent_first[e];
    }
    bad_total += bad;
    if (day < 0) continue;
    Flag f;
    f.entity = e;
    f.day = day;
    f.positive = positive[e];
    ++r.flagged;
    if (positive[e]) {
      ++r.true_positives;
      bad_caught += bad;
      bad_after += after;
      if (first_bad != kNever) {
        const double flag_us = static_cast<double>(day + 1) * static_cast<double>(kUsPerDay);
        f.ttd_days = std::max(0.0, (flag_us - static_cast<double>(first_bad)) / static_cast<double>(kUsPerDay));
        ttd.push_back(f.ttd_days);
      }
    } else {
      ++r.false_positives;
      fp_person[people ? e : t.agents[e].owner] = true;
    }
    r.flags.push_back(f);
  }
  r.precision = r.flagged > 0 ? static_cast<double>(r.true_positives) / r.flagged : 0;
  r.recall = r.positives > 0 ? static_cast<double>(r.true_positives) / r.positives : 0;
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
  r.bad_caught_share = bad_total > 0 ? bad_caught / bad_total : 0;
  r.bad_after_flag_share = bad_total > 0 ? bad_after / bad_total : 0;
  for (size_t p = 0; p < fp_person.size(); ++p) {
    if (!fp_person[p]) continue;
    ++r.false_positive_people;
    r.false_positive_value_usd += truth.value_usd[p];
  }
  if (!ttd.empty()) {
    std::sort(ttd.begin(), ttd.end());
    r.detected_with_time = static_cast<uint32_t>(ttd.size());
    const size_t mid = ttd.size() / 2;
    r.ttd_median_days = ttd.size() % 2 == 1 ? ttd[mid] : (ttd[mid - 1] + ttd[mid]) / 2;
    r.ttd_mean_days = std::accumulate(ttd.begin(), ttd.end(), 0.0) / static_cast<double>(ttd.size());
  }

  // Heavy useful users: the top decile by tokens among people with any, minus positives.
  if (people) {
    std::vector<uint32_t> order;
    for (uint32_t e = 0; e < s.entities; ++e) {
      if (truth.total_tokens[e] > 0) order.push_back(e);
    }
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return truth.total_tokens[a] != truth.total_tokens[b] ? truth.total_tokens[a] > truth.total_tokens[b] : a < b;
    });
    uint32_t flagged = 0;
    for (size_t i = 0; i < order.size() / 10; ++i) {
      const uint32_t e = order[i];
      if (positive[e]) continue;
      ++r.heavy_useful_people;
      if (s.FirstDayAtOrAbove(e, s.threshold) >= 0) ++flagged;
    }
    r.heavy_useful_flagged_share = r.heavy_useful_people > 0 ? static_cast<double>(flagged) / r.heavy_useful_people : 0;
  }

  // Precision-recall over thresholds: sweep the entities' highest scores, descending.
  std::vector<std::pair<double, bool>> maxima;
  for (uint32_t e = 0; e < s.entities; ++e) {
    const double m = s.MaxScore(e);
    if (!std::isnan(m)) maxima.emplace_back(m, positive[e]);
  }
  std::sort(maxima.begin(), maxima.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  uint32_t tp = 0, n = 0;
  for (size_t i = 0; i < maxima.size(); ++i) {
    ++n;
    if (maxima[i].second) ++tp;
    if (i + 1 < maxima.size() && maxima[i + 1].first == maxima[i].first) continue;
    r.curve.push_back({maxima[i].first, static_cast<double>(tp) / n, r.positives > 0 ? static_cast<double>(tp) / r.positives : 0});
  }
  return r;
}

}  // namespace clawsim::telemetry
