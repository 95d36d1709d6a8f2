#include "sim/config-check/config-symptoms.h"

#include "probes/symptom-report.h"
#include "sim/matrix/matrix-plan.h"
#include "sim/matrix/matrix-runner.h"
#include "sim/scenario/cost-estimate.h"
#include "sim/scenario/scenario-catalog.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace alglab::configcheck {

namespace fs = std::filesystem;
using scenario::ScenarioError;

namespace {

std::vector<std::string> SplitNames(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string name = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name.empty()) throw ScenarioError("--scenarios " + text + ": an empty name in the list");
    out.push_back(name);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

/// A present symptom's strongest mechanism in words: "helper rewrote outbound INVITE c=".
std::string MechanismText(const nlohmann::json& symptom) {
  const auto it = symptom.find("mechanisms");
  if (it == symptom.end() || !it->is_array() || it->empty()) return "";
  const nlohmann::json& m = it->front();
  std::string text = m.value("mechanism", "") + " " + m.value("action", "") + " " + m.value("message", "");
  if (m.contains("field") && m["field"].is_string()) text += " " + m["field"].get<std::string>();
  if (m.contains("reason") && m["reason"].is_string()) text += " (" + m["reason"].get<std::string>() + ")";
  return text;
}

bool Present(const nlohmann::json& result, const std::string& symptom) {
  const auto s = result.find("symptoms");
  if (s == result.end() || !s->contains(symptom)) return false;
  return (*s)[symptom].value("present", false);
}

std::string GoldenPath() {
  if (const char* env = std::getenv("ALGLAB_GOLDEN_MATRIX"); env && *env) return env;
  return ALGLAB_DEFAULT_GOLDEN_MATRIX;
}

}  // namespace

std::vector<std::string> KnobSettings(const ConfigReading& reading) {
  std::vector<std::string> out;
  for (const KnobReading& k : reading.knobs)
    if (k.value != k.defaultValue) out.push_back("router.alg." + k.knob + "=" + k.value);
  return out;
}

nlohmann::ordered_json SimulatedSymptoms(const ConfigReading& reading, const SimulationOptions& options) {
  matrix::Plan plan;
  plan.vendors = {reading.map->vendor};
  plan.seed = options.seed;
  std::vector<std::pair<std::string, std::string>> scenarios;
  if (options.scenarios) {
    std::set<std::string> seen;
    for (const std::string& name : SplitNames(*options.scenarios)) {
      const std::string path = scenario::ResolveScenario(name);
      const std::string stem = fs::path(name).extension() == ".yaml" ? fs::path(name).stem().string() : name;
      if (!seen.insert(stem).second) throw ScenarioError("--scenarios: '" + stem + "' named twice");
      scenario::LoadScenario(path);  // a broken file is refused before any worker starts
      scenarios.emplace_back(stem, path);
    }
  } else {
    for (const auto& e : scenario::ListScenarios())
      if (scenario::LoadScenario(e.path).inMatrix) scenarios.emplace_back(e.name, e.path);
  }
  if (scenarios.empty()) throw ScenarioError("--scenarios: no scenario files in " + scenario::ScenarioDirectory());

  const std::vector<std::string> settings = KnobSettings(reading);
  for (const auto& [name, path] : scenarios) {
    plan.scenarios.push_back(name);
    plan.scenarioPaths[name] = path;
    for (const bool alg : {true, false}) {
      matrix::Run run;
      run.scenario = name;
      run.scenarioPath = path;
      run.vendor = reading.map->vendor;
      run.variant.alg = alg;
      run.sets = settings;
      if (!alg) run.sets.push_back("router.alg_enabled=false");
      plan.runs.push_back(run);
    }
  }

  // Each run leaves its result in a private directory, removed afterwards.
  std::string dirTemplate = (fs::temp_directory_path() / "alglab-check-config-XXXXXX").string();
  if (::mkdtemp(dirTemplate.data()) == nullptr) throw ScenarioError("cannot create a temporary directory for the runs");
  const std::string dir = dirTemplate;
  std::vector<matrix::RunOutcome> outcomes;
  try {
    outcomes = matrix::RunPlan(plan, options.jobs, dir, {});
  } catch (...) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    throw;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);

  nlohmann::ordered_json symptoms = nlohmann::ordered_json::array();
  nlohmann::ordered_json failed = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < outcomes.size(); ++i)
    if (!outcomes[i].ok) failed.push_back({{"scenario", plan.runs[i].scenario}, {"error", outcomes[i].error}});
  for (const probes::SymptomInfo& info : probes::SymptomCatalog()) {
    nlohmann::ordered_json where = nlohmann::ordered_json::array();
    std::set<std::string> causes;
    std::string mechanism;
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      const matrix::RunOutcome& on = outcomes[2 * s];
      const matrix::RunOutcome& off = outcomes[2 * s + 1];
      if (!on.ok || !Present(on.result, info.name)) continue;
      const bool alsoOff = off.ok && Present(off.result, info.name);
      causes.insert(alsoOff ? "plain-nat" : "alg");
      where.push_back({{"scenario", scenarios[s].first}, {"cause", alsoOff ? "plain-nat" : "alg"},
                       {"mechanism", MechanismText(on.result["symptoms"][info.name])}});
      if (mechanism.empty()) mechanism = MechanismText(on.result["symptoms"][info.name]);
    }
    if (where.empty()) continue;
    const std::string cause = causes.size() > 1 ? "both" : *causes.begin();
    symptoms.push_back({{"name", info.name}, {"cause", cause}, {"mechanism", mechanism}, {"scenarios", where}});
  }
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (const auto& s : scenarios) names.push_back(s.first);
  return {{"source", "simulation"},
          {"note", "each scenario run with this configuration's knob values, and again with the router's ALG off to "
                   "tell the ALG's symptoms (cause alg) from plain NAT's (cause plain-nat)"},
          {"scenarios", names},
          {"knob_settings", settings},
          {"failed_runs", failed},
          {"symptoms", symptoms}};
}

