// clawsim study: runs a study's arms x replications (sim/study/), resumably, and writes its
// database, tables, report and results file.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/cli/commands.h"
#include "sim/cli/flags.h"
#include "sim/common/json_writer.h"
#include "sim/study/mpi_runner.h"
#include "sim/study/study_file.h"
#include "sim/study/study_runner.h"

namespace clawsim::cli {
namespace {

std::string Table(const study::StudyOutcome& o, const std::string& out_dir) {
  std::string s;
  char line[256];
  std::snprintf(line, sizeof line, "study %s: %u runs planned, %u already done, %u run now, %u failed\n",
                o.results.name().c_str(), o.planned, o.skipped, o.ran, o.failed);
  s += line;
  const proto::StudyResults& r = o.results;
  std::snprintf(line, sizeof line, "  %-28s %6s %6s  %s\n", "arm", "ok", "failed", "Pareto");
  s += line;
  for (const proto::StudyArmResult& a : r.arms()) {
    std::snprintf(line, sizeof line, "  %-28s %6u %6u  %s\n", (a.name() + (a.baseline() ? " *" : "")).c_str(),
                  a.runs_ok(), a.runs_failed(), a.pareto() ? "front" : "");
    s += line;
  }
  s += "\nwrote " + out_dir + "/ (study.sqlite, arms.csv, runs.csv, report.md, study.clawstudy)\n";
  return s;
}

std::string Json(const study::StudyOutcome& o, const std::string& out_dir) {
  std::string arms = "[";
  for (const proto::StudyArmResult& a : o.results.arms()) {
    JsonWriter w;
    w.String("name", a.name()).Bool("baseline", a.baseline()).Uint("runs_ok", a.runs_ok())
        .Uint("runs_failed", a.runs_failed()).Bool("pareto", a.pareto());
    arms += (arms.size() > 1 ? "," : "") + w.Finish();
  }
  arms += "]";
  JsonWriter w;
  w.String("study", o.results.name()).String("out", out_dir).Uint("planned", o.planned).Uint("skipped", o.skipped)
      .Uint("ran", o.ran).Uint("failed", o.failed).Bool("interrupted", o.interrupted).Int("jobs", o.jobs)
      .Int("threads_per_run", o.threads).Int("ranks", o.ranks).Double("wall_s", o.wall_s).Raw("arms", arms);
  return w.Finish();
}

int Main(const std::vector<std::string>& args, int rank, int ranks) {
  const bool speaker = rank == 0;
  study::StudyOptions o;
  bool json = false;
  Flags flags(
      "usage: clawsim study STUDY [--jobs N] [--threads N] [--out DIR] [--json]\n"
      "Runs every arm x replication of STUDY (schema sim/proto/study.proto) not yet in DIR/study.sqlite.\n"
      "Under mpirun -np K, rank 0 hands out runs and writes; ranks 1..K-1 run them.");
  flags.AddInt("jobs", &o.jobs, "concurrent runs (default: one per core); results do not depend on it");
  flags.AddInt("threads", &o.threads, "engine threads per run (default: cores / jobs)");
  flags.AddString("out", &o.out_dir, "output folder (default results/<study>/); re-running resumes it");
  flags.AddBool("json", &json, "print one JSON object instead of the table");
  std::vector<std::string> positional;
  Status s = flags.Parse(args, &positional);
  if (flags.help_requested()) {
    if (speaker) std::fputs(flags.Help().c_str(), stdout);
    return 0;
  }
  if (s.ok() && positional.size() != 1) s = Status::Error("expected exactly one STUDY file\n" + flags.Help());
  if (s.ok() && (o.jobs < 0 || o.threads < 0)) s = Status::Error("--jobs and --threads must be positive");
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
  o.progress = speaker && !json && isatty(STDERR_FILENO) != 0;
  study::StudyOutcome outcome;
  s = study::RunStudy(spec, o, rank, ranks, &outcome);
  if (!s.ok()) {
    std::fprintf(stderr, "clawsim study%s: %s\n", ranks > 1 ? (" (rank " + std::to_string(rank) + ")").c_str() : "",
                 s.message().c_str());
    return 1;
  }
  if (!outcome.writer) return 0;
  if (outcome.interrupted) {
    std::fprintf(stderr,
                 "clawsim study: interrupted; %u of %u runs are committed in %s/study.sqlite. Run the same command "
                 "again to resume.\n",
                 outcome.skipped + outcome.ran, outcome.planned, o.out_dir.c_str());
    if (json) std::printf("%s\n", Json(outcome, o.out_dir).c_str());
    return 130;
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
  if (rc != 0 && rc != 130) study::MpiAbort(rc);
  study::MpiFinalize();
  return rc;
}

}  // namespace clawsim::cli
