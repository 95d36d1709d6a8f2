#include "sim/matrix/matrix-workarounds.h"

#include "sim/matrix/matrix-report.h"

#include <fmt/format.h>

#include <stdexcept>

namespace alglab::matrix {

namespace {

const Variant kDefaults{true, true};
const Variant kWithoutTraversal{true, false};

const nlohmann::ordered_json& ResultOf(const std::vector<RunOutcome>& outcomes, std::size_t index) {
  const RunOutcome& o = outcomes.at(index);
  if (!o.ok) throw std::runtime_error(o.error);
  return o.result;
}

bool Present(const nlohmann::ordered_json& result, const std::string& symptom) {
  const auto s = result.find("symptoms");
  return s != result.end() && s->contains(symptom) && (*s)[symptom].value("present", false);
}

bool AnyPresent(const nlohmann::ordered_json& result) {
  const auto s = result.find("symptoms");
  if (s == result.end()) return false;
  for (const auto& [name, entry] : s->items())
    if (entry.value("present", false)) return true;
  return false;
}

}  // namespace

WorkaroundPlan MakeWorkaroundPlan(const Plan& base, const std::vector<RunOutcome>& baseOutcomes,
                                  const std::map<std::string, VendorKeys>& keys,
                                  const std::vector<const remediation::Workaround*>& workarounds) {
  WorkaroundPlan out;
  out.workarounds = workarounds;
  out.plan.vendors = base.vendors;
  out.plan.scenarios = base.scenarios;
  out.plan.scenarioPaths = base.scenarioPaths;
  out.plan.seed = base.seed;
  out.plan.scenarioCost = base.scenarioCost;
  std::map<std::string, std::size_t> shared;  // runs by what decides them, as MakePlan keys them
  for (const std::string& scenario : base.scenarios) {
    for (const std::string& vendor : base.vendors) {
      for (const remediation::Workaround* w : workarounds) {
        if (w->judgedWithoutServerTraversal) {
          // The matrix already ran this cell without and with the servers' NAT traversal.
          const std::size_t before = base.RunOf(vendor, scenario, kWithoutTraversal);
          if (!AnyPresent(ResultOf(baseOutcomes, before))) continue;
          out.cells[{vendor, scenario, w->name}] = {RunRef{true, before},
                                                    RunRef{true, base.RunOf(vendor, scenario, kDefaults)}};
          continue;
        }
        const std::size_t before = base.RunOf(vendor, scenario, kDefaults);
        if (!AnyPresent(ResultOf(baseOutcomes, before))) continue;
        const auto k = keys.find(vendor);
        std::string key;
        if (k != keys.end()) {
          key = scenario + "\n" + w->name + "\n" + k->second.nat + "\n" + k->second.alg;
          if (const auto it = shared.find(key); it != shared.end()) {
            out.cells[{vendor, scenario, w->name}] = {RunRef{true, before}, RunRef{false, it->second}};
            continue;
          }
        }
        Run run{scenario, base.scenarioPaths.at(scenario), vendor, kDefaults, w->settings};
        const std::size_t index = out.plan.runs.size();
        out.plan.runs.push_back(std::move(run));
        if (!key.empty()) shared[key] = index;
        out.cells[{vendor, scenario, w->name}] = {RunRef{true, before}, RunRef{false, index}};
      }
    }
  }
  return out;
}

nlohmann::ordered_json BuildWorkaroundTable(const Plan& base, const std::vector<RunOutcome>& baseOutcomes,
                                            const WorkaroundPlan& plan, const std::vector<RunOutcome>& outcomes,
                                            const std::vector<std::string>& symptoms) {
  const auto result = [&](const RunRef& r) -> const nlohmann::ordered_json& {
    return ResultOf(r.inBase ? baseOutcomes : outcomes, r.index);
  };
  nlohmann::ordered_json table = nlohmann::ordered_json::object();
  for (const std::string& vendor : base.vendors) {
    nlohmann::ordered_json perWorkaround = nlohmann::ordered_json::object();
    for (const remediation::Workaround* w : plan.workarounds) {
      nlohmann::ordered_json bySymptom = nlohmann::ordered_json::object();
      nlohmann::ordered_json introduced = nlohmann::ordered_json::object();
      for (const std::string& symptom : symptoms) {
        nlohmann::ordered_json removed = nlohmann::ordered_json::array();
        nlohmann::ordered_json remains = nlohmann::ordered_json::array();
        nlohmann::ordered_json brought = nlohmann::ordered_json::array();
        for (const std::string& scenario : base.scenarios) {
          const auto it = plan.cells.find({vendor, scenario, w->name});
          if (it == plan.cells.end()) continue;  // no symptom there: nothing to remove
          const bool before = Present(result(it->second.first), symptom);
          const bool after = Present(result(it->second.second), symptom);
          if (before) (after ? remains : removed).push_back(scenario);
          else if (after) brought.push_back(scenario);
        }
        nlohmann::ordered_json entry;
        if (removed.empty() && remains.empty()) entry["helps"] = "n.a.";
        else entry["helps"] = remains.empty();
        entry["removed_in"] = removed;
        entry["remains_in"] = remains;
        bySymptom[symptom] = entry;
        if (!brought.empty()) introduced[symptom] = brought;
      }
      perWorkaround[w->name] = {{"symptoms", bySymptom}, {"new_symptoms", introduced}};
    }
    table[vendor] = perWorkaround;
  }
  return table;
}

std::string FormatWorkaroundTable(const nlohmann::ordered_json& table, const std::vector<std::string>& symptoms) {
  std::string out = fmt::format("{:<18} {:<21}", "vendor", "workaround");
  for (const auto& s : symptoms) out += fmt::format(" {:<5}", SymptomColumnHead(s));
  out += " new\n";
  for (const auto& [vendor, perWorkaround] : table.items()) {
    bool any = false;  // a vendor without a symptom anywhere has nothing to remove: no rows
    for (const auto& [name, w] : perWorkaround.items())
      for (const auto& [symptom, entry] : w["symptoms"].items())
        if (entry["helps"] != "n.a.") any = true;
    if (!any) continue;
    for (const auto& [name, w] : perWorkaround.items()) {
      out += fmt::format("{:<18} {:<21}", vendor, name);
      for (const auto& s : symptoms) {
        const auto& entry = w["symptoms"][s];
        const std::string letter = entry["helps"] == "n.a." ? "."
                                   : entry["helps"] == true  ? "Y"
                                   : entry["removed_in"].empty() ? "n"
                                                                 : "p";
        out += fmt::format(" {:<5}", letter);
      }
      std::string brought;
      for (const auto& [symptom, scenarios] : w["new_symptoms"].items())
        brought += (brought.empty() ? "" : ",") + SymptomColumnHead(symptom);
      out += " " + (brought.empty() ? std::string("-") : brought) + "\n";
    }
  }
  out += "Y = the workaround removes the symptom wherever the vendor shows it, p = in some scenarios, "
         "n = nowhere, . = the vendor does not show it; new = symptoms it brings (server-nat-traversal is "
         "judged against the servers' traversal off, the rest against the defaults)\n";
  return out;
}

}  // namespace alglab::matrix
