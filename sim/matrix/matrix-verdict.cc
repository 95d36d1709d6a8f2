#include "sim/matrix/matrix-verdict.h"

#include "sim/remediation/remediation-advice.h"

#include "probes/symptom-mechanisms.h"
#include "probes/symptom-report.h"

#include <stdexcept>

namespace alglab::matrix {

namespace {

bool Present(const nlohmann::ordered_json& result, const std::string& symptom) {
  const auto s = result.find("symptoms");
  if (s == result.end() || !s->contains(symptom)) return false;
  return (*s)[symptom].value("present", false);
}

nlohmann::json MechanismsOf(const nlohmann::ordered_json& result, const std::string& symptom) {
  const auto& entry = result["symptoms"][symptom];
  return entry.contains("mechanisms") ? nlohmann::json(entry["mechanisms"]) : nlohmann::json::array();
}

/// True when some ALG mechanism (not plain NAT's "nat:...") dropped messages `symptom` is about.
bool AlgDropped(const nlohmann::json& mechanisms) {
  for (const auto& m : mechanisms)
    if (m.value("action", "") == "dropped" && m.value("mechanism", "").rfind("nat:", 0) != 0) return true;
  return false;
}

nlohmann::ordered_json VerdictJson(const SymptomVerdict& v) {
  nlohmann::ordered_json j;
  if (v.masked) {
    j["masked"] = true;
  } else {
    j["cause"] = v.cause;
  }
  j["mechanism"] = v.mechanism;
  return j;
}

/// Folds per-scenario causes into one: equal ones stay, differing ones are "both".
std::string FoldCause(const std::string& so_far, const std::string& next) {
  if (so_far.empty() || so_far == next) return next;
  return "both";
}

const RunOutcome& Outcome(const Plan& plan, const std::vector<RunOutcome>& outcomes, const std::string& vendor,
                          const std::string& scenario, const Variant& v) {
  const RunOutcome& o = outcomes.at(plan.RunOf(vendor, scenario, v));
  if (!o.ok) throw std::runtime_error(o.error);
  return o;
}

/// What a verdict names when the router recorded nothing about the symptom's messages.
std::string Unrecorded(const std::string& cause, bool traversal) {
  if (cause == "alg") return "the ALG's NAT state (no message of this symptom rewritten or dropped)";
  return traversal ? "NAT (no message of this symptom dropped at the router)"
                   : "NAT with the servers' traversal off (answers go to the private addresses the messages carry)";
}

}  // namespace

SymptomVerdict Judge(const std::string& symptom, const nlohmann::ordered_json& on,
                     const nlohmann::ordered_json& off, bool traversal) {
  SymptomVerdict v;
  const bool withAlg = Present(on, symptom);
  const bool withoutAlg = Present(off, symptom);
  if (withAlg) {
    v.present = true;
    const nlohmann::json mechanisms = MechanismsOf(on, symptom);
    v.cause = !withoutAlg ? "alg" : AlgDropped(mechanisms) ? "both" : "plain-nat";
    // Plain NAT's own evidence is in the ALG-off run; the ALG's in the ALG-on run.
    v.mechanism = probes::DescribeMechanisms(v.cause == "plain-nat" ? MechanismsOf(off, symptom) : mechanisms);
  } else if (withoutAlg) {
    v.masked = true;
    v.mechanism = probes::DescribeMechanisms(MechanismsOf(off, symptom));
  }
  if ((v.present || v.masked) && v.mechanism.empty()) v.mechanism = Unrecorded(v.masked ? "plain-nat" : v.cause, traversal);
  return v;
}

nlohmann::ordered_json BuildMatrix(const Plan& plan, const std::vector<RunOutcome>& outcomes) {
  nlohmann::ordered_json vendors = nlohmann::ordered_json::object();
  std::vector<std::string> symptoms;
  for (const auto& info : probes::SymptomCatalog()) symptoms.push_back(info.name);
  for (const std::string& vendor : plan.vendors) {
    nlohmann::ordered_json perScenario = nlohmann::ordered_json::object();
    struct SymptomFold { bool present = false; nlohmann::ordered_json scenarios = nlohmann::ordered_json::array();
                  nlohmann::ordered_json masked = nlohmann::ordered_json::array(); std::string cause, mechanism;
                  /// Remediated runs: scenarios where it stays, scenarios where it appears only then.
                  bool remediated = false;
                  nlohmann::ordered_json stays = nlohmann::ordered_json::array();
                  /// Scenarios where it came back because the router went back to factory settings.
                  nlohmann::ordered_json back = nlohmann::ordered_json::array();
                  nlohmann::ordered_json exposed = nlohmann::ordered_json::array(); };
    std::map<std::string, SymptomFold> main, noTraversal;
    for (const std::string& scenario : plan.scenarios) {
      nlohmann::ordered_json cell = nlohmann::ordered_json::object();
      nlohmann::ordered_json cellNoTraversal = nlohmann::ordered_json::object();
      for (const bool traversal : {true, false}) {
        const auto& on = Outcome(plan, outcomes, vendor, scenario, {true, traversal}).result;
        const auto& off = Outcome(plan, outcomes, vendor, scenario, {false, traversal}).result;
        for (const std::string& symptom : symptoms) {
          const SymptomVerdict v = Judge(symptom, on, off, traversal);
          if (!v.present && !v.masked) continue;
          (traversal ? cell : cellNoTraversal)[symptom] = VerdictJson(v);
          SymptomFold& f = (traversal ? main : noTraversal)[symptom];
          if (v.masked) {
            f.masked.push_back(scenario);
            continue;
          }
          f.present = true;
          f.scenarios.push_back(scenario);
          f.cause = FoldCause(f.cause, v.cause);
          if (f.mechanism.empty()) f.mechanism = v.mechanism;
        }
      }
      // The remediated run (made for scenarios with a symptom under defaults): what stays, and
      // what turning the ALG off brings out.
      const auto remediatedRun = plan.cells.find({vendor, scenario, RemediatedVariant().Name()});
      if (remediatedRun != plan.cells.end()) {
        const auto& after = outcomes.at(remediatedRun->second).result;
        // The scenario itself puts the shipped configuration (ALG on) back after the fix.
        const nlohmann::json undoneAt = after.contains("remediation")
                                            ? after["remediation"].value("undone_at", nlohmann::json::array())
                                            : nlohmann::json::array();
        for (const std::string& symptom : symptoms) {
          const bool stays = after["symptoms"][symptom].value("present", false);
          const bool algBack = stays && !undoneAt.empty() &&
                               remediation::AlgActed(after["symptoms"][symptom].value("mechanisms", nlohmann::json::array()));
          SymptomFold& f = main[symptom];
          f.remediated = true;
          if (cell.contains(symptom) && !cell[symptom].value("masked", false)) {
            cell[symptom]["after_remediation"] = stays;
            if (algBack) {
              cell[symptom]["alg_back_at"] = undoneAt;
              f.back.push_back(scenario);
            } else if (stays) {
              f.stays.push_back(scenario);
            }
          } else if (stays) {
            cell[symptom] = {{"exposed_by_remediation", true},
                             {"mechanism", probes::DescribeMechanisms(after["symptoms"][symptom].value(
                                 "mechanisms", nlohmann::json::array()))}};
            f.exposed.push_back(scenario);
          }
        }
      }
      nlohmann::ordered_json entry = cell;
      if (!cellNoTraversal.empty()) entry["without_server_nat_traversal"] = cellNoTraversal;
      perScenario[scenario] = entry;
    }
    nlohmann::ordered_json bySymptom = nlohmann::ordered_json::object();
    for (const std::string& symptom : symptoms) {
      const SymptomFold& f = main[symptom];
      nlohmann::ordered_json s;
      s["present"] = f.present;
      s["scenarios"] = f.scenarios;
      if (f.present) {
        s["mechanism"] = f.mechanism;
        s["cause"] = f.cause;
        if (f.remediated) {
          // A scenario that resets the router to its shipped configuration brings the ALG back:
          // said apart, not counted against the runbook.
          if (!f.back.empty()) {
            s["back_after_factory_reset_in"] = f.back;
            s["back_after_factory_reset"] = "the scenario resets the router to its shipped configuration after the "
                                            "runbook, and the ALG is on again: apply the runbook after every reset";
          }
          s["after_remediation"] = !f.stays.empty();
          if (!f.stays.empty()) {
            s["after_remediation_in"] = f.stays;
            // Honest: what stays with the ALG off is not the ALG's to fix.
            s["advice"] = f.cause == "alg"         ? "the runbook did not remove it: check that every step took effect"
                          : f.cause == "both" ? "plain NAT causes it too (it stays with the ALG off): " +
                                                    remediation::ServerSideFix(symptom)
                                              : "plain NAT causes it, not the ALG: " + remediation::ServerSideFix(symptom);
          }
        }
      }
      if (!f.exposed.empty()) {
        s["exposed_by_remediation"] = f.exposed;
        s["exposure_advice"] = "turning the ALG off exposes a plain-NAT problem its pinholes hid; fix it on the server "
                               "side first: " + remediation::ServerSideFix(symptom);
      }
      if (!f.masked.empty()) s["masked_in"] = f.masked;
      const SymptomFold& n = noTraversal[symptom];
      if (n.present || !n.masked.empty()) {
        nlohmann::ordered_json t;
        t["scenarios"] = n.scenarios;
        if (n.present) t["cause"] = n.cause;
        if (!n.masked.empty()) t["masked_in"] = n.masked;
        s["without_server_nat_traversal"] = t;
      }
      bySymptom[symptom] = s;
    }
    vendors[vendor] = {{"symptoms", bySymptom}, {"scenarios", perScenario}};
  }
  nlohmann::ordered_json out;
  out["vendors"] = vendors;
  out["scenarios"] = plan.scenarios;
  out["symptoms"] = symptoms;
  out["seed"] = plan.seed ? nlohmann::ordered_json(*plan.seed) : nlohmann::ordered_json("scenario's");
  out["runs"] = plan.runs.size();
  return out;
}

}  // namespace alglab::matrix
