#include "sim/scenario/load.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include "sim/scenario/compile.h"
#include "sim/scenario/end_marker.h"
#include "sim/scenario/field_path.h"
#include "sim/scenario/located_errors.h"
#include "sim/scenario/source_map.h"
#include "sim/scenario/validate.h"

namespace clawsim::scenario {

Status LoadScenarioFromText(const std::string& text, const std::string& path,
                            const std::vector<std::string>& overrides, LoadedScenario* out) {
  out->path = path;
  out->scenario.Clear();
  out->warnings.clear();

  // 1. Parse, recording where every field was written.
  google::protobuf::TextFormat::ParseInfoTree tree;
  LocatedErrors errors(path);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &out->scenario)) {
    std::string message;
    for (const std::string& m : errors.messages()) message += (message.empty() ? "" : "\n") + m;
    if (message.empty()) message = path + ": cannot parse the scenario";
    return Status::Error(std::move(message));
  }
  // A file cut short between two fields parses: its end marker, or its last line, tells.
  if (Status s = CheckScenarioEnd(text, path, &out->warnings); !s.ok()) return s;

  // 2. Overrides, in order. Where each one landed is remembered, so that a range error
  //    caused by "--set run.days=0" names the override rather than the file.
  SourceMap sources;
  Problems problems(sources);
  struct Landed {
    FieldTarget target;
    std::string origin;
  };
  std::vector<Landed> landed;
  for (const std::string& o : overrides) {
    const std::string origin = "--set " + o;
    std::string_view field_path, value;
    if (!SplitAssignment(o, &field_path, &value)) {
      problems.AddRaw(origin + ": expected PATH=VALUE, e.g. --set run.days=60");
      continue;
    }
    FieldTarget target;
    if (Status s = SetFieldByPath(&out->scenario, field_path, value, &target); !s.ok()) {
      problems.AddRaw(origin + ": " + s.message());
      continue;
    }
    landed.push_back({target, origin});
  }
  if (!problems.empty()) return problems.ToStatus();

  // 3. Validate (all problems, located), then compile.
  sources.Index(out->scenario, &tree, path);
  for (const Landed& l : landed) sources.MarkOverridden(l.target.message, l.target.field, l.origin);
  ValidateScenario(out->scenario, &problems);
  if (!problems.empty()) return problems.ToStatus();
  CompileValidatedScenario(out->scenario, &problems, &out->compiled);
  return problems.ToStatus();
}

Status ReadScenarioText(const std::string& path, std::string* text) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::Error(path + ": is a directory; give a scenario file, e.g. scenarios/small.textproto");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  // Read at most one byte past the limit, so an endless device (/dev/zero) stops too.
  text->assign(kMaxScenarioBytes + 1, '\0');
  in.read(text->data(), static_cast<std::streamsize>(text->size()));
  if (in.bad()) return Status::Error(path + ": cannot read: " + std::strerror(errno));
  text->resize(static_cast<size_t>(in.gcount()));
  if (text->size() > kMaxScenarioBytes) {
    return Status::Error(path + ": is larger than " + std::to_string(kMaxScenarioBytes >> 20) +
                         " MiB; a scenario is a text file of a few hundred lines");
  }
  if (const size_t nul = text->find('\0'); nul != std::string::npos) {
    return Status::Error(path + ": byte " + std::to_string(nul) + " is a NUL byte: this is not a text file; give a "
                         "scenario (.textproto)");
  }
  return Status::Ok();
}

Status LoadScenario(const std::string& path, const std::vector<std::string>& overrides, LoadedScenario* out) {
  std::string text;
  if (Status s = ReadScenarioText(path, &text); !s.ok()) return s;
  return LoadScenarioFromText(text, path, overrides, out);
}

}  // namespace clawsim::scenario
