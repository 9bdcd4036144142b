#include "sim/run/run_file_format.h"

#include <cassert>

#include "sim/run/crc32.h"

namespace clawsim::run {

void EncodeFixed32(uint32_t v, char* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xFFu);
}

uint32_t DecodeFixed32(const char* in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return v;
}

std::string EncodePreamble(uint32_t major, uint32_t minor) {
  std::string out(kRunFileMagic);
  char buf[8];
  EncodeFixed32(major, buf);
  EncodeFixed32(minor, buf + 4);
  out.append(buf, sizeof buf);
  return out;
}

uint32_t RecordCrc(uint32_t length, std::string_view payload) {
  char len[4];
  EncodeFixed32(length, len);
  return Crc32(payload.data(), payload.size(), Crc32(len, sizeof len));
}

void AppendFramedRecord(std::string_view payload, std::string* out) {
  assert(payload.size() <= kMaxRecordBytes);
  const auto length = static_cast<uint32_t>(payload.size());
  char head[kRecordHeaderBytes];
  EncodeFixed32(length, head);
  EncodeFixed32(RecordCrc(length, payload), head + 4);
  out->append(head, sizeof head);
  out->append(payload);
}

}  // namespace clawsim::run
