#include "sim/cli/flags.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace clawsim::cli {

Status ParseUint64(const std::string& text, uint64_t* out) {
  if (text.empty() || text[0] == '-' || text[0] == '+' || text[0] == ' ') {
    return Status::Error("expected a non-negative whole number, got '" + text + "'");
  }
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || end == text.c_str() || *end != '\0') {
    return Status::Error("expected a non-negative whole number, got '" + text + "'");
  }
  *out = v;
  return Status::Ok();
}

Status ParseDouble(const std::string& text, double* out) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || errno != 0 || end == text.c_str() || *end != '\0' || !std::isfinite(v)) {
    return Status::Error("expected a number, got '" + text + "'");
  }
  *out = v;
  return Status::Ok();
}

void Flags::Add(const std::string& name, const std::string& help, bool takes_value,
                std::function<Status(const std::string&)> set) {
  flags_.push_back(Flag{name, help, takes_value, std::move(set), false});
}

void Flags::AddUint64(const std::string& name, uint64_t* dst, const std::string& help) {
  Add(name, help, true, [dst](const std::string& v) { return ParseUint64(v, dst); });
}

void Flags::AddUint32(const std::string& name, uint32_t* dst, const std::string& help) {
  Add(name, help, true, [dst](const std::string& v) {
    uint64_t x = 0;
    Status s = ParseUint64(v, &x);
    if (!s.ok()) return s;
    if (x > std::numeric_limits<uint32_t>::max()) return Status::Error("'" + v + "' is too large");
    *dst = static_cast<uint32_t>(x);
    return Status::Ok();
  });
}

void Flags::AddInt(const std::string& name, int* dst, const std::string& help) {
  Add(name, help, true, [dst](const std::string& v) {
    uint64_t x = 0;
    Status s = ParseUint64(v, &x);
    if (!s.ok()) return s;
    if (x > static_cast<uint64_t>(std::numeric_limits<int>::max())) return Status::Error("'" + v + "' is too large");
    *dst = static_cast<int>(x);
    return Status::Ok();
  });
}

void Flags::AddDouble(const std::string& name, double* dst, const std::string& help) {
  Add(name, help, true, [dst](const std::string& v) { return ParseDouble(v, dst); });
}

void Flags::AddString(const std::string& name, std::string* dst, const std::string& help) {
  Add(name, help, true, [dst](const std::string& v) {
    *dst = v;
    return Status::Ok();
  });
}

void Flags::AddBool(const std::string& name, bool* dst, const std::string& help) {
  Add(name, help, false, [dst](const std::string&) {
    *dst = true;
    return Status::Ok();
  });
}

void Flags::AddRepeated(const std::string& name, std::vector<std::string>* dst, const std::string& help) {
  Add(name, help, true, [dst](const std::string& v) {
    dst->push_back(v);
    return Status::Ok();
  });
}

Status Flags::Parse(const std::vector<std::string>& args, std::vector<std::string>* positional) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      positional->push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_inline_value = false;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline_value = true;
    }
    Flag* flag = nullptr;
    for (Flag& f : flags_) {
      if (f.name == name) flag = &f;
    }
    if (flag == nullptr) return Status::Error("unknown flag --" + name + "\n" + usage_);
    if (flag->takes_value && !has_inline_value) {
      if (i + 1 >= args.size()) return Status::Error("flag --" + name + " needs a value");
      value = args[++i];
    } else if (!flag->takes_value && has_inline_value) {
      return Status::Error("flag --" + name + " takes no value");
    }
    Status s = flag->set(value);
    if (!s.ok()) return Status::Error("flag --" + name + ": " + s.message());
    flag->given = true;
  }
  return Status::Ok();
}

bool Flags::Given(const std::string& name) const {
  for (const Flag& f : flags_) {
    if (f.name == name) return f.given;
  }
  return false;
}

std::string Flags::Help() const {
  std::string out = usage_ + "\n\nflags:\n";
  for (const Flag& f : flags_) {
    std::string left = "  --" + f.name + (f.takes_value ? " VALUE" : "");
    if (left.size() < 26) left.resize(26, ' ');
    out += left + " " + f.help + "\n";
  }
  return out;
}

}  // namespace clawsim::cli
