#ifndef ALGLAB_NAT_NAT_TABLE_H
#define ALGLAB_NAT_NAT_TABLE_H

// The translation state of a NAT: mappings (bindings), the conntrack-like sessions inside each
// mapping, and expectations (pinholes) that ALGs open for traffic they predict.
//
// Plain C++: no Simulator calls. Every operation takes the current time, so tests drive it with
// made-up times and the router passes Simulator::Now(). Expiry is lazy (a lookup that meets an
// expired entry removes it) plus an explicit Sweep() the router schedules.
//
// Model (documented assumptions):
// - One external port belongs to at most one mapping per protocol (no port overloading). A
//   mapping is found outbound by (protocol, internal endpoint, remote masked by the mapping
//   behaviour) and inbound by (protocol, external port).
// - Each mapping keeps one session per remote endpoint it exchanged packets with. Filtering asks
//   whether a live session matches the inbound source; a session lives until `timeout` after the
//   last packet that refreshed it.
// - Sessions die with their mapping. A mapping dies `timeout` after the last refreshing packet.
// - Iteration that can be observed (callbacks, Mappings(), Sweep) happens in mapping-id order, so
//   results never depend on hash-map layout.

#include "sim/nat/nat-config.h"
#include "sim/nat/nat-types.h"
#include "sim/nat/tcp-sequence-adjust.h"

#include "ns3/nstime.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <unordered_map>
#include <vector>

namespace alglab::nat {

/// TCP header flag bits the table looks at (values as on the wire).
namespace tcp_flags {
constexpr std::uint8_t kFin = 0x01;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kRst = 0x04;
constexpr std::uint8_t kAck = 0x10;
}  // namespace tcp_flags

/// Coarse state of one TCP connection; it only selects the timeout (RFC 5382 REQ-5: Opening
/// and Closing use the transitory one).
enum class TcpState : std::uint8_t {
  Opening,      ///< SYNs seen, not yet ACKed after traffic in both directions
  Established,  ///< both directions seen, ACKs flowing
  Closing,      ///< FIN or RST seen; a new SYN reopens
};

/// One remote endpoint a mapping has talked to: the filtering state plus counters. For TCP a
/// session is one connection (internal endpoint, remote endpoint) with its own state.
struct Session {
  Endpoint remote;
  ns3::Time expiresAt;  ///< filtering admits this remote while now < expiresAt
  std::uint64_t packetsOut = 0;
  std::uint64_t packetsIn = 0;
  std::uint64_t bytesOut = 0;
  std::uint64_t bytesIn = 0;
  TcpState tcpState = TcpState::Opening;  ///< TCP only
  /// TCP only: the connection to `remote` after ALG rewrites that changed payload lengths.
  /// A SYN without ACK (a new connection on the same 4-tuple) resets it.
  TcpSequenceAdjust sequenceAdjust;
};

/// Why a mapping exists.
enum class MappingOrigin : std::uint8_t {
  Outbound,     ///< created by an outbound packet
  Reserved,     ///< created by ReserveMapping (an ALG predicting traffic)
  Expectation,  ///< created by an inbound packet that matched an expectation
};

/// A binding internal endpoint <-> external endpoint, with its sessions.
struct Mapping {
  std::uint64_t id = 0;  ///< unique over the table's lifetime (also across Clear())
  L4Protocol protocol = L4Protocol::Udp;
  Endpoint internal;
  Endpoint external;
  /// The remote part of the lookup key: 0.0.0.0:0 under endpoint-independent mapping, the remote
  /// address (port 0) under address-dependent, the remote endpoint under address-port-dependent.
  Endpoint remotePattern;
  /// False when another mapping already held the lookup key at creation (possible only for
  /// mappings created from expectations); such a mapping is reachable by external port only.
  bool keyed = true;
  MappingOrigin origin = MappingOrigin::Outbound;
  ns3::Time createdAt;
  ns3::Time expiresAt;
  ns3::Time lastUsed;  ///< time of the last packet through it (creation counts)
  /// Set by an ALG through SetMappingTimeout; zero means "use the configured timeouts".
  ns3::Time timeoutOverride;
  bool sentOutbound = false;  ///< at least one outbound packet used it
  bool replied = false;       ///< at least one inbound packet was admitted
  std::uint64_t packetsOut = 0;
  std::uint64_t packetsIn = 0;
  std::uint64_t bytesOut = 0;
  std::uint64_t bytesIn = 0;
  /// Sessions keyed by Endpoint::Key() of the remote. Use SortedSessions() for reports.
  std::unordered_map<std::uint64_t, Session, PackedKeyHash> sessions;

