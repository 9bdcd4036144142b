// clawsim validate: runs the validation suite's studies (sim/validation/) and prints, for each
// published result, the published figure, the simulated one with its 95 % interval and
// whether it lies inside. Writes DIR/validation.md and DIR/validation.csv; each study's own
// outputs go to DIR/STUDY/ (the study file's name; resumable, as `clawsim study`), run once
// for every row that names it.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/cli/flags.h"
#include "sim/common/json_writer.h"
#include "sim/run/atomic_file.h"
#include "sim/run/number_format.h"
#include "sim/study/study_file.h"
#include "sim/study/study_runner.h"
#include "sim/validation/validation.h"

namespace clawsim::cli {
namespace {

constexpr const char* kDefaultSuite = "scenarios/validation/validations.textproto";

// The settings a calibration row was chosen to meet, "; "-separated ("" for an independent row).
std::string Calibrates(const proto::Validation& v) {
  std::string s;
  for (const std::string& c : v.calibrates()) s += (s.empty() ? "" : "; ") + c;
  return s;
}

std::string Csv(const validation::Suite& suite, const std::vector<validation::Figure>& figures) {
  std::string s =
      "validation,measure,statistic,published,published_low,published_high,n,mean,ci_low,ci_high,inside,sign_ok,"
      "calibrates\n";
  for (size_t i = 0; i < figures.size(); ++i) {
    const proto::Validation& v = suite.validations[i].spec;
    const validation::Figure& f = figures[i];
    char numbers[384];
    std::snprintf(numbers, sizeof numbers, "%s,%.17g,%.17g,%.17g,%u,%.17g,%.17g,%.17g,%d,%d,",
                  proto::ValidationStatistic_Name(v.statistic()).c_str(), v.published(), v.published_low(),
                  v.published_high(), f.n, f.mean, f.ci_low, f.ci_high, f.inside ? 1 : 0, f.sign_ok ? 1 : 0);
    s += v.name() + "," + run::CsvField(validation::MeasureLabel(v)) + "," + numbers + run::CsvField(Calibrates(v)) + "\n";
  }
  return s;
}

std::string Json(const validation::Suite& suite, const std::vector<validation::Figure>& figures, const std::string& out) {
  std::string rows = "[";
  for (size_t i = 0; i < figures.size(); ++i) {
    const proto::Validation& v = suite.validations[i].spec;
    const validation::Figure& f = figures[i];
    JsonWriter w;
    w.String("name", v.name()).String("source", v.source()).String("measure", validation::MeasureLabel(v))
        .Double("published", v.published()).Double("published_low", v.published_low())
        .Double("published_high", v.published_high()).Uint("n", f.n).Double("mean", f.mean)
        .Double("ci_low", f.ci_low).Double("ci_high", f.ci_high).Bool("inside", f.inside).Bool("sign_ok", f.sign_ok)
        .String("calibrates", Calibrates(v)).String("error", f.error);
    rows += (rows.size() > 1 ? "," : "") + w.Finish();
  }
  rows += "]";
  JsonWriter w;
  const validation::Tally t = validation::Count(suite, figures);
  w.String("suite", suite.path).String("out", out).Raw("validations", rows)
      .Uint("independent_rows", t.independent).Uint("independent_inside", t.independent_inside)
      .Uint("calibration_rows", t.calibration).Uint("calibration_inside", t.calibration_inside);
  return w.Finish();
}

}  // namespace

int ValidateCommand(const std::vector<std::string>& args) {
  std::string out_dir;
  bool quick = false, json = false;
  int jobs = 0, threads = 0;
  Flags flags(
      "usage: clawsim validate [SUITE] [--quick] [--out DIR] [--jobs N] [--threads N] [--json]\n"
      "Runs each validation's study (schema sim/proto/validation.proto; default suite " +
      std::string(kDefaultSuite) +
      ") and compares the simulated figure with the published one.\n"
      "--quick runs each study shortened (its quick_days, quick_replications) and checks the figure's sign; it exits 1\n"
      "when a sign is wrong. A figure outside its published interval is reported, not an error: the model may disagree.");
  flags.AddBool("quick", &quick, "short runs that check directions (what CI runs)");
  flags.AddString("out", &out_dir, "output folder (default results/validation, or results/validation-quick)");
  flags.AddInt("jobs", &jobs, "concurrent runs per study (default: one per core); results do not depend on it");
  flags.AddInt("threads", &threads, "engine threads per run (default: cores / jobs)");
  flags.AddBool("json", &json, "print one JSON object instead of the table");
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok() && positional.size() > 1) s = Status::Error("expected at most one SUITE file\n" + flags.Help());
  if (s.ok() && (jobs < 0 || threads < 0 || jobs > 1024 || threads > 1024)) {
    s = Status::Error("--jobs and --threads must be in [1, 1024] (0 or absent: automatic)");
  }
  if (s.ok() && flags.Given("out") && out_dir.empty()) s = Status::Error("--out needs a folder name");
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim validate: %s\n", s.message().c_str());
    return 2;
  }
  validation::Suite suite;
  if (s = validation::LoadSuite(positional.empty() ? kDefaultSuite : positional[0], &suite); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 2;
  }
  if (out_dir.empty()) out_dir = quick ? "results/validation-quick" : "results/validation";
  std::vector<validation::Figure> figures;
  std::map<std::string, proto::StudyResults> done;  // by study file: rows that share a study run it once
  for (const validation::LoadedValidation& v : suite.validations) {
    if (auto it = done.find(v.study_path); it != done.end()) {
      figures.push_back(validation::Evaluate(v.spec, it->second));
      continue;
    }
    study::StudyOptions o;
    o.study_text = quick ? validation::QuickStudyText(v) : v.study_text;
    o.out_dir = out_dir + "/" + std::filesystem::path(v.study_path).stem().string();
    o.jobs = jobs;
    o.threads = threads;
    o.progress = json ? study::ProgressStyle::kNone
                      : (isatty(STDERR_FILENO) != 0 ? study::ProgressStyle::kBar : study::ProgressStyle::kLines);
    study::StudySpec spec;
    if (s = study::LoadStudyFromText(o.study_text, v.study_path, &spec); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      return 2;
    }
    if (!json) std::fprintf(stderr, "study %s: %zu arms x %u replications (into %s)\n", v.study_path.c_str(),
                            spec.arms.size(), spec.replications, o.out_dir.c_str());
    study::StudyOutcome outcome;
    if (s = study::RunStudy(spec, o, 0, 1, &outcome); !s.ok()) {
      std::fprintf(stderr, "clawsim validate: %s: %s\n", v.spec.name().c_str(), s.message().c_str());
      return 1;
    }
    if (outcome.interrupted) {
      std::fprintf(stderr, "clawsim validate: interrupted during %s; run the same command again to resume.\n",
                   v.spec.name().c_str());
      return 130;
    }
    figures.push_back(validation::Evaluate(v.spec, outcome.results));
    done.emplace(v.study_path, std::move(outcome.results));
  }
  const std::string table = validation::MarkdownTable(suite, figures, quick);
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (s = run::WriteFileAtomically(out_dir + "/validation.md", table); s.ok()) {
    s = run::WriteFileAtomically(out_dir + "/validation.csv", Csv(suite, figures));
  }
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim validate: %s\n", s.message().c_str());
    return 1;
  }
  if (json) {
    std::printf("%s\n", Json(suite, figures, out_dir).c_str());
  } else {
    std::fputs(table.c_str(), stdout);
    std::printf("\nwrote %s/validation.md and validation.csv\n", out_dir.c_str());
  }
  bool ok = true;
  for (const validation::Figure& f : figures) ok = ok && f.n > 0 && (!quick || f.sign_ok);
  return ok ? 0 : 1;
}

}  // namespace clawsim::cli
