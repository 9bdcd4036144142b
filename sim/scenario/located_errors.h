// LocatedErrors: collects Protobuf text-format parse errors as "path:line:col: message"
// (1-based), for scenario and study files alike.
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/io/tokenizer.h>

namespace clawsim::scenario {

class LocatedErrors : public google::protobuf::io::ErrorCollector {
 public:
  // `path` must outlive the collector; it only prefixes messages.
  explicit LocatedErrors(const std::string& path) : path_(path) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override {
    messages_.push_back(path_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message);
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}

  const std::vector<std::string>& messages() const { return messages_; }

 private:
  const std::string& path_;
  std::vector<std::string> messages_;
};

}  // namespace clawsim::scenario
