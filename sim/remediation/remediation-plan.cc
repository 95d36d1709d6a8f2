#include "sim/remediation/remediation-plan.h"

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"
#include "sim/scenario/value-parsing.h"

#include "ns3/nstime.h"

#include <algorithm>
#include <set>

namespace alglab::remediation {

namespace {

/// How long the router is down after a reboot, as the spec builds it.
double BootSeconds(const scenario::ScenarioSpec& spec) {
  const std::string* text = scenario::FindKnobValue(spec.router.knobs, "BootTime");
  return text ? ns3::Time(*text).GetSeconds() : 30.0;
}

std::string Origin(const alg::Runbook& runbook, const alg::RunbookStep& step, std::size_t number) {
  return runbook.file + ":" + std::to_string(step.line) + " (step " + std::to_string(number) + ")";
}

}  // namespace

std::vector<std::size_t> ParseStepList(const std::string& text, std::size_t count) {
  const std::string where = "--remediate-steps " + text + ": ";
  std::vector<std::size_t> steps;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const auto n = scenario::ParseUnsigned(item);
    if (!n) throw scenario::ScenarioError(where + "'" + item + "' is not a step number");
    if (*n == 0 || *n > count)
      throw scenario::ScenarioError(where + "no step " + item + " (the runbook has steps 1-" + std::to_string(count) + ")");
    if (std::find(steps.begin(), steps.end(), *n) != steps.end())
      throw scenario::ScenarioError(where + "step " + item + " named twice");
    steps.push_back(static_cast<std::size_t>(*n));
    start = comma + 1;
  }
  return steps;
}

RemediationPlan PlanRemediation(scenario::ScenarioSpec& spec, const alg::Runbook& runbook,
                                const RemediationRequest& request) {
  if (!(request.at >= 0) || request.at >= spec.duration)
    throw scenario::ScenarioError("--remediate-at " + scenario::FormatSeconds(request.at) +
                                  ": outside the run (0 to " + scenario::FormatSeconds(spec.duration) + ")");
  RemediationPlan plan;
  plan.runbook = &runbook;
  plan.at = request.at;
  std::vector<std::size_t> numbers = request.steps;
  if (numbers.empty())
    for (std::size_t i = 1; i <= runbook.steps.size(); ++i) numbers.push_back(i);

  // The model as this run builds it: the `from` of each vendor knob and its semantics.
  ns3::Ptr<alg::AlgModel> model;
  if (spec.router.vendor != "none") {
    try {
      model = alg::CreateAlgModel(spec.router.vendor, spec.router.alg);
    } catch (const alg::AlgConfigError& e) {
      throw scenario::ScenarioError(std::string("router.alg: ") + e.what());
    }
  }

  std::vector<scenario::TimelineEvent> events;
  bool reboots = false;
  for (std::size_t number : numbers) {
    if (number == 0 || number > runbook.steps.size())
      throw scenario::ScenarioError(runbook.file + ": no step " + std::to_string(number));
    const alg::RunbookStep& step = runbook.steps[number - 1];
    PlannedStep planned;
    planned.number = number;
    planned.step = &step;
    const std::string origin = Origin(runbook, step, number);
    for (const auto& [knob, value] : step.set) {
      scenario::TimelineEvent ev;
      ev.at = request.at;
      ev.line = step.line;
      ev.origin = origin;
      const scenario::SetAction set = scenario::MakeSetAction(origin, spec, knob, value);
      KnobChange change{knob, "", value, "immediate"};
      if (set.object == "router.alg") {
        if (!model || !model->HasKnob(set.attribute))
          throw scenario::ScenarioError(origin + ": " + knob + ": the vendor " + spec.router.vendor + " has no such knob");
        change.from = model->GetKnob(set.attribute);
        change.applies = alg::ToString(model->SemanticsOf(set.attribute));
      }
      ev.action = set;
      events.push_back(ev);
      planned.changes.push_back(change);
    }
    for (alg::RunbookAction action : step.then) {
      scenario::TimelineEvent ev;
      ev.at = request.at;
      ev.line = step.line;
      ev.origin = origin;
      switch (action) {
        case alg::RunbookAction::Save: ev.action = scenario::ConfigAction{scenario::ConfigAction::Kind::Save, "router"}; break;
        case alg::RunbookAction::Flush: ev.action = scenario::FlushAction{"router"}; break;
        case alg::RunbookAction::Reboot:
          ev.action = scenario::RebootAction{"router"};
          reboots = true;
          break;
      }
      events.push_back(ev);
    }
    plan.steps.push_back(std::move(planned));
  }

  // The phones are restarted once the router is back: before their first registration (at 0,
  // without a reboot) there is nothing to redo.
  if (runbook.reregister && (request.at > 0 || reboots)) {
    plan.reregisterAt = request.at + (reboots ? BootSeconds(spec) : 0.0) + 1.0;
    if (plan.reregisterAt < spec.duration) {
      for (const auto& phone : spec.phones) {
        scenario::TimelineEvent ev;
        ev.at = plan.reregisterAt;
        ev.action = scenario::ReregisterAction{phone.extension, 5};
        events.push_back(ev);
      }
    } else {
      plan.reregisterAt = -1;
    }
  }

  // What puts the shipped configuration (ALG on) back after the remediation.
  const std::string* resets = scenario::FindKnobValue(spec.router.knobs, "ResetConfigOnReboot");
  const bool resetOnReboot = resets != nullptr && *resets == "true";
  for (const auto* list : {&events, &spec.timeline}) {
    for (const auto& ev : *list) {
      if (ev.at < request.at) continue;
      const auto* config = std::get_if<scenario::ConfigAction>(&ev.action);
      if ((config && config->kind == scenario::ConfigAction::Kind::FactoryReset) ||
          (resetOnReboot && std::holds_alternative<scenario::RebootAction>(ev.action)))
        plan.undoneAt.push_back(ev.at);
    }
  }
  std::sort(plan.undoneAt.begin(), plan.undoneAt.end());

  // Ahead of the file's events at the same time: the administrator acted first.
  std::vector<scenario::TimelineEvent> timeline = std::move(events);
  for (auto& ev : spec.timeline) timeline.push_back(std::move(ev));
  std::stable_sort(timeline.begin(), timeline.end(),
                   [](const scenario::TimelineEvent& a, const scenario::TimelineEvent& b) { return a.at < b.at; });
  spec.timeline = std::move(timeline);
  return plan;
}

}  // namespace alglab::remediation
