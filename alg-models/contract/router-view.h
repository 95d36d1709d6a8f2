#ifndef ALGLAB_ALG_MODELS_CONTRACT_ROUTER_VIEW_H
#define ALGLAB_ALG_MODELS_CONTRACT_ROUTER_VIEW_H

/// \file
/// What a mechanism may know about the router it runs in: its interfaces, their addresses and
/// prefixes. Filled in by the router from its real Ipv4 configuration (or by `alglab mangle`
/// from the flow topology), so no model needs an "assumed prefix" knob.

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <vector>

namespace alglab::alg {

/// One IPv4 interface address of the router.
struct RouterInterface {
  std::uint32_t index = 0;  ///< Ipv4 interface index
  ns3::Ipv4Address address = ns3::Ipv4Address::GetAny();
  ns3::Ipv4Mask mask = ns3::Ipv4Mask::GetZero();

  /// True when `host` is inside this interface's prefix.
  bool Contains(ns3::Ipv4Address host) const { return mask.IsMatch(address, host); }
  /// The prefix length (0..32).
  std::uint16_t PrefixLength() const { return mask.GetPrefixLength(); }
};

struct RouterView {
  /// The WAN interface (address = the public address). index is meaningless until `hasWan`.
  RouterInterface wan;
  bool hasWan = false;
  /// Every other non-loopback interface address, in interface order.
  std::vector<RouterInterface> lan;

  /// The LAN interface whose prefix holds `host`, or nullptr.
  const RouterInterface* LanFor(ns3::Ipv4Address host) const {
    for (const RouterInterface& i : lan) {
      if (i.Contains(host)) return &i;
    }
    return nullptr;
  }
  /// True when `host` is on one of the LAN prefixes.
  bool OnLan(ns3::Ipv4Address host) const { return LanFor(host) != nullptr; }
};

}  // namespace alglab::alg

#endif
