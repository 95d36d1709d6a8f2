#ifndef ALGLAB_NAT_NAT_ROUTER_H
#define ALGLAB_NAT_NAT_ROUTER_H

// An office router's NAT, built as an Ipv4RoutingProtocol decorator (ns-3 3.37 has no netfilter).
// Installed as the router node's top-level routing protocol (see NatRoutingHelper), it sees every
// packet the node receives, including those addressed to the router itself, and wraps the real
// routing protocol (an Ipv4StaticRouting by default). The installed ALG model's mechanism chains
// run at four hook points (alg-models/contract/hook-point.h):
//
// - WAN -> router's public address, UDP/TCP: InboundPreFilter, then DNAT through the NatTable
//   (filtering, expectations), then InboundPostDnat, then the inner protocol routes the
//   rewritten packet into the LAN. Unmapped or filtered packets go to LocalIn (when it has
//   mechanisms) and are then dropped (no ICMP), as is transit traffic from the WAN to anything
//   but the router itself.
// - LAN -> anywhere: the inner protocol routes it; the forward callback is intercepted and, when
//   the output interface is the WAN, SNAT and OutboundPostSnat are applied to a copy of the
//   packet. Non-UDP/TCP and fragmented packets toward the WAN are dropped, so no private address
//   ever leaves on the WAN side. LAN UDP/TCP to one of the router's own addresses goes through
//   LocalIn first.
// - Router-originated packets (RouteOutput) are routed untouched; mechanisms emit theirs through
//   alg::PacketEmitter (EmitSide::Wan ones are SNATed through the table).
//
// Configuration: running, saved (startup) and factory; ChangeKnob applies a change with the
// knob's declared semantics (alg::KnobSemantics). Reboot() restores the saved configuration (the
// factory one with ResetConfigOnReboot), FactoryReset() the factory one, FlushConnections()
// clears the connection state without a reboot.

#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/packet-emitter.h"
#include "alg-models/contract/router-view.h"
#include "alg-models/contract/verdict.h"
#include "sim/nat/fragment-reassembler.h"
#include "sim/nat/nat-config.h"
#include "sim/nat/nat-table.h"
#include "sim/nat/nat-types.h"
#include "sim/nat/tcp-message-assembler.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace alglab::nat {

class L4PacketEditor;

/// Packet counters for probes and the benchmark.
struct NatRouterCounters {
  std::uint64_t forwarded = 0;           ///< handed to an output interface (translated or not)
  std::uint64_t translatedOutbound = 0;  ///< SNATed LAN -> WAN
  std::uint64_t translatedInbound = 0;   ///< DNATed WAN -> LAN
  std::uint64_t dropped = 0;             ///< dropped by the NAT/ALG/reboot (see the Drop trace)
  std::uint64_t algInvocations = 0;      ///< chain runs (one per packet and non-empty hook point)
  std::uint64_t stolen = 0;              ///< packets a mechanism stole
  std::uint64_t emitted = 0;             ///< packets mechanisms emitted that left the router
};

/// A whole configuration: knob name -> value text. Router knobs by attribute name
/// ("UdpTimeout"), ALG knobs as "alg.<knob>".
using RouterConfig = std::map<std::string, std::string>;

class NatRoutingProtocol : public ns3::Ipv4RoutingProtocol, public alg::PacketEmitter {
 public:
  /// Value of the "WanInterface" attribute meaning "not configured yet".
  static constexpr std::uint32_t kNoWanInterface = std::numeric_limits<std::uint32_t>::max();

  /// Drop reasons reported by the "Drop" trace source.
  static const std::string kDropNoMapping;            ///< "no-mapping"
  static const std::string kDropFiltered;             ///< "filtered"
  static const std::string kDropRebooting;            ///< "rebooting"
  static const std::string kDropAlg;                  ///< "alg" (or "alg:<model reason>")
  static const std::string kDropPortExhausted;        ///< "port-exhausted"
  static const std::string kDropTableFull;            ///< "table-full"
  static const std::string kDropUnsupportedProtocol;  ///< "unsupported-protocol"
  static const std::string kDropFragment;             ///< "fragment"
  /// A DF datagram (after any ALG rewrite) larger than the WAN link's MTU: answered with ICMP
  /// "fragmentation needed" to its sender, as ip_forward/ip_fragment do.
  static const std::string kDropFragmentationNeeded;
  static const std::string kDropMalformed;            ///< "malformed"
  // With Fragments = reassemble, a datagram whose fragments the reassembler gave up reports
  // FragmentReassembler's reason: "fragment-timeout", "fragment-overlap", "fragment-oversize",
  // "fragment-malformed" or "fragment-memory".

