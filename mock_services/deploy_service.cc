#include "mock_services/deploy_service.h"

#include <algorithm>
#include <cassert>
#include <string>
#include <utility>

namespace clawsim::services {

using engine::TimeUs;

const char* StageName(Stage s) {
  switch (s) {
    case Stage::kBuild: return "build";
    case Stage::kStaging: return "staging";
    case Stage::kCanary: return "canary";
    case Stage::kProd: return "prod";
  }
  return "?";
}

const char* HealthName(Health h) {
  switch (h) {
    case Health::kHealthy: return "healthy";
    case Health::kDegraded: return "degraded";
    case Health::kDown: return "down";
  }
  return "?";
}

namespace {

bool IsProbability(double p) { return p >= 0 && p <= 1; }

TimeUs ExpUs(engine::Rng& rng, TimeUs mean_us) {
  return engine::SecondsToUs(rng.Exponential(engine::UsToSeconds(mean_us)));
}

}  // namespace

Status DeployOptions::Validate(TimeUs lookahead_us) const {
  for (int s = 0; s < kNumStages; ++s) {
    const StageOptions& o = stages[static_cast<size_t>(s)];
    const std::string where = std::string("deploy: stage ") + StageName(static_cast<Stage>(s));
    if (o.duration_us <= 0) return Status::Error(where + ": duration_us must be > 0");
    if (!IsProbability(o.flaky_failure_probability) || !IsProbability(o.defect_detection_probability)) {
      return Status::Error(where + ": probabilities must be in [0, 1]");
    }
  }
  double sum = 0;
  for (double p : root_severity_probability) {
    if (!IsProbability(p)) return Status::Error("deploy: root_severity_probability entries must be in [0, 1]");
    sum += p;
  }
  if (sum < 0.999 || sum > 1.001) {
    return Status::Error("deploy: root_severity_probability must sum to 1, got " + std::to_string(sum));
  }
  for (int i = 0; i < 4; ++i) {
    if (detect_mean_us[static_cast<size_t>(i)] < 0 || restore_mean_us[static_cast<size_t>(i)] < 0) {
      return Status::Error("deploy: detect_mean_us and restore_mean_us must be >= 0");
    }
  }
  if (!IsProbability(spread_probability)) return Status::Error("deploy: spread_probability must be in [0, 1]");
  if (spread_delay_min_us < lookahead_us) {
    return Status::Error("deploy: spread_delay_min_us (" + std::to_string(spread_delay_min_us) +
                         " us) must be at least the engine lookahead (" + std::to_string(lookahead_us) +
                         " us), because spreading is an event to another service's LP");
  }
  if (spread_delay_jitter_mean_us < 0) return Status::Error("deploy: spread_delay_jitter_mean_us must be >= 0");
  if (rollback_duration_us <= 0) return Status::Error("deploy: rollback_duration_us must be > 0");
  if (!IsProbability(defect_incident_probability)) {
    return Status::Error("deploy: defect_incident_probability must be in [0, 1]");
  }
  if (mildest_severity < 1 || mildest_severity > 4) return Status::Error("deploy: mildest_severity must be in 1..4");
  if (max_concurrent_operations < 1) return Status::Error("deploy: max_concurrent_operations must be >= 1");
  return Status::Ok();
}

Health ServiceState::health() const {
  Health h = Health::kHealthy;
  for (const Incident& i : incidents_) {
    if (!i.open) continue;
    if (i.severity <= 2) return Health::kDown;
    h = Health::kDegraded;
  }
  return h;
}

int64_t ServiceState::RollbackTarget() const {
  // The newest deployed version (not the first) whose change caused a root incident still open.
  for (size_t v = versions_.size(); v-- > 1;) {
    for (const Incident& i : incidents_) {
      if (i.open && i.parent_id == 0 && i.change_id == versions_[v].change_id) return static_cast<int64_t>(v);
    }
  }
  return -1;
}

ServiceState::RequestStatus ServiceState::Request(const DeployRequest& request, const ServiceCatalog& catalog,
                                                  const DeployOptions& options, TimeUs now_us, engine::Rng& rng,
                                                  DeployEffects* effects) {
  DropFinishedRuns();
  max_concurrent_ = std::max<size_t>(1, options.max_concurrent_operations);
  if (busy()) return RequestStatus::kBusy;
  if (request.kind == DeployKind::kRollback) {
    if (RollbackTarget() < 0) return RequestStatus::kNothingToRollBack;
    active_.push_back({kRollbackOp, now_us + options.rollback_duration_us});
    effects->step_at_us = active_.back().step_us;
    return RequestStatus::kStarted;
  }
  if (request.kind == DeployKind::kToProd && catalog.InFreeze(id_, now_us)) return RequestStatus::kFrozen;
  PipelineRun run;
  run.request_id = request.request_id;
  run.sequence = next_sequence_++;
  run.change = request.change;
  run.kind = request.kind;
  run.defective = request.change.known_bad || rng.Bernoulli(1.0 - request.change.quality);
  run.requested_at_us = now_us;
  runs_.push_back(run);
  run_tally_.by_agents += run.change.agent != kNoId;
  active_.push_back({run.sequence, now_us + options.stages[0].duration_us});
  effects->step_at_us = active_.back().step_us;
  return RequestStatus::kStarted;
}

ServiceState::RequestStatus ServiceState::RequestRelease(const std::vector<DeployRequest>& changes,
                                                         const DeployOptions& options, TimeUs now_us, engine::Rng& rng,
                                                         DeployEffects* effects) {
  DropFinishedRuns();
  max_concurrent_ = std::max<size_t>(1, options.max_concurrent_operations);
  if (busy()) return RequestStatus::kBusy;
  assert(!changes.empty());
  const uint32_t first = next_sequence_;
  for (const DeployRequest& request : changes) {
    PipelineRun run;
    run.request_id = request.request_id;
    run.sequence = next_sequence_++;
    run.change = request.change;
    run.kind = DeployKind::kToProd;
    run.defective = request.change.known_bad || rng.Bernoulli(1.0 - request.change.quality);
    run.requested_at_us = now_us;
    runs_.push_back(run);
    run_tally_.by_agents += run.change.agent != kNoId;
  }
  active_.push_back({first, now_us + options.stages[0].duration_us, static_cast<uint32_t>(changes.size()), true});
  effects->step_at_us = active_.back().step_us;
  return RequestStatus::kStarted;
}

void ServiceState::OnStep(TimeUs now_us, const ServiceCatalog& catalog, const DeployOptions& options, engine::Rng& rng,
                          DeployEffects* effects) {
  DropFinishedRuns();
  // The operation whose step is due now (the earliest started, when several are).
  auto op = std::find_if(active_.begin(), active_.end(), [&](const Active& a) { return a.step_us == now_us; });
  assert(op != active_.end());
  if (op == active_.end()) return;
  if (op->run == kRollbackOp) {
    active_.erase(op);
    effects->rollback_finished = true;
    // The change behind an open incident is reverted; the incidents it caused here end now.
    const int64_t target = RollbackTarget();
    if (target < 0) return;  // restored meanwhile, or a concurrent rollback got there first
    const uint64_t bad_change = versions_[static_cast<size_t>(target)].change_id;
    versions_.erase(versions_.begin() + target);
    for (Incident& i : incidents_) {
      if (i.open && i.parent_id == 0 && i.change_id == bad_change) {
        i.open = false;
        i.restored_at_us = now_us;
      }
    }
    ++stats_.rollbacks;
    return;
  }
  if (op->release) {
    StepRelease(op, now_us, catalog, options, rng, effects);
    return;
  }
  const uint32_t index = op->run;
  PipelineRun& run = *FindRun(index);
  const StageOptions& st = options.stages[static_cast<size_t>(run.stage)];
  const double p_fail = run.defective
                            ? 1.0 - (1.0 - st.flaky_failure_probability) * (1.0 - st.defect_detection_probability)
                            : st.flaky_failure_probability;
  if (rng.Bernoulli(p_fail)) {
    FailRun(run, now_us, effects);
    active_.erase(op);
    return;
  }
  const Stage last = run.kind == DeployKind::kToProd ? Stage::kProd : Stage::kStaging;
  if (run.stage != last) {
    run.stage = static_cast<Stage>(static_cast<int>(run.stage) + 1);
    op->step_us = now_us + options.stages[static_cast<size_t>(run.stage)].duration_us;
    effects->step_at_us = op->step_us;
    return;
  }
  active_.erase(op);
  const bool defective = Ship(run, now_us, catalog, options, rng, effects);
  if (run.kind != DeployKind::kToProd) return;
  ++run_tally_.releases;
  run_tally_.failed_releases += defective;
}

void ServiceState::StepRelease(std::vector<Active>::iterator op, TimeUs now_us, const ServiceCatalog& catalog,
                               const DeployOptions& options, engine::Rng& rng, DeployEffects* effects) {
  const uint32_t first = op->run, count = op->count;
  std::vector<PipelineRun*> going;
  for (uint32_t i = 0; i < count; ++i) {
    PipelineRun* r = FindRun(first + i);
    if (r != nullptr && r->result == RunResult::kRunning) going.push_back(r);
  }
  const Stage stage = going.front()->stage;
  const StageOptions& st = options.stages[static_cast<size_t>(stage)];
  if (rng.Bernoulli(st.flaky_failure_probability)) {
    // The release fails as a whole: every change in it goes back.
    for (PipelineRun* r : going) FailRun(*r, now_us, effects);
    active_.erase(op);
    return;
  }
  size_t left = 0;
  for (PipelineRun* r : going) {
    if (r->defective && rng.Bernoulli(st.defect_detection_probability)) {
      FailRun(*r, now_us, effects);  // caught: taken out of the release
      continue;
    }
    going[left++] = r;
  }
  going.resize(left);
  if (going.empty()) {
    active_.erase(op);
    return;
  }
  if (stage != Stage::kProd) {
    const Stage next = static_cast<Stage>(static_cast<int>(stage) + 1);
    for (PipelineRun* r : going) r->stage = next;
    op->step_us = now_us + options.stages[static_cast<size_t>(next)].duration_us;
    effects->step_at_us = op->step_us;
    return;
  }
  active_.erase(op);
  bool defective = false;
  for (PipelineRun* r : going) defective |= Ship(*r, now_us, catalog, options, rng, effects);
  ++run_tally_.releases;
  run_tally_.failed_releases += defective;
}

void ServiceState::FailRun(PipelineRun& run, TimeUs now_us, DeployEffects* effects) {
  run.result = RunResult::kFailed;
  run.finished_at_us = now_us;
  ++stats_.failed_runs;
  effects->finished_runs.push_back(run.sequence);
}

bool ServiceState::Ship(PipelineRun& run, TimeUs now_us, const ServiceCatalog& catalog, const DeployOptions& options,
                        engine::Rng& rng, DeployEffects* effects) {
  run.result = RunResult::kSucceeded;
  run.finished_at_us = now_us;
  effects->finished_runs.push_back(run.sequence);
  if (run.kind != DeployKind::kToProd) return false;
  run.version_deployed = next_version_++;
  versions_.push_back({run.version_deployed, run.change.change_id, run.defective});
  ++stats_.deploys_to_prod;
  run_tally_.defective_in_prod += run.defective;
  if (!run.defective || !rng.Bernoulli(options.defect_incident_probability)) return run.defective;
  run.caused_incident = true;
  // Severity of a root incident: categorical draw over root_severity_probability.
  double u = rng.Uniform01();
  uint8_t sev = 4;
  for (uint8_t s = 0; s < 4; ++s) {
    u -= options.root_severity_probability[s];
    if (u < 0) {
      sev = static_cast<uint8_t>(s + 1);
      break;
    }
  }
  OpenIncident(IncidentSignal{0, 0, sev}, run.change.change_id, now_us, catalog, options, rng, effects);
  ++stats_.incidents_root;
  return true;
}

const PipelineRun* ServiceState::run(uint32_t sequence) const {
  auto it = std::lower_bound(runs_.begin(), runs_.end(), sequence,
                             [](const PipelineRun& r, uint32_t s) { return r.sequence < s; });
  return it != runs_.end() && it->sequence == sequence ? &*it : nullptr;
}

PipelineRun* ServiceState::FindRun(uint32_t sequence) { return const_cast<PipelineRun*>(std::as_const(*this).run(sequence)); }

void ServiceState::DropFinishedRuns() {
  if (keep_finished_runs_) return;
  std::erase_if(runs_, [](const PipelineRun& r) { return r.result != RunResult::kRunning && !r.caused_incident; });
}

void ServiceState::OnRestore(uint32_t incident_index, TimeUs now_us) {
  Incident& i = incidents_[incident_index];
  if (!i.open) return;  // a rollback got there first
  i.open = false;
  i.restored_at_us = now_us;
}

void ServiceState::OnUpstreamIncident(const IncidentSignal& signal, TimeUs now_us, const ServiceCatalog& catalog,
                                      const DeployOptions& options, engine::Rng& rng, DeployEffects* effects) {
  for (const Incident& i : incidents_) {
    if (i.root_id == signal.root_id) {
      ++stats_.duplicate_signals;
      return;
    }
  }
  OpenIncident(signal, 0, now_us, catalog, options, rng, effects);
  ++stats_.incidents_spread;
}

uint32_t ServiceState::OpenIncident(const IncidentSignal& signal, uint64_t change_id, TimeUs now_us,
                                    const ServiceCatalog& catalog, const DeployOptions& options, engine::Rng& rng,
                                    DeployEffects* effects) {
  const uint32_t index = static_cast<uint32_t>(incidents_.size());
  Incident inc;
  inc.id = (uint64_t{id_} << 32) | (index + 1);  // never 0, which means "no parent"
  inc.root_id = signal.parent_id == 0 ? inc.id : signal.root_id;
  inc.parent_id = signal.parent_id;
  inc.change_id = change_id;
  inc.severity = signal.severity;
  inc.opened_at_us = now_us;
  const size_t s = static_cast<size_t>(inc.severity - 1);
  inc.detected_at_us = now_us + ExpUs(rng, options.detect_mean_us[s]);
  inc.restored_at_us = inc.detected_at_us + ExpUs(rng, options.restore_mean_us[s]);
  incidents_.push_back(inc);
  effects->restores.push_back({index, inc.restored_at_us});
  const uint8_t milder = static_cast<uint8_t>(
      std::min<int>(std::max(inc.severity, options.mildest_severity), inc.severity + options.spread_severity_step));
  for (ServiceId d : catalog.dependents(id_)) {
    if (!rng.Bernoulli(options.spread_probability)) continue;
    const TimeUs delay = options.spread_delay_min_us + ExpUs(rng, options.spread_delay_jitter_mean_us);
    effects->spreads.push_back({d, now_us + delay, IncidentSignal{inc.root_id, inc.id, milder}});
  }
  return index;
}

}  // namespace clawsim::services
