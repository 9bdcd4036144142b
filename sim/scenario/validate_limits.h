// Limits: the finite range every number in a scenario must sit in, checked before any work
// starts (before the scenario is compiled, the world built or a file opened).
//
// The semantic checks (validate.h) say what a value means ("a probability is in [0, 1]",
// "managers <= size"); the limits say how large anything may be, so that no setting can
// hang the loader, exhaust memory, overflow integer arithmetic or fail only at run time:
//   - every double is finite (inf and nan are refused wherever they are written);
//   - every number has an upper limit (and the same limit below zero), found by
//     LimitOf(): first a table of named fields, then rules by the unit in the field's name
//     (`_tokens`, `_minutes`, `_hours`, `_ms`, `_usd`, `per_day`, ...). The limits are
//     listed in the comment at the top of sim/proto/scenario.proto;
//   - the organisation as a whole is bounded (kMaxEmployees), so compiling never allocates
//     without bound.
// Why tokens cannot overflow: see the comment above kMaxTokens in validate_limits.cc.
//
// A problem is reported like any other, with the field's location and its path:
//   scenarios/x.textproto:12:5: organization.teams[0].size is 1e+07; it must be at most
//       100000 (people in one team)
#pragma once

#include <string>

#include <google/protobuf/descriptor.h>

#include "sim/scenario/validate.h"

namespace clawsim::scenario {

// The most people a scenario may hold (generated team members and explicit employees).
inline constexpr double kMaxEmployees = 1'000'000;

// A field's limit: values must lie in [-max, max] (the semantic checks narrow the lower end).
struct FieldLimit {
  double max = 0;
  const char* what = "";  // what the limit is, for messages: "people in one team"
  // The range follows from what the field means ([0, 1] for a probability, [0, 24] for an
  // hour of the day) and validate.cc checks it in those terms; ValidateLimits then checks
  // only that the value is finite.
  bool by_meaning = false;
  // An infinite value means "no bound" (a calibration band's open end) and is allowed; NaN
  // never is.
  bool infinite_ok = false;
  // The smallest magnitude a nonzero value may have: a duration below one microsecond (the
  // clock's resolution) would round to zero, and a heartbeat or job repeating faster than
  // once a minute would flood the run with events.
  double min_nonzero = 0;
};

// The limit of a numeric field of any scenario message. Returns false for a field no rule
// covers (a test walks the schema to keep that from happening).
bool LimitOf(const google::protobuf::FieldDescriptor* field, FieldLimit* out);

// The numeric field `f` of `m` as a double (for a repeated field, its element `index`); 0 for
// a field that is not a number.
double NumberAt(const google::protobuf::Message& m, const google::protobuf::FieldDescriptor* f, int index = -1);

// Checks every number set in `scenario` (interventions' values are checked when they are
// applied, by ValidateScenario) against its limit, and the organisation's size. Adds the
// problems to `problems`.
void ValidateLimits(const proto::Scenario& scenario, Problems* problems);

}  // namespace clawsim::scenario
