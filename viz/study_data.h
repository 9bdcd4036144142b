// What the Study panel shows of a study: its arms (one policy each) with the mean and 95%
// confidence interval of cost, value and incidents over their replications.
//
// The seam for study files: the study file format is being defined (sim/proto, a run-file-like
// protobuf). When it lands, a LoadStudyFile(path, StudyData*) beside LoadRunFile fills this
// struct from it and App::Open routes files by their magic; the panel needs nothing else.
// Until then the viewer has no study source and the panel says so.
#pragma once

#include <string>
#include <vector>

namespace clawsim::viz {

struct Interval {
  double mean = 0;
  double low = 0;   // 95% confidence interval
  double high = 0;
};

struct StudyArm {
  std::string name;      // the policy, e.g. "leaderboard=managers-only, deploy.prod=ask"
  int replications = 0;
  Interval cost_usd;     // token cost per run
  Interval value_usd;    // value delivered per run
  Interval incidents;    // incidents per run
};

struct StudyData {
  std::string path;
  std::string name;
  std::vector<StudyArm> arms;
};

// For each arm, whether no other arm is at least as good on all three means (cost lower,
// value higher, incidents lower) and strictly better on one.
std::vector<bool> ParetoFront(const std::vector<StudyArm>& arms);

}  // namespace clawsim::viz
