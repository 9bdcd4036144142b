#include "sim/run/summary_measures.h"

#include <google/protobuf/descriptor.h>

#include <set>
#include <string_view>

#include "sim/proto/run.pb.h"

namespace clawsim::run {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool Excluded(const std::string& field_name) {
  const std::string_view n(field_name);
  const std::string_view fp = "fingerprint";
  const bool hash = n.size() >= fp.size() && n.substr(n.size() - fp.size()) == fp;
  return n == "seed" || hash || n == "wall_s" || n == "threads";
}

bool IsNumeric(FieldDescriptor::CppType t) {
  switch (t) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_BOOL: return true;
    default: return false;
  }
}

double Scalar(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64: return static_cast<double>(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32: return r->GetUInt32(m, f);
    case FieldDescriptor::CPPTYPE_UINT64: return static_cast<double>(r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE: return r->GetDouble(m, f);
    case FieldDescriptor::CPPTYPE_FLOAT: return r->GetFloat(m, f);
    case FieldDescriptor::CPPTYPE_BOOL: return r->GetBool(m, f) ? 1 : 0;
    default: return 0;
  }
}

double RepeatedScalar(const Message& m, const FieldDescriptor* f, int i) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return r->GetRepeatedInt32(m, f, i);
    case FieldDescriptor::CPPTYPE_INT64: return static_cast<double>(r->GetRepeatedInt64(m, f, i));
    case FieldDescriptor::CPPTYPE_UINT32: return r->GetRepeatedUInt32(m, f, i);
    case FieldDescriptor::CPPTYPE_UINT64: return static_cast<double>(r->GetRepeatedUInt64(m, f, i));
    case FieldDescriptor::CPPTYPE_DOUBLE: return r->GetRepeatedDouble(m, f, i);
    case FieldDescriptor::CPPTYPE_FLOAT: return r->GetRepeatedFloat(m, f, i);
    case FieldDescriptor::CPPTYPE_BOOL: return r->GetRepeatedBool(m, f, i) ? 1 : 0;
    default: return 0;
  }
}

// The field naming a repeated message's elements: a string `name`, a `key` (maps), or else
// the first singular string field (`role`, `rule`).
const FieldDescriptor* KeyField(const Descriptor* d) {
  for (const char* n : {"name", "key"}) {
    const FieldDescriptor* f = d->FindFieldByName(n);
    if (f != nullptr && !f->is_repeated() &&
        (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING || (IsNumeric(f->cpp_type()) && std::string(n) == "key"))) {
      return f;
    }
  }
  for (int i = 0; i < d->field_count(); ++i) {
    if (!d->field(i)->is_repeated() && d->field(i)->cpp_type() == FieldDescriptor::CPPTYPE_STRING) return d->field(i);
  }
  return nullptr;
}

// Dots in a key become underscores, so that a measure name splits back into its path.
std::string KeyText(const Message& m, const FieldDescriptor* key) {
  std::string text;
  if (key->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    text = m.GetReflection()->GetString(m, key);
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", Scalar(m, key));
    text = buf;
  }
  for (char& c : text) {
    if (c == '.') c = '_';
  }
  return text;
}

bool IsTokenTally(const Descriptor* d) { return d->full_name() == "clawsim.proto.TokenTally"; }

}  // namespace

void CollectMeasures(const Message& m, const std::string& prefix, Measures* out) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (Excluded(f->name())) continue;
    const std::string path = prefix + f->name();
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!f->is_repeated()) {
        // An unset section (say, `counterfactual` in a run without the twin) has no measures,
        // rather than zeros that would read as results.
        if (r->HasField(m, f)) CollectMeasures(r->GetMessage(m, f), path + ".", out);
        continue;
      }
      const FieldDescriptor* key = KeyField(f->message_type());
      for (int e = 0; e < r->FieldSize(m, f); ++e) {
        const Message& element = r->GetRepeatedMessage(m, f, e);
        const std::string k = key != nullptr ? KeyText(element, key) : std::to_string(e);
        // The key itself is a name, not a quantity: skip it inside the element.
        Measures inner;
        CollectMeasures(element, "", &inner);
        for (size_t j = 0; j < inner.names.size(); ++j) {
          if (key != nullptr && inner.names[j] == key->name()) continue;
          out->names.push_back(path + "." + k + "." + inner.names[j]);
          out->values.push_back(inner.values[j]);
        }
      }
      continue;
    }
    if (!IsNumeric(f->cpp_type())) continue;
    if (f->is_repeated()) {
      for (int e = 0; e < r->FieldSize(m, f); ++e) {
        out->names.push_back(path + "." + std::to_string(e));
        out->values.push_back(RepeatedScalar(m, f, e));
      }
    } else {
      out->names.push_back(path);
      out->values.push_back(Scalar(m, f));
    }
  }
  if (IsTokenTally(d)) {
    const FieldDescriptor* in = d->FindFieldByName("input_tokens");
    const FieldDescriptor* outf = d->FindFieldByName("output_tokens");
    out->names.push_back(prefix + "total_tokens");
    out->values.push_back(Scalar(m, in) + Scalar(m, outf));
  }
}

Status CheckSummaryMeasureName(const std::string& name) {
  const Descriptor* d = proto::RunSummary::descriptor();
  size_t pos = 0;
  std::string walked;
  while (true) {
    const size_t dot = name.find('.', pos);
    const std::string segment = name.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    const bool last = dot == std::string::npos;
    if (segment == "total_tokens" && last && IsTokenTally(d)) return Status::Ok();
    const FieldDescriptor* f = d->FindFieldByName(segment);
    if (f == nullptr || Excluded(segment) ||
        (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE && !IsNumeric(f->cpp_type()))) {
      std::string valid;
      for (int i = 0; i < d->field_count(); ++i) {
        const FieldDescriptor* v = d->field(i);
        if (Excluded(v->name())) continue;
        if (v->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE && !IsNumeric(v->cpp_type())) continue;
        valid += (valid.empty() ? "" : ", ") + v->name();
      }
      if (IsTokenTally(d)) valid += ", total_tokens";
      return Status::Error("measure \"" + name + "\": " + (walked.empty() ? std::string("a run summary") : walked) +
                           " has no measure \"" + segment + "\"; valid: " + valid);
    }
    walked += (walked.empty() ? "" : ".") + segment;
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        if (last) return Status::Error("measure \"" + name + "\": " + walked + " is a list; add an index, e.g. " + walked + ".0");
        const size_t next = name.find('.', dot + 1);
        return next == std::string::npos
                   ? Status::Ok()
                   : Status::Error("measure \"" + name + "\": " + walked + " holds numbers, nothing below them");
      }
      return last ? Status::Ok()
                  : Status::Error("measure \"" + name + "\": " + walked + " is a number, nothing below it");
    }
    if (last) {
      return Status::Error("measure \"" + name + "\": " + walked + " is a group of measures; name one of its fields, e.g. " +
                           walked + "." + f->message_type()->field(f->message_type()->field_count() - 1)->name());
    }
    pos = dot + 1;
    d = f->message_type();
    if (f->is_repeated()) {
      // The next segment is an element key (a name or an index); any text will do here.
      const size_t key_end = name.find('.', pos);
      if (key_end == std::string::npos) {
        return Status::Error("measure \"" + name + "\": " + walked + " is a list; name an element and a field, e.g. " +
                             walked + ".NAME.FIELD");
      }
      walked += "." + name.substr(pos, key_end - pos);
      pos = key_end + 1;
    }
  }
}

}  // namespace clawsim::run
