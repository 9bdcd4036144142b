// A detection result as the Detection panel shows it: `clawsim detect`'s detection.json
// (schema sim/proto/detection.proto), read by LoadDetectionFile with protobuf's JSON parser and
// that schema alone (no telemetry code, no model).
#pragma once

#include <string>

#include "sim/common/status.h"
#include "sim/proto/detection.pb.h"

namespace clawsim::viz {

struct DetectionData {
  std::string path;
  proto::DetectionResults results;
};

// Whether `path` names a detection result: a file called detection.json, or any .json file
// whose first non-blank byte is '{' (the viewer's other files are binary).
bool IsDetectionFile(const std::string& path);

// Reads and checks `path`: JSON of the schema (unknown fields are refused, so a file of
// another kind is not shown as an empty result), with at least one result, each with a
// label and precision, recall and curve points in [0, 1]. Errors name the file and, for
// JSON, protobuf's message.
Status LoadDetectionFile(const std::string& path, DetectionData* out);

}  // namespace clawsim::viz
