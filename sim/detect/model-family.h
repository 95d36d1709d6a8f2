#ifndef ALGLAB_DETECT_MODEL_FAMILY_H
#define ALGLAB_DETECT_MODEL_FAMILY_H

/// \file
/// What a vendor model configured with given knobs is, independently of the detector: the
/// truth the detector's accuracy is measured against, and the family label its references
/// carry.
///
/// Presence and rewrite kind come from the model itself: a REGISTER, an INVITE with SDP and an
/// OPTIONS (port 5060 over UDP and over TCP, the flow topology) are replayed through the
/// model's own chains (sim/mangle/flow-replay.h, no detector involved). Nothing changed,
/// dropped, taken or answered: no ALG acts ("none"). A request that arrives with a Via the
/// phone did not add or another branch, or one the router sends on by itself: the ALG
/// re-originates ("proxy"). Any other change of the bytes, an ALG drop, or a request the router
/// takes or answers itself: "rewrite" (it acts in place).
///
/// The family: models that run a shared composition (alg-models/contract/compositions/NAME.yaml)
/// are one family named after it whenever that composition's mechanisms are what is active,
/// e.g. the Linux kernel helper (linux-kernel-helper: linux-netfilter, mikrotik, unifi,
/// tp-link, billion, d-link, and fortigate with default-voip-alg-mode kernel-helper-based); a
/// code model counts when its active mechanisms are of the composition's types. Every other
/// model is a family of its own, named after the model. A configuration with no ALG acting is
/// "none".

#include <map>
#include <string>
#include <vector>

namespace alglab::detect {

struct ModelTruth {
  bool present = false;
  std::string kind = "none";  ///< "none", "rewrite" or "proxy"
  std::string family = "none";
};

/// The truth for `vendor` with `knobs` (vendor knob -> value). Runs the model outside any
/// simulation (call it between simulations). Throws alg::AlgConfigError for a bad knob.
ModelTruth TruthOf(const std::string& vendor, const std::map<std::string, std::string>& knobs);

/// The family of `vendor` with `knobs` when its ALG acts (the rule above).
std::string FamilyOf(const std::string& vendor, const std::map<std::string, std::string>& knobs);

}  // namespace alglab::detect

#endif
