#ifndef ALGLAB_SCENARIO_SCENARIO_RUNNER_H
#define ALGLAB_SCENARIO_SCENARIO_RUNNER_H

#include "sim/scenario/cost-estimate.h"
#include "sim/scenario/scenario-spec.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alglab::scenario {

struct RunOptions {
  std::optional<std::uint64_t> seed;  ///< overrides the scenario's seed
  std::string outDir;                 ///< pcaps + result.json when not empty
  /// The cost guard's limit (see cost-estimate.h): a spec estimated above it is refused.
  std::uint64_t maxEventsPerSecond = kDefaultMaxEventsPerSecond;
  /// Symptoms are measured on what happened from this time on (a remediation's time); 0 is
  /// the whole run. Metrics always cover the whole run.
  double measureFrom = 0;
  /// Also record the report's evidence (RunResult::evidence): per-second RTP, the SIP ladder at
  /// the router. Off by default: it costs a look at every frame the router sends or receives.
  bool evidence = false;
  /// The workarounds (sim/remediation) whose settings the spec was loaded with, by name: the
  /// result records them as "workarounds".
  std::vector<std::string> workarounds;
  /// Build only the network and the router (with its vendor, knobs and plain-NAT defaults), no
  /// provider, PBX or phones, for callers that install their own applications on its nodes
  /// (`alglab detect`). Such a simulation is run by its caller (Simulator::Run), not through
  /// Schedule/Run/Report, which refuse it.
  bool networkOnly = false;
};

/// What a run produced. `json` has the documented shape
/// {"scenario","vendor","seed","remediated","symptoms":{...},"metrics":{...},...,
/// "workarounds":[...]}.
struct RunResult {
  nlohmann::ordered_json json;
  double simulatedSeconds = 0;
  std::uint64_t routerPacketsForwarded = 0;
  /// sim/report/run-evidence.h's object when RunOptions::evidence; null otherwise.
  nlohmann::ordered_json evidence;
};

/// Builds the network and devices a spec describes, plays its timeline, and measures the seven
/// symptoms: ScenarioSimulation's four stages in a row. May be called any number of times in
/// one process (one after another); each call gives what a fresh process gives. Bad input
/// found while building throws ScenarioError, and so does a spec above
/// options.maxEventsPerSecond.
RunResult RunScenario(const ScenarioSpec& spec, const RunOptions& options);

/// Writes `result` as DIR/result.json (indented), the file `alglab run --out DIR` leaves.
/// Written to a temporary file and renamed, so a reader never sees half a result. Throws
/// ScenarioError if the file cannot be written.
void WriteResultFile(const std::string& dir, const nlohmann::ordered_json& result);

/// The readable, multi-line summary printed without --json.
std::string FormatSummary(const nlohmann::ordered_json& result);

}  // namespace alglab::scenario

#endif