  /// What the router does with IPv4 fragments it would translate (the "Fragments" attribute).
  enum class FragmentHandling {
    Reassemble,  ///< hold them until the datagram is whole, as nf_defrag_ipv4 does (default)
    Drop,        ///< drop every fragment ("fragment"): a NAT that cannot find the ports
  };

  /// "Translation": a mapping was created (protocol number, internal address, internal port,
  /// external address, external port).
  typedef void (*TranslationTracedCallback)(std::uint8_t protocol, ns3::Ipv4Address internal,
                                            std::uint16_t internalPort, ns3::Ipv4Address external,
                                            std::uint16_t externalPort);
  /// "MappingRemoved": a mapping left the table (same fields, then
  /// "expired"/"cleared"/"removed"/"evicted").
  typedef void (*MappingRemovedTracedCallback)(std::uint8_t protocol, ns3::Ipv4Address internal,
                                               std::uint16_t internalPort,
                                               std::uint16_t externalPort,
                                               const std::string& reason);
  /// "Drop": (reason, packet as received without IP header, its IP header).
  typedef void (*DropTracedCallback)(const std::string& reason,
                                     ns3::Ptr<const ns3::Packet> packet,
                                     const ns3::Ipv4Header& header);
  /// "Reboot", "Flush": (time it happened).
  typedef void (*TimeTracedCallback)(ns3::Time when);
  /// "AlgAction": one chain run (direction, verdict, payload bytes before and after, and
  /// whether the payload bytes changed at all).
  typedef void (*AlgActionTracedCallback)(Direction direction, alg::VerdictKind verdict,
                                          std::uint32_t bytesBefore, std::uint32_t bytesAfter,
                                          bool modified);
  /// "AlgMessage": a chain run that changed, dropped or stole the payload, with the bytes before
  /// and after (after is empty unless accepted), the drop reason ("" if none) and the
  /// mechanisms that did it (the model's labels: the one that dropped or stole it, else those
  /// that rewrote it, joined by '+'). Fires only for such packets, so untouched RTP costs
  /// nothing here.
  typedef void (*AlgMessageTracedCallback)(Direction direction, alg::VerdictKind verdict,
                                           const std::string& before, const std::string& after,
                                           const std::string& dropReason,
                                           const std::string& mechanisms);
  /// "AlgEmit": a mechanism's packet left the router (payload, source, destination).
  typedef void (*AlgEmitTracedCallback)(const std::string& payload, const Endpoint& source,
                                        const Endpoint& destination);
  /// "KnobChanged": ChangeKnob applied or staged a change (name, value, semantics name).
  typedef void (*KnobChangedTracedCallback)(const std::string& name, const std::string& value,
                                            const std::string& semantics);

  static ns3::TypeId GetTypeId();
  NatRoutingProtocol();
  ~NatRoutingProtocol() override;

  // ---- Wiring ----------------------------------------------------------------------------

  /// The protocol that really routes (set by the helper before the node's Ipv4 is attached).
  void SetInnerRoutingProtocol(ns3::Ptr<ns3::Ipv4RoutingProtocol> inner);
  ns3::Ptr<ns3::Ipv4RoutingProtocol> GetInnerRoutingProtocol() const { return m_inner; }

  /// Which Ipv4 interface faces the WAN; its first address becomes the public address. May be
  /// called before the interface exists (it is resolved when it appears).
  void SetWanInterface(std::uint32_t interface);
  std::uint32_t GetWanInterface() const { return m_wanInterface; }
  /// The public address (0.0.0.0 until the WAN interface has an address).
  ns3::Ipv4Address GetPublicAddress() const { return m_publicAddress; }
  /// The router's interfaces and prefixes as mechanisms see them.
  const alg::RouterView& GetRouterView() const { return m_view; }

