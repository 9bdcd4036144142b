// Detection: a `clawsim detect` result (detection.json) as precision-recall curves, one plot
// per ground-truth label (tokenmaxxers; attacker-driven agents; agents that followed an
// injection, when the run had a campaign), a line per detector over its thresholds with a dot
// at its own threshold, a legend naming each detector with its precision, recall, F1 and
// median days to detection there; hover a curve's point for its threshold. Opens like a run
// file (clawsim-view detect/detection.json); with none loaded it says how to make one.
#pragma once

#include "viz/detection_data.h"

namespace clawsim::viz {

struct DetectionPanel {
  int plots_shown = 0;   // labels plotted in the last frame (for tests)
  int curves_shown = 0;  // detector curves drawn in the last frame

  void Draw(const DetectionData* detection);
};

}  // namespace clawsim::viz
