#include "sim/scenario/field_path.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "sim/proto/scenario.pb.h"

namespace clawsim::scenario {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct Segment {
  std::string name;
  enum class Sel { kNone, kIndex, kKey } sel = Sel::kNone;
  int index = -1;
  std::string key_field;
  std::string key_value;
  std::string text;  // the segment as written, for messages
};

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

std::string FieldNames(const Descriptor* d) {
  std::string out;
  for (int i = 0; i < d->field_count(); ++i) {
    if (i > 0) out += ", ";
    out += d->field(i)->name();
  }
  return out;
}

std::string EnumNames(const EnumDescriptor* e) {
  std::string out;
  for (int i = 0; i < e->value_count(); ++i) {
    if (i > 0) out += ", ";
    out += e->value(i)->name();
  }
  return out;
}

std::string_view Unquote(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

// Splits a path into segments; '.' inside brackets does not separate.
Status ParsePath(std::string_view path, std::vector<Segment>* out) {
  if (path.empty()) return Status::Error("empty field path");
  size_t i = 0;
  while (i <= path.size()) {
    Segment seg;
    const size_t start = i;
    while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
    seg.name = std::string(path.substr(start, i - start));
    if (seg.name.empty()) {
      return Status::Error("field path " + Quote(path) + " has an empty segment at column " +
                           std::to_string(start + 1));
    }
    if (i < path.size() && path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string_view::npos) {
        return Status::Error("field path " + Quote(path) + ": '[' after \"" + seg.name + "\" is never closed");
      }
      const std::string_view inner = path.substr(i + 1, close - i - 1);
      const size_t eq = inner.find('=');
      if (eq == std::string_view::npos) {
        int index = -1;
        const auto [p, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), index);
        if (ec != std::errc() || p != inner.data() + inner.size() || index < 0) {
          return Status::Error("field path " + Quote(path) + ": [" + std::string(inner) + "] after \"" +
                               seg.name + "\" is neither an index [0], [1], ... nor a key [field=value]");
        }
        seg.sel = Segment::Sel::kIndex;
        seg.index = index;
      } else {
        seg.sel = Segment::Sel::kKey;
        seg.key_field = std::string(inner.substr(0, eq));
        seg.key_value = std::string(Unquote(inner.substr(eq + 1)));
        if (seg.key_field.empty()) {
          return Status::Error("field path " + Quote(path) + ": key [" + std::string(inner) + "] has no field name");
        }
      }
      i = close + 1;
    }
    seg.text = std::string(path.substr(start, i - start));
    out->push_back(std::move(seg));
    if (i == path.size()) break;
    if (path[i] != '.') {
      return Status::Error("field path " + Quote(path) + ": expected '.' at column " + std::to_string(i + 1));
    }
    ++i;
    if (i == path.size()) return Status::Error("field path " + Quote(path) + " ends with '.'");
  }
  return Status::Ok();
}

