// The study results file (study.clawstudy) on disk: one serialized
// clawsim.proto.StudyResults (sim/proto/study.proto), written with deterministic
// serialization so that it begins with the bytes 0x0A 0x0D "clawsim-study", followed by its
// checksums (format 1.1):
//
//   file      := payload block_crc32 footer
//   payload   := the StudyResults message without fields 100 and 101
//   block_crc32 := 0xA2 0x06 varint(len) CRC-32 of each 4096-byte block of payload (the last
//                 may be shorter), 4 bytes little endian each          (field 100, bytes)
//   footer    := 0xA9 0x06 fixed64: low 32 bits len(payload), high 32 bits the CRC-32 of
//                block_crc32 (tag, length and CRCs)                       (field 101, fixed64)
//
// So the whole file still parses as one StudyResults message (a reader that ignores the
// checksums reads the same figures), and a checking reader locates damage to a 4096-byte
// range. CRC-32 is that of zlib and Python's zlib.crc32 (sim/run/crc32.h).
//
// This library knows only the schema and the framing: the viewer links it without the study
// runner. Pure functions; safe from any thread.
#pragma once

#include <string>

#include "sim/common/status.h"
#include "sim/proto/study.pb.h"

namespace clawsim::study {

inline constexpr const char* kResultsMagic = "clawsim-study";
inline constexpr uint32_t kResultsFormatMajor = 1;
inline constexpr uint32_t kResultsFormatMinor = 1;
inline constexpr size_t kResultsBlockBytes = 4096;

// The file's bytes for `results` (its block_crc32 and footer fields are replaced).
std::string EncodeResultsFile(const proto::StudyResults& results);

// Checks the checksums, then parses; refuses another magic or major version. Messages start
// with `path` and name the damaged byte range, e.g.
//   results/x/study.clawstudy: bytes 4096 to 8191 do not match their checksum: the file is
//   damaged there (re-run `clawsim study` on its study with the same --out to rewrite it)
Status DecodeResultsFile(const std::string& bytes, const std::string& path, proto::StudyResults* out);

// Reads and decodes `path`.
Status ReadResultsFile(const std::string& path, proto::StudyResults* out);

}  // namespace clawsim::study
