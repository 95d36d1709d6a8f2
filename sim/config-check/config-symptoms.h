#ifndef ALGLAB_CONFIG_CHECK_CONFIG_SYMPTOMS_H
#define ALGLAB_CONFIG_CHECK_CONFIG_SYMPTOMS_H

/// \file
/// The symptoms a configuration should show. By simulation (`--simulate`): the vendor's matrix
/// row (every shipped scenario the matrix covers, or those named) run with this file's knob
/// values, once with the ALG as configured and once with the router's ALG off, in worker
/// processes (sim/matrix/matrix-runner.h); a symptom of the first run is the ALG's when the
/// second does not show it. Without simulation, the shipped golden matrix
/// (tests/golden/matrix.json) answers only for a file whose knobs are all the model's
/// defaults; any other file gets no symptoms and says why.

#include "sim/config-check/config-evaluation.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace alglab::configcheck {

struct SimulationOptions {
  std::optional<std::string> scenarios;  ///< "a,b" (default: the matrix's scenarios)
  unsigned jobs = 2;
  std::optional<std::uint64_t> seed;     ///< default: each scenario's
};

/// {"source":"simulation","scenarios":[...],"knob_settings":[...],"symptoms":[{"name",
///  "scenarios":[...],"cause":"alg"|"plain-nat"|"both","mechanism"}]}. Bad scenario names throw
/// ScenarioError.
nlohmann::ordered_json SimulatedSymptoms(const ConfigReading& reading, const SimulationOptions& options);

/// {"source":"golden"|"none","note",...,"symptoms":[...]}: the golden matrix's row when every
/// knob is at its default, else none.
nlohmann::ordered_json GoldenSymptoms(const ConfigReading& reading);

/// The `--set router.alg.<knob>=<value>` settings that give a run this file's knob values
/// (only knobs that differ from the model's defaults).
std::vector<std::string> KnobSettings(const ConfigReading& reading);

}  // namespace alglab::configcheck

#endif
