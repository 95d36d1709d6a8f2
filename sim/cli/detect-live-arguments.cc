#include "sim/cli/detect-live-arguments.h"

#include "probes/detect/echo-protocol.h"
#include "sim/scenario/scenario-error.h"

#include <cmath>
#include <cstdlib>

namespace alglab::cli {

detect::Endpoint CheckedEndpoint(const std::string& flag, const std::string& text) {
  const auto endpoint = detect::ParseEndpoint(text);
  if (!endpoint || endpoint->port == 0 || endpoint->port > 65515)
    throw scenario::ScenarioError(flag + " '" + text + "': expected IPV4:PORT with PORT 1..65515 (e.g. 203.0.113.2:5060)");
  return *endpoint;
}

std::string CheckedAddress(const std::string& flag, const std::string& text) {
  if (!detect::ParseEndpoint(text + ":1") || text.find(':') != std::string::npos)
    throw scenario::ScenarioError(flag + " '" + text + "': expected an IPv4 address (e.g. 203.0.113.3)");
  return text;
}

double CheckedSeconds(const std::string& flag, const std::string& text, double limit) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value <= 0 || value > limit)
    throw scenario::ScenarioError(flag + " '" + text + "': expected a number of seconds above 0 and at most " +
                                  std::to_string(static_cast<long>(limit)));
  return value;
}

}  // namespace alglab::cli
