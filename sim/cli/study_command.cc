// clawsim study: runs a study's arms x replications (sim/study/), resumably, and writes its
// database, tables, report and results file.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/cli/commands.h"
#include "sim/cli/flags.h"
#include "sim/common/json_writer.h"
#include "sim/study/measure_kinds.h"
#include "sim/study/mpi_runner.h"
#include "sim/study/study_file.h"
#include "sim/study/study_runner.h"

namespace clawsim::cli {
namespace {

// Text padded with spaces to `width` characters (UTF-8 aware).
std::string Pad(const std::string& text, size_t width) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return text + std::string(width > chars ? width - chars : 0, ' ');
}

std::string Table(const study::StudyOutcome& o, const std::string& out_dir) {
  const proto::StudyResults& r = o.results;
  const proto::StudyDecisionResult& d = r.decision();
  std::string s = "study " + r.name() + ": " + std::to_string(o.planned) + " runs planned, " +
                  std::to_string(o.skipped) + " already done, " + std::to_string(o.ran) + " run now, " +
                  std::to_string(o.failed) + " failed\n";
  // Columns sized to their longest cell, so long grid arm names keep the table aligned.
  const std::string objective = d.objective();
  std::vector<std::vector<std::string>> rows = {{"arm", "ok", "failed", objective + " [95% CI]", "verdict"}};
  for (int a = 0; a < r.arms_size(); ++a) {
    const proto::StudyArmResult& arm = r.arms(a);
    std::string value = "n/a";
    for (const proto::StudyArmMeasure& m : arm.measures()) {
      if (m.measure() != objective || !m.value().has_mean()) continue;
      value = study::FormatMeasure(objective, m.value().mean());
      if (m.value().has_ci_low()) {
        value += " [" + study::FormatMeasure(objective, m.value().ci_low()) + ", " +
                 study::FormatMeasure(objective, m.value().ci_high()) + "]";
      }
    }
    std::string verdict;
    if (d.has_best_arm() && static_cast<int>(d.best_arm()) == a) verdict = "the choice";
    if (!arm.feasible()) verdict += std::string(verdict.empty() ? "" : "; ") + "breaks a constraint";
    if (arm.dominated_by_size() > 0) {
      verdict += std::string(verdict.empty() ? "" : "; ") + "dominated by " +
                 r.arms(static_cast<int>(arm.dominated_by(0).arm_index())).name();
    }
    if (arm.has_identical_to()) {
      verdict += std::string(verdict.empty() ? "" : "; ") + "identical to " + r.arms(static_cast<int>(arm.identical_to())).name();
    }
    rows.push_back({arm.name() + (arm.baseline() ? " *" : ""), std::to_string(arm.runs_ok()), std::to_string(arm.runs_failed()),
                    value, verdict});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], Pad(row[c], 0).size());
  }
  for (const auto& row : rows) {
    std::string line = "  ";
    for (size_t c = 0; c < row.size(); ++c) {
      const bool right = c == 1 || c == 2;
      const std::string cell = right ? std::string(width[c] - row[c].size(), ' ') + row[c] : Pad(row[c], width[c]);
      line += cell + (c + 1 < row.size() ? "  " : "");
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    s += line + "\n";
  }
  if (r.has_baseline()) s += "  (* baseline)\n";
  s += "\n" + d.answer() + "\n";
  s += "\nwrote " + out_dir + "/ (report.md, arms.csv, runs.csv, study.sqlite, study.clawstudy, charts)\n";
  return s;
}

