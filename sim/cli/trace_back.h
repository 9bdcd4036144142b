// `clawsim inspect RUNFILE --trace-back WHAT`: a run's harms, and the chain from one of them
// back to its origin.
//
// WHAT is `harms` (every leak, exposure and incident with its day, service, cause and a
// description, `page_size` to a page) or an id: an audit record or a span (decimal or 0x hex;
// "audit:ID" or "span:ID" when both exist with that id). From it the chain follows every
// cause (RUN_FILE.md, "Spans and causes"): an incident to its deploy and the action that
// started it, an action to the invocation that decided it and the approver's task, an
// invocation to the injection email it followed, down to the campaign.
//
// The file is read once into the viewer's data layer (viz/run_data.h, viz/chain.h: flat rows
// and a sorted causal index), so a query costs one load, not a scan per step. Output is
// bounded: the chain stops at TraceBackLimits' depth and line caps and says so.
#pragma once

#include <cstdint>
#include <string>

#include "sim/common/status.h"

namespace clawsim::cli {

struct TraceBackOptions {
  std::string what;          // "harms", or an id (above)
  bool json = false;         // one JSON object instead of text
  uint32_t page = 1;         // harms: which page, from 1
  uint32_t page_size = 50;   // harms: rows per page
};

// Prints to stdout; an error names the file and what is missing (an unknown id, a file
// without audit records or spans, a page past the end).
Status PrintTraceBack(const std::string& path, const TraceBackOptions& options);

}  // namespace clawsim::cli
