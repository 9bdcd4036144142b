// Validation of a scenario: value ranges, unique names and references between sections.
//
// Every problem is reported with the location of the offending field (see SourceMap), and
// validation goes on after a problem so that one run shows all of them. A scenario that
// validates cleanly compiles (CompileScenario) except for graph-shaped problems that only
// show up once names are resolved (cycles in the reporting graph), which compile reports
// through the same Problems.
#pragma once

#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/scenario/source_map.h"

namespace clawsim::proto {
class Scenario;
}

namespace clawsim::scenario {

// Collects located error messages. Holds a reference to `sources`, which must outlive it.
class Problems {
 public:
  explicit Problems(const SourceMap& sources) : sources_(sources) {}

  // Adds "<location of field>: <text>". `field` null or empty: the message's own location.
  void Add(const google::protobuf::Message& m, const char* field, int index, std::string text);
  // Adds a message with an explicit prefix (e.g. "--set x: "), used for override errors.
  void AddRaw(std::string text) { messages_.push_back(std::move(text)); }

  bool empty() const { return messages_.empty(); }
  const std::vector<std::string>& messages() const { return messages_; }
  const SourceMap& sources() const { return sources_; }

  // OK when empty; otherwise one error with the first `max_shown` messages, one per line,
  // and a last line saying how many more there were.
  Status ToStatus(size_t max_shown = 25) const;

 private:
  const SourceMap& sources_;
  std::vector<std::string> messages_;
};

// Checks `scenario` and adds every problem found to `problems`. Interventions are checked
// by applying them in time order to a copy and validating each result; their problems are
// located at the intervention.
void ValidateScenario(const proto::Scenario& scenario, Problems* problems);

// The calibration bands alone (part of ValidateScenario): each has a name, names a measure a
// run summary has (sim/run/summary_measures.h) and has low <= high.
void ValidateCalibration(const proto::Scenario& scenario, Problems* problems);

// A number as a problem message prints it ("%g": 0.25, 1e+06).
std::string Num(double v);

}  // namespace clawsim::scenario
