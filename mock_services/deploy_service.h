// Mock deploys: one ServiceState per deployable service, living in that service's LP.
//
// Pipelines. A deploy request names a change (its quality in [0, 1]) and how far to go:
// deploy.staging runs build -> staging, deploy.prod runs build -> staging -> canary -> prod.
// A service runs up to max_concurrent_operations operations (pipelines and rollbacks) at once,
// one by default; a request that arrives while that many run is refused (outcome
// service_refused), as is a prod deploy in a freeze window. Each operation steps on its own
// clock: a step event due at time t advances the operation whose step is due at t (the one
// started first when several are).
// When the pipeline starts, the change is drawn defective with probability 1 - quality
// (or is defective when known_bad). Each stage lasts its duration and then fails with
//     P(fail) = flaky                                   for a sound change,
//     P(fail) = 1 - (1 - flaky) * (1 - detection)       for a defective one,
// so the failure probability of a stage for a change of quality q is
//     q * flaky + (1 - q) * (1 - (1 - flaky) * (1 - detection)).
// A pipeline that passes prod deploys a new version. If the change was defective it opens
// an incident on the service.
//
// Releases. A request starts one change's pipeline: on demand, each change is its own
// release. RequestRelease starts several changes as one release (a release train): they go
// through the stages together as one operation; at each stage the release fails as a whole
// with the stage's flaky probability (every change in it goes back to its author), and
// otherwise each defective change still in it is caught with the stage's detection
// probability and taken out of the release (back to its author) while the rest go on. What
// passes prod ships as one deployment: each change gets its own version (a rollback still
// reverts one change), and each defective one opens an incident as on demand.
//
// Incidents. An incident has a severity (1 = worst .. 4), is detected after an exponential
// delay (mean by severity) and restored after a further exponential delay (mean by
// severity), or earlier by a rollback of the change that caused it. A rollback reverts the
// newest deployed version whose change caused a root incident still open (the versions after
// it stay); with none open there is nothing to roll back (kNothingToRollBack), so a rollback
// never reverts a sound change. When an incident opens,
// each direct dependent catches it with spread_probability after spread_delay; there the
// incident opens spread_severity_step levels milder (at most mildest_severity) and spreads
// on. A defective change in prod opens an incident with defect_incident_probability. A service catches
// each root incident at most once, however many paths reach it.
//
// Effects. The methods never send events themselves; they fill a DeployEffects that the LP
// turns into events: a self event for the next step, self events for restores, and events to
// dependents' LPs for spread (delays >= spread_delay_min_us, which Validate keeps >= the
// engine lookahead).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "mock_services/deploy_catalog.h"
#include "mock_services/ids.h"
#include "sim/common/status.h"
#include "sim/engine/rng.h"
#include "sim/engine/time.h"

namespace clawsim::services {

enum class Stage : uint8_t { kBuild, kStaging, kCanary, kProd };
inline constexpr int kNumStages = 4;
const char* StageName(Stage s);

struct StageOptions {
  engine::TimeUs duration_us = 0;
  double flaky_failure_probability = 0;     // fails a sound change
  double defect_detection_probability = 0;  // catches a defective change
};

struct DeployOptions {
  std::array<StageOptions, kNumStages> stages = {{
      {10 * engine::kUsPerMinute, 0.02, 0.40},  // build: compile and unit tests
      {20 * engine::kUsPerMinute, 0.02, 0.50},  // staging: integration tests
      {30 * engine::kUsPerMinute, 0.01, 0.50},  // canary: a slice of prod traffic
      {15 * engine::kUsPerMinute, 0.00, 0.00},  // prod: roll-out; what gets here ships
  }};
  // Severity of an incident caused by a defective change in prod: P(SEV1..SEV4).
  std::array<double, 4> root_severity_probability = {0.05, 0.15, 0.40, 0.40};
  // Mean time to detect, and then to restore, by severity (SEV1 first).
  std::array<engine::TimeUs, 4> detect_mean_us = {5 * engine::kUsPerMinute, 15 * engine::kUsPerMinute,
                                                   30 * engine::kUsPerMinute, 2 * engine::kUsPerHour};
  std::array<engine::TimeUs, 4> restore_mean_us = {1 * engine::kUsPerHour, 90 * engine::kUsPerMinute,
                                                    2 * engine::kUsPerHour, 4 * engine::kUsPerHour};
  double spread_probability = 0.3;                               // per dependency edge
  engine::TimeUs spread_delay_min_us = 5 * engine::kUsPerMinute; // >= engine lookahead
  engine::TimeUs spread_delay_jitter_mean_us = 10 * engine::kUsPerMinute;
  engine::TimeUs rollback_duration_us = 10 * engine::kUsPerMinute;
  // Probability that a defective change reaching prod opens an incident (else it is latent).
  double defect_incident_probability = 1;
  // Operations (pipelines, rollbacks) a service runs at once, >= 1.
  uint32_t max_concurrent_operations = 1;
  // A spread incident opens this many levels milder than its cause, but never milder than
  // mildest_severity (1..4).
  uint8_t spread_severity_step = 1;
  uint8_t mildest_severity = 4;

