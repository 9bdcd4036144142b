// CompileScenario: proto::Scenario -> CompiledScenario (plain structs, dense ids, TimeUs).
//
// Compilation validates first (ValidateScenario) and refuses an invalid scenario, so every
// CompiledScenario is consistent: ids are in range, graphs are acyclic, probabilities are
// probabilities. It is deterministic and draws no random numbers.
//
// Typical uses:
//   - LoadScenario (load.h) compiles a file once, with errors located in the file.
//   - At an intervention the model applies it to its copy of the proto and compiles again:
//       ApplyIntervention(&scenario_proto, iv.path, iv.value);   // field_path.h
//       CompileScenario(scenario_proto, &compiled);
//     The organisation expands the same way each time (same names, same ids), so ids held
//     by the running model stay valid as long as the intervention does not change team
//     sizes or lists; settings (prices, policy modes, visibility, ...) take new values.
#pragma once

#include "sim/common/status.h"
#include "sim/scenario/compiled_scenario.h"

namespace clawsim::proto {
class Scenario;
}

namespace clawsim::scenario {

class Problems;

// Validates and compiles `scenario` into `*out`. On error `*out` is unspecified and the
// status lists the problems (without file locations: use LoadScenario for those).
Status CompileScenario(const proto::Scenario& scenario, CompiledScenario* out);

// The same with problems reported into `problems`, located through its SourceMap; the
// loader's entry point. Assumes ValidateScenario already ran on `scenario` without problems.
void CompileValidatedScenario(const proto::Scenario& scenario, Problems* problems, CompiledScenario* out);

}  // namespace clawsim::scenario
