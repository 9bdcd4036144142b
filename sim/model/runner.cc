#include "sim/model/runner.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <algorithm>
#include <memory>
#include <tuple>

#include "sim/engine/engine.h"
#include "sim/engine/hash.h"
#include "sim/model/org_model.h"
#include "sim/model/partition.h"
#include "sim/model/summarise.h"
#include "sim/model/world.h"
#include "sim/scenario/compile.h"
#include "sim/scenario/field_path.h"

namespace clawsim::model {
namespace {

// The run so far, summed over all LPs, as a DailyMetrics of cumulative counts; a day's row
// is the difference of two of these.
DailyMetrics SumSoFar(const OrgModel& m) {
  DailyMetrics t;
  for (const EmployeeState& s : m.employees()) {
    for (int p = 0; p < kNumPurposes; ++p) {
      t.tokens.Add(s.m.tokens_by_purpose[p]);
      t.tokens_by_purpose[p] += s.m.tokens_by_purpose[p].total_tokens();
    }
    t.value_usd += s.m.value_usd;
    t.hours_saved += s.m.hours.saved_hours;
    t.items_arrived += s.items_arrived;
    t.items_completed += s.m.items_completed;
    for (int g = 0; g < kNumGateOutcomes; ++g) t.gate[g] += s.m.gate[g];
  }
  for (const ServiceLpState& v : m.services()) {
    const auto& st = v.service.stats();
    t.deploys_prod += st.deploys_to_prod;
    t.deploys_failed += st.failed_runs;
    t.incidents_opened += st.incidents_root + st.incidents_spread;
  }
  return t;
}

DailyMetrics Difference(uint32_t day, const DailyMetrics& now, const DailyMetrics& before) {
  DailyMetrics d;
  d.day = day;
  d.tokens.input_tokens = now.tokens.input_tokens - before.tokens.input_tokens;
  d.tokens.output_tokens = now.tokens.output_tokens - before.tokens.output_tokens;
  d.tokens.cost_usd = now.tokens.cost_usd - before.tokens.cost_usd;
  d.tokens.invocations = now.tokens.invocations - before.tokens.invocations;
  for (int p = 0; p < kNumPurposes; ++p) d.tokens_by_purpose[p] = now.tokens_by_purpose[p] - before.tokens_by_purpose[p];
  d.value_usd = now.value_usd - before.value_usd;
  d.hours_saved = now.hours_saved - before.hours_saved;
  d.items_arrived = now.items_arrived - before.items_arrived;
  d.items_completed = now.items_completed - before.items_completed;
  d.deploys_prod = now.deploys_prod - before.deploys_prod;
  d.deploys_failed = now.deploys_failed - before.deploys_failed;
  d.incidents_opened = now.incidents_opened - before.incidents_opened;
  for (int g = 0; g < kNumGateOutcomes; ++g) d.gate[g] = now.gate[g] - before.gate[g];
  return d;
}


// Whether the scheme gives anyone a reason to look at their numbers.
bool IncentivesActive(const scenario::Incentives& in) {
  return in.metric != scenario::IncentiveMetric::kNotTracked || in.adoption_target_fraction > 0 ||
         in.token_budget_per_week > 0;
}


// Collects committed events per partition (workers never share a buffer); the serial phase
// merges them into delivery order.
class TraceCollector : public engine::CommitObserver<Payload> {
 public:
  explicit TraceCollector(uint32_t partitions) : per_partition_(partitions) {}
  void OnCommit(uint32_t partition, const engine::Event<Payload>& ev) override {
    per_partition_[partition].push_back(TracedEvent{ev.time_us, ev.dst_lp, ev.src_lp, ev.src_seq, ev.kind});
  }
  std::vector<TracedEvent> Take() {
    std::vector<TracedEvent> all;
    for (auto& p : per_partition_) {
      all.insert(all.end(), p.begin(), p.end());
      p.clear();
    }
    std::sort(all.begin(), all.end(), [](const TracedEvent& a, const TracedEvent& b) {
      return std::tie(a.time_us, a.lp, a.src_lp, a.src_seq) < std::tie(b.time_us, b.lp, b.src_lp, b.src_seq);
    });
    return all;
  }

