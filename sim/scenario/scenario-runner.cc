#include "sim/scenario/scenario-runner.h"

#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-simulation.h"

#include <fstream>

namespace alglab::scenario {

RunResult RunScenario(const ScenarioSpec& spec, const RunOptions& options) {
  ScenarioSimulation simulation(spec, options);
  simulation.Schedule();
  simulation.Run();
  return simulation.Report();
}

void WriteResultFile(const std::string& dir, const nlohmann::ordered_json& result) {
  const std::string path = dir + "/result.json";
  std::ofstream f(path);
  f << result.dump(2) << "\n";
  if (!f) throw ScenarioError("--out " + dir + ": cannot write " + path);
}

}  // namespace alglab::scenario
