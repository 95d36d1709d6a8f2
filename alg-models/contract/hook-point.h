#ifndef ALGLAB_ALG_MODELS_CONTRACT_HOOK_POINT_H
#define ALGLAB_ALG_MODELS_CONTRACT_HOOK_POINT_H

/// \file
/// The named places in the NAT router's packet path where ALG mechanisms run, as a real
/// router has them (netfilter's PREROUTING / FORWARD / POSTROUTING / LOCAL_IN, INET's
/// INetfilter hooks).

#include <array>
#include <cstdint>

namespace alglab::alg {

enum class HookPoint : std::uint8_t {
  /// A WAN packet toward the public address, before the NAT looks it up or filters it. A
  /// mechanism may admit what plain NAT would drop (PacketContext::AdmitTo) or drop what it
  /// would admit. `translated` equals `original` here: nothing is translated yet.
  InboundPreFilter,
  /// A WAN packet the NAT admitted and DNATed, before it is routed into the LAN.
  InboundPostDnat,
  /// A LAN packet leaving on the WAN, after SNAT chose the public source endpoint.
  OutboundPostSnat,
  /// A UDP/TCP packet addressed to the router itself: from the LAN to one of its addresses, or
  /// from the WAN to the public address when no mapping or expectation claims it. For an ALG
  /// that terminates SIP itself (a proxy): it steals the packet and answers.
  LocalIn,
};

constexpr std::size_t kHookPointCount = 4;

/// All hook points, in packet-path order.
constexpr std::array<HookPoint, kHookPointCount> kAllHookPoints{
    HookPoint::InboundPreFilter, HookPoint::InboundPostDnat, HookPoint::OutboundPostSnat,
    HookPoint::LocalIn};

/// "inbound-pre-filter", "inbound-post-dnat", "outbound-post-snat", "local-in".
const char* ToString(HookPoint point);

constexpr std::size_t Index(HookPoint point) { return static_cast<std::size_t>(point); }

}  // namespace alglab::alg

#endif
