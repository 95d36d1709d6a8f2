#ifndef ALGLAB_PROBES_SYMPTOM_MECHANISMS_H
#define ALGLAB_PROBES_SYMPTOM_MECHANISMS_H

// Which mechanisms acted on the traffic a symptom is about: the ALG's (a rewrite of a field or
// a drop, by the mechanism the router attributed it to) and plain NAT's (a drop by filtering,
// an expired binding, a reboot). Each symptom is about some SIP methods and perhaps RTP; the
// mechanisms that touched those are the candidates a verdict names, drops before rewrites and
// media-bearing fields before routing headers. Plain C++ over the run's JSON records.

#include <nlohmann/json.hpp>

#include <string>

namespace alglab::probes {

/// [{"mechanism","action":"dropped"|"rewrote","message","field"|"reason","count"}], at most
/// `limit`, strongest first. `alg` is AlgActivity::ToJson(), `natDrops` NatDrops::ToJson().
/// A plain-NAT entry's mechanism is "nat:<reason>" (nat:filtered, nat:no-mapping, ...).
nlohmann::json SymptomMechanisms(const std::string& symptom, const nlohmann::json& alg,
                                 const nlohmann::json& natDrops, std::size_t limit = 6);

/// One line for a matrix cell: "helper dropped outbound INVITE (all ports in use for SDP
/// media)"; "" for an empty list. Without counts, so a cell stays put while volumes shift.
std::string DescribeMechanisms(const nlohmann::json& entries, std::size_t limit = 2);

}  // namespace alglab::probes

#endif
