// Span chunks decoded straight from their protobuf wire bytes, without building a
// proto::Span message per row: the viewer opens files of ten million spans, and message
// construction was most of its reading time.
//
// The decoder is deliberately narrow. It accepts only the shape RunFileWriter writes for a
// span chunk, Record{chunk = Chunk{spans = SpanRows{spans...}}}, and gives up (returns false)
// on anything it does not decode exactly as protobuf would: another record or chunk kind, a
// field with an unexpected wire type, a group, a malformed varint or length. The caller then
// parses the payload with protobuf as before, so a file is accepted or refused exactly as
// it was, with the same messages. Within a Span it follows protobuf's rules: unknown fields
// are skipped (newer minor versions add fields), a scalar seen twice keeps the last value, a
// uint32 or enum keeps the low 32 bits of its varint, each `causes` entry is one cause.
//
// Thread: any; the functions touch only their arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/proto/run.pb.h"

namespace clawsim::run {

// One proto::Span's fields. The optional small-integer fields are valid when their bit is
// set in `present` (kHasEmployee...); item_id and deploy_id likewise.
struct WireSpan {
  enum : uint16_t {
    kHasEmployee = 1 << 0,
    kHasAgent = 1 << 1,
    kHasTarget = 1 << 2,
    kHasName = 1 << 3,
    kHasTrigger = 1 << 4,
    kHasPurpose = 1 << 5,
    kHasOutcome = 1 << 6,
    kHasItem = 1 << 7,
    kHasDeploy = 1 << 8,
    kHasRoute = 1 << 9,  // since 1.5
    kHasTier = 1 << 10,  // since 1.5
    kHasDefectOrigin = 1 << 11,  // since 1.6
  };
  int64_t start_us = 0;
  int64_t end_us = 0;
  uint64_t id = 0;
  uint64_t item_id = 0;
  uint64_t deploy_id = 0;
  uint64_t input_tokens = 0;
  uint64_t output_tokens = 0;
  double cost_usd = 0;
  uint32_t employee_id = 0;
  uint32_t agent_id = 0;
  uint32_t target = 0;
  uint32_t name = 0;
  uint32_t trigger = 0;
  uint32_t purpose = 0;
  uint32_t outcome = 0;
  uint32_t route = 0;
  uint32_t tier = 0;
  uint32_t defect_origin = 0;
  int32_t kind = 0;          // proto::Span::Kind's value, unchecked
  uint32_t first_cause = 0;  // this span's causes are WireSpans::causes[first_cause, + cause_count)
  uint32_t cause_count = 0;
  uint16_t present = 0;
};

// One proto::Cause.
struct WireCause {
  int32_t kind = 0;  // proto::Cause::Kind's value, unchecked
  uint64_t id = 0;
};

// The rows of one span chunk, in file order.
struct WireSpans {
  std::vector<WireSpan> spans;
  std::vector<WireCause> causes;
  void clear() {
    spans.clear();
    causes.clear();
  }
};

// Decodes `payload` (a whole record's payload) into *out (cleared first) when it is a span
// chunk in the shape described above. False: not such a record, or not decodable here; *out
// is then unspecified and the caller must parse the payload with protobuf.
bool DecodeSpanChunk(const char* payload, size_t size, WireSpans* out);

// The checks record_check.h makes of a span chunk, with the same messages: "" when every span
// has a known kind, does not end before it starts and indexes only names `header` has.
std::string CheckWireSpans(const proto::RunHeader& header, const WireSpans& rows);

}  // namespace clawsim::run
