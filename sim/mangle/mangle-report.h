#ifndef ALGLAB_MANGLE_MANGLE_REPORT_H
#define ALGLAB_MANGLE_MANGLE_REPORT_H

/// \file
/// The two ways `alglab mangle` shows a replay: the JSON array the kernel oracle also prints
/// (so outputs compare byte for byte), and a per-message diff for people.

#include "sim/mangle/flow-replay.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace alglab::mangle {

/// `[{"dir":"out","delivered":"<base64>","to":"203.0.113.2:5060"},{"dir":"in","delivered":null},
/// ...]` on one line, without spaces and without a trailing newline. "to" (delivered datagrams
/// only) is where it went, after any redirect by the model; datagrams the model emitted itself
/// carry "emitted":true. Without "to" and emitted entries this is kernel_oracle.py's stdout
/// line (check_golden.py compares the payloads).
std::string ToJson(const std::vector<BlockOutcome>& outcomes);

/// The same array as a JSON value (ToJson is its dump()), for callers that hand it on.
nlohmann::ordered_json OutcomesJson(const std::vector<BlockOutcome>& outcomes);

/// For each block, a header line "=== block N (line L) out|in: unchanged|rewritten|dropped
/// (reason)" (", to port P" appended when the ALG redirected the datagram), and for rewritten ones the message in unified-diff style: every line of the
/// message prefixed by ' ' (kept), '-' (as sent) or '+' (as delivered). Line breaks (CRLF or
/// LF) are not shown; other control bytes and non-ASCII bytes appear as \xNN.
std::string FormatDiff(const std::vector<BlockOutcome>& outcomes);

}  // namespace alglab::mangle

#endif