  /// The session with exactly this remote, or nullptr (expired sessions included).
  const Session* FindSession(const Endpoint& remote) const;
  /// Sessions ordered by remote address, then port.
  std::vector<Session> SortedSessions() const;
};

enum class OutboundStatus : std::uint8_t {
  Translated,     ///< use `external` as the new source
  PortExhausted,  ///< no free external port: drop the packet
  TableFull,      ///< the mapping limit is reached and the policy refuses new ones
};

struct OutboundResult {
  OutboundStatus status = OutboundStatus::PortExhausted;
  Endpoint external;
  /// Valid until the next call that may create or remove mappings.
  const Mapping* mapping = nullptr;
  bool created = false;  ///< this call created the mapping
};

enum class InboundStatus : std::uint8_t {
  Admitted,   ///< deliver to `internal`
  NoMapping,  ///< no live mapping owns the external port and no expectation matched
  Filtered,   ///< a mapping exists but its filtering rejects the source
  TableFull,  ///< an expectation matched but the mapping limit refused the mapping it needs
};

/// A pinhole an ALG opens for traffic it predicts (RTP after an SDP offer, an INVITE toward a
/// registered phone). Zero/any fields are wildcards.
struct Expectation {
  L4Protocol protocol = L4Protocol::Udp;
  std::uint16_t externalPort = 0;  ///< 0: any external port that is free or already maps to `internal`
  Endpoint remote;                 ///< address 0.0.0.0: any; port 0: any
  Endpoint internal;               ///< where an admitted packet goes
  ns3::Time timeout = ns3::Seconds(180);  ///< from AddExpectation; ns3::Time::Max() = forever
  /// false: the first admitted packet consumes the expectation (the session it creates admits
  /// the rest, as filtering allows). true: it keeps admitting new remotes until removed/expired.
  bool persistent = false;
  std::uint64_t owner = 0;  ///< caller-chosen tag for RemoveExpectations (e.g. a dialog id)
  /// Mapping the expectation belongs to (0: none), for the per-mapping limit
  /// (NatLimits::maxExpectationsPerMapping) and so it dies with that mapping's flush.
  std::uint64_t masterMapping = 0;
};

struct InboundResult {
  InboundStatus status = InboundStatus::NoMapping;
  Endpoint internal;
  const Mapping* mapping = nullptr;  ///< valid until the next mutating call
  bool viaExpectation = false;       ///< admitted because an expectation matched
  /// When viaExpectation: the id of the expectation that admitted the packet (it may be gone
  /// now if it was one-shot) and a copy of it.
  std::uint64_t expectationId = 0;
  Expectation expectation;
};


/// Counters over the table's lifetime (not reset by Clear()).
struct NatTableStats {
  std::uint64_t mappingsCreated = 0;
  std::uint64_t mappingsExpired = 0;
  std::uint64_t mappingsCleared = 0;
  std::uint64_t allocationFailures = 0;
  std::uint64_t expectationsAdded = 0;
  std::uint64_t expectationsMatched = 0;
  std::uint64_t expectationsExpired = 0;
  std::uint64_t mappingsEvicted = 0;
  std::uint64_t mappingsRefused = 0;       ///< refused because the table was full
  std::uint64_t expectationsEvicted = 0;
  std::uint64_t expectationsRefused = 0;
};

/// Why a mapping left the table (reported to the removal callback).
enum class RemovalReason : std::uint8_t { Expired, Cleared, Removed, Evicted };

/// "expired" / "cleared" / "removed" / "evicted".
const char* ToString(RemovalReason reason);

/// What Sweep() did and when the next entry will expire.
struct SweepResult {
  std::size_t mappingsRemoved = 0;
  std::size_t expectationsRemoved = 0;
  /// Earliest finite expiry left in the table; std::nullopt when nothing will ever expire.
  std::optional<ns3::Time> nextExpiry;
};

class NatTable {
 public:
  /// Returns a uniformly distributed integer in [min, max] (inclusive).
  using PortPicker = std::function<std::uint32_t(std::uint32_t min, std::uint32_t max)>;
  using MappingCreatedCallback = std::function<void(const Mapping&)>;
  using MappingRemovedCallback = std::function<void(const Mapping&, RemovalReason)>;

  explicit NatTable(NatConfig config = NatConfig{});
  NatTable(const NatTable&) = delete;  // indexes hold pointers into the mapping storage
  NatTable& operator=(const NatTable&) = delete;

  void SetConfig(const NatConfig& config);
  const NatConfig& GetConfig() const { return m_config; }

  /// The NAT's public address; existing mappings are updated too.
  void SetExternalAddress(ns3::Ipv4Address address);
  ns3::Ipv4Address GetExternalAddress() const { return m_externalAddress; }

