// Fuzzes the run-file reader: every record, both chunk paths (messages and the span
// decoder), the rules across records and the footer checks.
#include <cstddef>
#include <cstdint>
#include <memory>

#include <google/protobuf/arena.h>

#include "sim/run/run_file_reader.h"
#include "sim/run/span_wire.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  clawsim::fuzz::MemoryFile file(data, size);
  if (!file.ok()) return 0;
  // Through proto chunks.
  {
    clawsim::run::RunFileReader reader;
    if (reader.Open(file.path()).ok()) (void)reader.ReadFooter();
  }
  // Through the span decoder, as the viewer reads.
  clawsim::run::RunFileReader reader;
  if (!reader.Open(file.path()).ok()) return 0;
  clawsim::run::WireSpans spans;
  bool got = true;
  while (got) {
    std::unique_ptr<google::protobuf::Arena> arena;
    const clawsim::proto::Chunk* chunk = nullptr;
    if (!reader.ReadChunkOrSpans(&arena, &chunk, &spans, &got).ok()) break;
  }
  return 0;
}