 private:
  std::vector<std::vector<TracedEvent>> per_partition_;
};

}  // namespace

std::vector<std::string> EventKindNames() {
  return {"day_start",     "work_start",    "work_arrive",      "human_done",       "human_pause", "heartbeat",
          "cron",          "dream",         "email_deliver",    "chat_post",        "chat_mention",
          "review_request", "review_done",  "deploy_request",   "stage_done",       "pipeline_result",
          "incident_spread", "incident_restored", "incident_page", "approval_request", "approval_decision",
          "approval_timeout", "agent_call_done", "approval_cancel", "deploy_retry", "performative_job",
          "injection_arrive", "session_attack", "chat_injection", "breaker_restore", "breaker_group_trip",
          "seat_call",     "board_post",    "board_ask",        "board_take",       "release_depart"};
}

namespace {

void KeepLargest(MemoryCensus census, uint32_t day, MemoryCensus* largest) {
  census.day = day;
  if (census.total_bytes() > largest->total_bytes()) *largest = census;
}

// One run of `loaded` (with or without agents), advanced in steps: AdvanceTo runs the
// engine to a time and does each day's bookkeeping (interventions, leaderboards, daily rows,
// sinks) as the run passes it. Splitting a run into steps does not change its results.
// RunOrganisation adds the twin; a seat driver (seat.h) paces the run itself.
class OrgRun final : public SeatHost {
 public:
  OrgRun(scenario::LoadedScenario* loaded, const RunOptions& options, const RunSinks& sinks, bool without_agents,
         RunResult* result)
      : loaded_(loaded), options_(options), sinks_(sinks), without_agents_(without_agents), result_(result) {}

  Status Init() {
    *result_ = RunResult{};
    compiled_ = std::make_unique<scenario::CompiledScenario>(loaded_->compiled);
    world_ = std::make_unique<World>();
    Status status = BuildWorld(*compiled_, options_.seed, world_.get(), without_agents_);
    if (status.ok()) status = AddSeats(options_.seats, options_.seat_profile, world_.get());
    if (!status.ok()) return status;
    days_ = static_cast<uint32_t>(options_.days > 0 ? options_.days : compiled_->run.days);
    model_ = std::make_unique<OrgModel>(world_.get());
    model_->set_record_audit(options_.record_audit);
    model_->set_record_spans(options_.record_spans);
    engine::EngineOptions eo;
    eo.num_lps = world_->num_lps;
    eo.lookahead_us = world_->lookahead_us;
    eo.seed = options_.seed;
    eo.threads = options_.threads;
    if (options_.threads > 1) {
      // In a large organisation, several partitions a thread, taken by whichever thread is
      // free: a window's work shifts between parts of the organisation (roles, teams, who is
      // at work), and with one partition a thread the other waits at each barrier.
      const uint32_t partitions = PartitionsFor(*world_, static_cast<uint32_t>(options_.threads));
      eo.lp_partition = PartitionLps(*world_, partitions);
      eo.partitions = partitions;
    }
    // The ring covers a little over a day: a day's arrivals, heartbeats and the next day start
    // go straight into buckets instead of through the overflow heap.
    eo.ring_windows = static_cast<uint32_t>(std::min<TimeUs>(1 << 20, engine::kUsPerDay / world_->lookahead_us + 2));
    eng_ = std::make_unique<engine::Engine<OrgModel>>(eo, model_.get());
    status = eng_->Init();
    if (!status.ok()) return status;
    model_->ScheduleStart(*eng_);
    trace_ = std::make_unique<TraceCollector>(eng_->num_partitions());
    if (options_.record_trace) eng_->SetObserver(trace_.get());
    pending_ = compiled_->interventions;
    if (sinks_.on_ready) sinks_.on_ready();
    wall_start_ = std::chrono::steady_clock::now();
    return Status::Ok();
  }

