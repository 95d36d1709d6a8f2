#include "sim/scenario/scenario-runner.h"

#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-simulation.h"

#include <filesystem>
#include <fstream>

namespace alglab::scenario {

RunResult RunScenario(const ScenarioSpec& spec, const RunOptions& options) {
  if (options.seed) {
    SeedCheck check = CheckSeed(std::to_string(*options.seed));
    if (!check.seed) throw ScenarioError("--seed " + std::to_string(*options.seed) + ": " + check.error);
  }
  CheckEventRate(spec, options.maxEventsPerSecond);
  ScenarioSimulation simulation(spec, options);
  simulation.Schedule();
  simulation.Run();
  return simulation.Report();
}

void WriteResultFile(const std::string& dir, const nlohmann::ordered_json& result) {
  const std::string path = dir + "/result.json";
  const std::string partial = path + ".partial";
  {
    std::ofstream f(partial, std::ios::binary | std::ios::trunc);
    f << result.dump(2) << "\n";
    f.close();
    if (!f) {
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      throw ScenarioError("--out " + dir + ": cannot write " + path);
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) {
    std::filesystem::remove(partial, ec);
    throw ScenarioError("--out " + dir + ": cannot write " + path);
  }
}

}  // namespace alglab::scenario
