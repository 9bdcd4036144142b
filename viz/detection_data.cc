#include "viz/detection_data.h"

#include <google/protobuf/util/json_util.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace clawsim::viz {
namespace {

bool InUnit(double v) { return v >= 0 && v <= 1; }  // false for NaN

}  // namespace

bool IsDetectionFile(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.size() < 5 || name.compare(name.size() - 5, 5, ".json") != 0) return false;
  if (name == "detection.json") return true;
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  while (in.get(c) && std::isspace(static_cast<unsigned char>(c))) {
  }
  return in && c == '{';
}

Status LoadDetectionFile(const std::string& path, DetectionData* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  DetectionData d;
  d.path = path;
  const auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &d.results, options);
  if (!parsed.ok()) {
    return Status::Error(path + ": not a detection result (clawsim detect's detection.json): " +
                         std::string(parsed.message()));
  }
  if (d.results.results_size() == 0) return Status::Error(path + ": a detection result with no detectors");
  for (const proto::DetectorResult& r : d.results.results()) {
    if (r.name().empty() || r.label().empty()) {
      return Status::Error(path + ": a result without a detector name or label");
    }
    bool ok = InUnit(r.precision()) && InUnit(r.recall());
    for (const proto::PrPoint& p : r.pr_curve()) ok = ok && InUnit(p.precision()) && InUnit(p.recall());
    if (!ok) return Status::Error(path + ": detector \"" + r.name() + "\" has a precision or recall outside [0, 1]");
  }
  *out = std::move(d);
  return Status::Ok();
}

}  // namespace clawsim::viz