std::string Json(const study::StudyOutcome& o, const std::string& out_dir) {
  const proto::StudyResults& r = o.results;
  const proto::StudyDecisionResult& d = r.decision();
  std::string arms = "[";
  for (int a = 0; a < r.arms_size(); ++a) {
    const proto::StudyArmResult& arm = r.arms(a);
    std::string dominated = "[";
    for (const proto::StudyDominance& dom : arm.dominated_by()) {
      std::string better = "[";
      for (const std::string& m : dom.better_in()) better += (better.size() > 1 ? ",\"" : "\"") + JsonWriter::Escape(m) + "\"";
      JsonWriter dw;
      dw.String("arm", r.arms(static_cast<int>(dom.arm_index())).name()).Raw("better_in", better + "]");
      dominated += (dominated.size() > 1 ? "," : "") + dw.Finish();
    }
    dominated += "]";
    std::string key = "{";
    for (const std::string& k : d.key_measures()) {
      for (const proto::StudyArmMeasure& m : arm.measures()) {
        if (m.measure() != k) continue;
        JsonWriter kw;
        kw.Uint("n", m.value().n());
        if (m.value().has_mean()) kw.Double("mean", m.value().mean());
        if (m.value().has_ci_low()) kw.Double("ci_low", m.value().ci_low()).Double("ci_high", m.value().ci_high());
        key += (key.size() > 1 ? ",\"" : "\"") + JsonWriter::Escape(k) + "\":" + kw.Finish();
      }
    }
    key += "}";
    JsonWriter w;
    w.String("name", arm.name()).Bool("baseline", arm.baseline()).Uint("runs_ok", arm.runs_ok())
        .Uint("runs_failed", arm.runs_failed()).Bool("pareto", arm.pareto()).Bool("feasible", arm.feasible())
        .Bool("chosen", d.has_best_arm() && static_cast<int>(d.best_arm()) == a).Raw("dominated_by", dominated)
        .Raw("key_measures", key);
    if (arm.has_identical_to()) w.String("identical_to", r.arms(static_cast<int>(arm.identical_to())).name());
    arms += (arms.size() > 1 ? "," : "") + w.Finish();
  }
  arms += "]";
  JsonWriter decision;
  decision.String("objective", d.objective()).String("direction", d.direction() == proto::MAXIMIZE ? "maximize" : "minimize")
      .String("answer", d.answer());
  if (d.has_best_arm()) decision.String("choice", r.arms(static_cast<int>(d.best_arm())).name());
  if (d.has_runner_up()) decision.String("runner_up", r.arms(static_cast<int>(d.runner_up())).name());
  if (d.best_minus_runner_up().has_ci_low()) {
    decision.Double("best_minus_runner_up", d.best_minus_runner_up().mean())
        .Double("best_minus_runner_up_ci_low", d.best_minus_runner_up().ci_low())
        .Double("best_minus_runner_up_ci_high", d.best_minus_runner_up().ci_high());
  }
  JsonWriter w;
  w.String("study", r.name()).String("out", out_dir).Uint("planned", o.planned).Uint("skipped", o.skipped)
      .Uint("ran", o.ran).Uint("failed", o.failed).Bool("interrupted", o.interrupted).Int("jobs", o.jobs)
      .Int("threads_per_run", o.threads).Int("ranks", o.ranks).Double("wall_s", o.wall_s);
  if (!o.interrupted) w.Raw("decision", decision.Finish()).Raw("arms", arms);
  return w.Finish();
}

