// Fuzzes the study loader: parsing, grids, arms and every arm's effective scenario. The study
// is placed in the shipped scenarios folder so that base_scenario names resolve.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/study/study_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  clawsim::study::StudySpec spec;
  (void)clawsim::study::LoadStudyFromText(text, CLAWSIM_SOURCE_DIR "/scenarios/fuzz.textproto", &spec);
  return 0;
}