// Renders a singular scalar field as text, the way a key_value is written.
std::string ScalarText(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_ENUM: return r->GetEnum(m, f)->name();
    case FieldDescriptor::CPPTYPE_INT32: return std::to_string(r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64: return std::to_string(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32: return std::to_string(r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64: return std::to_string(r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_BOOL: return r->GetBool(m, f) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      char buf[32];
      const auto res = std::to_chars(buf, buf + sizeof buf, r->GetDouble(m, f));
      return std::string(buf, res.ptr);
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      char buf[32];
      const auto res = std::to_chars(buf, buf + sizeof buf, r->GetFloat(m, f));
      return std::string(buf, res.ptr);
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: break;
  }
  return "";
}

template <typename T>
bool ParseInteger(std::string_view text, T* out) {
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && p == text.data() + text.size() && !text.empty();
}

bool ParseFinite(std::string_view text, double* out) {
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && p == text.data() + text.size() && !text.empty() && std::isfinite(*out);
}

// Writes `text` into field `f` of `m` (element `index` when repeated).
Status SetScalar(Message* m, const FieldDescriptor* f, int index, std::string_view text,
                 const std::string& where) {
  const Reflection* r = m->GetReflection();
  const bool rep = f->is_repeated();
  auto bad = [&](const std::string& what) {
    return Status::Error(where + ": " + Quote(text) + " is not " + what);
  };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t v;
      if (!ParseInteger(text, &v)) return bad("a 32-bit integer");
      rep ? r->SetRepeatedInt32(m, f, index, v) : r->SetInt32(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!ParseInteger(text, &v)) return bad("a 64-bit integer");
      rep ? r->SetRepeatedInt64(m, f, index, v) : r->SetInt64(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t v;
      if (!ParseInteger(text, &v)) return bad("an unsigned 32-bit integer");
      rep ? r->SetRepeatedUInt32(m, f, index, v) : r->SetUInt32(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!ParseInteger(text, &v)) return bad("an unsigned 64-bit integer");
      rep ? r->SetRepeatedUInt64(m, f, index, v) : r->SetUInt64(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double v;
      if (!ParseFinite(text, &v)) return bad("a finite number");
      rep ? r->SetRepeatedDouble(m, f, index, v) : r->SetDouble(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!ParseFinite(text, &v)) return bad("a finite number");
      const float fv = static_cast<float>(v);
      rep ? r->SetRepeatedFloat(m, f, index, fv) : r->SetFloat(m, f, fv);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (text == "true" || text == "1") {
        v = true;
      } else if (text == "false" || text == "0") {
        v = false;
      } else {
        return bad("a bool (true or false)");
      }
      rep ? r->SetRepeatedBool(m, f, index, v) : r->SetBool(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumDescriptor* e = f->enum_type();
      // Enum values are written in capitals in scenario files; on the command line any case
      // is accepted (--set permissions.preset=read_only).
      std::string name(Unquote(text));
      for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      const auto* v = e->FindValueByName(name);
      if (v == nullptr) {
        return bad("a value of " + e->name() + "; valid values: " + EnumNames(e));
      }
      rep ? r->SetRepeatedEnum(m, f, index, v) : r->SetEnum(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string v(Unquote(text));
      rep ? r->SetRepeatedString(m, f, index, v) : r->SetString(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return Status::Error(where + " is a message (" + f->message_type()->name() +
                           "); set one of its fields: " + FieldNames(f->message_type()));
  }
  return Status::Ok();
}

// Finds the element of repeated message field `f` selected by `seg`; -1 with *error set.
int SelectElement(const Message& m, const FieldDescriptor* f, const Segment& seg, const std::string& where,
                  Status* error) {
  const Reflection* r = m.GetReflection();
  const int size = r->FieldSize(m, f);
  if (seg.sel == Segment::Sel::kIndex) {
    if (seg.index >= size) {
      *error = Status::Error(where + ": index " + std::to_string(seg.index) + " is out of range; " +
                             f->name() + " has " + std::to_string(size) + " element" + (size == 1 ? "" : "s"));
      return -1;
    }
    return seg.index;
  }
  const Descriptor* d = f->message_type();
  const FieldDescriptor* key = d->FindFieldByName(seg.key_field);
  if (key == nullptr || key->is_repeated() || key->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    *error = Status::Error(where + ": " + Quote(seg.key_field) + " is not a scalar field of " + d->name() +
                           "; valid fields: " + FieldNames(d));
    return -1;
  }
  std::string have;
  for (int i = 0; i < size; ++i) {
    const Message& element = r->GetRepeatedMessage(m, f, i);
    const std::string text = ScalarText(element, key);
    if (text == seg.key_value) return i;
    if (i < 12) {
      if (i > 0) have += ", ";
      have += text;
    }
  }
  if (size > 12) have += ", ...";
  *error = Status::Error(where + ": no element of " + f->name() + " has " + seg.key_field + " " +
                         Quote(seg.key_value) + (size == 0 ? "; the list is empty" : "; have: " + have));
  return -1;
}

}  // namespace

bool SplitAssignment(std::string_view text, std::string_view* path, std::string_view* value) {
  const size_t eq = text.find('=');
  // A key selector "[name=x]" may contain '=', so split at the first '=' outside brackets.
  int depth = 0;
  size_t split = std::string_view::npos;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') ++depth;
    if (text[i] == ']') --depth;
    if (text[i] == '=' && depth == 0) {
      split = i;
      break;
    }
  }
  if (eq == std::string_view::npos || split == std::string_view::npos || split == 0) return false;
  *path = text.substr(0, split);
  *value = text.substr(split + 1);
  return true;
}

Status SetFieldByPath(Message* root, std::string_view path, std::string_view value, FieldTarget* target) {
  std::vector<Segment> segs;
  if (Status s = ParsePath(path, &segs); !s.ok()) return s;
  Message* m = root;
  std::string where;  // the path up to and including the current segment
  for (size_t i = 0; i < segs.size(); ++i) {
    const Segment& seg = segs[i];
    const bool last = i + 1 == segs.size();
    const Descriptor* d = m->GetDescriptor();
    if (i > 0) where += '.';
    where += seg.text;
    const FieldDescriptor* f = d->FindFieldByName(seg.name);
    if (f == nullptr) {
      return Status::Error(where + ": " + d->name() + " has no field " + Quote(seg.name) +
                           "; valid fields: " + FieldNames(d));
    }
    const Reflection* r = m->GetReflection();
    if (!f->is_repeated() && seg.sel != Segment::Sel::kNone) {
      return Status::Error(where + ": " + Quote(f->name()) + " is not a repeated field; drop the [...]");
    }
    if (f->is_repeated() && seg.sel == Segment::Sel::kNone) {
      return Status::Error(where + ": " + Quote(f->name()) +
                           " is a repeated field; select an element with [index] or [field=value]");
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!last) {
        return Status::Error(where + ": " + Quote(f->name()) + " is a scalar; it has no field " +
                             Quote(segs[i + 1].name));
      }
      int index = -1;
      if (f->is_repeated()) {
        if (seg.sel == Segment::Sel::kKey) {
          return Status::Error(where + ": " + Quote(f->name()) + " is a list of scalars; select by [index]");
        }
        const int size = r->FieldSize(*m, f);
        if (seg.index >= size) {
          return Status::Error(where + ": index " + std::to_string(seg.index) + " is out of range; " + f->name() +
                               " has " + std::to_string(size) + " element" + (size == 1 ? "" : "s"));
        }
        index = seg.index;
      }
      if (Status s = SetScalar(m, f, index, value, where); !s.ok()) return s;
      if (target != nullptr) *target = FieldTarget{m, f, index};
      return Status::Ok();
    }
    if (last) {
      return SetScalar(m, f, -1, value, where);  // reports "is a message; set one of its fields"
    }
    if (f->is_repeated()) {
      Status error;
      const int element = SelectElement(*m, f, seg, where, &error);
      if (element < 0) return error;
      m = r->MutableRepeatedMessage(m, f, element);
    } else {
      m = r->MutableMessage(m, f);
    }
  }
  return Status::Ok();  // unreachable: the loop returns on the last segment
}

Status ApplyIntervention(proto::Scenario* scenario, std::string_view path, std::string_view value) {
  return SetFieldByPath(scenario, path, value);
}

}  // namespace clawsim::scenario
