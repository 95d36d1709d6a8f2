#ifndef ALGLAB_SIM_REMEDIATION_REMEDIATION_PLAN_H
#define ALGLAB_SIM_REMEDIATION_REMEDIATION_PLAN_H

/// \file
/// A runbook turned into what the simulation does: each step's knob changes and its
/// save/flush/reboot as timeline events at the remediation time, then the phones restarted
/// as the runbook says. Nothing is switched off behind the router's back: the router applies
/// each change with the knob's declared semantics (at once, for new sessions, after a reboot),
/// so a step that needs a flush or a reboot it does not get has no effect yet, and a change
/// that was not saved is lost at the next reboot.

#include "alg-models/contract/runbook.h"
#include "sim/scenario/scenario-spec.h"

#include <cstddef>
#include <string>
#include <vector>

namespace alglab::remediation {

struct RemediationRequest {
  double at = 0;                   ///< seconds; 0 = before the first registration
  std::vector<std::size_t> steps;  ///< 1-based step numbers in order; empty = every step
};

/// One knob change a step makes: `from` is the value the run had (filled by the run), `to`
/// the runbook's.
struct KnobChange {
  std::string knob;  ///< dotted name: router.alg.<vendor knob> or router.<knob>
  std::string from;
  std::string to;
  std::string applies;  ///< immediate / new-sessions / after-reboot
};

struct PlannedStep {
  std::size_t number = 0;  ///< 1-based, as the runbook numbers it
  const alg::RunbookStep* step = nullptr;
  std::vector<KnobChange> changes;
};

struct RemediationPlan {
  const alg::Runbook* runbook = nullptr;
  double at = 0;
  std::vector<PlannedStep> steps;
  /// When the phones are restarted (re-register); negative when they are not (the runbook
  /// does not ask, or the remediation precedes their first registration and no reboot).
  double reregisterAt = -1;
  /// Times at or after the remediation when the scenario puts the router's shipped
  /// configuration back (a factory_reset, or any reboot of a router that resets on reboot,
  /// the runbook's own included): from then on the ALG is on again.
  std::vector<double> undoneAt;
};

/// "1,3" -> {1, 3}, each within 1..count, no repeats. Throws ScenarioError naming `text`.
std::vector<std::size_t> ParseStepList(const std::string& text, std::size_t count);

/// Adds the remediation's events to `spec`'s timeline (before the file's own events at the
/// same time) and returns what it planned. Knob changes are checked as the scenario loader
/// checks a timeline `set:`. Throws ScenarioError for a time outside the run, a step number
/// beyond the runbook, or a knob the vendor does not have.
RemediationPlan PlanRemediation(scenario::ScenarioSpec& spec, const alg::Runbook& runbook,
                                const RemediationRequest& request);

}  // namespace alglab::remediation

#endif
