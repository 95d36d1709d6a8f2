#ifndef ALGLAB_PROBES_NAT_DROPS_H
#define ALGLAB_PROBES_NAT_DROPS_H

// What the router dropped other than by its ALG, and what those packets were: plain NAT's
// side of a diagnosis ("filtered" inbound INVITEs are NAT filtering, "no-mapping" inbound RTP
// is a binding that expired). Fed from the router's "Drop" trace; plain C++.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace alglab::probes {

class NatDrops {
 public:
  /// One dropped packet: the router's reason, whether it came from the WAN, and its UDP/TCP
  /// payload (empty when it has none or is a fragment). Drops the ALG decided ("alg",
  /// "alg:<reason>") are left to AlgActivity, which knows the mechanism.
  void OnDrop(std::string_view reason, bool inbound, std::string_view payload);

  /// {"<reason>":{"<inbound|outbound> <kind>":n}}, kind as AlgActivity::MessageKind, or "RTP",
  /// or "other".
  nlohmann::json ToJson() const;

  /// "RTP" for an RTP version-2 datagram, else the SIP message kind, else "other".
  static std::string PacketKind(std::string_view payload);

 private:
  std::map<std::string, std::map<std::string, std::uint64_t>> m_counts;
};

}  // namespace alglab::probes

#endif