int Main(const std::vector<std::string>& args, int rank, int ranks) {
  const bool speaker = rank == 0;
  study::StudyOptions o;
  bool json = false;
  Flags flags(
      "usage: clawsim study STUDY [--jobs N] [--threads N] [--out DIR] [--force] [--json]\n"
      "Runs every arm x replication of STUDY (schema sim/proto/study.proto) not yet in DIR/study.sqlite.\n"
      "Under mpirun -np K, rank 0 hands out runs and writes; ranks 1..K-1 run them.");
  flags.AddInt("jobs", &o.jobs, "concurrent runs, at least 1 (default: one per core); results do not depend on it");
  flags.AddInt("threads", &o.threads, "engine threads per run, at least 1 (default: cores / jobs)");
  flags.AddString("out", &o.out_dir, "output folder (default results/<study>/); re-running resumes it");
  flags.AddBool("force", &o.force, "delete the runs already in --out (of this or another study) and start afresh");
  flags.AddBool("json", &json, "print one JSON object instead of the table");
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    if (speaker) std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok() && positional.size() != 1) s = Status::Error("expected exactly one STUDY file\n" + flags.Help());
  if (s.ok() && flags.Given("jobs") && (o.jobs < 1 || o.jobs > 4096)) {
    s = Status::Error("--jobs " + std::to_string(o.jobs) + ": must be from 1 to 4096 concurrent runs (leave it out for one per core)");
  }
  if (s.ok() && flags.Given("threads") && (o.threads < 1 || o.threads > 1024)) {
    s = Status::Error("--threads " + std::to_string(o.threads) + ": must be from 1 to 1024 engine threads per run (leave it out for cores / jobs)");
  }
  if (s.ok() && flags.Given("out") && o.out_dir.empty()) s = Status::Error("--out: the output folder is empty; name one");
  if (!s.ok()) {
    if (speaker) std::fprintf(stderr, "clawsim study: %s\n", s.message().c_str());
    return 2;
  }
  std::ifstream in(positional[0], std::ios::binary);
  if (!in) {
    s = Status::Error(positional[0] + ": cannot open: " + std::strerror(errno));
  } else {
    std::ostringstream text;
    text << in.rdbuf();
    o.study_text = text.str();
  }
  study::StudySpec spec;
  if (s.ok()) s = study::LoadStudyFromText(o.study_text, positional[0], &spec);
  if (!s.ok()) {
    if (speaker) std::fprintf(stderr, "%s\n", s.message().c_str());
    return 2;
  }
  for (const std::string& w : spec.warnings) {
    if (speaker) std::fprintf(stderr, "clawsim study: warning: %s\n", w.c_str());
  }
  if (speaker && !spec.pending_in_base.empty()) {
    std::fprintf(stderr,
                 "clawsim study: warning: %s sets %zu settings the model does not act on yet (first: %s); results do "
                 "not depend on them\n",
                 spec.base_path.c_str(), spec.pending_in_base.size(), spec.pending_in_base.front().c_str());
  }
  if (o.out_dir.empty()) o.out_dir = "results/" + spec.name;
  o.progress = !speaker ? study::ProgressStyle::kNone
               : isatty(STDERR_FILENO) != 0 ? study::ProgressStyle::kBar
                                            : study::ProgressStyle::kLines;
  study::StudyOutcome outcome;
  s = study::RunStudy(spec, o, rank, ranks, &outcome);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim study%s: %s\n", ranks > 1 ? (" (rank " + std::to_string(rank) + ")").c_str() : "",
                 s.message().c_str());
    return outcome.other_study ? 2 : 1;
  }
  if (!outcome.writer) return 0;
  if (outcome.interrupted) {
    std::fprintf(stderr,
                 "clawsim study: %s; %u of %u runs are committed in %s/study.sqlite. Run the same command "
                 "again to resume.\n",
                 outcome.signal == SIGTERM ? "terminated (SIGTERM)" : "interrupted", outcome.skipped + outcome.ran,
                 outcome.planned, o.out_dir.c_str());
    if (json) std::printf("%s\n", Json(outcome, o.out_dir).c_str());
    return outcome.signal == SIGTERM ? 143 : 130;
  }
  if (json) {
    std::printf("%s\n", Json(outcome, o.out_dir).c_str());
  } else {
    std::fputs(Table(outcome, o.out_dir).c_str(), stdout);
  }
  return outcome.failed > 0 ? 1 : 0;
}

}  // namespace

int StudyCommand(const std::vector<std::string>& args) {
  if (!study::MpiLaunched()) return Main(args, 0, 1);
  int rank = 0, ranks = 1;
  if (Status s = study::MpiInit(&rank, &ranks); !s.ok()) {
    std::fprintf(stderr, "clawsim study: %s\n", s.message().c_str());
    return 2;
  }
  const int rc = Main(args, rank, ranks);
  // A rank that stops early would leave the others waiting for it: end them all.
  if (rc != 0 && rc != 130 && rc != 143) study::MpiAbort(rc);
  study::MpiFinalize();
  return rc;
}

}  // namespace clawsim::cli