  /// Installs the ALG model; nullptr means vendor "none" (no ALG).
  void SetAlgModel(ns3::Ptr<alg::AlgModel> model);
  /// The model new connections get (older generations may still serve existing mappings after
  /// a NewSessions change).
  ns3::Ptr<alg::AlgModel> GetAlgModel() const { return m_alg; }
  /// Model generations alive: 1 (or 0 without an ALG) plus one per NewSessions change whose
  /// older connections have not ended yet.
  std::size_t GetAlgGenerationCount() const {
    return (m_alg != nullptr ? 1 : 0) + m_olderGenerations.size();
  }

  /// Uses a fixed stream for the random port allocator; returns the number of streams used (1).
  int64_t AssignStreams(int64_t stream);

  // ---- Operations ------------------------------------------------------------------------

  /// Power-cycles the router now: clears the NAT table, tells the ALG, restores the saved
  /// configuration (the factory one with ResetConfigOnReboot) and drops everything for
  /// BootTime. Safe to call from a scheduled event.
  void Reboot();
  /// True while a reboot's BootTime is running.
  bool IsRebooting() const;
  /// Clears every mapping and expectation now, without a reboot (`clear ip nat translation *`):
  /// MappingRemoved reports each as "cleared", every mechanism forgets its per-connection state
  /// (Mechanism::OnFlush), connections pinned to an older ALG configuration end, the "Flush"
  /// trace fires. Configuration and boot state are untouched.
  void FlushConnections();

  /// Changes a knob of the running configuration at once, with its declared semantics: `name`
  /// is a router attribute ("UdpTimeout") or "alg.<knob>". Throws std::invalid_argument (one
  /// line) for an unknown knob or a bad value.
  void ChangeKnob(const std::string& name, const std::string& value);
  /// Running configuration -> saved startup configuration.
  void SaveConfig();
  /// Restores the shipped defaults (also as the saved configuration), then reboots: the ALG
  /// model comes back fresh with its own defaults, router knobs as the router was built.
  void FactoryReset();
  /// The running configuration (values staged for after a reboot included), the saved one and
  /// the factory defaults: router knobs as the router was built (the NAT behaviour of its
  /// firmware), ALG knobs as the model ships them (its TypeId defaults).
  RouterConfig RunningConfig() const;
  RouterConfig StartupConfig() const;
  RouterConfig FactoryConfig() const;
  /// When a change of `name` takes effect; throws std::invalid_argument for an unknown knob.
  alg::KnobSemantics KnobSemanticsOf(const std::string& name) const;
  /// The router attributes that are configuration (what RouterConfig holds besides alg.*).
  static const std::vector<std::string>& ConfigKnobNames();

  /// The translation state (for probes, tests and reports; mechanisms get it in their context).
  NatTable& GetNatTable() { return m_table; }
  const NatTable& GetNatTable() const { return m_table; }

  const NatRouterCounters& GetCounters() const { return m_counters; }
  std::uint64_t GetPacketsForwarded() const { return m_counters.forwarded; }
  std::uint64_t GetPacketsTranslated() const {
    return m_counters.translatedOutbound + m_counters.translatedInbound;
  }
  std::uint64_t GetPacketsDropped() const { return m_counters.dropped; }

  // ---- alg::PacketEmitter -----------------------------------------------------------------

  void Emit(alg::EmittedPacket packet, ns3::Time delay) override;

  // ---- Ipv4RoutingProtocol ---------------------------------------------------------------

  ns3::Ptr<ns3::Ipv4Route> RouteOutput(ns3::Ptr<ns3::Packet> p, const ns3::Ipv4Header& header,
                                       ns3::Ptr<ns3::NetDevice> oif,
                                       ns3::Socket::SocketErrno& sockerr) override;
  bool RouteInput(ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header,
                  ns3::Ptr<const ns3::NetDevice> idev, UnicastForwardCallback ucb,
                  MulticastForwardCallback mcb, LocalDeliverCallback lcb,
                  ErrorCallback ecb) override;
  void NotifyInterfaceUp(std::uint32_t interface) override;
  void NotifyInterfaceDown(std::uint32_t interface) override;
  void NotifyAddAddress(std::uint32_t interface, ns3::Ipv4InterfaceAddress address) override;
  void NotifyRemoveAddress(std::uint32_t interface, ns3::Ipv4InterfaceAddress address) override;
  void SetIpv4(ns3::Ptr<ns3::Ipv4> ipv4) override;
  void PrintRoutingTable(ns3::Ptr<ns3::OutputStreamWrapper> stream,
                         ns3::Time::Unit unit = ns3::Time::S) const override;

