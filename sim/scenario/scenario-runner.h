#ifndef ALGLAB_SCENARIO_SCENARIO_RUNNER_H
#define ALGLAB_SCENARIO_SCENARIO_RUNNER_H

#include "sim/scenario/scenario-spec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace alglab::scenario {

struct RunOptions {
  std::optional<std::uint64_t> seed;  ///< overrides the scenario's seed
  std::string outDir;                 ///< pcaps + result.json when not empty
};

/// What a run produced. `json` has the documented shape
/// {"scenario","vendor","seed","remediated","symptoms":{...},"metrics":{...}}.
struct RunResult {
  nlohmann::ordered_json json;
  double simulatedSeconds = 0;
  std::uint64_t routerPacketsForwarded = 0;
};

/// Builds the network and devices a spec describes, plays its timeline, and measures the six
/// symptoms. One simulation per process: ns-3 keeps global state, so a second call in the same
/// process is refused with std::logic_error.
RunResult RunScenario(const ScenarioSpec& spec, const RunOptions& options);

/// The readable, multi-line summary printed without --json.
std::string FormatSummary(const nlohmann::ordered_json& result);

}  // namespace alglab::scenario

#endif
