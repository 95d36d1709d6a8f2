#ifndef ALGLAB_SCENARIO_SCENARIO_ERROR_H
#define ALGLAB_SCENARIO_SCENARIO_ERROR_H

#include <stdexcept>
#include <string>

namespace alglab::scenario {

/// Bad input from the user: a scenario file, a --set override, a vendor name. The message is
/// one complete line that names where the problem is ("file:line: ..." or "--set k=v: ...");
/// the CLI prints it and exits with status 2.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace alglab::scenario

#endif
