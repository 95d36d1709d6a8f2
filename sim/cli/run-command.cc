#include "alg-models/contract/alg-model-registry.h"
#include "sim/cli/commands.h"
#include "sim/scenario/scenario-catalog.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"
#include "sim/scenario/scenario-runner.h"

#include <filesystem>
#include <iostream>

namespace alglab::cli {

namespace {

void CheckVendor(const std::string& vendor, const std::string& origin) {
  const auto& registry = alg::AlgModelRegistry::Instance();
  if (registry.Find(vendor)) return;
  std::string valid;
  for (const auto& n : registry.Names()) valid += (valid.empty() ? "" : ", ") + n;
  throw scenario::ScenarioError(origin + "unknown vendor '" + vendor + "' (valid: " + valid + ")");
}

void PrepareOutDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw scenario::ScenarioError("--out " + dir + ": cannot create the directory (" + ec.message() + ")");
  // Stale pcaps from an earlier run would be mistaken for this run's.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".pcap" || entry.path().filename() == "result.json")
      std::filesystem::remove(entry.path());
  }
}

}  // namespace

int RunCommand(const RunArguments& args) {
  const std::string path = scenario::ResolveScenario(args.scenario);
  std::vector<scenario::Override> overrides;
  for (const auto& s : args.sets) overrides.push_back(scenario::ParseOverride(s));
  if (args.vendor) CheckVendor(*args.vendor, "--vendor: ");
  scenario::ScenarioSpec spec = scenario::LoadScenario(path, overrides);
  if (args.vendor) spec.router.vendor = *args.vendor;
  else CheckVendor(spec.router.vendor, path + ": router.vendor: ");
  if (!args.outDir.empty()) PrepareOutDir(args.outDir);

  scenario::RunOptions options;
  options.seed = args.seed;
  options.outDir = args.outDir;
  // With --out, the runner leaves result.json beside the pcaps.
  const scenario::RunResult result = scenario::RunScenario(spec, options);
  if (args.json) {
    std::cout << result.json.dump() << "\n";
  } else {
    std::cout << scenario::FormatSummary(result.json);
  }
  return 0;
}

}  // namespace alglab::cli
