// JsonWriter: builds one JSON object with a flat or nested set of keys, in insertion order.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace clawsim {

class JsonWriter {
 public:
  JsonWriter() : out_("{") {}

  JsonWriter& Key(const std::string& key) {
    if (need_comma_) out_ += ",";
    out_ += '"';
    out_ += Escape(key);
    out_ += "\":";
    need_comma_ = true;
    return *this;
  }
  JsonWriter& Int(const std::string& key, int64_t v) { Key(key); out_ += std::to_string(v); return *this; }
  JsonWriter& Uint(const std::string& key, uint64_t v) { Key(key); out_ += std::to_string(v); return *this; }
  JsonWriter& Double(const std::string& key, double v) { Key(key); out_ += FormatDouble(v); return *this; }
  JsonWriter& Bool(const std::string& key, bool v) { Key(key); out_ += v ? "true" : "false"; return *this; }
  JsonWriter& String(const std::string& key, const std::string& v) {
    Key(key);
    out_ += '"';
    out_ += Escape(v);
    out_ += '"';
    return *this;
  }
  // Inserts an already-serialised JSON value (object or array).
  JsonWriter& Raw(const std::string& key, const std::string& json) { Key(key); out_ += json; return *this; }

  std::string Finish() const { return out_ + "}"; }

  static std::string FormatDouble(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
  }
  static std::string Escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out += c;
          }
      }
    }
    return out;
  }

 private:
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace clawsim
