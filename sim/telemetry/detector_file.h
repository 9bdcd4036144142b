// Detector files: loading a `.textproto` of detectors (schema sim/proto/detectors.proto)
// and checking it completely before anything runs.
//
// Errors come back as one Status, one problem per line, each starting with where it is:
//   scenarios/detectors.textproto:12:14: detector "x": unknown feature "tokns_per_day"; employee features: ...
// Lines and columns are 1-based.
#pragma once

#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/proto/detectors.pb.h"
#include "sim/telemetry/features.h"

namespace clawsim::telemetry {

struct DetectorSpec {
  std::string path;
  std::string name;
  proto::DetectorFile proto;  // as parsed and checked
  // Per detector: its entity and, per condition or listed feature, the index into Features().
  std::vector<Entity> entities;
  std::vector<std::vector<int>> features;
};

Status LoadDetectors(const std::string& path, DetectorSpec* out);
// The same from text; `path` names the file in messages.
Status LoadDetectorsFromText(const std::string& text, const std::string& path, DetectorSpec* out);

}  // namespace clawsim::telemetry
