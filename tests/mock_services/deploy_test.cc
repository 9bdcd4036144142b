// Catalog (graph, blast radius, freezes), pipelines, rollbacks, incidents and their spread.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "mock_services/deploy_service.h"

namespace clawsim::services {
namespace {

using engine::kUsPerMinute;

// 0 <- 1 <- 3, 0 <- 2 <- 3, 3 <- 4: a diamond plus a tail (arrows: "is depended on by").
ServiceCatalog Diamond(std::vector<FreezeWindow> freezes = {}) {
  std::vector<ServiceSpec> s(5);
  for (size_t i = 0; i < s.size(); ++i) {
    s[i].name = "svc" + std::to_string(i);
    s[i].owner_team = static_cast<TeamId>(i % 2);
  }
  s[1].depends_on = {0};
  s[2].depends_on = {0};
  s[3].depends_on = {1, 2};
  s[4].depends_on = {3};
  ServiceCatalog c;
  const Status st = ServiceCatalog::Build(s, std::move(freezes), &c);
  EXPECT_TRUE(st.ok()) << st.message();
  return c;
}

DeployOptions Certain() {
  DeployOptions o;
  for (StageOptions& s : o.stages) {
    s.flaky_failure_probability = 0;
    s.defect_detection_probability = 0;
  }
  o.spread_probability = 1;
  o.root_severity_probability = {0, 1, 0, 0};  // SEV2: the service goes down
  return o;
}

// Runs the steps a pipeline schedules until it stops; returns the number of steps.
int RunToEnd(ServiceState& s, const ServiceCatalog& c, const DeployOptions& o, engine::Rng& rng, DeployEffects* fx,
             engine::TimeUs* now) {
  int steps = 0;
  while (fx->step_at_us >= 0) {
    *now = fx->step_at_us;
    fx->step_at_us = -1;
    s.OnStep(*now, c, o, rng, fx);
    ++steps;
  }
  return steps;
}

TEST(DeployCatalogTest, DependentsAndBlastRadius) {
  const ServiceCatalog c = Diamond();
  EXPECT_EQ(std::vector<ServiceId>(c.dependents(0).begin(), c.dependents(0).end()), (std::vector<ServiceId>{1, 2}));
  EXPECT_EQ(c.transitive_dependents(0), 4u);  // 1, 2, 3, 4
  EXPECT_EQ(c.transitive_dependents(1), 2u);  // 3, 4
  EXPECT_EQ(c.transitive_dependents(3), 1u);
  EXPECT_EQ(c.transitive_dependents(4), 0u);
  const Target t = c.AsTarget(1, 0);
  EXPECT_EQ(t.team, 1u);
  EXPECT_EQ(t.transitive_dependents, 2u);
}

TEST(DeployCatalogTest, RejectsCyclesAndUnknownServices) {
  std::vector<ServiceSpec> s(3);
  s[0].name = "a";
  s[1].name = "b";
  s[2].name = "c";
  s[0].depends_on = {2};
  s[1].depends_on = {0};
  s[2].depends_on = {1};
  ServiceCatalog c;
  Status st = ServiceCatalog::Build(s, {}, &c);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cycle"), std::string::npos) << st.message();
  s[0].depends_on = {7};
  st = ServiceCatalog::Build(s, {}, &c);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("does not exist"), std::string::npos) << st.message();
}

TEST(DeployCatalogTest, FreezeWindowsAreHalfOpenAndPerService) {
  const ServiceCatalog c = Diamond({{100, 200, 1}, {500, 600, kNoId}});
  EXPECT_FALSE(c.InFreeze(1, 99));
  EXPECT_TRUE(c.InFreeze(1, 100));
  EXPECT_FALSE(c.InFreeze(1, 200));
  EXPECT_FALSE(c.InFreeze(2, 150));
  EXPECT_TRUE(c.InFreeze(4, 550));
}

TEST(DeployServiceTest, SoundChangeWalksAllFourStagesAndShipsAVersion) {
  const ServiceCatalog c = Diamond();
  const DeployOptions o = Certain();
  ServiceState s(4);
  engine::Rng rng;
  DeployEffects fx;
  DeployRequest req;
  req.kind = DeployKind::kToProd;
  req.change.quality = 1;
  ASSERT_EQ(s.Request(req, c, o, 0, rng, &fx), ServiceState::RequestStatus::kStarted);
  EXPECT_TRUE(s.busy());
  EXPECT_EQ(s.Request(req, c, o, 1, rng, &fx), ServiceState::RequestStatus::kBusy);
  engine::TimeUs now = 0;
  EXPECT_EQ(RunToEnd(s, c, o, rng, &fx, &now), 4);
  EXPECT_EQ(now, (10 + 20 + 30 + 15) * kUsPerMinute);  // the four default stage durations
  EXPECT_EQ(s.version(), 1u);
  EXPECT_EQ(s.run_tally().releases, 1u);  // on demand, each change is its own deployment
  EXPECT_EQ(s.runs().back().result, RunResult::kSucceeded);
  EXPECT_EQ(s.runs().back().finished_at_us, now);
  EXPECT_TRUE(s.incidents().empty());
  EXPECT_EQ(s.health(), Health::kHealthy);
  req.kind = DeployKind::kToStaging;  // staging runs build and staging only, no new version
  ASSERT_EQ(s.Request(req, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
  EXPECT_EQ(RunToEnd(s, c, o, rng, &fx, &now), 2);
  EXPECT_EQ(s.version(), 1u);
}

TEST(DeployServiceTest, StageCatchesADefectiveChange) {
  const ServiceCatalog c = Diamond();
  DeployOptions o = Certain();
  o.stages[1].defect_detection_probability = 1;  // staging catches every defect
  ServiceState s(0);
  engine::Rng rng;
  DeployEffects fx;
  DeployRequest req;
  req.kind = DeployKind::kToProd;
  req.change.known_bad = true;
  ASSERT_EQ(s.Request(req, c, o, 0, rng, &fx), ServiceState::RequestStatus::kStarted);
  engine::TimeUs now = 0;
  EXPECT_EQ(RunToEnd(s, c, o, rng, &fx, &now), 2);
  EXPECT_EQ(s.runs().back().result, RunResult::kFailed);
  EXPECT_EQ(s.runs().back().stage, Stage::kStaging);
  EXPECT_EQ(s.version(), 0u);
  EXPECT_FALSE(s.busy());
}

// A release train: three changes go through the stages as one operation; staging catches
// the defective one and takes it out, the other two ship together as one deployment, each
// with its own version.
TEST(DeployServiceTest, AReleaseShipsItsChangesAsOneDeploymentAndTakesOutACaughtDefect) {
  const ServiceCatalog c = Diamond();
  DeployOptions o = Certain();
  o.stages[1].defect_detection_probability = 1;  // staging catches every defect
  ServiceState s(0);
  engine::Rng rng;
  DeployEffects fx;
  std::vector<DeployRequest> release(3);
  for (size_t i = 0; i < release.size(); ++i) {
    release[i].kind = DeployKind::kToProd;
    release[i].change.change_id = 100 + i;
  }
  release[1].change.known_bad = true;
  ASSERT_EQ(s.RequestRelease(release, o, 0, rng, &fx), ServiceState::RequestStatus::kStarted);
  EXPECT_EQ(s.active_operations(), 1u);  // one operation, however many changes
  EXPECT_TRUE(s.busy());
  DeployRequest other;
  other.kind = DeployKind::kToProd;
  EXPECT_EQ(s.Request(other, c, o, 1, rng, &fx), ServiceState::RequestStatus::kBusy);
  engine::TimeUs now = 0;
  std::vector<uint32_t> finished;
  while (fx.step_at_us >= 0) {
    now = fx.step_at_us;
    fx.Clear();
    s.OnStep(now, c, o, rng, &fx);
    finished.insert(finished.end(), fx.finished_runs.begin(), fx.finished_runs.end());
  }
  EXPECT_EQ(finished, (std::vector<uint32_t>{1, 0, 2}));  // the caught one at staging, then the two shipped
  EXPECT_EQ(s.run(1)->result, RunResult::kFailed);
  EXPECT_EQ(s.run(1)->stage, Stage::kStaging);
  EXPECT_EQ(s.run(0)->result, RunResult::kSucceeded);
  EXPECT_EQ(s.run(2)->finished_at_us, (10 + 20 + 30 + 15) * kUsPerMinute);
  EXPECT_EQ(s.version(), 2u);
  EXPECT_EQ(s.stats().deploys_to_prod, 2u);
  EXPECT_EQ(s.run_tally().releases, 1u);
  EXPECT_EQ(s.run_tally().failed_releases, 0u);
  EXPECT_EQ(s.active_operations(), 0u);
}

// A flaky stage fails the whole release: every change goes back and nothing ships. A
// release that puts a defective change in prod is one failed deployment, and the defect
// opens its incident under its own change.
TEST(DeployServiceTest, AFlakyStageSendsTheWholeReleaseBackAndADefectInProdFailsTheDeployment) {
  const ServiceCatalog c = Diamond();
  DeployOptions flaky = Certain();
  flaky.stages[0].flaky_failure_probability = 1;
  ServiceState s(0);
  engine::Rng rng;
  DeployEffects fx;
  std::vector<DeployRequest> release(2);
  for (size_t i = 0; i < release.size(); ++i) {
    release[i].kind = DeployKind::kToProd;
    release[i].change.change_id = 7 + i;
  }
  ASSERT_EQ(s.RequestRelease(release, flaky, 0, rng, &fx), ServiceState::RequestStatus::kStarted);
  engine::TimeUs now = 0;
  EXPECT_EQ(RunToEnd(s, c, flaky, rng, &fx, &now), 1);
  EXPECT_EQ(fx.finished_runs, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(s.version(), 0u);
  EXPECT_EQ(s.run_tally().releases, 0u);

  const DeployOptions o = Certain();
  release[1].change.known_bad = true;
  fx.Clear();
  ASSERT_EQ(s.RequestRelease(release, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
  RunToEnd(s, c, o, rng, &fx, &now);
  EXPECT_EQ(s.version(), 2u);
  EXPECT_EQ(s.run_tally().releases, 1u);
  EXPECT_EQ(s.run_tally().failed_releases, 1u);
  EXPECT_EQ(s.run_tally().defective_in_prod, 1u);
  ASSERT_EQ(s.incidents().size(), 1u);
  EXPECT_EQ(s.incidents()[0].change_id, 8u);
}

// With room for two operations a second change's pipeline starts while the first runs; a
// third waits. Each steps on its own clock, reports when it ends, and ships its own version.
TEST(DeployServiceTest, ConcurrentPipelinesEachRunOnTheirOwnClock) {
  const ServiceCatalog c = Diamond();
  DeployOptions o = Certain();
  o.max_concurrent_operations = 2;
  ServiceState s(4);
  engine::Rng rng;
  DeployRequest req;
  req.kind = DeployKind::kToProd;
  req.change.quality = 1;
  std::vector<engine::TimeUs> steps;  // (time) of every step scheduled, as an LP would hold them
  DeployEffects fx;
  req.change.change_id = 1;
  ASSERT_EQ(s.Request(req, c, o, 0, rng, &fx), ServiceState::RequestStatus::kStarted);
  steps.push_back(fx.step_at_us);
  EXPECT_FALSE(s.busy());
  fx.Clear();
  req.change.change_id = 2;
  ASSERT_EQ(s.Request(req, c, o, 5 * kUsPerMinute, rng, &fx), ServiceState::RequestStatus::kStarted);
  steps.push_back(fx.step_at_us);
  EXPECT_TRUE(s.busy());
  EXPECT_EQ(s.active_operations(), 2u);
  EXPECT_EQ(s.Request(req, c, o, 6 * kUsPerMinute, rng, &fx), ServiceState::RequestStatus::kBusy);
  // Step in time order until both have ended; record which run each end belongs to.
  std::vector<int64_t> finished;
  std::vector<engine::TimeUs> finished_at;
  while (!steps.empty()) {
    const auto next = std::min_element(steps.begin(), steps.end());
    const engine::TimeUs now = *next;
    steps.erase(next);
    fx.Clear();
    s.OnStep(now, c, o, rng, &fx);
    if (fx.step_at_us >= 0) steps.push_back(fx.step_at_us);
    for (uint32_t run : fx.finished_runs) {
      finished.push_back(run);
      finished_at.push_back(now);
    }
  }
  const engine::TimeUs pipeline = (10 + 20 + 30 + 15) * kUsPerMinute;
  EXPECT_EQ(finished, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(finished_at, (std::vector<engine::TimeUs>{pipeline, 5 * kUsPerMinute + pipeline}));
  EXPECT_EQ(s.version(), 2u);
  EXPECT_EQ(s.active_operations(), 0u);
  EXPECT_EQ(s.runs()[1].change.change_id, 2u);
  EXPECT_EQ(s.runs()[1].version_deployed, 2u);
}

TEST(DeployServiceTest, FailureRateFollowsQuality) {
  // One stage that catches every defect and never flakes: P(fail) = 1 - quality.
  const ServiceCatalog c = Diamond();
  DeployOptions o = Certain();
  o.stages[0].defect_detection_probability = 1;
  ServiceState s(4);
  engine::Rng rng = engine::Rng::ForStream(3, 4);
  DeployEffects fx;
  int failed = 0;
  const int n = 4000;
  engine::TimeUs now = 0;
  for (int i = 0; i < n; ++i) {
    DeployRequest req;
    req.change.quality = 0.7;
    ASSERT_EQ(s.Request(req, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
    RunToEnd(s, c, o, rng, &fx, &now);
    failed += s.runs().back().result == RunResult::kFailed;
  }
  // Binomial(4000, 0.3): sd = 29; allow 4 sd.
  EXPECT_NEAR(failed, 1200, 116);
}

TEST(DeployServiceTest, BadChangeInProdOpensAnIncidentThatSpreadsAndRollbackRestoresIt) {
  const ServiceCatalog c = Diamond({{1000 * kUsPerMinute, 2000 * kUsPerMinute, kNoId}});
  const DeployOptions o = Certain();
  ServiceState s(0);
  engine::Rng rng;
  DeployEffects fx;
  DeployRequest good;
  good.kind = DeployKind::kToProd;
  engine::TimeUs now = 0;
  ASSERT_EQ(s.Request(good, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
  RunToEnd(s, c, o, rng, &fx, &now);
  DeployRequest bad = good;
  bad.change.known_bad = true;
  bad.change.change_id = 99;
  ASSERT_EQ(s.Request(bad, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
  RunToEnd(s, c, o, rng, &fx, &now);
  EXPECT_EQ(s.version(), 2u);
  ASSERT_EQ(s.incidents().size(), 1u);
  const Incident& inc = s.incidents()[0];
  EXPECT_EQ(inc.severity, 2);
  EXPECT_EQ(inc.change_id, 99u);
  EXPECT_EQ(inc.root_id, inc.id);
  EXPECT_GE(inc.detected_at_us, now);
  EXPECT_GE(inc.restored_at_us, inc.detected_at_us);
  EXPECT_EQ(s.health(), Health::kDown);
  // Spread with probability 1 to both direct dependents, one severity milder, >= min delay.
  ASSERT_EQ(fx.spreads.size(), 2u);
  EXPECT_EQ(fx.spreads[0].to, 1u);
  EXPECT_EQ(fx.spreads[1].to, 2u);
  EXPECT_EQ(fx.spreads[0].signal.severity, 3);
  EXPECT_EQ(fx.spreads[0].signal.root_id, inc.id);
  EXPECT_GE(fx.spreads[0].at_us - now, o.spread_delay_min_us);
  ASSERT_EQ(fx.restores.size(), 1u);
  EXPECT_EQ(fx.restores[0].at_us, inc.restored_at_us);
  // Rollback: back to version 1, incident restored at the rollback's end.
  fx.Clear();
  DeployRequest rb;
  rb.kind = DeployKind::kRollback;
  ASSERT_EQ(s.Request(rb, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
  RunToEnd(s, c, o, rng, &fx, &now);
  EXPECT_EQ(s.version(), 1u);
  EXPECT_FALSE(s.incidents()[0].open);
  EXPECT_EQ(s.incidents()[0].restored_at_us, now);
  EXPECT_EQ(s.health(), Health::kHealthy);
  s.OnRestore(0, now + 1);  // the original timer fires later: no effect
  EXPECT_EQ(s.incidents()[0].restored_at_us, now);
  EXPECT_EQ(s.Request(rb, c, o, now, rng, &fx), ServiceState::RequestStatus::kNothingToRollBack);
  // Prod deploys are refused in the freeze; staging is not.
  EXPECT_EQ(s.Request(good, c, o, 1500 * kUsPerMinute, rng, &fx), ServiceState::RequestStatus::kFrozen);
  DeployRequest staging = good;
  staging.kind = DeployKind::kToStaging;
  EXPECT_EQ(s.Request(staging, c, o, 1500 * kUsPerMinute, rng, &fx), ServiceState::RequestStatus::kStarted);
}

TEST(DeployServiceTest, ARollbackRevertsOnlyAChangeWhoseIncidentIsOpen) {
  const ServiceCatalog c = Diamond({});
  const DeployOptions o = Certain();
  ServiceState s(0);
  engine::Rng rng;
  DeployEffects fx;
  engine::TimeUs now = 0;
  auto deploy = [&](uint64_t id, bool bad) {
    DeployRequest r;
    r.kind = DeployKind::kToProd;
    r.change.change_id = id;
    r.change.known_bad = bad;
    ASSERT_EQ(s.Request(r, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
    RunToEnd(s, c, o, rng, &fx, &now);
  };
  DeployRequest rb;
  rb.kind = DeployKind::kRollback;
  // Sound versions only: nothing to roll back, however many there are.
  deploy(1, false);
  deploy(2, false);
  EXPECT_EQ(s.Request(rb, c, o, now, rng, &fx), ServiceState::RequestStatus::kNothingToRollBack);
  // A bad change, then a sound one on top: the rollback reverts the bad one and keeps the newer.
  deploy(3, true);
  deploy(4, false);
  ASSERT_EQ(s.incidents().size(), 1u);
  ASSERT_TRUE(s.incidents()[0].open);
  const uint32_t live = s.version();
  ASSERT_EQ(s.Request(rb, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
  RunToEnd(s, c, o, rng, &fx, &now);
  EXPECT_FALSE(s.incidents()[0].open);
  EXPECT_EQ(s.version(), live);  // the newest version, change 4, is still live
  EXPECT_EQ(s.stats().rollbacks, 1u);
  // Its incident over, nothing is left to roll back.
  EXPECT_EQ(s.Request(rb, c, o, now, rng, &fx), ServiceState::RequestStatus::kNothingToRollBack);
}

TEST(DeployServiceTest, WithoutFinishedRunsTheTallyAndTheIncidentsRunsStay) {
  const ServiceCatalog c = Diamond({{1000 * kUsPerMinute, 2000 * kUsPerMinute, kNoId}});
  const DeployOptions o = Certain();
  ServiceState s(0, /*keep_finished_runs=*/false);
  engine::Rng rng;
  DeployEffects fx;
  DeployRequest good;
  good.kind = DeployKind::kToProd;
  good.change.agent = 7;
  engine::TimeUs now = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(s.Request(good, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
    RunToEnd(s, c, o, rng, &fx, &now);
    ASSERT_NE(s.run(static_cast<uint32_t>(i)), nullptr);  // the run that just finished is still there
  }
  DeployRequest bad = good;
  bad.change.agent = kNoId;
  bad.change.known_bad = true;
  bad.change.change_id = 99;
  ASSERT_EQ(s.Request(bad, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
  RunToEnd(s, c, o, rng, &fx, &now);
  ASSERT_EQ(s.Request(good, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
  RunToEnd(s, c, o, rng, &fx, &now);
  ASSERT_EQ(s.Request(good, c, o, now, rng, &fx), ServiceState::RequestStatus::kStarted);
  // Held: the run that caused the incident and the one running (the next request dropped
  // the one that had finished).
  EXPECT_EQ(s.runs_started(), 6u);
  ASSERT_EQ(s.runs().size(), 2u);
  EXPECT_EQ(s.runs()[0].sequence, 3u);
  EXPECT_TRUE(s.runs()[0].caused_incident);
  EXPECT_EQ(s.runs()[0].change.change_id, 99u);
  EXPECT_EQ(s.run(1), nullptr);
  EXPECT_EQ(s.run(5)->result, RunResult::kRunning);
  EXPECT_EQ(s.run_tally().by_agents, 5u);
  EXPECT_EQ(s.run_tally().defective_in_prod, 1u);
}

TEST(DeployServiceTest, UpstreamIncidentOpensOncePerRootAndRestores) {
  const ServiceCatalog c = Diamond();
  const DeployOptions o = Certain();
  ServiceState s(3);
  engine::Rng rng;
  DeployEffects fx;
  const IncidentSignal sig{/*root=*/7, /*parent=*/8, /*severity=*/3};
  s.OnUpstreamIncident(sig, 100, c, o, rng, &fx);
  s.OnUpstreamIncident(IncidentSignal{7, 9, 3}, 200, c, o, rng, &fx);  // same root via the other path
  ASSERT_EQ(s.incidents().size(), 1u);
  EXPECT_EQ(s.stats().duplicate_signals, 1u);
  EXPECT_EQ(s.incidents()[0].root_id, 7u);
  EXPECT_EQ(s.incidents()[0].parent_id, 8u);
  EXPECT_EQ(s.health(), Health::kDegraded);
  ASSERT_EQ(fx.spreads.size(), 1u);  // on to service 4 only
  EXPECT_EQ(fx.spreads[0].to, 4u);
  EXPECT_EQ(fx.spreads[0].signal.severity, 4);
  s.OnRestore(fx.restores[0].incident_index, fx.restores[0].at_us);
  EXPECT_EQ(s.health(), Health::kHealthy);
}

TEST(DeployServiceTest, OptionsRefuseSpreadFasterThanLookahead) {
  DeployOptions o;
  o.spread_delay_min_us = 10;
  EXPECT_FALSE(o.Validate(100).ok());
  o = DeployOptions{};
  o.root_severity_probability = {0.5, 0.5, 0.5, 0};
  EXPECT_FALSE(o.Validate(100).ok());
  EXPECT_TRUE(DeployOptions{}.Validate(engine::kUsPerSecond).ok());
}

}  // namespace
}  // namespace clawsim::services
