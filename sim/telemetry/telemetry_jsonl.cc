#include "sim/telemetry/telemetry_jsonl.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/common/json_writer.h"

namespace clawsim::telemetry {
namespace {

constexpr const char* kRecord = "record";

std::string Version() { return std::to_string(kTelemetryMajor) + "." + std::to_string(kTelemetryMinor); }

void Line(std::string* out, const JsonWriter& w) {
  *out += w.Finish();
  *out += '\n';
}

}  // namespace

std::string WriteJsonl(const Telemetry& t) {
  std::string out;
  Line(&out, JsonWriter()
                 .String(kRecord, "header")
                 .String("format", kTelemetryFormat)
                 .String("version", Version())
                 .String("clawsim.scenario", t.header.scenario)
                 .Uint("clawsim.seed", t.header.seed)
                 .Uint("clawsim.days", t.header.days)
                 .String("clawsim.run_fingerprint", t.header.run_fingerprint));
  for (size_t e = 0; e < t.people.size(); ++e) {
    const Person& p = t.people[e];
    Line(&out, JsonWriter()
                   .String(kRecord, "person")
                   .Uint("user.id", e)
                   .String("user.name", p.name)
                   .String("clawsim.team", p.team)
                   .String("clawsim.role", p.role)
                   .Uint("clawsim.changes_merged", p.changes_merged)
                   .Uint("clawsim.items_completed", p.items_completed));
  }
  for (size_t a = 0; a < t.agents.size(); ++a) {
    Line(&out, JsonWriter()
                   .String(kRecord, "agent")
                   .Uint("gen_ai.agent.id", a)
                   .String("gen_ai.agent.name", t.agents[a].name)
                   .Uint("user.id", t.agents[a].owner));
  }
  for (const Invocation& i : t.invocations) {
    JsonWriter w;
    w.String(kRecord, "invocation")
        .Uint("clawsim.invocation_id", i.id)
        .Int("clawsim.time_us", i.start_us)
        .Int("clawsim.duration_us", i.duration_us)
        .String("gen_ai.operation.name", "invoke_agent")
        .Uint("gen_ai.agent.id", i.agent)
        .Uint("user.id", i.employee)
        .String("clawsim.skill", t.skills[i.skill])
        .String("clawsim.trigger", t.triggers[i.trigger]);
    if (i.tier != kNone) w.String("gen_ai.request.model", t.tiers[i.tier]);
    w.Uint("gen_ai.usage.input_tokens", i.input_tokens)
        .Uint("gen_ai.usage.output_tokens", i.output_tokens)
        .Double("clawsim.cost_usd", i.cost_usd)
        .Bool("clawsim.worked_on_item", i.worked_on_item)
        .Uint("clawsim.actions", i.actions)
        .Uint("clawsim.actions_refused", i.actions_refused);
    Line(&out, w);
  }
  for (const Action& a : t.tool_calls) {
    JsonWriter w;
    w.String(kRecord, "tool_call")
        .Int("clawsim.time_us", a.time_us)
        .String("gen_ai.operation.name", "execute_tool")
        .String("gen_ai.tool.name", t.actions[a.action])
        .Uint("gen_ai.agent.id", a.agent)
        .Uint("user.id", a.employee)
        .String("clawsim.target", t.targets[a.target])
        .String("clawsim.decision", t.decisions[a.decision]);
    if (a.invocation != UINT64_MAX) w.Uint("clawsim.invocation_id", a.invocation);
    Line(&out, w);
  }
  for (const EmployeeDay& d : t.employee_days) {
    Line(&out, JsonWriter()
                   .String(kRecord, "employee_day")
                   .Uint("user.id", d.employee)
                   .Uint("clawsim.day", d.day)
                   .Uint("clawsim.tokens", d.tokens)
                   .Uint("clawsim.invocations", d.invocations)
                   .Uint("clawsim.items_touched", d.items_touched)
                   .Uint("clawsim.changes_coded", d.changes_coded));
  }
  return out;
}

// ---- Reading ----------------------------------------------------------------------------

namespace {

struct Value {
  enum Kind { kString, kNumber, kBool, kNull } kind = kNull;
  std::string text;  // a string's contents, a number's characters
  bool flag = false;
  int column = 0;    // 1-based column of the value
  int key_column = 0;
};

// One line's flat object: key -> value, or a message with the column of the problem.
class LineParser {
 public:
  explicit LineParser(const std::string& line) : s_(line) {}

