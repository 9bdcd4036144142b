#include "sim/run/span_wire.h"

#include <cstring>

namespace clawsim::run {
namespace {

// Wire types (protobuf encoding).
constexpr uint32_t kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5;

// A bounded cursor over wire bytes. Every read checks the bounds; a failed read leaves
// ok == false and the caller gives up.
struct Cursor {
  const uint8_t* p;
  const uint8_t* end;
  bool ok = true;

  bool done() const { return p >= end; }

  uint64_t Varint() {
    // Most varints here are one byte (tags, small indexes); with ten bytes left the bytes
    // need no bound checks, and an unrolled decode beats a loop of variable shifts.
    if (end - p >= 10) {
      uint64_t b = *p++;
      if (b < 0x80) return b;
      uint64_t v = b - 0x80;
      for (int shift = 7; shift < 63; shift += 7) {
        b = *p++;
        v += b << shift;
        if (b < 0x80) return v;
        v -= uint64_t{0x80} << shift;
      }
      b = *p++;  // the tenth byte may only carry bit 63; leave anything odder to protobuf
      if (b > 1) return Fail();
      return v + (b << 63);
    }
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= end) return Fail();
      const uint8_t b = *p++;
      if (shift == 63 && b > 1) return Fail();
      v |= uint64_t{b & 0x7Fu} << shift;
      if (b < 0x80) return v;
    }
    return Fail();
  }
  uint64_t Fixed64() {
    if (end - p < 8) return Fail();
    uint64_t v;
    std::memcpy(&v, p, 8);  // little-endian hosts only (as the rest of the reader)
    p += 8;
    return v;
  }
  // A length-delimited field's bytes as a sub-cursor.
  Cursor Sub() {
    const uint64_t n = Varint();
    if (!ok || n > static_cast<uint64_t>(end - p)) {
      Fail();
      return Cursor{end, end, false};
    }
    Cursor c{p, p + n};
    p += n;
    return c;
  }
  // The next tag as (field number, wire type); false at a tag protobuf might refuse.
  bool Tag(uint32_t* field, uint32_t* type) {
    const uint64_t tag = Varint();
    if (!ok || tag > UINT32_MAX || (tag >> 3) == 0) return Fail() != 0;
    *field = static_cast<uint32_t>(tag >> 3);
    *type = static_cast<uint32_t>(tag & 7);
    return true;
  }
  // Skips a field this decoder does not use (an unknown field, kept by protobuf and unused).
  void Skip(uint32_t type) {
    switch (type) {
      case kVarint: Varint(); return;
      case kFixed64: Fixed64(); return;
      case kLen: Sub(); return;
      case kFixed32:
        if (end - p < 4) Fail();
        else p += 4;
        return;
      default: Fail();  // groups and invalid types: protobuf's call
    }
  }
  uint64_t Fail() {
    ok = false;
    p = end;
    return 0;
  }
};

// One Cause message into *out.
bool DecodeCause(Cursor c, WireCause* out) {
  while (c.ok && !c.done()) {
    uint32_t field = 0, type = 0;
    if (!c.Tag(&field, &type)) return false;
    if (field == 1 && type == kVarint) {
      out->kind = static_cast<int32_t>(static_cast<uint32_t>(c.Varint()));
    } else if (field == 2 && type == kVarint) {
      out->id = c.Varint();
    } else if (field <= 2) {
      return false;  // a known field with another wire type: protobuf keeps it as unknown
    } else {
      c.Skip(type);
    }
  }
  return c.ok;
}

// One Span message into *span, its causes appended to out->causes.
bool DecodeSpan(Cursor c, WireSpan* span, WireSpans* out) {
  span->first_cause = static_cast<uint32_t>(out->causes.size());
  while (c.ok && !c.done()) {
    uint32_t field = 0, type = 0;
    if (!c.Tag(&field, &type)) return false;
    if (field == 17) {
      if (type != kLen) return false;
      WireCause cause;
      if (!DecodeCause(c.Sub(), &cause)) return false;
      out->causes.push_back(cause);
      ++span->cause_count;
      continue;
    }
    if (field == 16) {
      if (type != kFixed64) return false;
      const uint64_t bits = c.Fixed64();
      std::memcpy(&span->cost_usd, &bits, 8);
      continue;
    }
    if (field == 18 && type == kVarint) {
      span->route = static_cast<uint32_t>(c.Varint());
      span->present |= WireSpan::kHasRoute;
      continue;
    }
    if (field == 19 && type == kVarint) {
      span->tier = static_cast<uint32_t>(c.Varint());
      span->present |= WireSpan::kHasTier;
      continue;
    }
    if (field == 20 && type == kVarint) {
      span->defect_origin = static_cast<uint32_t>(c.Varint());
      span->present |= WireSpan::kHasDefectOrigin;
      continue;
    }
    if (field > 17) {
      c.Skip(type);
      continue;
    }
    if (type != kVarint) return false;
    const uint64_t v = c.Varint();
    const uint32_t v32 = static_cast<uint32_t>(v);
    switch (field) {
      case 1: span->kind = static_cast<int32_t>(v32); break;
      case 2: span->id = v; break;
      case 3: span->start_us = static_cast<int64_t>(v); break;
      case 4: span->end_us = static_cast<int64_t>(v); break;
      case 5: span->employee_id = v32, span->present |= WireSpan::kHasEmployee; break;
      case 6: span->agent_id = v32, span->present |= WireSpan::kHasAgent; break;
      case 7: span->target = v32, span->present |= WireSpan::kHasTarget; break;
      case 8: span->name = v32, span->present |= WireSpan::kHasName; break;
      case 9: span->trigger = v32, span->present |= WireSpan::kHasTrigger; break;
      case 10: span->purpose = v32, span->present |= WireSpan::kHasPurpose; break;
      case 11: span->outcome = v32, span->present |= WireSpan::kHasOutcome; break;
      case 12: span->item_id = v, span->present |= WireSpan::kHasItem; break;
      case 13: span->deploy_id = v, span->present |= WireSpan::kHasDeploy; break;
      case 14: span->input_tokens = v; break;
      case 15: span->output_tokens = v; break;
      default: return false;
    }
  }
  return c.ok;
}

