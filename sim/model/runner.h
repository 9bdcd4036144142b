// RunOrganisation: runs a loaded scenario on the engine, day by day, applying its
// interventions, and collects the run's metrics.
//
// The run is a pure function of (scenario, seed): threads only change the wall time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mock_services/audit_log.h"
#include "sim/common/status.h"
#include "sim/model/memory_census.h"
#include "sim/model/metrics.h"
#include "sim/model/seat.h"
#include "sim/model/trace.h"
#include "sim/scenario/load.h"

namespace clawsim::model {

struct RunOptions {
  uint64_t seed = 1;
  int threads = 1;
  int32_t days = 0;            // 0: the scenario's run.days
  bool record_audit = true;    // keep every gate decision as an audit record
  bool record_trace = false;   // keep every committed engine event (large)
  bool record_spans = false;   // keep trace spans (human tasks, invocations, pipeline stages, incidents)
  // Also run the same scenario and seed with no agents (the same work arrives) and report
  // the paired differences in RunSummary::counterfactual. Costs one more run.
  bool counterfactual = false;
  // External seats (seat.h): these employees' agents are driven by `seat_driver` instead of
  // the surrogate; an employee without an agent gets one of `seat_profile`. Empty: none.
  std::vector<scenario::EmployeeId> seats;
  scenario::ProfileId seat_profile = 0;
  class SeatDriver* seat_driver = nullptr;
  // Count where memory goes (RunResult::memory): a census of the model's containers twice a
  // simulated day (06:00, when the day's arrivals are all scheduled, and at its end), keeping
  // the largest. Serial work between windows; it changes no result.
  bool memory_census = false;
};

// One committed engine event, for the full trace.
struct TracedEvent {
  int64_t time_us = 0;
  uint32_t lp = 0;
  uint32_t src_lp = 0;
  uint32_t src_seq = 0;
  uint32_t kind = 0;
};

// Names of the model's engine event kinds, indexed by kind.
std::vector<std::string> EventKindNames();

// Called serially after each simulated day; return records to stream them out.
struct RunSinks {
  std::function<void(const DailyMetrics&)> on_day;
  std::function<void(std::vector<services::AuditRecord>&&)> on_audit;  // one day's records, merged
  std::function<void(std::vector<TracedEvent>&&)> on_trace;  // one day's events, in delivery order
  std::function<void(std::vector<TraceSpan>&&)> on_spans;    // spans finished that day, by (end_us, id)
  std::function<void(std::vector<InjectionRecord>&&)> on_injections;  // injection emails landed that day
  // Once, when the world is built and the first day is about to start.
  std::function<void()> on_ready;
  // `events_committed`: the engine's events handled so far (EngineStats::events_committed).
  std::function<void(uint32_t days_done, uint32_t days_total, uint64_t events_committed)> on_progress;
  // Asked after each simulated day: true ends the run there, as if it had been that long
  // (RunSummary::interrupted is set, RunSummary::days is the days simulated).
  std::function<bool()> should_stop;
};

// What agents changed in the mock services, counted from the services' own state (not from
// the gate): for checking that every agent effect has an admitting audit record.
struct AgentEffects {
  uint64_t mails_sent = 0;      // mailboxes' sends by agents
  uint64_t chat_posts = 0;      // channels' posts by agents
  uint64_t deploys = 0;         // pipeline runs whose change an agent submitted
};

struct RunResult {
  RunSummary summary;
  AgentEffects agent_effects;
  std::vector<EmployeeMetrics> employees;
  std::vector<DailyMetrics> daily;
  uint64_t audit_records = 0;
  uint64_t audit_fingerprint = 0;  // order-sensitive hash of the merged audit log (0 if not recorded)
  uint64_t engine_events_pending = 0;
  uint64_t engine_events_sent = 0;
  // Wall-clock (not reproducible, never in a run file): the engine's window steps and the
  // partitions' work within them (engine::EngineStats), for `clawsim bench org`.
  double engine_window_s = 0;
  double engine_busy_s = 0;
  std::vector<SeatState> seats;  // the external seats at the end of the run
  MemoryCensus memory;  // with RunOptions::memory_census: the census with the largest total
  // What the heavy-user ratios read (Summarise), kept so that the counterfactual can read the
  // same people in the no-agent twin: each employee's changes that reached prod
  // (EmployeeMetrics::changes_completed) from incentives.ratios_from_day on, and the
  // developers with agents by their tokens over those days, most first (empty with fewer
  // than ten of them).
  std::vector<uint64_t> ratio_changes;
  std::vector<uint32_t> developers_by_tokens;
  // The same for the team ratio: each employee's changes merged from ratios_from_day on, and
  // the teams with at least three developers by adoption, highest first (empty with fewer
  // than five such teams).
  std::vector<uint64_t> ratio_merged;
  std::vector<uint32_t> teams_by_adoption;
};

struct World;
class OrgModel;

// The run as a seat driver sees it: a world stopped between two engine steps. Serial only.
class SeatHost {
 public:
  virtual ~SeatHost() = default;
  // Every event before now_us() has run; nothing at or after it has.
  virtual TimeUs now_us() const = 0;
  // Where the run ends (its days x 24 h; earlier once EndRun was called).
  virtual TimeUs end_us() const = 0;
  // Runs the world to min(t_us, end_us()), with each day's bookkeeping as it passes.
  virtual Status AdvanceTo(TimeUs t_us) = 0;
  // Queues `call` (its id must be the seat's next) to run at now_us() on the seat's LP;
  // the next AdvanceTo past now_us() runs it, and its result is seat(seat).results[id].
  virtual void Submit(uint32_t seat, SeatCall call) = 0;
  virtual SeatState& seat(uint32_t seat) = 0;
  virtual const World& world() const = 0;
  virtual const OrgModel& model() const = 0;
  // Ends the run at the end of the day in progress, marked interrupted (the client left).
  virtual void EndRun() = 0;
};

// Paces a run with external seats (clawsim serve). Drive is called once the run is set up,
// with the world at time 0; the run goes on to its end after Drive returns.
class SeatDriver {
 public:
  virtual ~SeatDriver() = default;
  virtual Status Drive(SeatHost& host) = 0;
};

// An error naming the first token total of `s` that overflowed (TokenTally::overflowed), e.g.
// "summary tokens.input_tokens passed 2^64 - 1 ...", or Ok. RunOrganisation refuses such a
// result rather than report it.
Status CheckTokenTotals(const RunSummary& s);

// Runs `loaded` (which it may modify: interventions are applied to its scenario).
Status RunOrganisation(scenario::LoadedScenario* loaded, const RunOptions& options, const RunSinks& sinks,
                       RunResult* result);

}  // namespace clawsim::model
