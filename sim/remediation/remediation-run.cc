#include "sim/remediation/remediation-run.h"

#include "sim/remediation/remediation-advice.h"

#include <algorithm>

namespace alglab::remediation {

namespace {

nlohmann::ordered_json Names(const std::vector<std::string>& names) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& n : names) out.push_back(n);
  return out;
}

/// Names in `a` and not in `b`, in `a`'s order.
std::vector<std::string> Minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& n : a)
    if (std::find(b.begin(), b.end(), n) == b.end()) out.push_back(n);
  return out;
}

/// The remediated spec and its plan (the plan points into `runbook`).
struct PlannedSpec {
  scenario::ScenarioSpec spec;
  RemediationPlan plan;
};

PlannedSpec Plan(const scenario::ScenarioSpec& spec, const alg::Runbook& runbook, const RemediationRequest& request) {
  PlannedSpec out{spec, {}};
  out.plan = PlanRemediation(out.spec, runbook, request);
  return out;
}

nlohmann::ordered_json StepJson(const PlannedStep& planned, const nlohmann::json& routerKnobs) {
  nlohmann::ordered_json step;
  step["step"] = planned.number;
  step["title"] = planned.step->title;
  step["changes"] = nlohmann::ordered_json::array();
  for (const KnobChange& c : planned.changes) {
    std::string from = c.from;
    // A router knob's value as the run built it.
    const std::string prefix = "router.";
    if (from.empty() && c.knob.rfind(prefix, 0) == 0 && c.knob.rfind("router.alg.", 0) != 0) {
      const std::string leaf = c.knob.substr(prefix.size());
      if (routerKnobs.contains(leaf)) from = routerKnobs[leaf].value("value", "");
    }
    step["changes"].push_back({{"knob", c.knob}, {"from", from}, {"to", c.to}, {"applies", c.applies}});
  }
  step["then"] = nlohmann::ordered_json::array();
  for (alg::RunbookAction a : planned.step->then) step["then"].push_back(alg::ToString(a));
  return step;
}

}  // namespace

std::vector<std::string> PresentSymptoms(const nlohmann::ordered_json& symptoms) {
  std::vector<std::string> out;
  for (const auto& [name, entry] : symptoms.items())
    if (entry.value("present", false)) out.push_back(name);
  return out;
}

scenario::RunResult RunRemediated(const scenario::ScenarioSpec& spec, const scenario::RunOptions& options,
                                  const alg::Runbook& runbook, const RemediationRequest& request,
                                  bool eachStepAlone) {
  // Every plan is made (and so checked) before the first simulation runs.
  const PlannedSpec remediated = Plan(spec, runbook, request);
  std::vector<PlannedSpec> alone;
  if (eachStepAlone && remediated.plan.steps.size() > 1) {
    for (const PlannedStep& s : remediated.plan.steps) alone.push_back(Plan(spec, runbook, {request.at, {s.number}}));
  }

  scenario::RunOptions quiet = options;
  quiet.outDir.clear();
  quiet.evidence = false;
  quiet.measureFrom = request.at;
  const scenario::RunResult without = scenario::RunScenario(spec, quiet);
  const std::vector<std::string> before = PresentSymptoms(without.json["symptoms"]);

  scenario::RunOptions measured = options;
  measured.measureFrom = request.at;
  scenario::RunResult result = scenario::RunScenario(remediated.spec, measured);
  nlohmann::ordered_json& j = result.json;
  j["remediated"] = true;
  const std::vector<std::string> after = PresentSymptoms(j["symptoms"]);

  nlohmann::ordered_json r;
  r["runbook"] = runbook.file;
  r["at"] = request.at;
  r["measured_from"] = request.at;
  r["steps"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < remediated.plan.steps.size(); ++i) {
    nlohmann::ordered_json step = StepJson(remediated.plan.steps[i], without.json["router"]);
    if (!alone.empty()) {
      const scenario::RunResult one = scenario::RunScenario(alone[i].spec, quiet);
      const std::vector<std::string> present = PresentSymptoms(one.json["symptoms"]);
      step["alone"] = {{"present", Names(present)},
                       {"removed", Names(Minus(before, present))},
                       {"added", Names(Minus(present, before))},
                       {"alg_still_acts", AlgActsInWindow(one.json)}};
    }
    r["steps"].push_back(step);
  }
  if (remediated.plan.reregisterAt >= 0) r["phones_reregister_at"] = remediated.plan.reregisterAt;
  r["before"] = {{"present", Names(before)}, {"symptoms", without.json["symptoms"]}};
  // The same run up to T: what the devices experienced before the remediation.
  if (j.contains("symptoms_before_window"))
    r["until_then"] = {{"present", Names(PresentSymptoms(j["symptoms_before_window"]))}};
  r["after"] = {{"present", Names(after)}};
  r["removed"] = Names(Minus(before, after));
  r["remaining"] = Names(Minus(after, Minus(after, before)));
  r["exposed"] = Names(Minus(after, before));
  r["undone_at"] = remediated.plan.undoneAt;
  r["alg_still_acts"] = AlgActsInWindow(j);
  r["advice"] = Advise(without.json["symptoms"], j["symptoms"], remediated.plan.undoneAt, r["alg_still_acts"]);
  r["warnings"] = Names(runbook.warnings);
  j["remediation"] = r;
  if (!options.outDir.empty()) scenario::WriteResultFile(options.outDir, j);
  return result;
}

}  // namespace alglab::remediation
