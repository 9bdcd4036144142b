// Summary measures: every number a run summary holds, by name, found by walking the run summary's
// Protobuf message (sim/proto/run.proto) by reflection. Nothing here lists the model's
// metrics: a field the model adds to RunSummary becomes a measure without a change here.
//
// Naming (the measure's path):
//   a numeric scalar field            its name                     value_usd
//   a field of a nested message       parent.field                 tokens.cost_usd, dora.change_failure_rate
//                                     (only when the message is set: an absent section has no measures)
//   an element of a repeated message  field.KEY.subfield, where KEY is the element's `name`
//                                     (or `key`, or else its first string field, e.g. `role`)
//                                     with dots made underscores; else its 0-based index
//                                                                  tokens_by_tier.frontier.tokens.cost_usd
//   an element of a repeated number   field.INDEX
//   every TokenTally message          also PATH.total_tokens = input_tokens + output_tokens
// Numbers are int/uint 32/64, fixed, float, double and bool (0 or 1); strings and enums are
// not measures. Left out because they do not follow from (scenario, seed) or are not
// quantities: `seed`, `wall_s`, `threads` and any field whose name ends in `fingerprint`
// (hashes), at any depth.
//
// The naming is shared by studies (sim/study/measures.h), by scenario calibration bands
// (checked when a scenario loads) and by `clawsim run`, which writes each band with the
// run's value. It depends only on run.proto, so the scenario loader can check names.
//
// Pure functions; safe to call from any thread.
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "sim/common/status.h"

namespace clawsim::run {

// Names and values in walk order (fields in declaration order, depth first).
struct Measures {
  std::vector<std::string> names;
  std::vector<double> values;
};

// Appends every measure of `message` (named with `prefix`, e.g. "" or "counterfactual.").
void CollectMeasures(const google::protobuf::Message& message, const std::string& prefix, Measures* out);

// Whether `name` can be a measure of a run summary: its path exists in the RunSummary
// schema, with any key where a repeated message's element is selected. The error says which
// segment failed and lists the valid names there.
Status CheckSummaryMeasureName(const std::string& name);

}  // namespace clawsim::run
