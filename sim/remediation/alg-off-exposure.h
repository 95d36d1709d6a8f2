#ifndef ALGLAB_SIM_REMEDIATION_ALG_OFF_EXPOSURE_H
#define ALGLAB_SIM_REMEDIATION_ALG_OFF_EXPOSURE_H

/// \file
/// What a vendor's router does to SIP once its ALG is off: plain NAT, with that vendor's own
/// NAT defaults. The ALG's pinholes and rewrites had been doing part of the NAT traversal, so
/// each gap they leave is named with the server-side (or phone-side) fix that closes it. The
/// runbook (`alglab remediate`) prints these as its warnings; the simulation proves each one
/// where a scenario exposes it (the matrix's `exposed_by_remediation`).

#include <nlohmann/json.hpp>

#include <string>

namespace alglab::remediation {

/// [{"risk", "fix"}] for `vendor`'s router with its ALG off: UDP bindings that close after the
/// vendor's UDP timeout, inbound filtering of the vendor's kind, no media pinholes, no Contact
/// rewriting. Throws ScenarioError for an unknown vendor.
nlohmann::ordered_json AlgOffExposure(const std::string& vendor);

}  // namespace alglab::remediation

#endif
