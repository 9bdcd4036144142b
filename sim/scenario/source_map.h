// SourceMap: where each field of a parsed scenario came from, for error messages.
//
// After a text file is parsed (with TextFormat::Parser::WriteLocationsTo) and overrides are
// applied, Index() walks the message and the ParseInfoTree side by side and remembers, for
// every sub-message, its subtree and its parent. Where() then turns (message, field, index)
// into the prefix of an error message:
//   "scenarios/x.textproto:12:5: "   the field as written in the file (1-based line:col)
//   "--set run.days=0: "             the field was last set by that override
//   "scenarios/x.textproto:7:3: "    a field left out: the enclosing message's location
//   ""                               no file at all (a scenario built in code)
//
// The map holds pointers into the scenario and the tree: neither may change structure (no
// added or removed elements) while the map is in use. Not thread-safe; one per load.
#pragma once

#include <map>
#include <string>
#include <utility>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

namespace clawsim::scenario {

class SourceMap {
 public:
  SourceMap() = default;
  SourceMap(const SourceMap&) = delete;
  SourceMap& operator=(const SourceMap&) = delete;

  // Indexes `root` (and everything below it) as parsed from `file` with `tree`, which may be
  // null. `tree` must outlive this map.
  void Index(const google::protobuf::Message& root, const google::protobuf::TextFormat::ParseInfoTree* tree,
             std::string file);

  // Records that `field` of `message` was set by an override described by `origin`
  // (e.g. "--set run.days=0"); Where() then names the override instead of the file.
  void MarkOverridden(const google::protobuf::Message* message, const google::protobuf::FieldDescriptor* field,
                      std::string origin);

  // Error prefix (ending in ": ", or empty) for `field` of `message`; `index` selects an
  // element of a repeated field (-1: the field as a whole, located at its first element).
  // A null `field` locates the message itself.
  std::string Where(const google::protobuf::Message& message, const google::protobuf::FieldDescriptor* field,
                    int index = -1) const;
  // Same, with the field named (it must exist in the message's type).
  std::string Where(const google::protobuf::Message& message, const char* field_name, int index = -1) const;

  const std::string& file() const { return file_; }

 private:
  struct Node {
    const google::protobuf::TextFormat::ParseInfoTree* tree = nullptr;
    const google::protobuf::Message* parent = nullptr;
    const google::protobuf::FieldDescriptor* field_in_parent = nullptr;
    int index_in_parent = -1;
  };
  void IndexMessage(const google::protobuf::Message& m, const Node& node);

  std::string file_;
  std::map<const google::protobuf::Message*, Node> nodes_;
  std::map<std::pair<const google::protobuf::Message*, const google::protobuf::FieldDescriptor*>, std::string>
      overrides_;
};

}  // namespace clawsim::scenario