  /// Source of randomness for PortAllocation::Random. Without one, a fixed-seed std::minstd_rand
  /// is used, so the table stays deterministic either way.
  void SetPortPicker(PortPicker picker);
  void SetMappingCreatedCallback(MappingCreatedCallback callback);
  /// Called as a mapping leaves the table (still readable during the call). The callback may
  /// remove expectations, but must not create or remove mappings.
  void SetMappingRemovedCallback(MappingRemovedCallback callback);

  // ---- Data path -------------------------------------------------------------------------

  /// An outbound packet internal -> remote: finds or creates the mapping, refreshes it and the
  /// session toward `remote`. `tcpFlags` (tcp_flags bits) matter for TCP only.
  OutboundResult TranslateOutbound(L4Protocol protocol, const Endpoint& internal,
                                   const Endpoint& remote, std::uint32_t bytes, ns3::Time now,
                                   std::uint8_t tcpFlags = 0);

  /// An inbound packet remote -> external port: applies filtering, then expectations.
  InboundResult TranslateInbound(L4Protocol protocol, const Endpoint& remote,
                                 std::uint16_t externalPort, std::uint32_t bytes, ns3::Time now,
                                 std::uint8_t tcpFlags = 0);

  // ---- ALG-facing lookups and reservations -----------------------------------------------

  /// The live mapping an outbound packet internal -> remote would use, or nullptr.
  const Mapping* FindMapping(L4Protocol protocol, const Endpoint& internal, const Endpoint& remote,
                             ns3::Time now);
  /// The live mapping owning an external port, or nullptr.
  const Mapping* FindMappingByExternalPort(L4Protocol protocol, std::uint16_t externalPort,
                                           ns3::Time now);
  /// The live mapping with this id, or nullptr.
  const Mapping* FindMappingById(std::uint64_t id, ns3::Time now);
  /// The internal endpoint behind an external port.
  std::optional<Endpoint> FindInternalEndpoint(L4Protocol protocol, std::uint16_t externalPort,
                                               ns3::Time now);

  /// Ensures a mapping exists for internal (toward `remote`, which may be 0.0.0.0:0 when unknown;
  /// under address-dependent mapping pass the real remote or outbound traffic will not find it)
  /// and returns its external endpoint. An existing mapping is refreshed, a new one gets
  /// MappingOrigin::Reserved and no sessions (so filtering still applies until traffic flows or
  /// an expectation opens it).
  OutboundResult ReserveMapping(L4Protocol protocol, const Endpoint& internal,
                                const Endpoint& remote, ns3::Time now);

  /// Overrides the timeout of one mapping (zero restores the configured one) and restarts its
  /// timer. False if no live mapping has this id.
  bool SetMappingTimeout(std::uint64_t mappingId, ns3::Time timeout, ns3::Time now);
  /// The sequence bookkeeping of the TCP connection between mapping `mappingId` and `remote`,
  /// or nullptr when there is no such live mapping or session. Valid until the next mutating
  /// call.
  TcpSequenceAdjust* SequenceAdjust(std::uint64_t mappingId, const Endpoint& remote, ns3::Time now);
  /// What every router does with a TCP segment after its ALG chain: records `delta` (the
  /// chain's length change of the segment numbered `sequence` by its sender, travelling
  /// `direction`) on the connection and returns its bookkeeping, or nullptr when the connection
  /// is unknown. The caller then shifts the segment's numbers when Active().
  TcpSequenceAdjust* RecordTcpResize(std::uint64_t mappingId, const Endpoint& remote,
                                     Direction direction, std::uint32_t sequence,
                                     std::int32_t delta, ns3::Time now);
  /// Removes one mapping now. False if unknown.
  bool RemoveMapping(std::uint64_t mappingId);

  /// Adds a pinhole; returns its id, or 0 when a limit (maxExpectations,
  /// maxExpectationsPerMapping) refused it. Under an evicting policy the oldest expectation (of
  /// the same master mapping, for the per-mapping limit) makes room.
  std::uint64_t AddExpectation(const Expectation& expectation, ns3::Time now);
  bool RemoveExpectation(std::uint64_t expectationId);
  /// True while expectation `expectationId` can still admit a packet: false once an admitted
  /// packet consumed it (non-persistent ones), it was removed, cleared, or its timeout passed
  /// (even before a sweep erased it). Lets an ALG learn that its one-shot pinhole was used.
  bool HasExpectation(std::uint64_t expectationId, ns3::Time now) const;
  /// Removes every expectation with this owner; returns how many.
  std::size_t RemoveExpectations(std::uint64_t owner);
  std::size_t ExpectationCount() const { return m_expectations.size(); }
  std::size_t ExpectationCount(std::uint64_t owner) const;

  // ---- Housekeeping ----------------------------------------------------------------------

