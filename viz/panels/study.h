// Study: a study's decision (the answer, the chosen arm highlighted, each arm's verdict:
// dominated with 95% confidence, identical to another, breaking a constraint) and its arms
// side by side: each measure's mean and 95% interval per arm (the decision's key measures
// first), and the first two objectives against each other with the Pareto front
// joined. Opens study results files (study.clawstudy) like run files; with none loaded it
// says so.
#pragma once

#include "viz/study_data.h"

namespace clawsim::viz {

struct StudyPanel {
  int columns_shown = 0;   // measures drawn in the last frame (for tests)
  int verdicts_shown = 0;  // arms with a verdict (the choice, dominated, identical) in the last frame

  void Draw(const StudyData* study);
};

}  // namespace clawsim::viz