nlohmann::ordered_json GoldenSymptoms(const ConfigReading& reading) {
  const std::vector<std::string> settings = KnobSettings(reading);
  nlohmann::ordered_json out;
  if (!settings.empty()) {
    return {{"source", "none"},
            {"note", "this configuration changes knobs from the model's defaults (" + std::to_string(settings.size()) +
                         "); the shipped golden matrix holds only the defaults: run with --simulate"},
            {"symptoms", nullptr}};
  }
  const std::string path = GoldenPath();
  std::ifstream in(path);
  nlohmann::json golden;
  try {
    if (in) golden = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    golden = nullptr;
  }
  const auto vendors = golden.is_object() ? golden.find("vendors") : golden.end();
  if (!golden.is_object() || vendors == golden.end() || !vendors->contains(reading.map->vendor)) {
    return {{"source", "none"},
            {"note", "the golden matrix " + path + " is not readable or has no row for " + reading.map->vendor +
                         ": run with --simulate"},
            {"symptoms", nullptr}};
  }
  nlohmann::ordered_json symptoms = nlohmann::ordered_json::array();
  const nlohmann::json& row = (*vendors)[reading.map->vendor]["symptoms"];
  for (const probes::SymptomInfo& info : probes::SymptomCatalog()) {
    if (!row.contains(info.name) || !row[info.name].value("present", false)) continue;
    const nlohmann::json& s = row[info.name];
    nlohmann::ordered_json where = nlohmann::ordered_json::array();
    for (const auto& scenarioName : s.value("scenarios", nlohmann::json::array()))
      where.push_back({{"scenario", scenarioName}, {"cause", s.value("cause", "")}, {"mechanism", s.value("mechanism", "")}});
    symptoms.push_back({{"name", info.name}, {"cause", s.value("cause", "")}, {"mechanism", s.value("mechanism", "")},
                        {"scenarios", where}});
  }
  return {{"source", "golden"},
          {"note", "every knob is at the model's default, so the shipped golden matrix (" + path +
                       ", the ALG-on runs with the servers' NAT traversal on) applies; --simulate runs it afresh"},
          {"symptoms", symptoms}};
}

}  // namespace alglab::configcheck
