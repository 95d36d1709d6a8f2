#ifndef ALGLAB_NAT_NAT_ROUTER_H
#define ALGLAB_NAT_NAT_ROUTER_H

// An office router's NAT, built as an Ipv4RoutingProtocol decorator (ns-3 3.37 has no netfilter).
// Installed as the router node's top-level routing protocol (see NatRoutingHelper), it sees every
// packet the node receives, including those addressed to the router itself, and wraps the real
// routing protocol (an Ipv4StaticRouting by default):
//
// - WAN -> router's public address, UDP/TCP: DNAT through the NatTable (filtering, expectations),
//   then the ALG hook, then the inner protocol routes the rewritten packet into the LAN.
//   Unmapped or filtered packets are dropped (no ICMP), as is transit traffic from the WAN to
//   anything but the router itself.
// - LAN -> anywhere: the inner protocol routes it; the forward callback is intercepted and, when
//   the output interface is the WAN, SNAT and the ALG hook are applied to a copy of the packet.
//   Non-UDP/TCP and fragmented packets toward the WAN are dropped, so no private address ever
//   leaves on the WAN side.
// - Router-originated packets (RouteOutput) are routed untouched.
//
// Reboot(): the table is cleared, the ALG is told (and optionally factory-reset), and for
// "BootTime" everything the router would route or deliver is dropped.

#include "sim/nat/alg-hook.h"
#include "sim/nat/nat-config.h"
#include "sim/nat/nat-table.h"
#include "sim/nat/nat-types.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <string>

namespace alglab::nat {

class L4PacketEditor;

/// Packet counters for probes and the benchmark.
struct NatRouterCounters {
  std::uint64_t forwarded = 0;           ///< handed to an output interface (translated or not)
  std::uint64_t translatedOutbound = 0;  ///< SNATed LAN -> WAN
  std::uint64_t translatedInbound = 0;   ///< DNATed WAN -> LAN
  std::uint64_t dropped = 0;             ///< dropped by the NAT/ALG/reboot (see the Drop trace)
  std::uint64_t algInvocations = 0;      ///< packets handed to the ALG hook
};

class NatRoutingProtocol : public ns3::Ipv4RoutingProtocol {
 public:
  /// Value of the "WanInterface" attribute meaning "not configured yet".
  static constexpr std::uint32_t kNoWanInterface = std::numeric_limits<std::uint32_t>::max();

  /// Drop reasons reported by the "Drop" trace source.
  static const std::string kDropNoMapping;            ///< "no-mapping"
  static const std::string kDropFiltered;             ///< "filtered"
  static const std::string kDropRebooting;            ///< "rebooting"
  static const std::string kDropAlg;                  ///< "alg" (or "alg:<model reason>")
  static const std::string kDropPortExhausted;        ///< "port-exhausted"
  static const std::string kDropUnsupportedProtocol;  ///< "unsupported-protocol"
  static const std::string kDropFragment;             ///< "fragment"
  static const std::string kDropMalformed;            ///< "malformed"

  /// "Translation": a mapping was created (protocol number, internal address, internal port,
  /// external address, external port).
  typedef void (*TranslationTracedCallback)(std::uint8_t protocol, ns3::Ipv4Address internal,
                                            std::uint16_t internalPort, ns3::Ipv4Address external,
                                            std::uint16_t externalPort);
  /// "MappingRemoved": a mapping left the table (same fields, then "expired"/"cleared"/"removed").
  typedef void (*MappingRemovedTracedCallback)(std::uint8_t protocol, ns3::Ipv4Address internal,
                                               std::uint16_t internalPort,
                                               std::uint16_t externalPort,
                                               const std::string& reason);
  /// "Drop": (reason, packet as received without IP header, its IP header).
  typedef void (*DropTracedCallback)(const std::string& reason,
                                     ns3::Ptr<const ns3::Packet> packet,
                                     const ns3::Ipv4Header& header);
  /// "Reboot": (time the reboot started).
  typedef void (*RebootTracedCallback)(ns3::Time when);
  /// "AlgAction": one ALG invocation (direction, verdict, payload bytes before and after, and
  /// whether the payload bytes changed at all).
  typedef void (*AlgActionTracedCallback)(Direction direction, AlgVerdict verdict,
                                          std::uint32_t bytesBefore, std::uint32_t bytesAfter,
                                          bool modified);
  /// "AlgMessage": an ALG invocation that changed or dropped the payload, with the bytes before
  /// and after (after is empty for a drop) and the model's drop reason ("" if none). Fires only
  /// for such packets, so untouched RTP costs nothing here.
  typedef void (*AlgMessageTracedCallback)(Direction direction, AlgVerdict verdict,
                                           const std::string& before, const std::string& after,
                                           const std::string& dropReason);

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