  // SeatHost.
  TimeUs now_us() const override { return now_us_; }
  TimeUs end_us() const override { return static_cast<TimeUs>(days_) * engine::kUsPerDay; }
  Status AdvanceTo(TimeUs t_us) override {
    // The end may move closer while running (a stop request, EndRun), so it is read each day.
    while (now_us_ < std::min(t_us, end_us())) {
      t_us = std::min(t_us, end_us());
      const TimeUs day_end = static_cast<TimeUs>(day_ + 1) * engine::kUsPerDay;
      const TimeUs target = std::min(t_us, day_end);
      // Interventions before the target: run up to each, change the scenario, carry on.
      while (next_intervention_ < pending_.size() && pending_[next_intervention_].at_us < target) {
        Status status = ApplyIntervention(pending_[next_intervention_++]);
        if (!status.ok()) return status;
      }
      if (options_.memory_census) {
        // A census when the day's plans are made (every arrival scheduled), and one at its end.
        const TimeUs morning_us = static_cast<TimeUs>(day_) * engine::kUsPerDay + 6 * engine::kUsPerHour;
        if (morning_us >= now_us_ && morning_us < target) {
          Status status = eng_->RunUntil(morning_us);
          if (!status.ok()) return status;
          KeepLargest(TakeMemoryCensus(*world_, *model_, eng_->event_bytes_reserved()), day_, &result_->memory);
        }
      }
      Status status = eng_->RunUntil(target);
      if (!status.ok()) return status;
      now_us_ = target;
      if (target == day_end) {
        if (options_.memory_census) {
          KeepLargest(TakeMemoryCensus(*world_, *model_, eng_->event_bytes_reserved()), day_, &result_->memory);
        }
        CloseDay();
      }
    }
    return Status::Ok();
  }
  void Submit(uint32_t seat, SeatCall call) override {
    SeatState& st = model_->seat(seat);
    Payload p;
    p.a = seat;
    p.b = call.id;
    st.queued.push_back(std::move(call));
    eng_->Schedule(st.employee, now_us_, kSeatCall, p);
  }
  SeatState& seat(uint32_t seat) override { return model_->seat(seat); }
  const World& world() const override { return *world_; }
  const OrgModel& model() const override { return *model_; }
  void EndRun() override {
    if (day_ + 1 < days_) {
      days_ = day_ + 1;
      result_->summary.interrupted = true;
    }
  }

  Status Finish();

 private:
  Status ApplyIntervention(const scenario::Intervention& iv);
  void CloseDay();

