// Telling a complete scenario file from one cut short.
//
// Protobuf text format has no end: a file cut exactly between two fields parses as a smaller
// scenario. Two habits make that visible without breaking any existing file:
//
// - An end marker a file may declare. A file with the comment line
//       # this file ends with "# end of scenario"
//   anywhere before its end promises that its last non-blank line is the comment
//       # end of scenario
//   and a file that breaks the promise is refused, located at its last line. A marker with
//   text after it (other than blank lines) is refused too (two files run together). Both are
//   comments, so every text-format reader still reads the file.
// - Without the declaration, a file whose text does not end with a line break (what a cut
//   at an arbitrary byte leaves) loads with a warning that names the last line.
//
// Thread: any; reads its arguments only.
#pragma once

#include <string>
#include <vector>

#include "sim/common/status.h"

namespace clawsim::scenario {

inline constexpr const char* kEndMarkerDeclaration = "# this file ends with \"# end of scenario\"";
inline constexpr const char* kEndMarker = "# end of scenario";

// Checks `text` (the file at `path`) as above: an error for a broken promise or text after
// the marker; appends "PATH:LINE:COLUMN: warning: ..." to *warnings for a missing final line
// break in a file that declares no marker.
Status CheckScenarioEnd(const std::string& text, const std::string& path, std::vector<std::string>* warnings);

}  // namespace clawsim::scenario
