#include "sim/nat/nat-router.h"

#include "sim/nat/l4-packet-editor.h"

#include "ns3/ipv4-route.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"
#include "ns3/simulator.h"

#include <ostream>

namespace alglab::nat {

NS_LOG_COMPONENT_DEFINE("AlglabNatRouter");
NS_OBJECT_ENSURE_REGISTERED(NatRoutingProtocol);

const std::string NatRoutingProtocol::kDropNoMapping = "no-mapping";
const std::string NatRoutingProtocol::kDropFiltered = "filtered";
const std::string NatRoutingProtocol::kDropRebooting = "rebooting";
const std::string NatRoutingProtocol::kDropAlg = "alg";
const std::string NatRoutingProtocol::kDropPortExhausted = "port-exhausted";
const std::string NatRoutingProtocol::kDropUnsupportedProtocol = "unsupported-protocol";
const std::string NatRoutingProtocol::kDropFragment = "fragment";
const std::string NatRoutingProtocol::kDropMalformed = "malformed";

namespace {
const std::string kRemovedExpired = ToString(RemovalReason::Expired);
const std::string kRemovedCleared = ToString(RemovalReason::Cleared);
const std::string kRemovedRemoved = ToString(RemovalReason::Removed);

const std::string& RemovalName(RemovalReason reason) {
  switch (reason) {
    case RemovalReason::Expired:
      return kRemovedExpired;
    case RemovalReason::Cleared:
      return kRemovedCleared;
    case RemovalReason::Removed:
      break;
  }
  return kRemovedRemoved;
}
}  // namespace

NatRoutingProtocol::NatRoutingProtocol() {
  m_portRng = ns3::CreateObject<ns3::UniformRandomVariable>();
  m_table.SetPortPicker([this](std::uint32_t lo, std::uint32_t hi) {
    return m_portRng->GetInteger(lo, hi);
  });
  m_table.SetMappingCreatedCallback([this](const Mapping& m) { OnMappingCreated(m); });
  m_table.SetMappingRemovedCallback(
      [this](const Mapping& m, RemovalReason reason) { OnMappingRemoved(m, reason); });
  m_interceptCallback = ns3::MakeCallback(&NatRoutingProtocol::InterceptForward, this);
}

NatRoutingProtocol::~NatRoutingProtocol() = default;

// ---- Wiring ----------------------------------------------------------------------------------

void NatRoutingProtocol::SetInnerRoutingProtocol(ns3::Ptr<ns3::Ipv4RoutingProtocol> inner) {
  NS_ABORT_MSG_IF(m_ipv4 != nullptr, "set the inner routing protocol before attaching Ipv4");
  m_inner = inner;
}

void NatRoutingProtocol::SetWanInterface(std::uint32_t interface) {
  m_wanInterface = interface;
  ResolveWan();
}

void NatRoutingProtocol::ResolveWan() {
  m_wanDevice = nullptr;
  m_publicAddress = ns3::Ipv4Address::GetAny();
  if (m_ipv4 != nullptr && m_wanInterface < m_ipv4->GetNInterfaces()) {
    m_wanDevice = ns3::PeekPointer(m_ipv4->GetNetDevice(m_wanInterface));
    if (m_ipv4->GetNAddresses(m_wanInterface) > 0) {
      m_publicAddress = m_ipv4->GetAddress(m_wanInterface, 0).GetLocal();
    }
  }
  m_table.SetExternalAddress(m_publicAddress);
}

void NatRoutingProtocol::SetAlgHook(ns3::Ptr<AlgHook> hook) { m_alg = hook; }

void NatRoutingProtocol::SetAlgFactoryReset(std::function<ns3::Ptr<AlgHook>()> factory) {
  m_algFactoryReset = std::move(factory);
}

int64_t NatRoutingProtocol::AssignStreams(int64_t stream) {
  m_portRng->SetStream(stream);
  return 1;
}

// ---- Reboot and housekeeping -----------------------------------------------------------------

bool NatRoutingProtocol::IsRebooting() const { return ns3::Simulator::Now() < m_downUntil; }

void NatRoutingProtocol::Reboot() {
  const ns3::Time now = ns3::Simulator::Now();
  NS_LOG_INFO("router reboot at " << now.As(ns3::Time::S) << ", down for "
                                  << m_bootTime.As(ns3::Time::S));
  m_table.Clear();
  m_sweepEvent.Cancel();
  m_downUntil = now + m_bootTime;
  m_rebootTrace(now);
  if (m_alg == nullptr) return;
  m_alg->OnRouterReboot();
  if (m_resetConfigOnReboot) {
    if (ns3::Ptr<AlgHook> fresh = FactoryResetAlg()) m_alg = fresh;
  }
}

ns3::Ptr<AlgHook> NatRoutingProtocol::FactoryResetAlg() const {
  if (m_algFactoryReset) return m_algFactoryReset();
  const ns3::TypeId tid = m_alg->GetInstanceTypeId();
  if (!tid.HasConstructor()) return nullptr;
  ns3::ObjectFactory factory;
  factory.SetTypeId(tid);
  return factory.Create<AlgHook>();
}

void NatRoutingProtocol::OnMappingCreated(const Mapping& m) {
  m_translationTrace(static_cast<std::uint8_t>(m.protocol), m.internal.address, m.internal.port,
                     m.external.address, m.external.port);
  MaybeScheduleSweep();
}

void NatRoutingProtocol::OnMappingRemoved(const Mapping& m, RemovalReason reason) {
  m_mappingRemovedTrace(static_cast<std::uint8_t>(m.protocol), m.internal.address,
                        m.internal.port, m.external.port, RemovalName(reason));
  // Keep the hook alive across the call: removal can happen inside its own ProcessPacket.
  if (const ns3::Ptr<AlgHook> hook = m_alg) hook->OnMappingRemoved(m, m_table);
}

void NatRoutingProtocol::MaybeScheduleSweep() {
  if (!m_sweepEvent.IsRunning() && !m_table.Empty()) {
    m_sweepEvent = ns3::Simulator::Schedule(m_sweepInterval, &NatRoutingProtocol::SweepNow, this);
  }
}

void NatRoutingProtocol::SweepNow() {
  // The next sweep waits for the earliest expiry (at least SweepInterval away), and none is
  // scheduled once nothing can expire, so an idle router lets Simulator::Run() finish.
  const ns3::Time now = ns3::Simulator::Now();
  const SweepResult result = m_table.Sweep(now);
  if (result.nextExpiry) {
    const ns3::Time at = std::max(now + m_sweepInterval, *result.nextExpiry);
    m_sweepEvent = ns3::Simulator::Schedule(at - now, &NatRoutingProtocol::SweepNow, this);
  }
}

// ---- Packet path -----------------------------------------------------------------------------

void NatRoutingProtocol::Drop(const std::string& reason, ns3::Ptr<const ns3::Packet> p,
                              const ns3::Ipv4Header& header) {
  ++m_counters.dropped;
  NS_LOG_LOGIC("drop (" << reason << "): " << header);
  m_dropTrace(reason, p, header);
}

bool NatRoutingProtocol::DropIfNotOpened(int status, ns3::Ptr<const ns3::Packet> p,
                                         const ns3::Ipv4Header& header) {
  switch (static_cast<L4OpenStatus>(status)) {
    case L4OpenStatus::Ok:
      return false;
    case L4OpenStatus::UnsupportedProtocol:
      Drop(kDropUnsupportedProtocol, p, header);
      return true;
    case L4OpenStatus::Fragment:
      Drop(kDropFragment, p, header);
      return true;
    case L4OpenStatus::Malformed:
      break;
  }
  Drop(kDropMalformed, p, header);
  return true;
}

ns3::Ptr<ns3::Ipv4Route> NatRoutingProtocol::RouteOutput(ns3::Ptr<ns3::Packet> p,
                                                         const ns3::Ipv4Header& header,
                                                         ns3::Ptr<ns3::NetDevice> oif,
                                                         ns3::Socket::SocketErrno& sockerr) {
  if (IsRebooting()) {
    sockerr = ns3::Socket::ERROR_NOROUTETOHOST;
    return nullptr;
  }
  return m_inner->RouteOutput(p, header, oif, sockerr);
}

bool NatRoutingProtocol::RouteInput(ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header,
                                    ns3::Ptr<const ns3::NetDevice> idev,
                                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                                    LocalDeliverCallback lcb, ErrorCallback ecb) {
  if (IsRebooting()) {
    Drop(kDropRebooting, p, header);
    return true;
  }
  if (m_wanDevice != nullptr && ns3::PeekPointer(idev) == m_wanDevice) {
    return RouteInbound(p, header, idev, ucb, mcb, lcb, ecb);
  }
  return RouteIntercepted(p, header, idev, ucb, false, mcb, lcb, ecb);
}

bool NatRoutingProtocol::RouteIntercepted(ns3::Ptr<const ns3::Packet> p,
                                          const ns3::Ipv4Header& header,
                                          ns3::Ptr<const ns3::NetDevice> idev,
                                          const UnicastForwardCallback& ucb, bool inbound,
                                          const MulticastForwardCallback& mcb,
                                          const LocalDeliverCallback& lcb,
                                          const ErrorCallback& ecb) {
  // Static and global routing call the forward callback synchronously inside RouteInput, so the
  // caller's callback can wait in a member instead of being bound into a new callback object.
  PendingForward saved = m_pending;
  m_pending.ucb = ucb;
  m_pending.inbound = inbound;
  const bool handled = m_inner->RouteInput(p, header, idev, m_interceptCallback, mcb, lcb, ecb);
  m_pending = saved;
  return handled;
}

void NatRoutingProtocol::InterceptForward(ns3::Ptr<ns3::Ipv4Route> route,
                                          ns3::Ptr<const ns3::Packet> p,
                                          const ns3::Ipv4Header& header) {
  NS_ABORT_MSG_IF(m_pending.ucb.IsNull(),
                  "inner routing protocol forwarded outside RouteInput; it must be synchronous");
  if (!m_pending.inbound && m_wanDevice != nullptr &&
      ns3::PeekPointer(route->GetOutputDevice()) == m_wanDevice) {
    ForwardOutbound(route, p, header, m_pending.ucb);
    return;
  }
  ++m_counters.forwarded;
  m_pending.ucb(route, p, header);
}

void NatRoutingProtocol::ForwardOutbound(ns3::Ptr<ns3::Ipv4Route> route,
                                         ns3::Ptr<const ns3::Packet> p,
                                         const ns3::Ipv4Header& header,
                                         const UnicastForwardCallback& ucb) {
  L4PacketEditor editor;
  if (DropIfNotOpened(static_cast<int>(editor.Open(p, header)), p, header)) return;
  const L4Protocol protocol = editor.Protocol();
  const Endpoint internal{header.GetSource(), editor.SourcePort()};
  const Endpoint remote{header.GetDestination(), editor.DestinationPort()};
  const OutboundResult result =
      m_table.TranslateOutbound(protocol, internal, remote, editor.PayloadSize(),
                                ns3::Simulator::Now(), editor.TcpFlags());
  if (result.status != OutboundStatus::Translated) {
    Drop(kDropPortExhausted, p, header);
    return;
  }
  const Endpoint external = result.external;
  std::uint16_t destinationPort = remote.port;
  if (m_alg != nullptr &&
      !RunAlg(Direction::Outbound, FiveTuple{protocol, internal, remote},
              FiveTuple{protocol, external, remote}, result.mapping->id, editor, p, header,
              destinationPort)) {
    return;
  }
  ns3::Ptr<ns3::Packet> out = editor.Close(external.port, destinationPort, external.address,
                                           remote.address, ns3::Node::ChecksumEnabled());
  ns3::Ipv4Header translated = header;
  translated.SetSource(external.address);
  translated.SetPayloadSize(static_cast<std::uint16_t>(out->GetSize()));
  ++m_counters.translatedOutbound;
  ++m_counters.forwarded;
  ucb(route, out, translated);
}

bool NatRoutingProtocol::RouteInbound(ns3::Ptr<const ns3::Packet> p,
                                      const ns3::Ipv4Header& header,
                                      ns3::Ptr<const ns3::NetDevice> idev,
                                      const UnicastForwardCallback& ucb,
                                      const MulticastForwardCallback& mcb,
                                      const LocalDeliverCallback& lcb, const ErrorCallback& ecb) {
  const ns3::Ipv4Address destination = header.GetDestination();
  const std::uint8_t proto = header.GetProtocol();
  const bool transport = proto == static_cast<std::uint8_t>(L4Protocol::Udp) ||
                         proto == static_cast<std::uint8_t>(L4Protocol::Tcp);
  if (destination != m_publicAddress || !transport) {
    // The router's own traffic (ICMP to its address, broadcasts) is routed as usual; transit
    // traffic from the WAN toward inside addresses is what a NAT firewall refuses.
    const std::int32_t iif = m_ipv4->GetInterfaceForDevice(idev);
    if (destination == m_publicAddress || destination.IsBroadcast() ||
        destination.IsMulticast() || m_ipv4->IsDestinationAddress(destination, iif)) {
      return RouteIntercepted(p, header, idev, ucb, true, mcb, lcb, ecb);
    }
    Drop(kDropNoMapping, p, header);
    return true;
  }

  L4PacketEditor editor;
  if (DropIfNotOpened(static_cast<int>(editor.Open(p, header)), p, header)) return true;
  const L4Protocol protocol = editor.Protocol();
  const Endpoint remote{header.GetSource(), editor.SourcePort()};
  const Endpoint publicEndpoint{destination, editor.DestinationPort()};
  const InboundResult result =
      m_table.TranslateInbound(protocol, remote, publicEndpoint.port, editor.PayloadSize(),
                               ns3::Simulator::Now(), editor.TcpFlags());
  if (result.status != InboundStatus::Admitted) {
    Drop(result.status == InboundStatus::Filtered ? kDropFiltered : kDropNoMapping, p, header);
    return true;
  }
  const Endpoint internal = result.internal;
  std::uint16_t destinationPort = internal.port;
  if (m_alg != nullptr &&
      !RunAlg(Direction::Inbound, FiveTuple{protocol, remote, publicEndpoint},
              FiveTuple{protocol, remote, internal}, result.mapping->id, editor, p, header,
              destinationPort)) {
    return true;
  }
  ns3::Ptr<ns3::Packet> in = editor.Close(remote.port, destinationPort, remote.address,
                                          internal.address, ns3::Node::ChecksumEnabled());
  ns3::Ipv4Header translated = header;
  translated.SetDestination(internal.address);
  translated.SetPayloadSize(static_cast<std::uint16_t>(in->GetSize()));
  ++m_counters.translatedInbound;
  return RouteIntercepted(in, translated, idev, ucb, true, mcb, lcb, ecb);
}

bool NatRoutingProtocol::RunAlg(Direction direction, const FiveTuple& original,
                                const FiveTuple& translated, std::uint64_t mappingId,
                                L4PacketEditor& editor, ns3::Ptr<const ns3::Packet> p,
                                const ns3::Ipv4Header& header, std::uint16_t& destinationPort) {
  ++m_counters.algInvocations;
  editor.CopyPayload(m_algPayload);
  m_algOriginal.assign(m_algPayload);
  AlgContext context{direction, original,  translated, m_algPayload, m_table, ns3::Simulator::Now(),
                     mappingId, nullptr,   0};
  const ns3::Ptr<AlgHook> hook = m_alg;  // the hook may replace itself; keep it alive
  const AlgVerdict verdict = hook->ProcessPacket(context);
  const bool modified = m_algPayload != m_algOriginal;
  m_algActionTrace(direction, verdict, static_cast<std::uint32_t>(m_algOriginal.size()),
                   static_cast<std::uint32_t>(m_algPayload.size()), modified);
  MaybeScheduleSweep();  // the hook may have added expectations or mappings
  if (modified || verdict == AlgVerdict::Drop) {
    static const std::string kNoText;
    const std::string reason = context.dropReason != nullptr ? context.dropReason : "";
    m_algMessageTrace(direction, verdict, m_algOriginal,
                      verdict == AlgVerdict::Drop ? kNoText : m_algPayload, reason);
  }
  if (verdict == AlgVerdict::Drop) {
    if (context.dropReason != nullptr && *context.dropReason != '\0') {
      Drop(kDropAlg + ":" + context.dropReason, p, header);
    } else {
      Drop(kDropAlg, p, header);
    }
    return false;
  }
  if (modified) editor.ReplacePayload(m_algPayload);
  if (context.redirectDestinationPort != 0) {
    NS_LOG_LOGIC("ALG redirects " << translated << " to destination port "
                                  << context.redirectDestinationPort);
    destinationPort = context.redirectDestinationPort;
  }
  return true;
}

// ---- Ipv4RoutingProtocol plumbing ------------------------------------------------------------

void NatRoutingProtocol::NotifyInterfaceUp(std::uint32_t interface) {
  m_inner->NotifyInterfaceUp(interface);
  if (interface == m_wanInterface) ResolveWan();
}

void NatRoutingProtocol::NotifyInterfaceDown(std::uint32_t interface) {
  m_inner->NotifyInterfaceDown(interface);
}

void NatRoutingProtocol::NotifyAddAddress(std::uint32_t interface,
                                          ns3::Ipv4InterfaceAddress address) {
  m_inner->NotifyAddAddress(interface, address);
  if (interface == m_wanInterface) ResolveWan();
}

void NatRoutingProtocol::NotifyRemoveAddress(std::uint32_t interface,
                                             ns3::Ipv4InterfaceAddress address) {
  m_inner->NotifyRemoveAddress(interface, address);
  if (interface == m_wanInterface) ResolveWan();
}

void NatRoutingProtocol::SetIpv4(ns3::Ptr<ns3::Ipv4> ipv4) {
  NS_ABORT_MSG_IF(m_inner == nullptr, "NatRoutingProtocol needs an inner routing protocol");
  m_ipv4 = ipv4;
  m_inner->SetIpv4(ipv4);
  ResolveWan();
}

void NatRoutingProtocol::PrintRoutingTable(ns3::Ptr<ns3::OutputStreamWrapper> stream,
                                           ns3::Time::Unit unit) const {
  std::ostream& os = *stream->GetStream();
  os << "NAT router: WAN interface ";
  if (m_wanInterface == kNoWanInterface) {
    os << "unset";
  } else {
    os << m_wanInterface;
  }
  const NatConfig& c = m_table.GetConfig();
  os << ", public " << m_publicAddress << ", mapping " << ToString(c.mapping) << ", filtering "
     << ToString(c.filtering) << ", " << m_table.MappingCount() << " mappings, "
     << m_table.ExpectationCount() << " expectations, ALG "
     << (m_alg != nullptr ? m_alg->Name() : std::string("none")) << "\n";
  m_inner->PrintRoutingTable(stream, unit);
}

void NatRoutingProtocol::DoDispose() {
  m_sweepEvent.Cancel();
  // Silence the table first: trace sinks may already be gone while the simulation is torn down.
  m_table.SetMappingCreatedCallback(nullptr);
  m_table.SetMappingRemovedCallback(nullptr);
  m_table.SetPortPicker(nullptr);
  m_table.Clear();
  if (m_inner != nullptr) m_inner->Dispose();
  m_inner = nullptr;
  m_ipv4 = nullptr;
  m_wanDevice = nullptr;
  m_alg = nullptr;
  m_algFactoryReset = nullptr;
  m_portRng = nullptr;
  m_pending = PendingForward{};
  m_interceptCallback = UnicastForwardCallback();
  ns3::Ipv4RoutingProtocol::DoDispose();
}

}  // namespace alglab::nat
