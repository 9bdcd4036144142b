// Measures: every number a run produces, by name, found by walking the run summary's
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
// Pure functions; safe to call from any thread.
#pragma once

#include <string>
#include <vector>

#include "sim/model/metrics.h"
#include "sim/run/summary_measures.h"

namespace clawsim::study {

// The naming and the walk live in sim/run/summary_measures.h (the scenario loader checks
// calibration bands' measures with them); studies use them under these names.
using run::CheckSummaryMeasureName;
using run::CollectMeasures;
using run::Measures;

// The measures of a run summary (converted with sim/run/proto_convert.h first).
Measures SummaryMeasures(const model::RunSummary& summary);

// The measures of one day (DailyRow without its `day`).
Measures DailyMeasures(const model::DailyMetrics& day);

}  // namespace clawsim::study
