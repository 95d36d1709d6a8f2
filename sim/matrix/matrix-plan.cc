#include "sim/matrix/matrix-plan.h"

#include <stdexcept>

namespace alglab::matrix {

std::string Variant::Name() const {
  if (remediated) return "remediated";
  return std::string(alg ? "alg-on" : "alg-off") + (traversal ? "" : "-no-traversal");
}

Variant RemediatedVariant() { return {true, true, true}; }

std::size_t AddRemediatedRuns(Plan& plan, const std::vector<std::pair<std::string, std::string>>& cells) {
  const std::size_t first = plan.runs.size();
  for (const auto& [vendor, scenario] : cells) {
    Run run;
    run.scenario = scenario;
    run.scenarioPath = plan.scenarioPaths.at(scenario);
    run.vendor = vendor;
    run.variant = RemediatedVariant();
    plan.cells[{vendor, scenario, run.variant.Name()}] = plan.runs.size();
    plan.runs.push_back(run);
  }
  return first;
}

const std::vector<Variant>& AllVariants() {
  static const std::vector<Variant> kAll{{true, true}, {false, true}, {true, false}, {false, false}};
  return kAll;
}

const std::vector<std::string>& TraversalOffSettings() {
  static const std::vector<std::string> kSets = [] {
    std::vector<std::string> out;
    for (const char* side : {"pbx", "provider"}) {
      const std::string s = side;
      out.push_back(s + ".honour_rport=false");
      out.push_back(s + ".fix_contact=false");
      out.push_back(s + ".latch_media=false");
      out.push_back(s + ".nat_keepalive=0s");
    }
    return out;
  }();
  return kSets;
}

std::size_t Plan::RunOf(const std::string& vendor, const std::string& scenario, const Variant& v) const {
  const auto it = cells.find({vendor, scenario, v.Name()});
  if (it == cells.end()) throw std::logic_error("matrix plan has no run for " + vendor + " x " + scenario + " " + v.Name());
  return it->second;
}

Plan MakePlan(const std::vector<std::string>& vendors,
              const std::vector<std::pair<std::string, std::string>>& scenarios,
              const std::map<std::string, VendorKeys>& keys, std::optional<std::uint64_t> seed) {
  Plan plan;
  plan.vendors = vendors;
  plan.seed = seed;
  for (const auto& [name, path] : scenarios) {
    plan.scenarios.push_back(name);
    plan.scenarioPaths[name] = path;
  }
  std::map<std::string, std::size_t> shared;  // runs by what decides them
  for (const auto& [scenario, path] : scenarios) {
    for (const std::string& vendor : vendors) {
      const auto k = keys.find(vendor);
      for (const Variant& asked : AllVariants()) {
        // Without an ALG, "on" is "off": the same simulation.
        const bool noAlg = k != keys.end() && k->second.alg.empty();
        const Variant v{asked.alg && !noAlg, asked.traversal};
        std::string key;
        if (k != keys.end()) {
          key = scenario + "\n" + v.Name() + "\n" + k->second.nat + "\n" + (v.alg ? k->second.alg : std::string());
          if (const auto it = shared.find(key); it != shared.end()) {
            plan.cells[{vendor, scenario, asked.Name()}] = it->second;
            continue;
          }
        }
        Run run{scenario, path, vendor, v, {}};
        if (!v.alg) run.sets.push_back("router.alg_enabled=false");
        if (!v.traversal)
          run.sets.insert(run.sets.end(), TraversalOffSettings().begin(), TraversalOffSettings().end());
        plan.cells[{vendor, scenario, asked.Name()}] = plan.runs.size();
        if (!key.empty()) shared[key] = plan.runs.size();
        plan.runs.push_back(std::move(run));
      }
    }
  }
  return plan;
}

}  // namespace alglab::matrix