 protected:
  void DoDispose() override;

 private:
  // Attribute accessors: each pushes the new value into the table's configuration.
  void SetMappingAttribute(int value);
  int GetMappingAttribute() const;
  void SetFilteringAttribute(int value);
  int GetFilteringAttribute() const;
  void SetPortAllocationAttribute(int value);
  int GetPortAllocationAttribute() const;
  void SetUdpTimeout(ns3::Time value);
  ns3::Time GetUdpTimeout() const;
  void SetUdpUnrepliedTimeout(ns3::Time value);
  ns3::Time GetUdpUnrepliedTimeout() const;
  void SetTcpEstablishedTimeout(ns3::Time value);
  ns3::Time GetTcpEstablishedTimeout() const;
  void SetTcpTransitoryTimeout(ns3::Time value);
  ns3::Time GetTcpTransitoryTimeout() const;
  void SetPortPreservation(bool value);
  bool GetPortPreservation() const;
  void SetPortParity(bool value);
  bool GetPortParity() const;
  void SetRefreshOnInbound(bool value);
  bool GetRefreshOnInbound() const;
  void SetPortRangeMin(std::uint16_t value);
  std::uint16_t GetPortRangeMin() const;
  void SetPortRangeMax(std::uint16_t value);
  std::uint16_t GetPortRangeMax() const;
  /// Copies the table's configuration, lets `change` edit it and stores it back.
  template <typename Change>
  void UpdateConfig(Change change) {
    NatConfig config = m_table.GetConfig();
    change(config);
    m_table.SetConfig(config);
  }

  void SetMaxMappings(std::uint32_t value);
  std::uint32_t GetMaxMappings() const;
  void SetMaxExpectations(std::uint32_t value);
  std::uint32_t GetMaxExpectations() const;
  void SetMaxExpectationsPerMapping(std::uint32_t value);
  std::uint32_t GetMaxExpectationsPerMapping() const;
  void SetEvictionAttribute(int value);
  int GetEvictionAttribute() const;
  void SetFragmentsAttribute(int value);
  int GetFragmentsAttribute() const;

  /// A UDP/TCP fragment the NAT would translate (WAN to the public address, LAN to anywhere
  /// but the LAN and the router): hands it to the reassembler. True when the fragment was
  /// consumed (held or dropped); false when `whole` now holds the completed datagram.
  bool HoldFragment(ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header,
                    ns3::Ptr<const ns3::NetDevice> idev, FragmentReassembler::Datagram& whole);
  /// Reports the datagrams the reassembler gave up, and schedules the next timeout check.
  void ReportDiscardedFragments(const std::vector<FragmentReassembler::Discarded>& discarded);
  void ExpireFragments();

  /// Re-reads the WAN device, the public address and the router view from the Ipv4 object.
  void ResolveWan();
  /// Handles a packet that arrived on the WAN interface.
  bool RouteInbound(ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header,
                    ns3::Ptr<const ns3::NetDevice> idev, const UnicastForwardCallback& ucb,
                    const MulticastForwardCallback& mcb, const LocalDeliverCallback& lcb,
                    const ErrorCallback& ecb);
  /// The inner protocol's unicast-forward callback lands here (see m_pending).
  void InterceptForward(ns3::Ptr<ns3::Ipv4Route> route, ns3::Ptr<const ns3::Packet> p,
                        const ns3::Ipv4Header& header);
  /// Lets m_inner route `p` with InterceptForward standing in for `ucb`.
  bool RouteIntercepted(ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header,
                        ns3::Ptr<const ns3::NetDevice> idev, const UnicastForwardCallback& ucb,
                        bool inbound, const MulticastForwardCallback& mcb,
                        const LocalDeliverCallback& lcb, const ErrorCallback& ecb);
  void ForwardOutbound(ns3::Ptr<ns3::Ipv4Route> route, ns3::Ptr<const ns3::Packet> p,
                       const ns3::Ipv4Header& header, const UnicastForwardCallback& ucb);
  /// LAN UDP/TCP toward one of the router's own addresses: the LocalIn chain. True when the
  /// packet was stolen or dropped there (already reported).
  bool ConsumedLocally(ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header);

