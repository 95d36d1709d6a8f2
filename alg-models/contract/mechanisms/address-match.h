#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_ADDRESS_MATCH_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_ADDRESS_MATCH_H

/// \file
/// The match predicate of an ALG address rewrite: which "address[:port]" text found in a SIP
/// header or SDP line counts as the endpoint the NAT translated. Routers differ exactly here:
/// the Linux kernel rewrites only the packet's exact source or destination address and port,
/// many CPE rewrite every occurrence of the inside address whatever the port, some rewrite any
/// private address they see.

#include "alg-models/contract/router-view.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace alglab::alg {

enum class AddressMatch : std::uint8_t {
  /// The text names exactly the endpoint: same address and same port.
  AddressAndPort,
  /// The text names the endpoint's address; its port does not matter.
  AddressOnly,
  /// The text names any private address: RFC 1918, or inside one of the router's LAN prefixes.
  AnyPrivate,
};

/// "address-and-port" / "address-only" / "any-private".
const char* ToString(AddressMatch rule);
/// The inverse of ToString; nullopt for anything else.
std::optional<AddressMatch> ParseAddressMatch(std::string_view text);

/// The address a dotted-quad text names ("10.0.0.2"), host byte order; nullopt for any other
/// text (a host name, an IPv6 address): ns-3's Ipv4Address would parse anything.
std::optional<std::uint32_t> ParseDottedQuad(std::string_view text);

/// True for 10/8, 172.16/12 and 192.168/16 (host byte order).
bool IsRfc1918(std::uint32_t address);

/// True when text "textAddress:textPort" counts as endpoint "endpointAddress:endpointPort"
/// under `rule` (addresses in host byte order). `view` (may be nullptr) supplies the router's
/// LAN prefixes for AnyPrivate.
bool AddressMatches(AddressMatch rule, std::uint32_t textAddress, std::uint16_t textPort,
                    std::uint32_t endpointAddress, std::uint16_t endpointPort,
                    const RouterView* view);

}  // namespace alglab::alg

#endif
