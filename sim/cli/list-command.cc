#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/composed-model.h"
#include "probes/symptom-report.h"
#include "sim/cli/commands.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-catalog.h"
#include "sim/scenario/scenario-error.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <iostream>

namespace alglab::cli {

namespace {

/// A vendor for `alglab list vendors --json`: what it is, what it runs, and every knob with
/// the value the router ships with and, for a model file's knobs, how sure we are of it.
nlohmann::ordered_json VendorJson(const alg::AlgModelInfo& m) {
  nlohmann::ordered_json knobs = nlohmann::ordered_json::array();
  ns3::Ptr<alg::AlgModel> model;
  std::string error;
  try {
    model = alg::CreateAlgModel(m.vendor, {});
  } catch (const alg::AlgConfigError& e) {
    error = e.what();  // a model file that does not build: listed with its error
  }
  const auto* composed = dynamic_cast<const alg::ComposedAlgModel*>(ns3::PeekPointer(model));
  for (const alg::KnobInfo& k : model != nullptr ? model->Knobs() : std::vector<alg::KnobInfo>{}) {
    const alg::VendorKnobSpec* spec = composed != nullptr ? composed->FindKnob(k.name) : nullptr;
    knobs.push_back({{"name", k.name},
                     {"default", model->GetKnob(k.name)},
                     {"applies", alg::ToString(k.semantics)},
                     {"confidence", spec != nullptr ? nlohmann::ordered_json(spec->confidence) : nullptr},
                     {"help", k.help}});
  }
  // The vendor's plain-NAT defaults (router knob -> value), for a model file that states them.
  nlohmann::ordered_json router = nlohmann::ordered_json::object();
  if (composed != nullptr) {
    for (const auto& [name, setting] : composed->RouterSettings()) router[name] = setting.value;
  }
  const std::string engine = !m.engine.empty()  ? m.engine
                             : m.typeId.empty() ? "no ALG"
                                                : "C++ model " + m.typeId;
  return {{"id", m.vendor},       {"name", m.vendor},          {"summary", m.summary},
          {"engine", engine},     {"remediation", m.remediation},
          {"file", m.file.empty() ? nullptr : nlohmann::ordered_json(m.file)},
          {"example", m.example},
          {"knobs", knobs},
          {"router", router},
          {"error", error.empty() ? nullptr : nlohmann::ordered_json(error)}};
}

}  // namespace

nlohmann::ordered_json ListJson(const std::string& what) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  if (what == "vendors") {
    for (const auto& m : alg::AlgModelRegistry::Instance().All()) out.push_back(VendorJson(m));
  } else if (what == "symptoms") {
    for (const auto& s : probes::SymptomCatalog()) out.push_back({{"name", s.name}, {"description", s.description}});
  } else if (what == "scenarios") {
    for (const auto& s : scenario::ListScenarios())
      out.push_back({{"name", s.name}, {"path", s.path}, {"description", s.description}});
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
    }
  } else {
    throw scenario::ScenarioError("list: unknown list '" + what + "' (valid: knobs, scenarios, symptoms, vendors)");
  }
  return out;
}

int ListCommand(const std::string& what, bool json) {
  const nlohmann::ordered_json out = ListJson(what);
  if (json) {
    std::cout << out.dump() << "\n";
    return 0;
  }
  // The readable table: a name and one line about it, from the same entries.
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& entry : out) {
    const std::string name = entry["name"].get<std::string>();
    if (what == "vendors") {
      const std::string summary = entry["summary"].get<std::string>();
      const nlohmann::ordered_json& error = entry["error"];
      // A model file that does not build shows its one-line error instead of its summary.
      rows.emplace_back(name, error.is_null() || summary.rfind("(model file error)", 0) == 0
                                  ? summary
                                  : "(model file error) " + error.get<std::string>());
    } else if (what == "knobs") {
      rows.emplace_back(name, fmt::format("{} (default {})", entry["help"].get<std::string>(),
                                          entry["default"].get<std::string>()));
    } else {
      rows.emplace_back(name, entry["description"].get<std::string>());
    }
  }
  std::size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  for (const auto& r : rows) std::cout << fmt::format("{:<{}}  {}\n", r.first, width, r.second);
  return 0;
}

}  // namespace alglab::cli
