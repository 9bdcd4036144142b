#include "sim/scenario/source_map.h"

#include <cassert>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

namespace clawsim::scenario {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;

void SourceMap::Index(const Message& root, const TextFormat::ParseInfoTree* tree, std::string file) {
  file_ = std::move(file);
  nodes_.clear();
  IndexMessage(root, Node{tree, nullptr, nullptr, -1});
}

void SourceMap::IndexMessage(const Message& m, const Node& node) {
  nodes_[&m] = node;
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      const int n = r->FieldSize(m, f);
      for (int i = 0; i < n; ++i) {
        const TextFormat::ParseInfoTree* child = node.tree ? node.tree->GetTreeForNested(f, i) : nullptr;
        IndexMessage(r->GetRepeatedMessage(m, f, i), Node{child, &m, f, i});
      }
    } else {
      const TextFormat::ParseInfoTree* child = node.tree ? node.tree->GetTreeForNested(f, -1) : nullptr;
      IndexMessage(r->GetMessage(m, f), Node{child, &m, f, -1});
    }
  }
}

void SourceMap::MarkOverridden(const Message* message, const FieldDescriptor* field, std::string origin) {
  overrides_[{message, field}] = std::move(origin);
}

std::string SourceMap::Where(const Message& message, const FieldDescriptor* field, int index) const {
  if (field != nullptr) {
    if (auto it = overrides_.find({&message, field}); it != overrides_.end()) return it->second + ": ";
  }
  const auto it = nodes_.find(&message);
  if (it == nodes_.end()) return file_.empty() ? "" : file_ + ": ";
  const Node& node = it->second;
  if (field != nullptr && node.tree != nullptr) {
    // GetLocation wants -1 for singular fields and a valid index for repeated ones.
    // Elements of a list written as `[a, b]` may have no location of their own; the
    // field's first element (where the list starts) is the next best place.
    const int size = field->is_repeated() ? message.GetReflection()->FieldSize(message, field) : 0;
    std::vector<int> tries;
    if (!field->is_repeated()) {
      tries = {-1};
    } else if (index > 0 && index < size) {
      tries = {index, 0};
    } else if (size > 0) {
      tries = {0};
    }
    for (int i : tries) {
      const TextFormat::ParseLocation loc = node.tree->GetLocation(field, i);
      if (loc.line >= 0) {
        return file_ + ":" + std::to_string(loc.line + 1) + ":" + std::to_string(loc.column + 1) + ": ";
      }
    }
  }
  // Left out of the file (or created by an override): point at the enclosing message.
  if (node.parent != nullptr) return Where(*node.parent, node.field_in_parent, node.index_in_parent);
  return file_.empty() ? "" : file_ + ": ";
}

std::string SourceMap::Where(const Message& message, const char* field_name, int index) const {
  const FieldDescriptor* f = message.GetDescriptor()->FindFieldByName(field_name);
  assert(f != nullptr && "SourceMap::Where: no such field");
  return Where(message, f, index);
}

}  // namespace clawsim::scenario
