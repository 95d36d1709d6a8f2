#ifndef ALGLAB_SIM_REMEDIATION_REMEDIATION_ADVICE_H
#define ALGLAB_SIM_REMEDIATION_REMEDIATION_ADVICE_H

/// \file
/// Honest advice after a remediation: a symptom the ALG caused is fixed by turning it off; one
/// that stays with the ALG off is plain NAT's, and the fix is on the server side (never "turn
/// the ALG off" again); one that appears only once the ALG is off was hidden by the ALG's
/// pinholes, so the runbook warns and names the server-side fix. Plain C++ over run JSON.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace alglab::remediation {

/// The server-side (or phone-side) fix for a plain-NAT cause of `symptom`: rport and Contact
/// fixing, media latching, keepalives shorter than the NAT's UDP timeout, ...
std::string ServerSideFix(const std::string& symptom);

/// True when a symptom's `mechanisms` list (SymptomMechanisms) names an ALG mechanism, not
/// only plain NAT ("nat:<reason>").
bool AlgActed(const nlohmann::json& mechanisms);

/// One entry per symptom present before or after: {"symptom", "verdict", "advice"}, verdict
/// one of "fixed" (the ALG caused it; the remediation removed it), "alg-still-active" (the ALG
/// still acts on it: a step is missing or not yet in effect), "plain-nat" (present with the ALG
/// off: not the ALG's doing), "exposed" (appears only with the ALG off: its pinholes hid a
/// plain-NAT problem), or "alg-back-after-reset" (the ALG acts again because the router went
/// back to its shipped configuration after the remediation: `undoneAt` not empty). `before`
/// and `after` are run JSON "symptoms" objects.
/// A symptom gone while `algActs` (the ALG still rewrote or dropped SIP after the remediation)
/// is "gone-alg-still-active": the run's timing changed (a reboot, phones restarted), not the
/// ALG.
nlohmann::ordered_json Advise(const nlohmann::ordered_json& before, const nlohmann::ordered_json& after,
                              const std::vector<double>& undoneAt = {}, bool algActs = false);

/// True when a run's ALG rewrote or dropped anything in its measuring window (the whole run
/// without one).
bool AlgActsInWindow(const nlohmann::ordered_json& result);

}  // namespace alglab::remediation

#endif
