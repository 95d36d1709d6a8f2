#ifndef ALGLAB_CLI_DETECT_LIVE_ARGUMENTS_H
#define ALGLAB_CLI_DETECT_LIVE_ARGUMENTS_H

// Checking the live detector commands' flags: addresses and durations as typed, turned into
// values or a ScenarioError naming the flag (exit status 2).

#include "probes/detect/detect-io.h"

#include <cstdint>
#include <string>

namespace alglab::cli {

/// "ADDR:PORT" with ADDR a dotted quad and PORT 1..65515 (the server also uses PORT+10, +11, +20).
detect::Endpoint CheckedEndpoint(const std::string& flag, const std::string& text);
/// A dotted-quad IPv4 address.
std::string CheckedAddress(const std::string& flag, const std::string& text);
/// A number of seconds in (0, limit].
double CheckedSeconds(const std::string& flag, const std::string& text, double limit);

}  // namespace alglab::cli

#endif
