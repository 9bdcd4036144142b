#include "sim/study/results_file.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/run/crc32.h"

namespace clawsim::study {
namespace {

constexpr unsigned char kCrcTag[] = {0xA2, 0x06};     // field 100, length-delimited
constexpr unsigned char kFooterTag[] = {0xA9, 0x06};  // field 101, fixed64
constexpr size_t kFooterBytes = 10;
constexpr size_t kMagicBytes = 15;                    // 0x0A 0x0D "clawsim-study"

void PutLe32(uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint32_t GetLe32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(s[at + static_cast<size_t>(i)])) << (8 * i);
  return v;
}

std::string RewriteHint() { return " (re-run `clawsim study` on its study with the same --out to rewrite it)"; }

}  // namespace

std::string EncodeResultsFile(const proto::StudyResults& results) {
  proto::StudyResults payload_message = results;
  payload_message.clear_block_crc32();
  payload_message.clear_footer();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    payload_message.SerializeToCodedStream(&coded);
  }
  const size_t payload = bytes.size();
  std::string crcs;
  for (size_t at = 0; at < payload; at += kResultsBlockBytes) {
    PutLe32(run::Crc32(bytes.data() + at, std::min(kResultsBlockBytes, payload - at)), &crcs);
  }
  std::string trailer(reinterpret_cast<const char*>(kCrcTag), 2);
  for (size_t n = crcs.size(); ; n >>= 7) {  // varint length
    trailer.push_back(static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
    if (n < 0x80) break;
  }
  trailer += crcs;
  bytes += trailer;
  bytes.append(reinterpret_cast<const char*>(kFooterTag), 2);
  PutLe32(static_cast<uint32_t>(payload), &bytes);
  PutLe32(run::Crc32(trailer.data(), trailer.size()), &bytes);
  return bytes;
}

Status DecodeResultsFile(const std::string& bytes, const std::string& path, proto::StudyResults* out) {
  const std::string magic = std::string("\x0A\x0D", 2) + kResultsMagic;
  if (bytes.size() < kMagicBytes || bytes.compare(0, kMagicBytes, magic) != 0) {
    return Status::Error(path + ": not a clawsim study results file (it does not begin with the bytes 0A 0D "
                                "\"clawsim-study\"; " + std::to_string(bytes.size()) + " bytes)");
  }
  const size_t size = bytes.size();
  if (size < kMagicBytes + kFooterBytes + 3 || bytes.compare(size - kFooterBytes, 2, reinterpret_cast<const char*>(kFooterTag), 2) != 0) {
    return Status::Error(path + ": the checksum footer is missing at byte offset " +
                         std::to_string(size >= kFooterBytes ? size - kFooterBytes : 0) +
                         ": the file was cut short, or written by a build older than format 1.1" + RewriteHint());
  }
  const size_t footer = size - kFooterBytes;
  const size_t payload = GetLe32(bytes, footer + 2);
  const uint32_t trailer_crc = GetLe32(bytes, footer + 6);
  if (payload < kMagicBytes || payload + 3 > footer) {
    return Status::Error(path + ": the checksum footer at byte offset " + std::to_string(footer) +
                         " is damaged (it covers " + std::to_string(payload) + " of " + std::to_string(size) +
                         " bytes)" + RewriteHint());
  }
  if (run::Crc32(bytes.data() + payload, footer - payload) != trailer_crc) {
    return Status::Error(path + ": bytes " + std::to_string(payload) + " to " + std::to_string(footer - 1) +
                         " (the block checksums) do not match their checksum: the file is damaged there, or was cut "
                         "short" + RewriteHint());
  }
  // The block CRCs: tag, varint length, 4 bytes per block.
  size_t at = payload + 2;
  uint64_t len = 0;
  for (int shift = 0; at < footer && shift < 35; shift += 7) {
    const unsigned char c = static_cast<unsigned char>(bytes[at++]);
    len |= static_cast<uint64_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) break;
  }
  const size_t blocks = (payload + kResultsBlockBytes - 1) / kResultsBlockBytes;
  if (bytes.compare(payload, 2, reinterpret_cast<const char*>(kCrcTag), 2) != 0 || len != blocks * 4 ||
      at + len != footer) {
    return Status::Error(path + ": the block checksums at byte offset " + std::to_string(payload) +
                         " do not fit the file's size" + RewriteHint());
  }
  for (size_t b = 0; b < blocks; ++b) {
    const size_t from = b * kResultsBlockBytes;
    const size_t n = std::min(kResultsBlockBytes, payload - from);
    if (run::Crc32(bytes.data() + from, n) != GetLe32(bytes, at + b * 4)) {
      return Status::Error(path + ": bytes " + std::to_string(from) + " to " + std::to_string(from + n - 1) +
                           " do not match their checksum: the file is damaged there" + RewriteHint());
    }
  }
  if (!out->ParseFromArray(bytes.data(), static_cast<int>(payload)) || out->magic() != kResultsMagic) {
    return Status::Error(path + ": its checksums match but it does not parse as clawsim.proto.StudyResults: it was "
                                "written by a faulty build" + RewriteHint());
  }
  if (out->format_major() != kResultsFormatMajor) {
    return Status::Error(path + ": study results format " + std::to_string(out->format_major()) + "." +
                         std::to_string(out->format_minor()) + " is not readable by this build (format " +
                         std::to_string(kResultsFormatMajor) + ".x)");
  }
  return Status::Ok();
}

Status ReadResultsFile(const std::string& path, proto::StudyResults* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::Error(path + ": cannot read: " + std::strerror(errno));
  return DecodeResultsFile(buf.str(), path, out);
}

}  // namespace clawsim::study