  bool Parse(std::map<std::string, Value>* out, std::string* error, int* column) {
    Ws();
    if (!Eat('{')) return Fail("expected '{' (each line is one JSON object)", error, column);
    Ws();
    if (Eat('}')) return End(error, column);
    while (true) {
      Ws();
      const int key_col = Col();
      std::string key;
      if (!String(&key)) return Fail("expected a key in double quotes", error, column);
      Ws();
      if (!Eat(':')) return Fail("expected ':' after the key", error, column);
      Ws();
      Value v;
      v.column = Col();
      v.key_column = key_col;
      if (Peek() == '"') {
        v.kind = Value::kString;
        if (!String(&v.text)) return Fail("unterminated or malformed string", error, column);
      } else if (Peek() == '{' || Peek() == '[') {
        return Fail("nested objects and arrays are not part of the format", error, column);
      } else if (Word("true")) {
        v.kind = Value::kBool, v.flag = true;
      } else if (Word("false")) {
        v.kind = Value::kBool, v.flag = false;
      } else if (Word("null")) {
        v.kind = Value::kNull;
      } else {
        v.kind = Value::kNumber;
        const size_t start = i_;
        while (i_ < s_.size() && std::strchr("+-0123456789.eE", s_[i_]) != nullptr) ++i_;
        if (i_ == start) return Fail("expected a value", error, column);
        v.text = s_.substr(start, i_ - start);
      }
      if (out->count(key) > 0) {
        i_ = static_cast<size_t>(key_col - 1);
        return Fail("key \"" + key + "\" appears twice", error, column);
      }
      out->emplace(key, v);
      Ws();
      if (Eat(',')) continue;
      if (Eat('}')) return End(error, column);
      return Fail("expected ',' or '}'", error, column);
    }
  }

