// Fuzzes the study-results reader (study.clawstudy).
#include <cstddef>
#include <cstdint>

#include "sim/study/results.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clawsim::fuzz::SilenceProtobufLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  clawsim::fuzz::MemoryFile file(data, size);
  if (!file.ok()) return 0;
  clawsim::proto::StudyResults results;
  (void)clawsim::study::ReadResultsFile(file.path(), &results);
  return 0;
}
