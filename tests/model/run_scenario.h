// Test helpers: run a scenario file of the source tree, with `--set`-style assignments
// applied, to its end. A scenario that does not load or a run that fails fails the calling
// test. The test target defines CLAWSIM_SOURCE_DIR.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/model/runner.h"
#include "sim/scenario/load.h"

namespace clawsim::model {

// Two engine threads, no audit log: what most model tests need.
inline RunOptions TwoThreadsNoAudit(uint64_t seed) {
  RunOptions ro;
  ro.seed = seed;
  ro.threads = 2;
  ro.record_audit = false;
  return ro;
}

// `path` is relative to the source root ("scenarios/baseline.textproto"). `loaded`, when
// given, keeps the scenario as it was run.
inline RunResult RunScenarioFile(const std::string& path, const std::vector<std::string>& sets,
                                 const RunOptions& options, const RunSinks& sinks = {},
                                 scenario::LoadedScenario* loaded = nullptr) {
  scenario::LoadedScenario local;
  scenario::LoadedScenario* l = loaded != nullptr ? loaded : &local;
  const Status s = scenario::LoadScenario(std::string(CLAWSIM_SOURCE_DIR) + "/" + path, sets, l);
  EXPECT_TRUE(s.ok()) << s.message();
  RunResult r;
  const Status run = RunOrganisation(l, options, sinks, &r);
  EXPECT_TRUE(run.ok()) << run.message();
  return r;
}

}  // namespace clawsim::model
