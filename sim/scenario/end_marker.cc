#include "sim/scenario/end_marker.h"

#include <cstddef>

namespace clawsim::scenario {
namespace {

// The text's lines without their line breaks (a "\r" before "\n" dropped) or trailing blanks.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    lines.push_back(std::move(line));
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

}  // namespace

Status CheckScenarioEnd(const std::string& text, const std::string& path, std::vector<std::string>* warnings) {
  const std::vector<std::string> lines = Lines(text);
  size_t declared = 0, marker = 0, last = 0;  // 1-based line numbers; 0: none
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == kEndMarkerDeclaration && declared == 0) declared = i + 1;
    if (lines[i] == kEndMarker && marker == 0) marker = i + 1;
    if (!lines[i].empty()) last = i + 1;
  }
  if (marker != 0 && last != marker) {
    return Status::Error(path + ":" + std::to_string(last) + ":1: text after the end marker \"" + kEndMarker +
                         "\" (line " + std::to_string(marker) + "): two files run together, or the marker is misplaced");
  }
  if (declared != 0 && marker == 0) {
    return Status::Error(path + ":" + std::to_string(last) + ":1: the file says it ends with \"" + kEndMarker + "\" (line " +
                         std::to_string(declared) + "), but its last line is line " + std::to_string(last) +
                         ": it was cut short, or the marker was removed; restore the whole file");
  }
  if (declared == 0 && !text.empty() && text.back() != '\n' && warnings != nullptr) {
    warnings->push_back(path + ":" + std::to_string(lines.size()) + ":" + std::to_string(lines.back().size() + 1) +
                        ": warning: the file does not end with a line break; if it was cut short it loads as a "
                        "smaller scenario (end it with a line break, or declare an end marker: scenarios/README.md)");
  }
  return Status::Ok();
}

}  // namespace clawsim::scenario
