// `clawsim inspect RUNFILE --trace-back ID`: the chain from a harm back to its origin.
//
// ID names an audit record or a span (decimal or 0x hex; "audit:ID" or "span:ID" when both
// exist with that id). From it the chain follows each record's first cause: an incident to
// its deploy and the action that started it, an action to the agent invocation (or the
// compromised session) that decided it, an invocation to what set it on (the injection
// email it read, the malicious skill it ran), down to the attack source named in the
// summary. Every step prints one line.
#pragma once

#include <string>

#include "sim/common/status.h"

namespace clawsim::cli {

// Prints the chain for `id_text` from the run file at `path` to stdout; an error names the
// file and what is missing (an unknown id, a file without audit records or spans).
Status PrintTraceBack(const std::string& path, const std::string& id_text);

}  // namespace clawsim::cli
