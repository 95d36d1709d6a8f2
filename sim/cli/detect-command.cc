// `alglab detect SCENARIO --vendor V ...`: the active detector through a simulated router, and
// `alglab detect-accuracy`: how often it is right over every model's configurations.
#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "sim/cli/commands.h"
#include "sim/cli/job-count.h"
#include "sim/detect/detect-accuracy.h"
#include "sim/detect/detect-diagnosis.h"
#include "sim/detect/detect-references.h"
#include "sim/detect/detect-simulation.h"
#include "sim/detect/detect-variations.h"
#include "sim/scenario/scenario-catalog.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-runner.h"
#include "sim/scenario/value-parsing.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace alglab::cli {

namespace {

using scenario::ScenarioError;

/// An output directory made ready (created when missing), or a one-line reason.
std::string PrepareDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  if (dir.empty()) throw ScenarioError("--out '': empty directory name");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec)) throw ScenarioError("--out " + dir + ": cannot create the directory");
  return dir;
}

void WriteJson(const std::string& dir, const std::string& name, const nlohmann::ordered_json& j) {
  const auto path = std::filesystem::path(dir) / name;
  std::ofstream out(path, std::ios::binary);
  out << j.dump(2) << "\n";
  if (!out) throw ScenarioError("--out " + dir + ": cannot write " + path.string());
}

std::string Join(const nlohmann::json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) out += (out.empty() ? "" : ", ") + (item.is_string() ? item.get<std::string>() : item.dump());
  return out.empty() ? "-" : out;
}

std::string Seconds(const nlohmann::json& timeout) {
  if (!timeout.is_object()) return "?";
  const auto alive = timeout.value("longest_alive", nlohmann::json());
  const auto expired = timeout.value("first_expired", nlohmann::json());
  if (expired.is_number()) return fmt::format("expires between {} and {} s idle", alive.is_number() ? alive.dump() : "0", expired.dump());
  if (alive.is_number()) return fmt::format("alive after {} s idle (the longest tried)", alive.dump());
  return "not measured";
}

std::string FormatVerdict(const nlohmann::ordered_json& v) {
  std::ostringstream out;
  out << "Detector through " << v.value("vendor", "?") << " (scenario " << v.value("scenario", "?") << ")\n";
  out << "  SIP ALG:        " << (v.value("alg_present", false) ? "present" : "not detected") << " ("
      << detect::DetectedKind(v) << ")\n";
  out << "  rewritten:      " << Join(v.value("rewritten_fields", nlohmann::json::array())) << "\n";
  const auto& triggers = v.value("triggers", nlohmann::json::object());
  out << "  triggers:       ports " << Join(triggers.value("ports", nlohmann::json::array())) << "; methods "
      << Join(triggers.value("methods", nlohmann::json::array())) << "\n";
  out << "  dropped:        " << Join(v.value("dropped", nlohmann::json::array())) << "\n";
  const auto& nat = v.value("nat", nlohmann::json::object());
  out << "  NAT:            mapping " << nat.value("mapping", "?") << ", filtering " << nat.value("filtering", "?") << "\n";
  const auto timeouts = nat.value("timeouts", nlohmann::json::object());
  out << "  UDP binding:    " << Seconds(timeouts.value("udp", nlohmann::json())) << "\n";
  out << "  SIP binding:    " << Seconds(timeouts.value("sip", nlohmann::json())) << "\n";
  out << detect::FormatVerdictMeaning(v);
  return out.str();
}

}  // namespace

nlohmann::ordered_json DetectJson(const DetectArguments& args) {
  if (!args.scenario) throw ScenarioError("detect: name a scenario (alglab detect SCENARIO --vendor V) or use --live");
  detect::DetectRequest request;
  request.scenarioPath = scenario::ResolveScenario(*args.scenario);
  if (args.vendor) {
    try {
      (void)alg::ListKnobs(*args.vendor);
    } catch (const alg::AlgConfigError& e) {
      throw ScenarioError(std::string("--vendor: ") + e.what());
    }
    request.vendor = *args.vendor;
  }
  request.sets = args.sets;
  if (args.seed) {
    const scenario::SeedCheck check = scenario::CheckSeed(*args.seed);
    if (!check.seed) throw ScenarioError("--seed " + *args.seed + ": " + check.error);
    request.seed = *check.seed;
  }
  const unsigned jobs = JobCount(args.jobs);
  if (args.outDir) request.outDir = PrepareDirectory(*args.outDir);

  nlohmann::ordered_json verdict = detect::DetectInSimulation(request);
  detect::CompleteVerdict(verdict, detect::LoadReferences(jobs));
  if (args.outDir) WriteJson(*args.outDir, "verdict.json", verdict);
  return verdict;
}

int DetectCommand(const DetectArguments& args) {
  const nlohmann::ordered_json verdict = DetectJson(args);
  if (args.json) std::cout << verdict.dump() << "\n";
  else std::cout << FormatVerdict(verdict);
  return 0;
}

int DetectAccuracyCommand(const DetectAccuracyArguments& args) {
  const unsigned jobs = JobCount(args.jobs);
  const std::string scenarioName = args.scenario.value_or(detect::kReferenceScenario);
  (void)scenario::ResolveScenario(scenarioName);
  if (args.outDir) PrepareDirectory(*args.outDir);
  const auto variants = detect::DetectVariants(detect::DefaultDetectVendors(), true);
  const nlohmann::ordered_json accuracy =
      detect::AccuracyToJson(scenarioName, detect::MeasureAccuracy(scenarioName, variants, jobs));
  if (args.outDir) WriteJson(*args.outDir, "detect-accuracy.json", accuracy);
  if (args.json) std::cout << accuracy.dump() << "\n";
  else std::cout << detect::FormatAccuracy(accuracy);
  return 0;
}

}  // namespace alglab::cli