  /// What a chain run asks of the router.
  struct ChainOutcome {
    alg::VerdictKind verdict = alg::VerdictKind::Accept;
    std::uint16_t redirectDestinationPort = 0;
    std::optional<Endpoint> admitTo;
    /// The length change to record for TCP sequence adjustment: the accepted payload's length
    /// minus the original's, unless the chain said otherwise (PacketContext::tcpSequenceDelta).
    std::int32_t payloadDelta = 0;
    /// The payload bytes changed (the new ones are in m_algPayload after RunChainOn).
    bool modified = false;
  };
  /// RunChain on bytes from `source` instead of an editor: the rewritten bytes stay in
  /// m_algPayload (outcome.modified).
  ChainOutcome RunChainOn(alg::AlgModel& model, alg::HookPoint point, Direction direction,
                          const FiveTuple& original, const FiveTuple& translated,
                          std::uint64_t mappingId, const InboundResult* admission,
                          const alg::PayloadSource& source, ns3::Ptr<const ns3::Packet> p,
                          const ns3::Ipv4Header& header);
  /// A hook point's chain for a translated packet, as the model's tcp_view asks: RunChain on the
  /// segment, or (TCP with tcp_view = message) on each whole SIP message, holding back segments
  /// that end inside one (m_tcpAssembler). nullopt: the packet was held or dropped; nothing
  /// leaves. A merged segment starts earlier: `sequence` and the editor then say where.
  std::optional<ChainOutcome> RunHook(alg::AlgModel& model, alg::HookPoint point,
                                      Direction direction, const FiveTuple& original,
                                      const FiveTuple& translated, std::uint64_t mappingId,
                                      const InboundResult* admission, L4PacketEditor& editor,
                                      std::uint32_t& sequence, ns3::Ptr<const ns3::Packet> p,
                                      const ns3::Ipv4Header& header);
  /// Runs `model`'s chain at `point` on an opened packet (the caller checked it is not empty),
  /// reports drops, steals and rewrites (traces, counters), and puts a rewritten payload back
  /// into `editor`.
  ChainOutcome RunChain(alg::AlgModel& model, alg::HookPoint point, Direction direction,
                        const FiveTuple& original, const FiveTuple& translated,
                        std::uint64_t mappingId, const InboundResult* admission,
                        L4PacketEditor& editor, ns3::Ptr<const ns3::Packet> p,
                        const ns3::Ipv4Header& header);
  /// TCP: records the chain's length change on the connection (mapping, remote) and shifts the
  /// segment's sequence, acknowledgement and SACK numbers by the connection's offsets.
  /// `sequence` is the segment's sequence number before any rewrite.
  void AdjustTcpNumbers(L4PacketEditor& editor, Direction direction, std::uint64_t mappingId,
                        const Endpoint& remote, std::uint32_t sequence, std::int32_t delta);
  /// The model that serves packets of `mappingId` (an older generation after a NewSessions
  /// change, else the current one); nullptr without an ALG.
  alg::AlgModel* ModelFor(std::uint64_t mappingId) const;
  /// The model whose chains run: none while AlgEnabled is off.
  alg::AlgModel* ActiveAlg() const { return m_algEnabled ? ns3::PeekPointer(m_alg) : nullptr; }
  void Drop(const std::string& reason, ns3::Ptr<const ns3::Packet> p,
            const ns3::Ipv4Header& header);
  bool DropIfNotOpened(int status, ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header);
  void OnMappingCreated(const Mapping& mapping);
  void OnMappingRemoved(const Mapping& mapping, RemovalReason reason);
  void MaybeScheduleSweep();
  void SweepNow();
  /// Sends a mechanism's packet now (the event Emit schedules).
  void SendEmitted(alg::EmittedPacket packet);
  /// Binds `model` to this router's services.
  void BindModel(alg::AlgModel& model);

