// Checks that a chunk's rows only refer to names the header has: every small-integer field of
// an employee row, audit record, span and trace event must index its RunHeader table, and a
// span must be of a known kind and must not end before it starts. RunFileReader refuses a
// chunk that fails (the file is corrupt); RunFileWriter refuses to write one (the caller has
// a bug), so a file that the writer accepted is one the reader accepts.
#pragma once

#include <string>

#include "sim/proto/run.pb.h"

namespace clawsim::run {

// "" when every row of `chunk` is consistent with `header`; otherwise one sentence naming the
// row (its position in the chunk), the field, its value and the table's size, e.g.
// "audit record 17 of the chunk has action 9, but the header names 8 actions".
std::string CheckChunkAgainstHeader(const proto::RunHeader& header, const proto::Chunk& chunk);

}  // namespace clawsim::run
