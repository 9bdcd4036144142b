// Incentives on the employee LP: the leaderboard refresh (serial), and what each person does
// about it at their next day start: add or drop a performative automation, run the extra
// jobs they added, and stop at the weekly token budget. The pressure and choice rules
// themselves are pure functions in incentives.h.
#include <algorithm>

#include "sim/model/org_model.h"

namespace clawsim::model {

std::vector<IncentiveView> OrgModel::RefreshLeaderboard(std::vector<PeriodStats>* period_out) {
  std::vector<PeriodStats> period(employees_.size());
  for (size_t e = 0; e < employees_.size(); ++e) {
    const EmployeeState& st = employees_[e];
    period[e] = st.period;
    period[e].value_usd = st.m.value_usd - st.period_value_start_usd;
    period[e].has_agents = !st.agents.empty();
  }
  std::vector<IncentiveView> views = ObserveLeaderboard(sc(), *world_, period);
  for (size_t e = 0; e < employees_.size(); ++e) {
    EmployeeState& st = employees_[e];
    views[e].add_probability_when_added = st.view.add_probability_when_added;
    if (views[e].add_probability_when_added > 0) {
      // Re-decide the drop with what they remember.
      DecideProbabilities(sc().incentives, world_->employees[e].traits, &views[e]);
    }
    st.view = views[e];
    st.incentive_pending = true;
    st.m.rank = views[e].rank;
    st.m.pressure = views[e].pressure;
    st.period.tokens = 0;
    st.period.active_days = 0;
    st.period_value_start_usd = st.m.value_usd;
  }
  if (period_out != nullptr) *period_out = std::move(period);
  return views;
}


void OrgModel::ApplyIncentiveChoice(Ctx& ctx, EmployeeState& s) {
  s.incentive_pending = false;
  if (s.agents.empty() || IsSeat(s)) return;  // nothing to automate with (a seat's client runs its agent)
  const scenario::Incentives& in = sc().incentives;
  engine::Rng& rng = s.agent_rng;
  const double u = rng.Uniform01();
  const double catalogue_weight = [&] {
    double w = 0;
    for (const scenario::PerformativeAutomation& pa : in.performative_automations) w += pa.weight;
    return w;
  }();
  if (u < s.view.add_probability && static_cast<int32_t>(s.held.size()) < in.max_performative_automations &&
      catalogue_weight > 0) {
    double pick = rng.Uniform01() * catalogue_weight;
    uint32_t index = 0;
    for (; index + 1 < in.performative_automations.size(); ++index) {
      pick -= in.performative_automations[index].weight;
      if (pick < 0) break;
    }
    const uint32_t slot = static_cast<uint32_t>(rng.UniformInt(s.agents.size()));
    const scenario::PerformativeAutomation& pa = in.performative_automations[index];
    AgentState& a = s.agents[slot];
    switch (pa.kind) {
      case scenario::PerformativeAutomation::Kind::kShorterHeartbeat: a.heartbeat_factor *= pa.factor; break;
      case scenario::PerformativeAutomation::Kind::kLongerChecklist: a.checklist_factor *= pa.factor; break;
      case scenario::PerformativeAutomation::Kind::kExtraCronJob:
      case scenario::PerformativeAutomation::Kind::kSummaryOfSummaries: a.jobs.push_back(index); break;
    }
    s.held.push_back(HeldAutomation{index, slot});
    ++s.automations_added;
    s.view.add_probability_when_added = s.view.add_probability;
    // Setting it up takes the owner's time.
    if (pa.setup_minutes > 0) {
      Task setup = FixTask(pa.setup_minutes, ctx.now_us());
      setup.state = kTaskSetup;
      Enqueue(ctx, s, setup);
    }
    return;
  }
  if (!s.held.empty() && rng.Uniform01() < s.view.drop_probability) {
    const HeldAutomation h = s.held.back();
    s.held.pop_back();
    const scenario::PerformativeAutomation& pa = in.performative_automations[h.automation];
    AgentState& a = s.agents[h.agent_slot];
    switch (pa.kind) {
      case scenario::PerformativeAutomation::Kind::kShorterHeartbeat: a.heartbeat_factor /= pa.factor; break;
      case scenario::PerformativeAutomation::Kind::kLongerChecklist: a.checklist_factor /= pa.factor; break;
      case scenario::PerformativeAutomation::Kind::kExtraCronJob:
      case scenario::PerformativeAutomation::Kind::kSummaryOfSummaries: {
        auto it = std::find(a.jobs.begin(), a.jobs.end(), h.automation);
        if (it != a.jobs.end()) a.jobs.erase(it);
        break;
      }
    }
    ++s.automations_dropped;
    if (s.held.empty()) s.view.add_probability_when_added = 0;
  }
}


bool OrgModel::BudgetRefuses(EmployeeState& s) {
  const scenario::Incentives& in = sc().incentives;
  if (in.token_budget_per_week <= 0 || in.budget_action != scenario::BudgetAction::kRefuse) return false;
  if (static_cast<int64_t>(s.period.week_tokens) < in.token_budget_per_week) return false;
  ++s.budget_refusals;
  return true;
}


void OrgModel::OnPerformativeJob(Ctx& ctx, EmployeeState& s, uint32_t slot, uint32_t automation) {
  AgentState& a = s.agents[slot];
  // Dropped since it was scheduled: it no longer runs.
  if (std::find(a.jobs.begin(), a.jobs.end(), automation) == a.jobs.end()) return;
  const scenario::PerformativeAutomation& pa = sc().incentives.performative_automations[automation];
  const scenario::Heartbeat& hb = sc().profiles[a.profile].heartbeat;
  const TimeUs time_of_day = ctx.now_us() % engine::kUsPerDay;
  if (pa.every_us > 0 && time_of_day + pa.every_us < hb.active_end_us) {
    ctx.SendSelf(pa.every_us, kPerformativeJob, Payload{slot, automation, 0, 0, 0, 0, 0, 0, 0});
  }
  if (pa.skill != kNoId && !BudgetRefuses(s)) Invoke(ctx, s, slot, pa.skill, Trigger::kCron, scenario::Purpose::kPerformative, 0);
}

}  // namespace clawsim::model