// The single length-delimited field `want` that makes up all of `c`, or a failed cursor.
Cursor OnlyField(Cursor c, uint32_t want) {
  uint32_t field = 0, type = 0;
  if (!c.Tag(&field, &type) || field != want || type != kLen) return Cursor{nullptr, nullptr, false};
  Cursor inner = c.Sub();
  if (!c.ok || !c.done()) return Cursor{nullptr, nullptr, false};
  return inner;
}

}  // namespace

bool DecodeSpanChunk(const char* payload, size_t size, WireSpans* out) {
  out->clear();
  const auto* p = reinterpret_cast<const uint8_t*>(payload);
  // Record{chunk (2)} -> Chunk{spans (5)} -> SpanRows{spans (1), ...}.
  Cursor chunk = OnlyField(Cursor{p, p + size}, 2);
  if (!chunk.ok) return false;
  Cursor rows = OnlyField(chunk, 5);
  if (!rows.ok) return false;
  while (!rows.done()) {
    uint32_t field = 0, type = 0;
    if (!rows.Tag(&field, &type) || field != 1 || type != kLen) return false;
    WireSpan span;  // built here, then copied: cheaper than zeroing a slot in the vector
    if (!DecodeSpan(rows.Sub(), &span, out) || !rows.ok) return false;
    out->spans.push_back(span);
  }
  return true;
}

namespace {

// The record_check.cc message when `value` does not index a table of `size` names.
std::string OutOfRange(size_t row, const char* field, uint64_t value, int size, const char* noun) {
  return "span " + std::to_string(row) + " of the chunk has " + field + " " + std::to_string(value) +
         ", but the header names " + std::to_string(size) + " " + noun;
}

}  // namespace

std::string CheckWireSpans(const proto::RunHeader& h, const WireSpans& rows) {
  // The tables, with the bit that says a span uses each, in record_check.cc's order.
  struct Table {
    uint16_t bit;
    uint32_t WireSpan::*field;
    const char* name;
    int size;
    const char* noun;
  };
  const Table tables[] = {
      {WireSpan::kHasEmployee, &WireSpan::employee_id, "employee_id", h.employee_names_size(), "employees"},
      {WireSpan::kHasAgent, &WireSpan::agent_id, "agent_id", h.agent_names_size(), "agents"},
      {WireSpan::kHasTarget, &WireSpan::target, "target", h.target_names_size(), "targets"},
      {WireSpan::kHasName, &WireSpan::name, "name", h.span_names_size(), "span names"},
      {WireSpan::kHasTrigger, &WireSpan::trigger, "trigger", h.trigger_names_size(), "triggers"},
      {WireSpan::kHasPurpose, &WireSpan::purpose, "purpose", h.purpose_names_size(), "purposes"},
      {WireSpan::kHasOutcome, &WireSpan::outcome, "outcome", h.outcome_names_size(), "outcomes"},
      {WireSpan::kHasRoute, &WireSpan::route, "route", h.injection_route_names_size(), "injection routes"},
      {WireSpan::kHasTier, &WireSpan::tier, "tier", h.tier_names_size(), "tiers"},
      {WireSpan::kHasDefectOrigin, &WireSpan::defect_origin, "defect_origin", h.defect_origin_names_size(),
       "defect origins"},
  };
  for (size_t i = 0; i < rows.spans.size(); ++i) {
    const WireSpan& s = rows.spans[i];
    if (s.kind < proto::Span::HUMAN_TASK || s.kind > proto::Span::INCIDENT) {
      return "span " + std::to_string(i) + " of the chunk has unknown kind " + std::to_string(s.kind);
    }
    if (s.end_us < s.start_us) {
      return "span " + std::to_string(i) + " of the chunk ends (" + std::to_string(s.end_us) +
             " us) before it starts (" + std::to_string(s.start_us) + " us)";
    }
    for (const Table& t : tables) {
      if ((s.present & t.bit) && s.*t.field >= static_cast<uint32_t>(t.size)) {
        return OutOfRange(i, t.name, s.*t.field, t.size, t.noun);
      }
    }
  }
  return "";
}

}  // namespace clawsim::run
