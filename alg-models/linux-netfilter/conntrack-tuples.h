#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_CONNTRACK_TUPLES_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_CONNTRACK_TUPLES_H

/// \file
/// A connection as Linux conntrack sees it: two tuples, one per direction. The "original"
/// direction is the one of the packet that created the connection (the phone's first
/// REGISTER, or the registrar's INVITE through a REGISTER pinhole); its reply tuple carries the
/// translated addresses. Every rewriting rule of the SIP helper is phrased in these terms
/// ("the source of this direction", "the destination of the other direction").

#include "alg-models/linux-netfilter/kernel-text.h"

#include <cstdint>

namespace alglab::linuxnf {

/// An address and a transport port.
struct L4Endpoint {
  Ipv4 address = 0;
  std::uint16_t port = 0;
  friend bool operator==(const L4Endpoint& a, const L4Endpoint& b) {
    return a.address == b.address && a.port == b.port;
  }
  friend bool operator!=(const L4Endpoint& a, const L4Endpoint& b) { return !(a == b); }
};

/// Direction of a packet relative to its connection.
enum class CtDirection : std::uint8_t { Original = 0, Reply = 1 };

inline CtDirection Opposite(CtDirection d) {
  return d == CtDirection::Original ? CtDirection::Reply : CtDirection::Original;
}

/// IP protocol numbers the helper distinguishes.
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;

/// The two tuples of one connection.
struct ConntrackTuples {
  L4Endpoint source[2];       ///< indexed by CtDirection
  L4Endpoint destination[2];  ///< indexed by CtDirection
  std::uint8_t protocol = kProtoUdp;

  const L4Endpoint& Src(CtDirection d) const { return source[static_cast<int>(d)]; }
  const L4Endpoint& Dst(CtDirection d) const { return destination[static_cast<int>(d)]; }

  /// Whether NAT changed anything (the kernel's IPS_NAT_MASK): only then does it rewrite.
  bool IsNatted() const {
    return Src(CtDirection::Original) != Dst(CtDirection::Reply) ||
           Dst(CtDirection::Original) != Src(CtDirection::Reply);
  }

  /// A connection opened by `inside` toward `remote` and translated to `outside`.
  static ConntrackTuples Outbound(L4Endpoint inside, L4Endpoint outside, L4Endpoint remote,
                                  std::uint8_t protocol = kProtoUdp) {
    ConntrackTuples t;
    t.source[0] = inside;
    t.destination[0] = remote;
    t.source[1] = remote;
    t.destination[1] = outside;
    t.protocol = protocol;
    return t;
  }

  /// A connection opened by `remote` toward `outside` and forwarded to `inside`.
  static ConntrackTuples Inbound(L4Endpoint remote, L4Endpoint outside, L4Endpoint inside,
                                 std::uint8_t protocol = kProtoUdp) {
    ConntrackTuples t;
    t.source[0] = remote;
    t.destination[0] = outside;
    t.source[1] = inside;
    t.destination[1] = remote;
    t.protocol = protocol;
    return t;
  }
};

}  // namespace alglab::linuxnf

#endif
