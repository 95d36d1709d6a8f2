#ifndef ALGLAB_NAT_NAT_CONFIG_H
#define ALGLAB_NAT_NAT_CONFIG_H

// The behaviour knobs of a NAT, named after RFC 4787 (UDP) and RFC 5382 (TCP). The router exposes
// each one as a TypeId attribute; the table reads them on every operation, so a change applies to
// the next packet (filtering) or the next new mapping (mapping, allocation).

#include "ns3/nstime.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alglab::nat {

/// RFC 4787 section 4.1: when does an internal endpoint get a new external port?
enum class MappingBehaviour : std::uint8_t {
  EndpointIndependent,      ///< one mapping per internal endpoint, whatever the remote (REQ-1)
  AddressDependent,         ///< one mapping per internal endpoint and remote address
  AddressAndPortDependent,  ///< one mapping per internal endpoint and remote endpoint ("symmetric")
};

/// RFC 4787 section 5: which inbound packets may use an existing mapping?
enum class FilteringBehaviour : std::uint8_t {
  EndpointIndependent,      ///< anyone may send to the external port ("full cone")
  AddressDependent,         ///< only remote addresses the internal endpoint has sent to
  AddressAndPortDependent,  ///< only remote endpoints the internal endpoint has sent to
};

/// How a fallback external port is chosen when the internal port cannot be kept.
enum class PortAllocation : std::uint8_t {
  Sequential,  ///< next free port after a moving cursor (many consumer routers)
  Random,      ///< uniformly random free port (RFC 6056 style)
};

/// What the table does when a limit (mappings, expectations) is reached.
enum class EvictionPolicy : std::uint8_t {
  RefuseNew,               ///< the new entry is refused (the packet is dropped: "table-full")
  EvictOldest,             ///< the oldest entry (first created) makes room
  EvictLeastRecentlyUsed,  ///< the entry whose last packet is oldest makes room (mappings;
                           ///< expectations, which see no traffic, fall back to the oldest)
};

/// "refuse-new" / "evict-oldest" / "evict-least-recently-used".
const char* ToString(EvictionPolicy policy);
std::optional<EvictionPolicy> ParseEvictionPolicy(std::string_view name);

/// Stable names used by attributes, scenario files and reports:
/// "endpoint-independent", "address-dependent", "address-port-dependent".
const char* ToString(MappingBehaviour behaviour);
const char* ToString(FilteringBehaviour behaviour);
/// "sequential" / "random".
const char* ToString(PortAllocation allocation);

/// Inverse of ToString; std::nullopt for an unknown name.
std::optional<MappingBehaviour> ParseMappingBehaviour(std::string_view name);
std::optional<FilteringBehaviour> ParseFilteringBehaviour(std::string_view name);
std::optional<PortAllocation> ParsePortAllocation(std::string_view name);

/// All NAT behaviour knobs with the defaults of a typical office router.
struct NatConfig {
  MappingBehaviour mapping = MappingBehaviour::EndpointIndependent;
  FilteringBehaviour filtering = FilteringBehaviour::AddressAndPortDependent;
  /// UDP binding lifetime after the last refreshing packet (RFC 4787 REQ-5: at least 2 min).
  ns3::Time udpTimeout = ns3::Seconds(120);
  /// Lifetime of a UDP binding that has not yet admitted a reply (Linux `udp_timeout` vs
  /// `udp_timeout_stream`). Zero means "same as udpTimeout".
  ns3::Time udpUnrepliedTimeout = ns3::Seconds(0);
  /// TCP established idle timeout (RFC 5382 REQ-5: at least 2 h 4 min).
  ns3::Time tcpEstablishedTimeout = ns3::Seconds(7440);
  /// TCP timeout while opening or closing (RFC 5382 REQ-5: at least 4 min).
  ns3::Time tcpTransitoryTimeout = ns3::Seconds(240);
  /// Keep the internal source port as external port when it is free (and inside the range).
  bool portPreservation = true;
  /// Fallback ports keep the parity of the internal port (RFC 4787 REQ-3 recommends for RTP/RTCP).
  bool portParity = false;
  PortAllocation allocation = PortAllocation::Sequential;
  /// Inclusive range of external ports. Port 0 is never used.
  std::uint16_t portRangeMin = 1024;
  std::uint16_t portRangeMax = 65535;
  /// Whether admitted inbound UDP packets also refresh the binding (RFC 4787 REQ-6: outbound MUST,
  /// inbound MAY). TCP bindings are always refreshed by both directions.
  bool refreshOnInbound = false;
  /// Most mappings the table holds at once (0: unlimited), as a router's session table size.
  std::uint32_t maxMappings = 0;
  /// Most expectations in the whole table (0: unlimited).
  std::uint32_t maxExpectations = 0;
  /// Most expectations per master mapping (Expectation::masterMapping; 0: unlimited).
  std::uint32_t maxExpectationsPerMapping = 0;
  /// What happens when one of the limits above is reached.
  EvictionPolicy eviction = EvictionPolicy::RefuseNew;

  /// A readable description of the first inconsistency (empty port range, non-positive timeout),
  /// or std::nullopt when the configuration is usable. An unusable range never crashes the
  /// table: every allocation then fails with OutboundStatus::PortExhausted.
  std::optional<std::string> Validate() const;
};

}  // namespace alglab::nat

#endif