  /// Installs the ALG hook; nullptr means vendor "none" (no ALG).
  void SetAlgHook(ns3::Ptr<AlgHook> hook);
  ns3::Ptr<AlgHook> GetAlgHook() const { return m_alg; }
  /// How "ResetConfigOnReboot" rebuilds the ALG. Default: a fresh object of the installed hook's
  /// TypeId with default attribute values (hooks without a registered constructor are kept).
  void SetAlgFactoryReset(std::function<ns3::Ptr<AlgHook>()> factory);

  /// Uses a fixed stream for the random port allocator; returns the number of streams used (1).
  int64_t AssignStreams(int64_t stream);

  // ---- Operations ------------------------------------------------------------------------

  /// Power-cycles the router now: clears the NAT table, notifies (or factory-resets) the ALG and
  /// drops everything for BootTime. Safe to call from a scheduled event.
  void Reboot();
  /// True while a reboot's BootTime is running.
  bool IsRebooting() const;

  /// The translation state (for probes, tests and reports; ALGs get it through AlgContext).
  NatTable& GetNatTable() { return m_table; }
  const NatTable& GetNatTable() const { return m_table; }

  const NatRouterCounters& GetCounters() const { return m_counters; }
  std::uint64_t GetPacketsForwarded() const { return m_counters.forwarded; }
  std::uint64_t GetPacketsTranslated() const {
    return m_counters.translatedOutbound + m_counters.translatedInbound;
  }
  std::uint64_t GetPacketsDropped() const { return m_counters.dropped; }

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

  /// Re-reads the WAN device and public address from the Ipv4 object.
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
  /// Runs the ALG on an opened packet; false if it dropped it (already reported). On accept,
  /// `destinationPort` (the translated destination port on entry) becomes the port the ALG
  /// redirected the packet to, if it did.
  bool RunAlg(Direction direction, const FiveTuple& original, const FiveTuple& translated,
              std::uint64_t mappingId, L4PacketEditor& editor, ns3::Ptr<const ns3::Packet> p,
              const ns3::Ipv4Header& header, std::uint16_t& destinationPort);
  void Drop(const std::string& reason, ns3::Ptr<const ns3::Packet> p,
            const ns3::Ipv4Header& header);
  bool DropIfNotOpened(int status, ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header);
  void OnMappingCreated(const Mapping& mapping);
  void OnMappingRemoved(const Mapping& mapping, RemovalReason reason);
  void MaybeScheduleSweep();
  void SweepNow();
  ns3::Ptr<AlgHook> FactoryResetAlg() const;

  NatTable m_table;
  ns3::Ptr<ns3::Ipv4RoutingProtocol> m_inner;
  ns3::Ptr<ns3::Ipv4> m_ipv4;
  std::uint32_t m_wanInterface = kNoWanInterface;
  const ns3::NetDevice* m_wanDevice = nullptr;  // compared by identity only; owned by the node
  ns3::Ipv4Address m_publicAddress = ns3::Ipv4Address::GetAny();

  ns3::Ptr<AlgHook> m_alg;
  std::function<ns3::Ptr<AlgHook>()> m_algFactoryReset;
  ns3::Ptr<ns3::UniformRandomVariable> m_portRng;

  ns3::Time m_bootTime;
  bool m_resetConfigOnReboot = false;
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
  ns3::TracedCallback<Direction, AlgVerdict, std::uint32_t, std::uint32_t, bool> m_algActionTrace;
  ns3::TracedCallback<Direction, AlgVerdict, const std::string&, const std::string&,
                      const std::string&>
      m_algMessageTrace;
};

}  // namespace alglab::nat

#endif