 private:
  int Col() const { return static_cast<int>(i_) + 1; }
  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++i_;
    return true;
  }
  void Ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
  }
  bool Word(const char* w) {
    const size_t n = std::strlen(w);
    if (s_.compare(i_, n, w) != 0) return false;
    i_ += n;
    return true;
  }
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"': case '\\': case '/': *out += e; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'n': *out += '\n'; break;
        case 'r': *out += '\r'; break;
        case 't': *out += '\t'; break;
        case 'u': {
          if (i_ + 4 > s_.size()) return false;
          const unsigned long cp = std::strtoul(s_.substr(i_, 4).c_str(), nullptr, 16);
          i_ += 4;
          if (cp < 0x80) {
            *out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            *out += static_cast<char>(0xC0 | (cp >> 6));
            *out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            *out += static_cast<char>(0xE0 | (cp >> 12));
            *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            *out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  bool End(std::string* error, int* column) {
    Ws();
    if (i_ != s_.size()) return Fail("unexpected text after the object", error, column);
    return true;
  }
  bool Fail(const std::string& message, std::string* error, int* column) {
    *error = message;
    *column = Col();
    return false;
  }

  const std::string& s_;
  size_t i_ = 0;
};

// Typed access to one line's fields, with located errors.
class Fields {
 public:
  Fields(const std::map<std::string, Value>& m, const std::string& where_line, int line_end_column)
      : m_(m), where_(where_line), end_col_(line_end_column) {}

  bool Uint(const char* key, uint64_t* out, std::string* error) const {
    const Value* v = Need(key, Value::kNumber, "a whole number", error);
    if (v == nullptr) return false;
    errno = 0;
    char* end = nullptr;
    const unsigned long long x = std::strtoull(v->text.c_str(), &end, 10);
    if (v->text[0] == '-' || *end != '\0' || errno != 0) return Bad(*v, key, "a whole number >= 0", error);
    *out = x;
    return true;
  }
  bool Int(const char* key, int64_t* out, std::string* error) const {
    const Value* v = Need(key, Value::kNumber, "a whole number", error);
    if (v == nullptr) return false;
    errno = 0;
    char* end = nullptr;
    const long long x = std::strtoll(v->text.c_str(), &end, 10);
    if (*end != '\0' || errno != 0) return Bad(*v, key, "a whole number", error);
    *out = x;
    return true;
  }
  bool Index(const char* key, size_t limit, const char* noun, uint32_t* out, std::string* error) const {
    uint64_t x = 0;
    if (!Uint(key, &x, error)) return false;
    if (x >= limit) {
      *error = At(m_.at(key).column) + "\"" + key + "\" is " + std::to_string(x) + ", but the file declares " +
               std::to_string(limit) + " " + noun + " (ids 0.." + (limit == 0 ? "none" : std::to_string(limit - 1)) + ")";
      return false;
    }
    *out = static_cast<uint32_t>(x);
    return true;
  }
  bool Double(const char* key, double* out, std::string* error) const {
    const Value* v = Need(key, Value::kNumber, "a number", error);
    if (v == nullptr) return false;
    char* end = nullptr;
    const double x = std::strtod(v->text.c_str(), &end);
    if (*end != '\0' || !std::isfinite(x)) return Bad(*v, key, "a finite number", error);
    *out = x;
    return true;
  }
  bool String(const char* key, std::string* out, std::string* error) const {
    const Value* v = Need(key, Value::kString, "a string", error);
    if (v == nullptr) return false;
    *out = v->text;
    return true;
  }
  bool Bool(const char* key, bool* out, std::string* error) const {
    const Value* v = Need(key, Value::kBool, "true or false", error);
    if (v == nullptr) return false;
    *out = v->flag;
    return true;
  }
  bool Has(const char* key) const { return m_.count(key) > 0; }
  std::string At(int column) const { return where_ + std::to_string(column) + ": "; }
  int Column(const char* key) const { return m_.count(key) > 0 ? m_.at(key).column : 1; }

 private:
  const Value* Need(const char* key, Value::Kind kind, const char* what, std::string* error) const {
    auto it = m_.find(key);
    if (it == m_.end()) {
      *error = At(end_col_) + "this record has no \"" + key + "\" (" + what + "); see TELEMETRY.md";
      return nullptr;
    }
    if (it->second.kind != kind) {
      Bad(it->second, key, what, error);
      return nullptr;
    }
    return &it->second;
  }
  bool Bad(const Value& v, const char* key, const char* what, std::string* error) const {
    *error = At(v.column) + "\"" + key + "\" must be " + what;
    return false;
  }
  const std::map<std::string, Value>& m_;
  std::string where_;
  int end_col_;
};

uint32_t Intern(std::vector<std::string>* table, std::map<std::string, uint32_t>* index, const std::string& name) {
  auto [it, added] = index->emplace(name, static_cast<uint32_t>(table->size()));
  if (added) table->push_back(name);
  return it->second;
}

}  // namespace

Status ReadJsonl(const std::string& text, const std::string& path, Telemetry* out) {
  *out = Telemetry();
  std::map<std::string, uint32_t> skills, triggers, tiers, actions, targets, decisions;
  size_t pos = 0;
  int line_no = 0;
  bool have_header = false;
  std::string error;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    const std::string where = path + ":" + std::to_string(line_no) + ":";
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are allowed
    std::map<std::string, Value> m;
    int column = 0;
    if (!LineParser(line).Parse(&m, &error, &column)) {
      return Status::Error(where + std::to_string(column) + ": " + error);
    }
    const Fields f(m, where, static_cast<int>(line.size()) + 1);
    std::string record;
    if (!f.String(kRecord, &record, &error)) return Status::Error(error);
    if (!have_header && record != "header") {
      return Status::Error(f.At(f.Column(kRecord)) + "the first record must be the header, not \"" + record + "\"");
    }
    if (record == "header") {
      if (have_header) return Status::Error(f.At(f.Column(kRecord)) + "a second header");
      have_header = true;
      std::string format, version;
      if (!f.String("format", &format, &error) || !f.String("version", &version, &error)) return Status::Error(error);
      if (format != kTelemetryFormat) {
        return Status::Error(f.At(f.Column("format")) + "not a clawsim telemetry file (format \"" + format + "\")");
      }
      if (version.substr(0, version.find('.')) != std::to_string(kTelemetryMajor)) {
        return Status::Error(f.At(f.Column("version")) + "telemetry format version " + version + "; this clawsim reads " +
                             std::to_string(kTelemetryMajor) + ".x");
      }
      uint64_t days = 0;
      if (!f.String("clawsim.scenario", &out->header.scenario, &error) ||
          !f.Uint("clawsim.seed", &out->header.seed, &error) || !f.Uint("clawsim.days", &days, &error) ||
          !f.String("clawsim.run_fingerprint", &out->header.run_fingerprint, &error)) {
        return Status::Error(error);
      }
      out->header.fingerprint_where = f.At(f.Column("clawsim.run_fingerprint"));
      if (days == 0 || days > 100000) return Status::Error(f.At(f.Column("clawsim.days")) + "\"clawsim.days\" must be in [1, 100000]");
      out->header.days = static_cast<uint32_t>(days);
    } else if (record == "person") {
      uint64_t id = 0;
      Person p;
      if (!f.Uint("user.id", &id, &error) || !f.String("user.name", &p.name, &error) ||
          !f.String("clawsim.team", &p.team, &error) || !f.String("clawsim.role", &p.role, &error) ||
          !f.Uint("clawsim.changes_merged", &p.changes_merged, &error) ||
          !f.Uint("clawsim.items_completed", &p.items_completed, &error)) {
        return Status::Error(error);
      }
      if (id != out->people.size()) {
        return Status::Error(f.At(f.Column("user.id")) + "person ids must be 0, 1, 2, ... in order; expected " +
                             std::to_string(out->people.size()));
      }
      out->people.push_back(p);
    } else if (record == "agent") {
      uint64_t id = 0;
      Agent a;
      if (!f.Uint("gen_ai.agent.id", &id, &error) || !f.String("gen_ai.agent.name", &a.name, &error) ||
          !f.Index("user.id", out->people.size(), "people", &a.owner, &error)) {
        return Status::Error(error);
      }
      if (id != out->agents.size()) {
        return Status::Error(f.At(f.Column("gen_ai.agent.id")) + "agent ids must be 0, 1, 2, ... in order; expected " +
                             std::to_string(out->agents.size()));
      }
      out->agents.push_back(a);
    } else if (record == "invocation") {
      Invocation i;
      uint64_t actions = 0, refused = 0;
      std::string skill, trigger, tier, op;
      if (!f.Uint("clawsim.invocation_id", &i.id, &error) || !f.Int("clawsim.time_us", &i.start_us, &error) ||
          !f.Int("clawsim.duration_us", &i.duration_us, &error) || !f.String("gen_ai.operation.name", &op, &error) ||
          !f.Index("gen_ai.agent.id", out->agents.size(), "agents", &i.agent, &error) ||
          !f.Index("user.id", out->people.size(), "people", &i.employee, &error) ||
          !f.String("clawsim.skill", &skill, &error) || !f.String("clawsim.trigger", &trigger, &error) ||
          !f.Uint("gen_ai.usage.input_tokens", &i.input_tokens, &error) ||
          !f.Uint("gen_ai.usage.output_tokens", &i.output_tokens, &error) ||
          !f.Double("clawsim.cost_usd", &i.cost_usd, &error) ||
          !f.Bool("clawsim.worked_on_item", &i.worked_on_item, &error) || !f.Uint("clawsim.actions", &actions, &error) ||
          !f.Uint("clawsim.actions_refused", &refused, &error)) {
        return Status::Error(error);
      }
      if (f.Has("gen_ai.request.model")) {
        if (!f.String("gen_ai.request.model", &tier, &error)) return Status::Error(error);
        i.tier = Intern(&out->tiers, &tiers, tier);
      }
      if (i.duration_us < 0) return Status::Error(f.At(f.Column("clawsim.duration_us")) + "a duration cannot be negative");
      if (i.start_us < 0 || i.start_us / kUsPerDay >= out->header.days) {
        return Status::Error(f.At(f.Column("clawsim.time_us")) + "time " + std::to_string(i.start_us) +
                             " us is outside the run's " + std::to_string(out->header.days) + " days");
      }
      i.skill = Intern(&out->skills, &skills, skill);
      i.trigger = Intern(&out->triggers, &triggers, trigger);
      i.actions = static_cast<uint32_t>(actions);
      i.actions_refused = static_cast<uint32_t>(refused);
      out->invocations.push_back(i);
    } else if (record == "tool_call") {
      Action a;
      std::string action, target, decision, op;
      if (!f.Int("clawsim.time_us", &a.time_us, &error) || !f.String("gen_ai.operation.name", &op, &error) ||
          !f.String("gen_ai.tool.name", &action, &error) ||
          !f.Index("gen_ai.agent.id", out->agents.size(), "agents", &a.agent, &error) ||
          !f.Index("user.id", out->people.size(), "people", &a.employee, &error) ||
          !f.String("clawsim.target", &target, &error) || !f.String("clawsim.decision", &decision, &error)) {
        return Status::Error(error);
      }
      if (f.Has("clawsim.invocation_id") && !f.Uint("clawsim.invocation_id", &a.invocation, &error)) {
        return Status::Error(error);
      }
      if (a.time_us < 0 || a.time_us / kUsPerDay >= out->header.days) {
        return Status::Error(f.At(f.Column("clawsim.time_us")) + "time " + std::to_string(a.time_us) +
                             " us is outside the run's " + std::to_string(out->header.days) + " days");
      }
      a.action = Intern(&out->actions, &actions, action);
      a.target = Intern(&out->targets, &targets, target);
      a.decision = Intern(&out->decisions, &decisions, decision);
      out->tool_calls.push_back(a);
    } else if (record == "employee_day") {
      EmployeeDay d;
      uint64_t day = 0;
      if (!f.Index("user.id", out->people.size(), "people", &d.employee, &error) ||
          !f.Uint("clawsim.day", &day, &error) || !f.Uint("clawsim.tokens", &d.tokens, &error) ||
          !f.Uint("clawsim.invocations", &d.invocations, &error) ||
          !f.Uint("clawsim.items_touched", &d.items_touched, &error) ||
          !f.Uint("clawsim.changes_coded", &d.changes_coded, &error)) {
        return Status::Error(error);
      }
      if (day >= out->header.days) {
        return Status::Error(f.At(f.Column("clawsim.day")) + "day " + std::to_string(day) + " is outside the run's " +
                             std::to_string(out->header.days) + " days");
      }
      d.day = static_cast<uint32_t>(day);
      out->employee_days.push_back(d);
    } else {
      return Status::Error(f.At(f.Column(kRecord)) + "unknown record \"" + record +
                           "\"; expected header, person, agent, invocation, tool_call or employee_day");
    }
  }
  if (!have_header) return Status::Error(path + ": empty: a telemetry file begins with its header record");
  return Status::Ok();
}

Status ReadTextFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::Error(path + ": cannot read: " + std::strerror(errno));
  *text = buffer.str();
  return Status::Ok();
}

Status ReadJsonlFile(const std::string& path, Telemetry* out) {
  std::string text;
  const Status s = ReadTextFile(path, &text);
  return s.ok() ? ReadJsonl(text, path, out) : s;
}

}  // namespace clawsim::telemetry
