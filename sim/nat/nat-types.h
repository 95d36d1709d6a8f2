#ifndef ALGLAB_NAT_NAT_TYPES_H
#define ALGLAB_NAT_NAT_TYPES_H

// The vocabulary shared by the NAT table, the router and ALG hooks: transport protocol, transport
// endpoint (address:port), 5-tuple and packet direction. Plain value types with cheap hashing so
// the table can key hash maps by them.

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <functional>
#include <ostream>

namespace alglab::nat {

/// Transport protocols the NAT translates. Values are the IP protocol numbers.
enum class L4Protocol : std::uint8_t {
  Tcp = 6,
  Udp = 17,
};

/// "udp" / "tcp".
const char* ToString(L4Protocol protocol);

/// Which way a packet crosses the router.
enum class Direction : std::uint8_t {
  Outbound,  ///< LAN -> WAN: source gets translated (SNAT)
  Inbound,   ///< WAN -> LAN: destination gets translated (DNAT)
};

/// "outbound" / "inbound".
const char* ToString(Direction direction);

/// A transport endpoint. A default-constructed endpoint (0.0.0.0:0) doubles as "any" in patterns.
struct Endpoint {
  // Explicitly 0.0.0.0: a default ns3::Ipv4Address is the "uninitialised" 102.102.102.102.
  ns3::Ipv4Address address = ns3::Ipv4Address::GetAny();
  std::uint16_t port = 0;

  /// Packs address and port into one integer: a cheap, collision-free hash-map key.
  std::uint64_t Key() const {
    return (static_cast<std::uint64_t>(address.Get()) << 16) | port;
  }
  friend bool operator==(const Endpoint& a, const Endpoint& b) {
    return a.address == b.address && a.port == b.port;
  }
  friend bool operator!=(const Endpoint& a, const Endpoint& b) { return !(a == b); }
};

/// "10.0.0.2:5060".
std::ostream& operator<<(std::ostream& os, const Endpoint& endpoint);

/// A transport flow as seen in one IP packet.
struct FiveTuple {
  L4Protocol protocol = L4Protocol::Udp;
  Endpoint source;
  Endpoint destination;

  friend bool operator==(const FiveTuple& a, const FiveTuple& b) {
    return a.protocol == b.protocol && a.source == b.source && a.destination == b.destination;
  }
};

/// "udp 10.0.0.2:5060 > 203.0.113.2:5060".
std::ostream& operator<<(std::ostream& os, const FiveTuple& tuple);

/// Mixes a 64-bit value into a well-spread hash (finaliser of splitmix64). Our keys are packed
/// addresses and ports whose low bits vary little, so std::hash's identity would cluster.
inline std::size_t MixHash(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return static_cast<std::size_t>(x);
}

/// Hash functor for integer keys built with Endpoint::Key() and similar packing.
struct PackedKeyHash {
  std::size_t operator()(std::uint64_t key) const { return MixHash(key); }
};

}  // namespace alglab::nat

#endif
