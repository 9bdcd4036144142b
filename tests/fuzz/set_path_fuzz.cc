// Fuzzes `--set PATH=VALUE` overrides (and so intervention paths, which share the parser):
// each input line is one override applied to the shipped small scenario, which is then
// validated and compiled.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/load.h"

namespace {
std::string g_base;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::ifstream in(CLAWSIM_SOURCE_DIR "/scenarios/small.textproto");
  std::ostringstream text;
  text << in.rdbuf();
  g_base = text.str();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> overrides;
  std::string line;
  for (size_t i = 0; i < size && overrides.size() < 16; ++i) {
    if (data[i] == '\n') {
      overrides.push_back(line);
      line.clear();
    } else {
      line += static_cast<char>(data[i]);
    }
  }
  if (!line.empty()) overrides.push_back(line);
  clawsim::scenario::LoadedScenario loaded;
  (void)clawsim::scenario::LoadScenarioFromText(g_base, "small.textproto", overrides, &loaded);
  return 0;
}
