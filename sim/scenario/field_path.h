// Field paths: set one scalar field of a message from text, for `--set PATH=VALUE` and for
// scheduled interventions.
//
// Grammar (whitespace is not allowed):
//   path     := segment ('.' segment)*
//   segment  := field_name ( '[' index ']' | '[' key_field '=' key_value ']' )?
//   index    := decimal integer, 0-based, < current size (paths never add elements)
//   key_value:= text up to ']' (optionally in double quotes); compared with the element's
//               key_field rendered as text (enum values by name)
// Examples:
//   run.days                                        a nested scalar
//   organization.teams[2].size                      an indexed repeated message
//   model_tiers[name=frontier].input_usd_per_mtok   a keyed repeated message
//   calendar.holidays[0]                            an indexed repeated scalar
//
// Values: integers and floating-point numbers in C++ syntax (finite only); bools as
// true/false/1/0; enums by value name (e.g. MANAGERS_ONLY); strings as-is, or in double
// quotes. Setting a field inside an unset singular message creates that message; setting a
// member of a oneof clears the others.
//
// Error messages name the failing segment and list what was valid; they do not carry a
// "--set" or file prefix, which callers add.
#pragma once

#include <string>
#include <string_view>

#include "sim/common/status.h"

namespace google::protobuf {
class Message;
class FieldDescriptor;
}  // namespace google::protobuf

namespace clawsim::proto {
class Scenario;
}

namespace clawsim::scenario {

// Where a successful set landed: the message that holds the field, and the field.
struct FieldTarget {
  const google::protobuf::Message* message = nullptr;
  const google::protobuf::FieldDescriptor* field = nullptr;
  int index = -1;  // element index for a repeated scalar, else -1
};

// Sets the scalar at `path` below `root` to `value`. On error `root` is unchanged except that
// singular messages on the way may have been created (empty). `target`, if non-null,
// receives where the value was written.
Status SetFieldByPath(google::protobuf::Message* root, std::string_view path, std::string_view value,
                      FieldTarget* target = nullptr);

// Splits "PATH=VALUE" at the first '='; false if there is none or PATH is empty.
bool SplitAssignment(std::string_view text, std::string_view* path, std::string_view* value);

// Applies an intervention (or an override) to a scenario: SetFieldByPath on the Scenario.
// Callers re-validate and re-compile afterwards (CompileScenario does both).
Status ApplyIntervention(proto::Scenario* scenario, std::string_view path, std::string_view value);

}  // namespace clawsim::scenario