  Status Validate(engine::TimeUs lookahead_us) const;
};

struct ChangeSpec {
  uint64_t change_id = 0;
  double quality = 1.0;      // P(the change is sound)
  bool known_bad = false;    // defective whatever its quality (e.g. a malicious change)
  bool agent_introduced = false;  // the defect came from an agent's mistake (for attribution only)
  bool agent_action_error = false;  // of those, an agent's wrong deploy action rather than code it wrote
  uint8_t attack = 0;        // an attacker's change: the model's attack kind (for attribution only)
  EmployeeId author = kNoId;
  AgentId agent = kNoId;
};

enum class DeployKind : uint8_t { kToStaging, kToProd, kRollback };

struct DeployRequest {
  DeployKind kind = DeployKind::kToStaging;
  ChangeSpec change;  // ignored for a rollback
  uint64_t request_id = 0;
};

enum class RunResult : uint8_t { kRunning, kSucceeded, kFailed };

struct PipelineRun {
  uint64_t request_id = 0;
  uint32_t sequence = 0;         // its place among the service's pipelines, in start order, from 0
  ChangeSpec change;
  DeployKind kind = DeployKind::kToStaging;
  bool defective = false;
  engine::TimeUs requested_at_us = 0;
  engine::TimeUs finished_at_us = 0;
  Stage stage = Stage::kBuild;   // the stage running, or where it failed / stopped
  RunResult result = RunResult::kRunning;
  uint32_t version_deployed = 0; // the prod version it created, 0 if none
  bool caused_incident = false;
};

// What travels to a dependent's LP when an incident spreads.
struct IncidentSignal {
  uint64_t root_id = 0;       // the incident that started the cascade
  uint64_t parent_id = 0;     // the incident on the service it came from
  uint8_t severity = 4;       // the severity it opens with at the receiver
};

struct Incident {
  uint64_t id = 0;            // (service << 32) | (index in that service's list + 1); never 0
  uint64_t root_id = 0;       // == id for an incident caused by this service's own change
  uint64_t parent_id = 0;     // 0 for a root incident
  uint64_t change_id = 0;     // the change that caused it (root incidents)
  uint8_t severity = 4;
  engine::TimeUs opened_at_us = 0;
  engine::TimeUs detected_at_us = 0;
  engine::TimeUs restored_at_us = 0;  // when it ends (earlier if a rollback restores it)
  bool open = true;
};

struct DeployEffects {
  struct Restore {
    uint32_t incident_index;
    engine::TimeUs at_us;
  };
  struct Spread {
    ServiceId to;
    engine::TimeUs at_us;
    IncidentSignal signal;
  };
  engine::TimeUs step_at_us = -1;  // >= 0: schedule a step (OnStep) at this time
  std::vector<Restore> restores;   // schedule OnRestore(incident_index) at at_us
  std::vector<Spread> spreads;     // send OnUpstreamIncident(signal) to `to`'s LP at at_us
  std::vector<uint32_t> finished_runs;  // the runs this step ended (passed or failed), by sequence
  bool rollback_finished = false;  // this step ended a rollback
  void Clear() {
    step_at_us = -1;
    restores.clear();
    spreads.clear();
    finished_runs.clear();
    rollback_finished = false;
  }
};

enum class Health : uint8_t { kHealthy, kDegraded, kDown };
const char* HealthName(Health h);

class ServiceState {
 public:
  enum class RequestStatus : uint8_t { kStarted, kBusy, kFrozen, kNothingToRollBack };

  // With `keep_finished_runs` false, a pipeline run that has finished without causing an
  // incident is dropped before the next request or step (its result is still in run_tally());
  // runs() then holds the running pipelines and those that caused an incident, which is all
  // that a long run's reports read back.
  explicit ServiceState(ServiceId id = 0, bool keep_finished_runs = true)
      : id_(id), keep_finished_runs_(keep_finished_runs) {}

  // A deploy or rollback request admitted by the gate. Only kStarted changes state.
  RequestStatus Request(const DeployRequest& request, const ServiceCatalog& catalog, const DeployOptions& options,
                        engine::TimeUs now_us, engine::Rng& rng, DeployEffects* effects);
  // Prod deploys of several changes as one release (see Releases above), not refused by a
  // freeze (the caller decides when a release leaves). Its runs take consecutive sequence
  // numbers from runs_started(). Only kStarted (or kBusy) is returned.
  RequestStatus RequestRelease(const std::vector<DeployRequest>& changes, const DeployOptions& options,
                               engine::TimeUs now_us, engine::Rng& rng, DeployEffects* effects);
  // The step scheduled by effects.step_at_us: end of a stage or of a rollback.
  void OnStep(engine::TimeUs now_us, const ServiceCatalog& catalog, const DeployOptions& options, engine::Rng& rng,
              DeployEffects* effects);
  // The restore time of incident `index` has come (no-op if a rollback restored it already).
  void OnRestore(uint32_t incident_index, engine::TimeUs now_us);
  // An incident spread here from a dependency.
  void OnUpstreamIncident(const IncidentSignal& signal, engine::TimeUs now_us, const ServiceCatalog& catalog,
                          const DeployOptions& options, engine::Rng& rng, DeployEffects* effects);

