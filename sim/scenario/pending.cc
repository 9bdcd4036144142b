#include "sim/scenario/pending.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "sim/proto/scenario.pb.h"

namespace clawsim::scenario {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Whether a set singular scalar differs from its declared default.
bool DiffersFromDefault(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return r->GetInt32(m, f) != f->default_value_int32();
    case FieldDescriptor::CPPTYPE_INT64: return r->GetInt64(m, f) != f->default_value_int64();
    case FieldDescriptor::CPPTYPE_UINT32: return r->GetUInt32(m, f) != f->default_value_uint32();
    case FieldDescriptor::CPPTYPE_UINT64: return r->GetUInt64(m, f) != f->default_value_uint64();
    case FieldDescriptor::CPPTYPE_DOUBLE: return r->GetDouble(m, f) != f->default_value_double();
    case FieldDescriptor::CPPTYPE_FLOAT: return r->GetFloat(m, f) != f->default_value_float();
    case FieldDescriptor::CPPTYPE_BOOL: return r->GetBool(m, f) != f->default_value_bool();
    case FieldDescriptor::CPPTYPE_ENUM: return r->GetEnumValue(m, f) != f->default_value_enum()->number();
    case FieldDescriptor::CPPTYPE_STRING: return r->GetString(m, f) != f->default_value_string();
    case FieldDescriptor::CPPTYPE_MESSAGE: return true;
  }
  return true;
}

void Walk(const Message& m, const std::string& prefix, std::vector<std::string>* out) {
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string path = prefix.empty() ? f->name() : prefix + "." + f->name();
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        const std::string item = path + "[" + std::to_string(i) + "]";
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          if (IsPendingSetting(item)) {
            const size_t before = out->size();
            Walk(r->GetRepeatedMessage(m, f, i), item, out);
            if (out->size() == before) out->push_back(item);  // an entry with only defaults still exists
          } else {
            Walk(r->GetRepeatedMessage(m, f, i), item, out);
          }
        } else if (IsPendingSetting(item)) {
          out->push_back(item);
        }
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Walk(r->GetMessage(m, f), path, out);
    } else if (IsPendingSetting(path) && DiffersFromDefault(m, f)) {
      out->push_back(path);
    }
  }
}

}  // namespace

const std::vector<std::string>& PendingSettingPrefixes() {
  static const std::vector<std::string> kPrefixes = {
      "incentives",                       // the incentive issue: behaviour that responds to the scheme
      "threats.injection_campaigns",      // the safety issue: threats that act
      "threats.compromised_agents",
      "threats.malicious_skills",
      "defenses.injection_detector",      // defenses that only act against those threats
      "defenses.circuit_breakers",
  };
  return kPrefixes;
}

bool IsPendingSetting(const std::string& path) {
  for (const std::string& p : PendingSettingPrefixes()) {
    if (path.compare(0, p.size(), p) == 0 && (path.size() == p.size() || path[p.size()] == '.' || path[p.size()] == '[')) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> PendingSettingsInUse(const proto::Scenario& scenario) {
  std::vector<std::string> out;
  Walk(scenario, "", &out);
  return out;
}

}  // namespace clawsim::scenario
