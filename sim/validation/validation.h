// Validations: published experiments reproduced by studies, and the comparison of each
// simulated figure with the published one (schema sim/proto/validation.proto).
//
// Phases, as `clawsim validate` runs them:
//   1. LoadSuite reads a suite, loads every study it names and checks each validation against
//      its study (arms, measure, statistic, published interval) and against the rule that a
//      validation sets only the situation, never the model's mechanism settings;
//   2. the caller runs each study (sim/study/study_runner.h) into its own folder;
//   3. Evaluate turns a study's results into the validation's figure: per replication (common
//      random numbers: replication r has the same seed in every arm) the arm's value (or a
//      mix's: the weighted mean of its arms' values), or its change against the reference arm
//      (or mix), or a construct's change (the geometric mean of several measures' ratios),
//      then the mean with its Student t 95 % interval, and whether that mean lies inside the
//      published interval.
// Errors name the suite file, line and column. Pure functions but for the file reads in
// LoadSuite; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/common/status.h"
#include "sim/proto/study.pb.h"
#include "sim/proto/validation.pb.h"
#include "sim/study/study_file.h"

namespace clawsim::validation {

struct LoadedValidation {
  proto::Validation spec;
  std::string where;          // "file:line:col: " of the validation in the suite
  std::string study_path;     // resolved against the suite file's folder
  std::string study_text;     // the study file as read (what `--quick` shortens)
};

struct Suite {
  std::string path;
  std::vector<LoadedValidation> validations;
};

// Override paths a validation's study may not set: the model's mechanisms, whose one
// parameter set every row must hold with, and the settings calibrated to a published figure
// (an injection campaign's success probability, the detector's rates). Each is a path of
// field names, selectors left out: "threats.injection_campaigns.success_probability" covers
// "threats.injection_campaigns[0].success_probability".
const std::vector<std::string>& MechanismPrefixes();

// Whether `path` (selectors allowed) starts, once its selectors are left out, with one of
// MechanismPrefixes().
bool IsMechanismSetting(const std::string& path);

// Loads `path` and every study it names, and checks each validation. On error `*out` is
// unspecified.
Status LoadSuite(const std::string& path, Suite* out);

// The study text of `v` shortened for the quick check: run.days = quick_days, replications =
// quick_replications (the study's own overrides come first, so these win).
std::string QuickStudyText(const LoadedValidation& v);

struct Figure {
  std::string name;
  uint32_t n = 0;          // replications that gave a value
  double mean = 0;
  double ci_low = 0;       // 95 %; equal to the mean with n < 2
  double ci_high = 0;
  bool inside = false;     // mean within [published_low, published_high]
  bool sign_ok = true;     // the quick check's sign holds (ANY_SIGN: always)
  std::string error;       // why no figure could be computed (n == 0)
};

// The figure of `v` from its study's results (StudyResults.runs and measure_names). A
// construct's figure is the geometric mean of its measures' ratios (each inverted where the
// construct grows as the measure falls), replication by replication.
Figure Evaluate(const proto::Validation& v, const proto::StudyResults& results);

// What the row measures, for tables: its measure, or "geometric mean of a; 1/b; ..." for a
// construct.
std::string MeasureLabel(const proto::Validation& v);

// A figure in the validation's unit: "+19.0 %" for a change in a fraction, "48.0 %" for a rate,
// else "%.3g unit".
std::string FormatValue(const proto::Validation& v, double x);

// Rows inside their published interval, independent rows apart from calibration rows (those
// that name `calibrates`); a row without a figure counts as not inside.
struct Tally {
  uint32_t independent = 0, independent_inside = 0;
  uint32_t calibration = 0, calibration_inside = 0;
};
Tally Count(const Suite& suite, const std::vector<Figure>& figures);

// The table of every row, Markdown: validation, source, published [interval], simulated mean
// [95 % interval] (n), inside / OUTSIDE (a calibration row marked so), and (quick) the sign
// check; then the count of independent rows inside, and of calibration rows apart.
std::string MarkdownTable(const Suite& suite, const std::vector<Figure>& figures, bool quick);

}  // namespace clawsim::validation