  // Configuration (nat-router-config.cc).
  /// Captures the startup configuration on first need: the configuration the router was built
  /// with counts as saved.
  void EnsureStartupConfig();
  /// Reboot() and FactoryReset(): `factory` restores the shipped configuration.
  void RebootInto(bool factory);
  /// Applies a whole configuration (on reboot). `freshAlg`: rebuild the ALG model from its
  /// factory defaults first.
  void ApplyConfig(const RouterConfig& config, bool freshAlg);
  /// Validates `value` for router attribute `name` and returns it parsed; throws
  /// std::invalid_argument.
  ns3::Ptr<ns3::AttributeValue> ParseRouterKnob(const std::string& name,
                                               const std::string& value) const;

  NatTable m_table;
  ns3::Ptr<ns3::Ipv4RoutingProtocol> m_inner;
  ns3::Ptr<ns3::Ipv4> m_ipv4;
  std::uint32_t m_wanInterface = kNoWanInterface;
  const ns3::NetDevice* m_wanDevice = nullptr;  // compared by identity only; owned by the node
  ns3::Ipv4Address m_publicAddress = ns3::Ipv4Address::GetAny();
  alg::RouterView m_view;

  ns3::Ptr<alg::AlgModel> m_alg;
  /// Older ALG generations kept alive for the mappings that existed when a NewSessions knob
  /// changed; each ends when its last mapping does (or at a flush or reboot).
  struct Generation {
    ns3::Ptr<alg::AlgModel> model;
    std::set<std::uint64_t> mappings;
  };
  std::vector<Generation> m_olderGenerations;
  ns3::Ptr<ns3::UniformRandomVariable> m_portRng;

  std::optional<RouterConfig> m_startup;
  /// Router knobs as the router was built (its firmware's NAT behaviour): the factory values.
  std::optional<RouterConfig> m_builtRouterKnobs;
  /// AfterReboot changes: in the running configuration, not yet in effect.
  RouterConfig m_staged;

  ns3::Time m_bootTime;
  bool m_resetConfigOnReboot = false;
  bool m_algEnabled = true;
  FragmentHandling m_fragmentHandling = FragmentHandling::Reassemble;
  FragmentReassembler m_reassembler;
  ns3::EventId m_fragmentExpiryEvent;
  ns3::Time m_sweepInterval;
  ns3::Time m_downUntil;
  ns3::EventId m_sweepEvent;

  /// The caller's forward callback and direction for the packet being routed by m_inner. Set
  /// around each m_inner->RouteInput call (saved and restored, so re-entry stays correct), which
  /// avoids building a new callback object per packet.
  struct PendingForward {
    UnicastForwardCallback ucb;
    bool inbound = false;
  };
  PendingForward m_pending;
  UnicastForwardCallback m_interceptCallback;

  std::string m_algPayload;   // reused buffers: no allocation per packet once warm
  std::string m_algOriginal;
  TcpMessageAssembler m_tcpAssembler;
  std::string m_tcpSegment;   // tcp_view = message: the segment's payload,
  std::string m_tcpMessage;   // one whole message,
  std::string m_tcpMessages;  // and the merged bytes that leave
  NatRouterCounters m_counters;

  ns3::TracedCallback<std::uint8_t, ns3::Ipv4Address, std::uint16_t, ns3::Ipv4Address,
                      std::uint16_t>
      m_translationTrace;
  ns3::TracedCallback<std::uint8_t, ns3::Ipv4Address, std::uint16_t, std::uint16_t,
                      const std::string&>
      m_mappingRemovedTrace;
  ns3::TracedCallback<const std::string&, ns3::Ptr<const ns3::Packet>, const ns3::Ipv4Header&>
      m_dropTrace;
  ns3::TracedCallback<ns3::Time> m_rebootTrace;
  ns3::TracedCallback<ns3::Time> m_flushTrace;
  ns3::TracedCallback<Direction, alg::VerdictKind, std::uint32_t, std::uint32_t, bool>
      m_algActionTrace;
  ns3::TracedCallback<Direction, alg::VerdictKind, const std::string&, const std::string&,
                      const std::string&, const std::string&>
      m_algMessageTrace;
  ns3::TracedCallback<const std::string&, const Endpoint&, const Endpoint&> m_algEmitTrace;
  ns3::TracedCallback<const std::string&, const std::string&, const std::string&>
      m_knobChangedTrace;
};

}  // namespace alglab::nat

#endif
