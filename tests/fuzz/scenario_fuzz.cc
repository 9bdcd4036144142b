// Fuzzes the scenario loader and compiler: text-format parsing, limits, validation,
// interventions and compilation. Any input must come back as OK or an error, quickly and
// within the memory limit.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/scenario/load.h"
#include "sim/scenario/pending.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  clawsim::scenario::LoadedScenario loaded;
  if (clawsim::scenario::LoadScenarioFromText(text, "fuzz.textproto", {}, &loaded).ok()) {
    (void)clawsim::scenario::PendingSettingsInUse(loaded.scenario);
  }
  return 0;
}
