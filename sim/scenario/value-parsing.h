#ifndef ALGLAB_SCENARIO_VALUE_PARSING_H
#define ALGLAB_SCENARIO_VALUE_PARSING_H

// Scalar syntaxes of scenario files. Each returns nullopt for text it does not accept, so the
// caller can name the file, line and key in its error.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alglab::scenario {

/// "30s", "500ms", "2min", "1h", "1.5s"; a bare number is rejected (units are mandatory, so a
/// reader never wonders whether 30 meant seconds or milliseconds).
std::optional<double> ParseDuration(std::string_view text);
/// "true"/"false"/"yes"/"no"/"on"/"off".
std::optional<bool> ParseBool(std::string_view text);
/// A ratio in [0, 1]: "0.01" or "1%".
std::optional<double> ParseRatio(std::string_view text);
std::optional<std::uint64_t> ParseUnsigned(std::string_view text);
/// A data rate as a number of bit/s and as the text ns-3's DataRate parses back.
struct DataRateText {
  double bitsPerSecond = 0;
  std::string text;  ///< normalised: "100Mbps", "512kbps", "1234567Mbps"
};
/// "100Mbps", "1Gbps", "512kbps", "2.5Gbps": a positive decimal number and a unit.
std::optional<DataRateText> ParseDataRate(std::string_view text);
/// Formats seconds the way scenario files write them ("30s", "0.5s", "1800s").
std::string FormatSeconds(double seconds);

}  // namespace alglab::scenario

#endif
