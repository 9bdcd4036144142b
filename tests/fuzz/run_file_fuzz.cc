// Fuzzes the run-file reader: every record, both chunk paths (messages and the span
// decoder), the rules across records and the footer checks. Each input is read twice: as
// it is (the checksums catch nearly every mutation) and with every record's checksum
// recomputed, so that mutations reach the parser, the name-table checks and the rules
// across records behind the checksums.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/arena.h>

#include "sim/run/run_file_format.h"
#include "sim/run/run_file_reader.h"
#include "sim/run/span_wire.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using namespace clawsim::run;

// `bytes` with the checksum of every whole record recomputed (framing left as it is).
std::string WithChecksumsRepaired(std::string bytes) {
  size_t at = kPreambleBytes;
  while (at + kRecordHeaderBytes <= bytes.size()) {
    const uint32_t length = DecodeFixed32(bytes.data() + at);
    if (length > bytes.size() - at - kRecordHeaderBytes) break;
    EncodeFixed32(RecordCrc(length, std::string_view(bytes).substr(at + kRecordHeaderBytes, length)),
                  bytes.data() + at + 4);
    at += kRecordHeaderBytes + length;
  }
  return bytes;
}

void ReadBothWays(const std::string& bytes) {
  clawsim::fuzz::MemoryFile file(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (!file.ok()) return;
  {
    RunFileReader reader;
    if (reader.Open(file.path()).ok()) (void)reader.ReadFooter();
  }
  RunFileReader reader;
  if (!reader.Open(file.path()).ok()) return;
  WireSpans spans;
  bool got = true;
  while (got) {
    std::unique_ptr<google::protobuf::Arena> arena;
    const clawsim::proto::Chunk* chunk = nullptr;
    if (!reader.ReadChunkOrSpans(&arena, &chunk, &spans, &got).ok()) break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clawsim::fuzz::SilenceProtobufLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  ReadBothWays(bytes);
  const std::string repaired = WithChecksumsRepaired(bytes);
  if (repaired != bytes) ReadBothWays(repaired);
  return 0;
}