  /// Removes every expired mapping (in id order), expired session and expired expectation.
  SweepResult Sweep(ns3::Time now);
  /// Drops all mappings and expectations (router reboot). Ids keep increasing; the sequential
  /// allocation cursor restarts at the bottom of the range.
  void Clear();

  std::size_t MappingCount() const { return m_mappings.size(); }
  bool Empty() const { return m_mappings.empty() && m_expectations.empty(); }
  /// All mappings (expired ones not yet swept included), ordered by id.
  std::vector<const Mapping*> Mappings() const;
  const NatTableStats& GetStats() const { return m_stats; }

 private:
  struct MappingKey {
    L4Protocol protocol;
    Endpoint internal;
    Endpoint remotePattern;
    friend bool operator==(const MappingKey& a, const MappingKey& b) {
      return a.protocol == b.protocol && a.internal == b.internal &&
             a.remotePattern == b.remotePattern;
    }
  };
  struct MappingKeyHash {
    std::size_t operator()(const MappingKey& k) const {
      return MixHash(k.internal.Key() ^ (MixHash(k.remotePattern.Key()) << 1) ^
                     static_cast<std::uint64_t>(k.protocol));
    }
  };
  struct ExpectationEntry {
    Expectation expectation;
    ns3::Time expiresAt;
  };

  static std::uint32_t PortKey(L4Protocol protocol, std::uint16_t port) {
    return (static_cast<std::uint32_t>(protocol) << 16) | port;
  }
  MappingKey MakeKey(L4Protocol protocol, const Endpoint& internal, const Endpoint& remote) const;
  /// A mapping's timeout without a connection in view (TCP: the transitory one).
  ns3::Time TimeoutFor(const Mapping& mapping) const;
  /// TCP: updates the connection's state from `flags`, gives it the timeout of that state, and
  /// lets the mapping live as long as its longest-lived connection.
  void TrackTcpConnection(Mapping& mapping, Session& session, std::uint8_t flags, ns3::Time now);
  bool Admits(const Mapping& mapping, const Endpoint& remote, ns3::Time now) const;
  bool PortInUse(L4Protocol protocol, std::uint16_t port) const;
  std::optional<std::uint16_t> AllocatePort(L4Protocol protocol, std::uint16_t preferred);
  Mapping* CreateMapping(L4Protocol protocol, const Endpoint& internal,
                         const Endpoint& remotePattern, MappingOrigin origin, ns3::Time now,
                         std::optional<std::uint16_t> fixedPort);
  /// Drops `mapping` if it has expired; returns it when still alive, else nullptr.
  Mapping* LiveOrRemove(Mapping* mapping, ns3::Time now);
  /// Under maxMappings: true when a new mapping may be created (after evicting one if the
  /// policy says so).
  bool MakeRoomForMapping(ns3::Time now);
  /// The result of an outbound call whose CreateMapping failed.
  OutboundResult FailedOutbound() const {
    OutboundResult r;
    r.status = m_lastCreateRefused ? OutboundStatus::TableFull : OutboundStatus::PortExhausted;
    return r;
  }
  /// Under the expectation limits: true when `expectation` may be added.
  bool MakeRoomForExpectation(const Expectation& expectation, ns3::Time now);
  void RemoveMappingEntry(Mapping& mapping, RemovalReason reason);
  Mapping* FindByPort(L4Protocol protocol, std::uint16_t port, ns3::Time now);
  Session& TouchSession(Mapping& mapping, const Endpoint& remote, ns3::Time deadline,
                        bool refreshExisting);
  std::uint32_t PickRandom(std::uint32_t min, std::uint32_t max);

  NatConfig m_config;
  ns3::Ipv4Address m_externalAddress = ns3::Ipv4Address::GetAny();
  PortPicker m_portPicker;
  std::minstd_rand m_fallbackRng{1};
  MappingCreatedCallback m_onCreated;
  MappingRemovedCallback m_onRemoved;

  /// Owner of all mappings; node-based, so the pointers in the indexes survive rehashing.
  std::unordered_map<std::uint64_t, Mapping, PackedKeyHash> m_mappings;
  std::unordered_map<MappingKey, Mapping*, MappingKeyHash> m_byKey;
  std::unordered_map<std::uint32_t, Mapping*, PackedKeyHash> m_byExternalPort;
  /// Ordered by id: first-added expectation wins, deterministically.
  std::map<std::uint64_t, ExpectationEntry> m_expectations;

  std::uint64_t m_nextMappingId = 1;
  std::uint64_t m_nextExpectationId = 1;
  std::uint32_t m_sequentialCursor = 0;  ///< 0: start at the bottom of the range
  bool m_lastCreateRefused = false;      ///< the last CreateMapping failed on maxMappings
  NatTableStats m_stats;
};

}  // namespace alglab::nat

#endif
