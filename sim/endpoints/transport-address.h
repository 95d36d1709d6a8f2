#ifndef ALGLAB_ENDPOINTS_TRANSPORT_ADDRESS_H
#define ALGLAB_ENDPOINTS_TRANSPORT_ADDRESS_H

// An IPv4 address and UDP port: where a SIP message or RTP packet comes from or goes to.
// Plain value type so maps keyed by it iterate in a deterministic order.

#include <ns3/ipv4-address.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alglab {

/// True for RFC 1918 (10/8, 172.16/12, 192.168/16) and RFC 6598 shared (100.64/10) addresses:
/// the ones a NAT hides and the public internet cannot reach.
bool IsPrivateAddress(ns3::Ipv4Address address);

struct TransportAddress {
  ns3::Ipv4Address ip;
  std::uint16_t port = 0;

  /// False for the unset value (0.0.0.0:0), which is never a usable destination.
  bool IsValid() const { return ip != ns3::Ipv4Address::GetAny() && port != 0; }
  /// "192.0.2.1:5060"
  std::string ToString() const;

  bool operator==(const TransportAddress& o) const { return ip == o.ip && port == o.port; }
  bool operator!=(const TransportAddress& o) const { return !(*this == o); }
  bool operator<(const TransportAddress& o) const {
    return ip.Get() != o.ip.Get() ? ip.Get() < o.ip.Get() : port < o.port;
  }
};

/// Strict dotted-quad parser ("10.0.0.1"); nullopt for host names or anything malformed.
/// ns3::Ipv4Address's own string constructor accepts garbage silently, so SIP text from the wire
/// (possibly rewritten by an ALG) must go through this instead.
std::optional<ns3::Ipv4Address> ParseIpv4(std::string_view text);

/// Host (IPv4 literal) and optional port as found in a URI or Via; `defaultPort` when absent.
std::optional<TransportAddress> MakeTransportAddress(std::string_view host,
                                                     std::optional<std::uint16_t> port,
                                                     std::uint16_t defaultPort = 5060);

/// Dotted-quad text of an address without going through ostream (cheap, allocation-light).
std::string Ipv4ToString(ns3::Ipv4Address ip);

}  // namespace alglab

#endif
