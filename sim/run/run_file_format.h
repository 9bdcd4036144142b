// The run file's byte layout (specified in sim/run/RUN_FILE.md): constants and the framing
// shared by RunFileWriter and RunFileReader.
//
//   file     := preamble record*
//   preamble := magic "CLAWRUN\0" (8 bytes), major (uint32 LE), minor (uint32 LE)
//   record   := length (uint32 LE), crc (uint32 LE), payload (length bytes)
//   crc      := CRC-32 (crc32.h) of the 4 length bytes followed by the payload
//   payload  := a serialized clawsim.proto.Record (sim/proto/run.proto)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace clawsim::run {

// The 8 bytes every run file starts with.
inline constexpr std::string_view kRunFileMagic{"CLAWRUN\0", 8};

// The format this build writes. Readers accept any minor version of kFormatMajor (newer
// minors only add fields, which protobuf skips) and refuse every other major version.
inline constexpr uint32_t kFormatMajor = 1;
inline constexpr uint32_t kFormatMinor = 11;  // 1.1: spans, ids and causes; 1.2: safety measures, attack causes;
                                             // 1.3: merged changes; 1.4: expired asks, incident origins,
                                             // delivery, help costs; 1.5: injection emails, routes,
                                             // an invocation's model tier; 1.6: code trust,
                                             // handover share, changes delegated, approval
                                             // wait, incidents' defect origins, forwarders,
                                             // external actors; 1.7: merged changes' size;
                                             // 1.8: DORA rework rate, pull requests opened
                                             // with agents' code and their defects, backlog
                                             // hours; 1.9: review time as a pull request's
                                             // timestamps show it; 1.10: defects
                                             // release testing found; 1.11: the heavy
                                             // users' and teams' changes against the twin

inline constexpr size_t kPreambleBytes = 16;      // magic + major + minor
inline constexpr size_t kRecordHeaderBytes = 8;   // length + crc
// The largest payload a reader accepts. Far above any real record (chunks hold a few
// thousand rows; the header holds the scenario text and name tables), and low enough that a
// corrupt length cannot make a reader allocate gigabytes.
inline constexpr uint32_t kMaxRecordBytes = 64u << 20;

// The 16-byte preamble for the given version.
std::string EncodePreamble(uint32_t major, uint32_t minor);

// Appends one framed record (length, crc, payload) to *out. payload.size() must not exceed
// kMaxRecordBytes.
void AppendFramedRecord(std::string_view payload, std::string* out);

// The record checksum: CRC-32 of the 4 little-endian length bytes, then the payload.
uint32_t RecordCrc(uint32_t length, std::string_view payload);

void EncodeFixed32(uint32_t v, char* out);  // little-endian
uint32_t DecodeFixed32(const char* in);     // little-endian

}  // namespace clawsim::run
