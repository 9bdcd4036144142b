// LocatedErrors: collects Protobuf text-format parse errors as "path:line:col: message"
// (1-based), for scenario, study, detector and validation files alike; ParseLocated parses
// one such file with it.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include "sim/common/status.h"

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

// Parses `text` (the text-format file named `path`) into `*out`, writing where every field
// was written to `*tree` when it is given. On a syntax error the status holds the parser's
// "path:line:col: message" lines, or "path: cannot parse the WHAT" when it gave none.
inline Status ParseLocated(const std::string& text, const std::string& path, const char* what,
                           google::protobuf::Message* out, google::protobuf::TextFormat::ParseInfoTree* tree) {
  LocatedErrors errors(path);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (tree != nullptr) parser.WriteLocationsTo(tree);
  if (parser.ParseFromString(text, out)) return Status::Ok();
  std::string message;
  for (const std::string& m : errors.messages()) message += (message.empty() ? "" : "\n") + m;
  return Status::Error(message.empty() ? path + ": cannot parse the " + what : message);
}

// "file:line:col: " of `field` of `m` (element `index` of a repeated one) as recorded in
// `tree`; the file alone when the parser recorded no location (a field left out). A list
// written as `field: [a, b]` records one location, at its first element: the nearest earlier
// element that has one is used.
inline std::string Where(const std::string& file, const google::protobuf::TextFormat::ParseInfoTree* tree,
                         const google::protobuf::Message& m, const char* field, int index = -1) {
  const google::protobuf::FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(field);
  if (tree != nullptr && f != nullptr) {
    for (int i = f->is_repeated() ? std::max(index, 0) : -1; i >= -1; --i) {
      const google::protobuf::TextFormat::ParseLocation loc = tree->GetLocation(f, i);
      if (loc.line >= 0) return file + ":" + std::to_string(loc.line + 1) + ":" + std::to_string(loc.column + 1) + ": ";
      if (i <= 0) break;
    }
  }
  return file + ": ";
}

// The locations of element `index` of the message field `field` of `m`, or null.
inline const google::protobuf::TextFormat::ParseInfoTree* Nested(const google::protobuf::TextFormat::ParseInfoTree* tree,
                                                                const google::protobuf::Message& m, const char* field,
                                                                int index = -1) {
  if (tree == nullptr) return nullptr;
  return tree->GetTreeForNested(m.GetDescriptor()->FindFieldByName(field), index);
}

}  // namespace clawsim::scenario
