#include "alg-models/contract/alg-model-registry.h"
#include "probes/symptom-report.h"
#include "sim/cli/commands.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-catalog.h"
#include "sim/scenario/scenario-error.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace alglab::cli {

int ListCommand(const std::string& what, bool json) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  std::vector<std::pair<std::string, std::string>> rows;
  if (what == "vendors") {
    for (const auto& m : alg::AlgModelRegistry::Instance().All()) {
      out.push_back({{"name", m.vendor}, {"summary", m.summary}, {"remediation", m.remediation}});
      rows.emplace_back(m.vendor, m.summary);
    }
  } else if (what == "symptoms") {
    for (const auto& s : probes::SymptomCatalog()) {
      out.push_back({{"name", s.name}, {"description", s.description}});
      rows.emplace_back(s.name, s.description);
    }
  } else if (what == "scenarios") {
    for (const auto& s : scenario::ListScenarios()) {
      out.push_back({{"name", s.name}, {"path", s.path}, {"description", s.description}});
      rows.emplace_back(s.name, s.description);
    }
  } else if (what == "knobs") {
    for (const auto& k : scenario::Knobs()) {
      nlohmann::ordered_json entry{{"name", k.Name()},
                                   {"object", k.typeId().GetName()},
                                   {"attribute", k.attribute},
                                   {"type", scenario::ToString(k.type)},
                                   {"unit", k.unit},
                                   {"min", nullptr},
                                   {"max", nullptr},
                                   {"zero_means_off", k.zeroMeansOff},
                                   {"choices", k.choices},
                                   {"default", k.defaultText},
                                   {"changes_during_run", k.changesDuringRun},
                                   {"help", k.help}};
      if (k.min) entry["min"] = *k.min;
      if (k.max) entry["max"] = *k.max;
      out.push_back(entry);
      rows.emplace_back(k.Name(), fmt::format("{} (default {})", k.help, k.defaultText));
    }
  } else {
    throw scenario::ScenarioError("list: unknown list '" + what + "' (valid: knobs, scenarios, symptoms, vendors)");
  }
  if (json) {
    std::cout << out.dump() << "\n";
  } else {
    std::size_t width = 0;
    for (const auto& r : rows) width = std::max(width, r.first.size());
    for (const auto& r : rows) std::cout << fmt::format("{:<{}}  {}\n", r.first, width, r.second);
  }
  return 0;
}

}  // namespace alglab::cli
