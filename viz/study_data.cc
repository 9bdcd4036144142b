#include "viz/study_data.h"

namespace clawsim::viz {

std::vector<bool> ParetoFront(const std::vector<StudyArm>& arms) {
  std::vector<bool> front(arms.size(), true);
  for (size_t i = 0; i < arms.size(); ++i) {
    for (size_t j = 0; j < arms.size() && front[i]; ++j) {
      if (i == j) continue;
      const StudyArm& a = arms[i];
      const StudyArm& b = arms[j];
      const bool no_worse = b.cost_usd.mean <= a.cost_usd.mean && b.value_usd.mean >= a.value_usd.mean &&
                            b.incidents.mean <= a.incidents.mean;
      const bool better = b.cost_usd.mean < a.cost_usd.mean || b.value_usd.mean > a.value_usd.mean ||
                          b.incidents.mean < a.incidents.mean;
      if (no_worse && better) front[i] = false;
    }
  }
  return front;
}

}  // namespace clawsim::viz