  scenario::LoadedScenario* loaded_;
  const RunOptions& options_;
  const RunSinks& sinks_;
  bool without_agents_;
  RunResult* result_;
  std::unique_ptr<scenario::CompiledScenario> compiled_;
  std::unique_ptr<World> world_;
  std::unique_ptr<OrgModel> model_;
  std::unique_ptr<engine::Engine<OrgModel>> eng_;
  std::unique_ptr<TraceCollector> trace_;
  std::chrono::steady_clock::time_point wall_start_;
  std::vector<scenario::Intervention> pending_;
  size_t next_intervention_ = 0;
  uint32_t days_ = 0;
  uint32_t day_ = 0;       // the day in progress (days closed so far)
  TimeUs now_us_ = 0;
  DailyMetrics before_;
  uint64_t audit_fingerprint_ = 0;
  std::vector<uint32_t> previous_ranks_;  // on the last leaderboard, for churn
  double churn_sum_ = 0;
  uint32_t churn_periods_ = 0;
};

Status OrgRun::ApplyIntervention(const scenario::Intervention& iv) {
  Status status = eng_->RunUntil(iv.at_us);
  if (!status.ok()) return status;
  status = scenario::ApplyIntervention(&loaded_->scenario, iv.path, iv.value);
  if (status.ok()) {
    auto next = std::make_unique<scenario::CompiledScenario>();
    status = scenario::CompileScenario(loaded_->scenario, next.get());
    if (status.ok()) {
      next->interventions = compiled_->interventions;
      auto next_world = std::make_unique<World>();
      status = BuildWorld(*next, options_.seed, next_world.get(), without_agents_);
      if (status.ok()) status = AddSeats(options_.seats, options_.seat_profile, next_world.get());
      if (status.ok() && (next_world->num_lps != world_->num_lps || next_world->agents.size() != world_->agents.size())) {
        status = Status::Error("it changes the organisation's structure (employees, channels, services or agents), "
                               "which an intervention cannot do mid-run");
      }
      if (status.ok()) {
        model_->set_world(next_world.get());
        model_->ResetRateStates();
        compiled_ = std::move(next);
        world_ = std::move(next_world);
      }
    }
  }
  if (!status.ok()) {
    return Status::Error("intervention at day " + std::to_string(engine::UsToDays(iv.at_us)) + " (" + iv.path + "=" +
                         iv.value + "): " + status.message());
  }
  return Status::Ok();
}

void OrgRun::CloseDay() {
  const uint32_t day = day_++;
  const TimeUs day_end = static_cast<TimeUs>(day + 1) * engine::kUsPerDay;
  // Asked to stop: this day becomes the last, with the last day's bookkeeping.
  if (day + 1 < days_ && sinks_.should_stop && sinks_.should_stop()) {
    days_ = day + 1;
    result_->summary.interrupted = true;
  }
  if (day + 1 == days_) model_->BookOpenCalls();  // calls still waiting on the gate count as they stand
  // The leaderboard refreshes at the end of each period.
  const int64_t period_days = std::max<int64_t>(1, compiled_->incentives.leaderboard_period_us / engine::kUsPerDay);
  if (IncentivesActive(compiled_->incentives) && (day + 1) % period_days == 0) {
    std::vector<PeriodStats> period;
    const std::vector<IncentiveView> views = model_->RefreshLeaderboard(&period);
    IncentiveMeasures& im = result_->summary.incentives;
    if (compiled_->incentives.metric != scenario::IncentiveMetric::kNotTracked) {
      std::vector<double> metric, value;
      double churn = 0;
      uint32_t ranked = 0;
      for (size_t e = 0; e < views.size(); ++e) {
        metric.push_back(HigherIsBetter(compiled_->incentives.metric) ? views[e].metric : -views[e].metric);
        value.push_back(period[e].value_usd);
        if (!previous_ranks_.empty() && views[e].ranked > 0 && previous_ranks_[e] > 0) {
          churn += std::abs(static_cast<double>(views[e].rank) - previous_ranks_[e]) / views[e].ranked;
          ++ranked;
        }
      }
      im.period_metric_value_rank_correlation.push_back(SpearmanCorrelation(metric, value));
      if (ranked > 0) churn_sum_ += churn / ranked, ++churn_periods_;
    }
    previous_ranks_.assign(views.size(), 0);
    for (size_t e = 0; e < views.size(); ++e) {
      previous_ranks_[e] = views[e].rank;
      im.budget_flags += views[e].over_budget;
    }
    ++im.refreshes;
  }
  const DailyMetrics now = SumSoFar(*model_);
  result_->daily.push_back(Difference(day, now, before_));
  before_ = now;
  if (sinks_.on_day) sinks_.on_day(result_->daily.back());
  if (options_.record_audit) {
    std::vector<services::AuditRecord> records = model_->TakeAuditRecords();
    result_->audit_records += records.size();
    audit_fingerprint_ = engine::HashCombine(audit_fingerprint_, services::AuditFingerprint(records));
    if (sinks_.on_audit) sinks_.on_audit(std::move(records));
  }
  if (options_.record_trace && sinks_.on_trace) sinks_.on_trace(trace_->Take());
  if (options_.record_spans) {
    std::vector<TraceSpan> spans = model_->TakeSpans(day_end, day + 1 == days_);
    if (sinks_.on_spans) sinks_.on_spans(std::move(spans));
    std::vector<InjectionRecord> injections = model_->TakeInjections();
    if (sinks_.on_injections) sinks_.on_injections(std::move(injections));
  }
  if (sinks_.on_progress) sinks_.on_progress(day + 1, days_, eng_->stats().events_committed);
}

Status OrgRun::Finish() {
  Status status = AdvanceTo(end_us());
  if (!status.ok()) return status;
  const engine::EngineStats es = eng_->stats();
  RunSummary& s = result_->summary;
  s.scenario = compiled_->name;
  s.seed = options_.seed;
  s.threads = options_.threads;
  s.days = days_;
  s.events = es.events_committed;
  s.engine_fingerprint = es.fingerprint;  // the trace level does not change it
  result_->audit_fingerprint = audit_fingerprint_;
  s.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  result_->engine_events_pending = es.events_pending;
  result_->engine_events_sent = es.events_sent;
  result_->engine_window_s = es.window_s;
  result_->engine_busy_s = es.busy_s;
  const std::vector<double> period_correlations = s.incentives.period_metric_value_rank_correlation;
  const uint64_t budget_flags = s.incentives.budget_flags;
  const uint32_t refreshes = s.incentives.refreshes;
  Summarise(*compiled_, *world_, *model_, result_);
  s.incentives.period_metric_value_rank_correlation = period_correlations;
  s.incentives.budget_flags = budget_flags;
  s.incentives.refreshes = refreshes;
  s.incentives.leaderboard_churn = churn_periods_ > 0 ? churn_sum_ / churn_periods_ : 0;
  s.fingerprint = engine::HashCombine(s.engine_fingerprint, ResultsHash(s, result_->employees));
  result_->seats = model_->seats();
  for (SeatState& seat : result_->seats) {
    for (const ServiceLpState& v : model_->services()) {
      for (const services::PipelineRun& run : v.service.runs()) {
        if (run.change.agent != seat.agent_id) continue;
        ++seat.deploys_started;
        seat.incidents_caused += run.caused_incident;
      }
    }
  }
  return CheckTokenTotals(s);
}

Status RunOnce(scenario::LoadedScenario* loaded, const RunOptions& options, const RunSinks& sinks, bool without_agents,
               RunResult* result) {
  OrgRun run(loaded, options, sinks, without_agents, result);
  Status status = run.Init();
  if (!status.ok()) return status;
  if (options.seat_driver != nullptr) {
    status = options.seat_driver->Drive(run);
    if (!status.ok()) return status;
  }
  return run.Finish();
}

}  // namespace

Status CheckTokenTotals(const RunSummary& s) {
  auto check = [](const TokenTally& t, const std::string& where) {
    uint64_t total = 0;
    const char* field = t.overflowed != nullptr                                           ? t.overflowed
                        : __builtin_add_overflow(t.input_tokens, t.output_tokens, &total) ? "total_tokens"
                                                                                          : nullptr;
    if (field == nullptr) return Status::Ok();
    return Status::Error("the run's token count " + where + "." + field +
                         " passed 2^64 - 1 (18446744073709551615) and cannot be reported; the scenario's token sizes "
                         "or call rates are too large (base_input_tokens, context_window_tokens, per_day rates)");
  };
  Status st = check(s.tokens, "tokens");
  for (int p = 0; p < kNumPurposes && st.ok(); ++p) st = check(s.tokens_by_purpose[p], "tokens_by_purpose[" + std::to_string(p) + "]");
  for (size_t i = 0; i < s.tokens_by_tier.size() && st.ok(); ++i) st = check(s.tokens_by_tier[i].second, "tokens_by_tier[" + s.tokens_by_tier[i].first + "]");
  for (size_t i = 0; i < s.tokens_by_team.size() && st.ok(); ++i) st = check(s.tokens_by_team[i].second, "tokens_by_team[" + s.tokens_by_team[i].first + "]");
  return st;
}

Status RunOrganisation(scenario::LoadedScenario* loaded, const RunOptions& options, const RunSinks& sinks,
                       RunResult* result) {
  if (!options.counterfactual) return RunOnce(loaded, options, sinks, /*without_agents=*/false, result);
  // The twin first, on its own copy (interventions modify the scenario they run on).
  scenario::LoadedScenario twin_scenario = *loaded;
  RunOptions twin_options = options;
  twin_options.record_audit = false;
  twin_options.record_trace = false;
  twin_options.record_spans = false;  // nothing reads the twin's timeline
  RunSinks twin_sinks;
  twin_sinks.should_stop = sinks.should_stop;
  RunResult twin;
  Status status = RunOnce(&twin_scenario, twin_options, twin_sinks, /*without_agents=*/true, &twin);
  if (!status.ok()) return Status::Error("the no-agent twin: " + status.message());
  // A twin stopped early: the run with agents covers the same days, so the differences pair.
  RunOptions main_options = options;
  RunSinks main_sinks = sinks;
  if (twin.summary.interrupted) {
    main_options.days = static_cast<int32_t>(twin.summary.days);
    main_sinks.should_stop = nullptr;
  }
  status = RunOnce(loaded, main_options, main_sinks, /*without_agents=*/false, result);
  if (status.ok() && twin.summary.interrupted) result->summary.interrupted = true;
  if (!status.ok()) return status;
  const RunSummary& a = result->summary;
  const RunSummary& b = twin.summary;
  Counterfactual& c = result->summary.counterfactual;
  c.present = true;
  c.value_usd_delta = a.value_usd - b.value_usd;
  c.human_busy_hours_delta = a.human_busy_hours - b.human_busy_hours;
  c.items_completed_delta = static_cast<int64_t>(a.items_completed) - static_cast<int64_t>(b.items_completed);
  c.incidents_delta = static_cast<int64_t>(a.incidents) - static_cast<int64_t>(b.incidents);
  c.lead_time_hours_delta = a.mean_lead_time_hours - b.mean_lead_time_hours;
  c.incident_cost_usd_delta = a.incident_cost_usd - b.incident_cost_usd;
  c.token_cost_usd = a.tokens.cost_usd - b.tokens.cost_usd;
  c.roi = c.token_cost_usd > 0 ? (c.value_usd_delta - c.incident_cost_usd_delta) / c.token_cost_usd : 0;
  c.saved_hours_claimed = a.hours.saved_hours;
  c.backlog_hours_delta = a.hours.backlog_hours - b.hours.backlog_hours;
  c.no_agent_value_usd = b.value_usd;
  c.no_agent_fingerprint = b.fingerprint;
  // The heavy users and the median developer of the run with agents, read in the twin.
  const TopDecileChanges with = TopDecileChangesOf(result->developers_by_tokens, result->ratio_changes);
  const TopDecileChanges without = TopDecileChangesOf(result->developers_by_tokens, twin.ratio_changes);
  if (without.median > 0) c.top_decile_changes_ratio_without_agents = without.top_mean / without.median;
  if (without.top_mean > 0) c.top_decile_changes_gain = with.top_mean / without.top_mean;
  if (without.median > 0) c.median_changes_gain = with.median / without.median;
  // The teams of the run with agents, by adoption, read in the twin.
  const scenario::CompiledScenario& sc = loaded->compiled;
  const AdoptionTeamsMerged teams_with = AdoptionTeamsMergedOf(sc, result->teams_by_adoption, result->ratio_merged);
  const AdoptionTeamsMerged teams_without = AdoptionTeamsMergedOf(sc, result->teams_by_adoption, twin.ratio_merged);
  if (teams_without.low > 0) {
    c.adoption_team_merged_ratio_without_agents = teams_without.high / teams_without.low;
    c.low_adoption_teams_merged_gain = teams_with.low / teams_without.low;
  }
  if (teams_without.high > 0) c.high_adoption_teams_merged_gain = teams_with.high / teams_without.high;
  // Developers with agents and without, each group's changes in prod in both runs.
  double users_with = 0, users_without = 0, others_with = 0, others_without = 0;
  for (uint32_t e = 0; e < result->employees.size(); ++e) {
    if (sc.organization.employees[e].role != scenario::Role::kDeveloper) continue;
    const bool user = result->employees[e].agents > 0;
    (user ? users_with : others_with) += static_cast<double>(result->ratio_changes[e]);
    (user ? users_without : others_without) += static_cast<double>(twin.ratio_changes[e]);
  }
  if (users_without > 0) c.agent_users_changes_gain = users_with / users_without;
  if (others_without > 0) c.non_users_changes_gain = others_with / others_without;
  result->summary.wall_s += b.wall_s;
  return Status::Ok();
}

}  // namespace clawsim::model