  ServiceId id() const { return id_; }
  uint32_t version() const { return versions_.empty() ? 0 : versions_.back().version; }
  Health health() const;
  // As many operations run as the options allow (Request would refuse with kBusy).
  bool busy() const { return active_.size() >= max_concurrent_; }
  // Operations running now.
  size_t active_operations() const { return active_.size(); }
  // The pipelines held, in the order they started: every one, or (keep_finished_runs false)
  // those running, the one that finished at the last step, and those that caused an incident.
  const std::vector<PipelineRun>& runs() const { return runs_; }
  // The held run with this sequence number, or null.
  const PipelineRun* run(uint32_t sequence) const;
  // Pipelines started so far (the next one's sequence number).
  uint32_t runs_started() const { return next_sequence_; }
  // Counts over every pipeline started, held or dropped.
  struct RunTally {
    uint64_t by_agents = 0;          // started for a change an agent deployed (change.agent set)
    uint64_t defective_in_prod = 0;  // prod pipelines that succeeded with a defective change
    uint64_t releases = 0;           // prod deployments: a change on demand, or a release's changes together
    uint64_t failed_releases = 0;    // of those, the ones that put at least one defective change in prod
  };
  const RunTally& run_tally() const { return run_tally_; }
  const std::vector<Incident>& incidents() const { return incidents_; }
  struct Stats {
    uint64_t deploys_to_prod = 0, failed_runs = 0, rollbacks = 0;
    uint64_t incidents_root = 0, incidents_spread = 0, duplicate_signals = 0;
  };
  const Stats& stats() const { return stats_; }
  // Heap bytes this service holds (by capacity), for memory reports.
  size_t BytesReserved() const {
    return active_.capacity() * sizeof(Active) + versions_.capacity() * sizeof(Version) +
           runs_.capacity() * sizeof(PipelineRun) + incidents_.capacity() * sizeof(Incident);
  }

 private:
  static constexpr uint32_t kRollbackOp = UINT32_MAX;
  struct Active {
    uint32_t run;             // the (first) run's sequence number, or kRollbackOp
    engine::TimeUs step_us;   // when its next step is due
    uint32_t count = 1;       // a release's runs: run .. run + count - 1
    bool release = false;     // started by RequestRelease
  };
  struct Version {
    uint32_t version;
    uint64_t change_id;
    bool defective;
  };

  uint32_t OpenIncident(const IncidentSignal& signal, uint64_t change_id, engine::TimeUs now_us,
                        const ServiceCatalog& catalog, const DeployOptions& options, engine::Rng& rng,
                        DeployEffects* effects);

  PipelineRun* FindRun(uint32_t sequence);
  // A release's step: the whole release fails, or its caught changes leave it and the rest
  // go on (or ship, after prod).
  void StepRelease(std::vector<Active>::iterator op, engine::TimeUs now_us, const ServiceCatalog& catalog,
                   const DeployOptions& options, engine::Rng& rng, DeployEffects* effects);
  void FailRun(PipelineRun& run, engine::TimeUs now_us, DeployEffects* effects);
  // The run passed its last stage; after prod, a new version (and an incident, maybe).
  // Returns whether a defective change went to prod.
  bool Ship(PipelineRun& run, engine::TimeUs now_us, const ServiceCatalog& catalog, const DeployOptions& options,
            engine::Rng& rng, DeployEffects* effects);
  // The index in versions_ a rollback would revert: the newest version after the first whose
  // change caused a root incident that is still open; -1 when there is none.
  int64_t RollbackTarget() const;
  // Drops finished runs that caused no incident (keep_finished_runs false).
  void DropFinishedRuns();

  ServiceId id_;
  bool keep_finished_runs_ = true;
  uint32_t next_sequence_ = 0;
  RunTally run_tally_;
  std::vector<Active> active_;      // running operations, in the order they started
  size_t max_concurrent_ = 1;       // from the options of the last request
  std::vector<Version> versions_;   // deployed prod versions; back() is live
  uint32_t next_version_ = 1;
  std::vector<PipelineRun> runs_;   // the pipelines held (see runs()), by sequence
  std::vector<Incident> incidents_;
  Stats stats_;
};

}  // namespace clawsim::services
