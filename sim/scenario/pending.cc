#include "sim/scenario/pending.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "sim/proto/scenario.pb.h"

namespace clawsim::scenario {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// "a.b[3].c" -> "a.b[*].c": element indexes and keys become [*].
std::string Generic(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      out += "[*]";
      if (close == std::string::npos) break;
      i = close;
    } else {
      out += path[i];
    }
  }
  return out;
}

bool UnderPrefix(const std::string& path, const std::string& prefix) {
  return path.compare(0, prefix.size(), prefix) == 0 &&
         (path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[');
}

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
          const size_t before = out->size();
          Walk(r->GetRepeatedMessage(m, f, i), item, out);
          // An entry with only defaults still exists.
          if (out->size() == before && IsPendingSetting(item)) out->push_back(item);
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
  // Every setting acts now; a setting added before the model acts on it is listed here.
  static const std::vector<std::string> kPrefixes = {};
  return kPrefixes;
}

bool IsPendingSetting(const std::string& path) {
  const std::string generic = Generic(path);
  for (const std::string& p : PendingSettingPrefixes()) {
    if (UnderPrefix(path, p) || UnderPrefix(generic, p)) return true;
  }
  return false;
}

std::vector<std::string> PendingSettingsInUse(const proto::Scenario& scenario) {
  std::vector<std::string> out;
  Walk(scenario, "", &out);
  for (int i = 0; i < scenario.interventions_size(); ++i) {
    const std::string& target = scenario.interventions(i).set_path();
    if (IsPendingSetting(target)) out.push_back("interventions[" + std::to_string(i) + "] (sets " + target + ")");
  }
  return out;
}

const std::vector<DocumentationOnly>& DocumentationOnlySettings() {
  static const std::vector<DocumentationOnly> kList = {
      {"*.name", "names identify things and are what references use; renaming is bookkeeping"},
      {"description", "prose for readers"},
      {"organization.domain", "the company's mail domain, shown in addresses; inside or outside is decided by sender"},
      {"model_tiers[*].provider", "where the prices come from, for readers"},
      {"model_tiers[*].model", "where the prices come from, for readers"},
      {"interventions[*].note", "why the intervention happens, shown in reports"},
      {"threats.injection_campaigns[*].sender_domain", "the attacker's domain, shown in reports; all attack mail comes from outside"},
      // Calibration bands act on the run file, not on the run: `clawsim run` writes each with
      // the run's value to the footer (tests/cli: calibration_bands checks every field arrives).
      {"calibration[*].measure", "which run measure a calibration band compares; written to the run file's footer"},
      {"calibration[*].low", "a calibration band's lower end; written to the run file's footer"},
      {"calibration[*].high", "a calibration band's upper end; written to the run file's footer"},
      {"calibration[*].unit", "a calibration band's unit; written to the run file's footer"},
      {"calibration[*].source", "a calibration band's citation; written to the run file's footer"},
  };
  return kList;
}

const std::vector<DocumentationOnly>& MeasurementOnlySettings() {
  static const std::vector<DocumentationOnly> kList = {
      // tests/model: AdoptionTest.RatiosFromDayCountOnlyTheLaterDays checks it acts.
      {"incentives.ratios_from_day", "the day the heavy-user and team ratios start counting"},
  };
  return kList;
}

bool IsMeasurementOnly(const std::string& path) {
  const std::string generic = Generic(path);
  for (const DocumentationOnly& d : MeasurementOnlySettings()) {
    if (generic == d.pattern) return true;
  }
  return false;
}

bool IsDocumentationOnly(const std::string& path) {
  const std::string generic = Generic(path);
  const size_t dot = generic.rfind('.');
  const std::string field = dot == std::string::npos ? generic : generic.substr(dot + 1);
  for (const DocumentationOnly& d : DocumentationOnlySettings()) {
    if (d.pattern.rfind("*.", 0) == 0 ? field == d.pattern.substr(2) : generic == d.pattern) return true;
  }
  return false;
}

}  // namespace clawsim::scenario
