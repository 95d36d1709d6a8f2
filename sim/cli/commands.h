#ifndef ALGLAB_CLI_COMMANDS_H
#define ALGLAB_CLI_COMMANDS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alglab::cli {

/// `alglab list vendors|symptoms|scenarios [--json]`. Returns the exit status.
int ListCommand(const std::string& what, bool json);

struct RunArguments {
  std::string scenario;
  std::optional<std::string> vendor;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;
  std::string outDir;
  bool json = false;
};

/// `alglab run SCENARIO ...`. Returns the exit status; bad input throws ScenarioError.
int RunCommand(const RunArguments& args);

struct MangleArguments {
  std::string model;
  std::string flowFile;
  std::vector<std::string> sets;  ///< model knobs, knob=value
  bool json = false;
};

/// `alglab mangle --model M [--set knob=value]... [--json] FLOWFILE`: replays a flow file
/// through one model in the fixed mangle topology and shows what arrived.
int MangleCommand(const MangleArguments& args);

}  // namespace alglab::cli

#endif
