// Study: a study's arms side by side: mean and 95% interval of cost, value and incidents per
// arm, and cost against value with the Pareto front (StudyData; study_data.h is the seam for
// study files). With no study loaded it says so.
#pragma once

#include "viz/study_data.h"

namespace clawsim::viz {

struct StudyPanel {
  void Draw(const StudyData* study);
};

}  // namespace clawsim::viz
