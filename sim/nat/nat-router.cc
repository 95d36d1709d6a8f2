#include "sim/nat/nat-router.h"

#include <ns3/icmpv4-l4-protocol.h>

#include "sim/nat/l4-packet-editor.h"

#include "ns3/ipv4-route.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"
#include "ns3/simulator.h"
#include "ns3/udp-header.h"

#include <ostream>

namespace alglab::nat {

NS_LOG_COMPONENT_DEFINE("AlglabNatRouter");
NS_OBJECT_ENSURE_REGISTERED(NatRoutingProtocol);

const std::string NatRoutingProtocol::kDropNoMapping = "no-mapping";
const std::string NatRoutingProtocol::kDropFiltered = "filtered";
const std::string NatRoutingProtocol::kDropRebooting = "rebooting";
const std::string NatRoutingProtocol::kDropAlg = "alg";
const std::string NatRoutingProtocol::kDropPortExhausted = "port-exhausted";
const std::string NatRoutingProtocol::kDropTableFull = "table-full";
const std::string NatRoutingProtocol::kDropUnsupportedProtocol = "unsupported-protocol";
const std::string NatRoutingProtocol::kDropFragment = "fragment";
const std::string NatRoutingProtocol::kDropMalformed = "malformed";
const std::string NatRoutingProtocol::kDropFragmentationNeeded = "fragmentation-needed";

namespace {
const std::string kRemovedExpired = ToString(RemovalReason::Expired);
const std::string kRemovedCleared = ToString(RemovalReason::Cleared);
const std::string kRemovedRemoved = ToString(RemovalReason::Removed);
const std::string kRemovedEvicted = ToString(RemovalReason::Evicted);

/// The router's packet as the chain's payload source: bytes are copied only on demand.
class EditorPayload : public alg::PayloadSource {
 public:
  explicit EditorPayload(const L4PacketEditor& editor) : m_editor(editor) {}
  std::uint32_t Size() const override { return m_editor.PayloadSize(); }
  void CopyTo(std::string& out) const override { m_editor.CopyPayload(out); }

 private:
  const L4PacketEditor& m_editor;
};

const std::string& RemovalName(RemovalReason reason) {
  switch (reason) {
    case RemovalReason::Expired:
      return kRemovedExpired;
    case RemovalReason::Cleared:
      return kRemovedCleared;
    case RemovalReason::Evicted:
      return kRemovedEvicted;
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
  m_view = alg::RouterView{};
  if (m_ipv4 != nullptr) {
    for (std::uint32_t i = 0; i < m_ipv4->GetNInterfaces(); ++i) {
      for (std::uint32_t a = 0; a < m_ipv4->GetNAddresses(i); ++a) {
        const ns3::Ipv4InterfaceAddress address = m_ipv4->GetAddress(i, a);
        if (address.GetLocal().IsLocalhost()) continue;
        const alg::RouterInterface entry{i, address.GetLocal(), address.GetMask()};
        if (i == m_wanInterface) {
          if (!m_view.hasWan) m_view.wan = entry;
          m_view.hasWan = true;
        } else {
          m_view.lan.push_back(entry);
        }
      }
    }
    if (m_wanInterface < m_ipv4->GetNInterfaces()) {
      m_wanDevice = ns3::PeekPointer(m_ipv4->GetNetDevice(m_wanInterface));
      if (m_ipv4->GetNAddresses(m_wanInterface) > 0) {
        m_publicAddress = m_ipv4->GetAddress(m_wanInterface, 0).GetLocal();
      }
    }
  }
  m_table.SetExternalAddress(m_publicAddress);
}

void NatRoutingProtocol::BindModel(alg::AlgModel& model) {
  model.Bind(alg::RouterServices{&m_view, this, &m_table});
}

void NatRoutingProtocol::SetAlgModel(ns3::Ptr<alg::AlgModel> model) {
  m_alg = model;
  m_olderGenerations.clear();
  if (m_alg != nullptr) BindModel(*m_alg);
}

alg::AlgModel* NatRoutingProtocol::ModelFor(std::uint64_t mappingId) const {
  for (const Generation& g : m_olderGenerations) {
    if (g.mappings.count(mappingId) != 0) return ns3::PeekPointer(g.model);
  }
  return ns3::PeekPointer(m_alg);
}

int64_t NatRoutingProtocol::AssignStreams(int64_t stream) {
  m_portRng->SetStream(stream);
  return 1;
}

// ---- Reboot and housekeeping -----------------------------------------------------------------

bool NatRoutingProtocol::IsRebooting() const { return ns3::Simulator::Now() < m_downUntil; }

void NatRoutingProtocol::Reboot() { RebootInto(m_resetConfigOnReboot); }

void NatRoutingProtocol::FactoryReset() { RebootInto(true); }

void NatRoutingProtocol::RebootInto(bool factory) {
  const ns3::Time now = ns3::Simulator::Now();
  NS_LOG_INFO("router reboot at " << now.As(ns3::Time::S) << ", down for "
                                  << m_bootTime.As(ns3::Time::S));
  EnsureStartupConfig();
  m_table.Clear();
  m_reassembler.Clear();
  m_tcpAssembler.Clear();
  m_fragmentExpiryEvent.Cancel();
  m_sweepEvent.Cancel();
  m_downUntil = now + m_bootTime;
  m_rebootTrace(now);
  for (const Generation& g : m_olderGenerations) g.model->NotifyRouterReboot();
  m_olderGenerations.clear();
  if (m_alg != nullptr) m_alg->NotifyRouterReboot();
  // The router comes back with its saved configuration; after a factory reset with the shipped
  // one (which is then also what is saved).
  if (factory) m_startup = FactoryConfig();
  ApplyConfig(*m_startup, factory);
}

void NatRoutingProtocol::FlushConnections() {
  const ns3::Time now = ns3::Simulator::Now();
  NS_LOG_INFO("connection flush at " << now.As(ns3::Time::S));
  m_table.Clear();
  m_tcpAssembler.Clear();
  m_sweepEvent.Cancel();
  // Connections pinned to an older ALG configuration are gone: so is that configuration.
  for (const Generation& g : m_olderGenerations) g.model->NotifyFlush();
  m_olderGenerations.clear();
  if (m_alg != nullptr) m_alg->NotifyFlush();
  m_flushTrace(now);
}

void NatRoutingProtocol::OnMappingCreated(const Mapping& m) {
  m_translationTrace(static_cast<std::uint8_t>(m.protocol), m.internal.address, m.internal.port,
                     m.external.address, m.external.port);
  MaybeScheduleSweep();
}

void NatRoutingProtocol::OnMappingRemoved(const Mapping& m, RemovalReason reason) {
  m_mappingRemovedTrace(static_cast<std::uint8_t>(m.protocol), m.internal.address,
                        m.internal.port, m.external.port, RemovalName(reason));
  if (m.protocol == L4Protocol::Tcp) m_tcpAssembler.ForgetMapping(m.id);
  // Keep the models alive across the call: removal can happen inside their own Process.
  if (const ns3::Ptr<alg::AlgModel> model = m_alg) model->NotifyMappingRemoved(m, m_table);
  for (std::size_t i = 0; i < m_olderGenerations.size(); ++i) {
    const ns3::Ptr<alg::AlgModel> older = m_olderGenerations[i].model;
    older->NotifyMappingRemoved(m, m_table);
  }
  // An older generation ends with its last mapping.
  for (auto it = m_olderGenerations.begin(); it != m_olderGenerations.end();) {
    it->mappings.erase(m.id);
    it = it->mappings.empty() ? m_olderGenerations.erase(it) : it + 1;
  }
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
  if (FragmentReassembler::IsFragment(header) && m_fragmentHandling == FragmentHandling::Reassemble) {
    FragmentReassembler::Datagram whole;
    if (HoldFragment(p, header, idev, whole)) return true;
    if (whole.payload != nullptr) {
      return RouteInput(whole.payload, whole.header, idev, ucb, mcb, lcb, ecb);
    }
  }
  if (m_wanDevice != nullptr && ns3::PeekPointer(idev) == m_wanDevice) {
    return RouteInbound(p, header, idev, ucb, mcb, lcb, ecb);
  }
  if (ActiveAlg() != nullptr && !ActiveAlg()->Empty(alg::HookPoint::LocalIn) &&
      m_ipv4->IsDestinationAddress(header.GetDestination(), m_ipv4->GetInterfaceForDevice(idev)) &&
      ConsumedLocally(p, header)) {
    return true;
  }
  return RouteIntercepted(p, header, idev, ucb, false, mcb, lcb, ecb);
}

bool NatRoutingProtocol::HoldFragment(ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header,
                                      ns3::Ptr<const ns3::NetDevice> idev,
                                      FragmentReassembler::Datagram& whole) {
  const std::uint8_t proto = header.GetProtocol();
  if (proto != static_cast<std::uint8_t>(L4Protocol::Udp) &&
      proto != static_cast<std::uint8_t>(L4Protocol::Tcp)) {
    return false;
  }
  const ns3::Ipv4Address destination = header.GetDestination();
  const bool fromWan = m_wanDevice != nullptr && ns3::PeekPointer(idev) == m_wanDevice;
  const bool translated =
      fromWan ? destination == m_publicAddress
              : m_view.LanFor(destination) == nullptr &&
                    !m_ipv4->IsDestinationAddress(destination, m_ipv4->GetInterfaceForDevice(idev));
  // Fragments the NAT leaves alone (LAN to LAN, to the router itself) keep their usual path:
  // forwarded as they are, or reassembled by the router's own stack.
  if (!translated) return false;
  std::vector<FragmentReassembler::Discarded> discarded;
  std::optional<FragmentReassembler::Datagram> done =
      m_reassembler.Add(p, header, ns3::Simulator::Now(), discarded);
  ReportDiscardedFragments(discarded);
  if (!done) return true;
  whole = std::move(*done);
  return false;
}

void NatRoutingProtocol::ReportDiscardedFragments(
    const std::vector<FragmentReassembler::Discarded>& discarded) {
  for (const FragmentReassembler::Discarded& d : discarded) Drop(d.reason, d.fragment, d.header);
  // A datagram whose last fragments never come is given up (and reported) at its timeout even
  // if no other fragment arrives; with nothing held no event is pending, so Run() can end.
  const std::optional<ns3::Time> next = m_reassembler.NextTimeout();
  if (next && !m_fragmentExpiryEvent.IsRunning()) {
    const ns3::Time now = ns3::Simulator::Now();
    m_fragmentExpiryEvent = ns3::Simulator::Schedule(std::max(*next - now, ns3::Time(0)),
                                                     &NatRoutingProtocol::ExpireFragments, this);
  }
}

void NatRoutingProtocol::ExpireFragments() {
  std::vector<FragmentReassembler::Discarded> discarded;
  m_reassembler.Expire(ns3::Simulator::Now(), discarded);
  ReportDiscardedFragments(discarded);
}

bool NatRoutingProtocol::ConsumedLocally(ns3::Ptr<const ns3::Packet> p,
                                         const ns3::Ipv4Header& header) {
  L4PacketEditor editor;
  if (editor.Open(p, header) != L4OpenStatus::Ok) return false;  // the stack decides
  const FiveTuple tuple{editor.Protocol(), {header.GetSource(), editor.SourcePort()},
                        {header.GetDestination(), editor.DestinationPort()}};
  const ChainOutcome outcome = RunChain(*ActiveAlg(), alg::HookPoint::LocalIn, Direction::Outbound,
                                        tuple, tuple, 0, nullptr, editor, p, header);
  // Accepted packets go to the router's own stack untouched: a local rewrite has nowhere to go.
  return outcome.verdict != alg::VerdictKind::Accept;
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
    Drop(result.status == OutboundStatus::TableFull ? kDropTableFull : kDropPortExhausted, p,
         header);
    return;
  }
  const Endpoint external = result.external;
  std::uint16_t destinationPort = remote.port;
  const std::uint64_t mappingId = result.mapping->id;
  std::int32_t delta = 0;
  std::uint32_t sequence = editor.TcpSequence();
  alg::AlgModel* model = ActiveAlg() == nullptr ? nullptr : ModelFor(mappingId);
  if (model != nullptr && !model->Empty(alg::HookPoint::OutboundPostSnat)) {
    const std::optional<ChainOutcome> outcome =
        RunHook(*model, alg::HookPoint::OutboundPostSnat, Direction::Outbound,
                FiveTuple{protocol, internal, remote}, FiveTuple{protocol, external, remote},
                mappingId, nullptr, editor, sequence, p, header);
    if (!outcome || outcome->verdict != alg::VerdictKind::Accept) return;
    if (outcome->redirectDestinationPort != 0) destinationPort = outcome->redirectDestinationPort;
    delta = outcome->payloadDelta;
  }
  if (protocol == L4Protocol::Tcp) {
    AdjustTcpNumbers(editor, Direction::Outbound, mappingId, remote, sequence, delta);
  }
  ns3::Ptr<ns3::Packet> out = editor.Close(external.port, destinationPort, external.address,
                                           remote.address, ns3::Node::ChecksumEnabled());
  ns3::Ipv4Header translated = header;
  translated.SetSource(external.address);
  translated.SetPayloadSize(static_cast<std::uint16_t>(out->GetSize()));
  const std::uint32_t mtu = route->GetOutputDevice()->GetMtu();
  if (translated.IsDontFragment() && out->GetSize() + translated.GetSerializedSize() > mtu) {
    // The sender hears why, quoting its own datagram as it sent it (what conntrack's reverse
    // translation of the kernel's ICMP error gives it).
    if (auto icmp = m_ipv4->GetObject<ns3::Icmpv4L4Protocol>()) {
      icmp->SendDestUnreachFragNeeded(header, p, static_cast<std::uint16_t>(mtu));
    }
    Drop(kDropFragmentationNeeded, p, header);
    return;
  }
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
  const FiveTuple arrived{protocol, remote, publicEndpoint};
  const ns3::Time now = ns3::Simulator::Now();

  if (ActiveAlg() != nullptr && !ActiveAlg()->Empty(alg::HookPoint::InboundPreFilter)) {
    const ChainOutcome outcome = RunChain(*ActiveAlg(), alg::HookPoint::InboundPreFilter,
                                          Direction::Inbound, arrived, arrived, 0, nullptr,
                                          editor, p, header);
    if (outcome.verdict != alg::VerdictKind::Accept) return true;
    if (outcome.admitTo) {
      // A one-shot pinhole for exactly this packet: the NAT's own admission path then opens
      // the mapping or session, as for any expectation.
      Expectation admit;
      admit.protocol = protocol;
      admit.externalPort = publicEndpoint.port;
      admit.remote = remote;
      admit.internal = *outcome.admitTo;
      admit.timeout = ns3::Seconds(1);
      m_table.AddExpectation(admit, now);
    }
  }

  const InboundResult result = m_table.TranslateInbound(protocol, remote, publicEndpoint.port,
                                                        editor.PayloadSize(), now,
                                                        editor.TcpFlags());
  if (result.status != InboundStatus::Admitted) {
    if (ActiveAlg() != nullptr && !ActiveAlg()->Empty(alg::HookPoint::LocalIn)) {
      const ChainOutcome outcome = RunChain(*ActiveAlg(), alg::HookPoint::LocalIn, Direction::Inbound,
                                            arrived, arrived, 0, nullptr, editor, p, header);
      if (outcome.verdict != alg::VerdictKind::Accept) return true;
    }
    Drop(result.status == InboundStatus::Filtered    ? kDropFiltered
         : result.status == InboundStatus::TableFull ? kDropTableFull
                                                     : kDropNoMapping,
         p, header);
    return true;
  }
  const Endpoint internal = result.internal;
  const std::uint64_t mappingId = result.mapping->id;
  std::uint16_t destinationPort = internal.port;
  std::uint32_t sequence = editor.TcpSequence();
  std::int32_t delta = 0;
  alg::AlgModel* model = ActiveAlg() == nullptr ? nullptr : ModelFor(mappingId);
  if (model != nullptr) {
    // A mapping of the router's own endpoint (a mechanism emitted through the NAT): the reply
    // is for the router itself.
    bool local = false;
    for (const alg::RouterInterface& i : m_view.lan) local = local || i.address == internal.address;
    const alg::HookPoint point =
        local ? alg::HookPoint::LocalIn : alg::HookPoint::InboundPostDnat;
    if (!model->Empty(point)) {
      const std::optional<ChainOutcome> outcome =
          RunHook(*model, point, Direction::Inbound, arrived, FiveTuple{protocol, remote, internal},
                  mappingId, &result, editor, sequence, p, header);
      if (!outcome || outcome->verdict != alg::VerdictKind::Accept) return true;
      if (outcome->redirectDestinationPort != 0) destinationPort = outcome->redirectDestinationPort;
      delta = outcome->payloadDelta;
    }
  }
  if (protocol == L4Protocol::Tcp) {
    AdjustTcpNumbers(editor, Direction::Inbound, mappingId, remote, sequence, delta);
  }
  ns3::Ptr<ns3::Packet> in = editor.Close(remote.port, destinationPort, remote.address,
                                          internal.address, ns3::Node::ChecksumEnabled());
  ns3::Ipv4Header translated = header;
  translated.SetDestination(internal.address);
  translated.SetPayloadSize(static_cast<std::uint16_t>(in->GetSize()));
  ++m_counters.translatedInbound;
  return RouteIntercepted(in, translated, idev, ucb, true, mcb, lcb, ecb);
}

NatRoutingProtocol::ChainOutcome NatRoutingProtocol::RunChain(
    alg::AlgModel& model, alg::HookPoint point, Direction direction, const FiveTuple& original,
    const FiveTuple& translated, std::uint64_t mappingId, const InboundResult* admission,
    L4PacketEditor& editor, ns3::Ptr<const ns3::Packet> p, const ns3::Ipv4Header& header) {
  const EditorPayload source(editor);
  ChainOutcome outcome = RunChainOn(model, point, direction, original, translated, mappingId,
                                    admission, source, p, header);
  if (outcome.modified) editor.ReplacePayload(m_algPayload);
  return outcome;
}

NatRoutingProtocol::ChainOutcome NatRoutingProtocol::RunChainOn(
    alg::AlgModel& model, alg::HookPoint point, Direction direction, const FiveTuple& original,
    const FiveTuple& translated, std::uint64_t mappingId, const InboundResult* admission,
    const alg::PayloadSource& source, ns3::Ptr<const ns3::Packet> p,
    const ns3::Ipv4Header& header) {
  ++m_counters.algInvocations;
  // A mechanism may replace the model (a knob change) or end its generation; keep it alive.
  const ns3::Ptr<alg::AlgModel> keep(&model);
  const std::uint32_t bytesBefore = source.Size();
  alg::PacketContext context(point, direction, original, translated, source, m_algPayload,
                             m_table, ns3::Simulator::Now(), m_view, *this);
  context.mappingId = mappingId;
  if (admission != nullptr && admission->viaExpectation) {
    context.admittedBy = admission->expectation;
    context.admittedById = admission->expectationId;
  }
  const alg::Verdict verdict = model.Run(context);
  MaybeScheduleSweep();  // mechanisms may have added expectations or mappings

  // The source is still unmodified: the original bytes are there when needed.
  bool modified = false;
  if (context.PayloadMayHaveChanged()) {
    source.CopyTo(m_algOriginal);
    modified = m_algPayload != m_algOriginal;
  }
  const std::uint32_t bytesAfter =
      context.PayloadCopied() ? static_cast<std::uint32_t>(m_algPayload.size()) : bytesBefore;
  m_algActionTrace(direction, verdict.kind, bytesBefore, bytesAfter, modified);
  const bool accepted = verdict.kind == alg::VerdictKind::Accept;
  if (modified || !accepted) {
    static const std::string kNoText;
    if (!modified) source.CopyTo(m_algOriginal);
    const std::string reason = verdict.reason != nullptr ? verdict.reason : "";
    m_algMessageTrace(direction, verdict.kind, m_algOriginal, accepted ? m_algPayload : kNoText,
                      reason, context.Actors());
  }
  ChainOutcome outcome;
  outcome.verdict = verdict.kind;
  if (verdict.kind == alg::VerdictKind::Drop) {
    if (verdict.reason != nullptr && *verdict.reason != '\0') {
      Drop(kDropAlg + ":" + verdict.reason, p, header);
    } else {
      Drop(kDropAlg, p, header);
    }
    return outcome;
  }
  if (verdict.kind == alg::VerdictKind::Stolen) {
    ++m_counters.stolen;
    return outcome;
  }
  if (modified) {
    outcome.modified = true;
    outcome.payloadDelta =
        static_cast<std::int32_t>(m_algPayload.size()) - static_cast<std::int32_t>(bytesBefore);
  }
  if (context.tcpSequenceDelta) outcome.payloadDelta = *context.tcpSequenceDelta;
  if (context.redirectDestinationPort != 0) {
    NS_LOG_LOGIC("ALG redirects " << translated << " to destination port "
                                  << context.redirectDestinationPort);
  }
  outcome.redirectDestinationPort = context.redirectDestinationPort;
  outcome.admitTo = context.admitTo;
  return outcome;
}

std::optional<NatRoutingProtocol::ChainOutcome> NatRoutingProtocol::RunHook(
    alg::AlgModel& model, alg::HookPoint point, Direction direction, const FiveTuple& original,
    const FiveTuple& translated, std::uint64_t mappingId, const InboundResult* admission,
    L4PacketEditor& editor, std::uint32_t& sequence, ns3::Ptr<const ns3::Packet> p,
    const ns3::Ipv4Header& header) {
  if (editor.Protocol() != L4Protocol::Tcp || model.GetTcpView() != alg::TcpView::Message) {
    return RunChain(model, point, direction, original, translated, mappingId, admission, editor,
                    p, header);
  }
  editor.CopyPayload(m_tcpSegment);
  const Endpoint remote = direction == Direction::Outbound ? original.destination : original.source;
  TcpMessageAssembler::Decision decision = m_tcpAssembler.Offer(
      TcpMessageAssembler::Key{mappingId, remote, direction}, sequence, m_tcpSegment, editor.TcpFlags());
  switch (decision.action) {
    case TcpMessageAssembler::Decision::Action::Pass:
      return RunChain(model, point, direction, original, translated, mappingId, admission, editor,
                      p, header);
    case TcpMessageAssembler::Decision::Action::Hold:
      NS_LOG_LOGIC("holding a segment that ends inside a SIP message: " << header);
      return std::nullopt;
    case TcpMessageAssembler::Decision::Action::Forward:
      break;
  }
  // Each whole message through the chain on its own; the rest as it came.
  ChainOutcome total;
  m_tcpMessages.clear();
  std::size_t at = 0;
  for (const TcpMessageAssembler::Piece& piece : decision.pieces) {
    const std::string_view bytes = std::string_view(decision.bytes).substr(at, piece.length);
    at += piece.length;
    if (!piece.message) {
      m_tcpMessages.append(bytes);
      continue;
    }
    m_tcpMessage.assign(bytes);
    const alg::StringPayloadSource source(m_tcpMessage);
    const ChainOutcome outcome = RunChainOn(model, point, direction, original, translated,
                                            mappingId, admission, source, p, header);
    if (outcome.verdict == alg::VerdictKind::Drop) return std::nullopt;  // the whole segment
    if (outcome.verdict == alg::VerdictKind::Stolen) continue;
    m_tcpMessages.append(outcome.modified ? m_algPayload : m_tcpMessage);
    if (outcome.redirectDestinationPort != 0) {
      total.redirectDestinationPort = outcome.redirectDestinationPort;
    }
    if (outcome.admitTo) total.admitTo = outcome.admitTo;
  }
  // The segment now starts at the first held byte and carries the merged (rewritten) bytes;
  // the NAT records the length change of that whole stretch.
  sequence = decision.sequence;
  editor.SetTcpSequence(decision.sequence);
  editor.ReplacePayload(m_tcpMessages);
  total.modified = true;
  total.payloadDelta = static_cast<std::int32_t>(m_tcpMessages.size()) -
                       static_cast<std::int32_t>(decision.bytes.size());
  return total;
}

void NatRoutingProtocol::AdjustTcpNumbers(L4PacketEditor& editor, Direction direction,
                                          std::uint64_t mappingId, const Endpoint& remote,
                                          std::uint32_t sequence, std::int32_t delta) {
  const TcpSequenceAdjust* adjust =
      m_table.RecordTcpResize(mappingId, remote, direction, sequence, delta, ns3::Simulator::Now());
  if (adjust != nullptr && adjust->Active()) editor.ApplySequenceAdjust(*adjust, direction);
}

// ---- Packets the mechanisms emit -------------------------------------------------------------

void NatRoutingProtocol::Emit(alg::EmittedPacket packet, ns3::Time delay) {
  ns3::Simulator::Schedule(delay, &NatRoutingProtocol::SendEmitted, this, std::move(packet));
}

void NatRoutingProtocol::SendEmitted(alg::EmittedPacket packet) {
  if (m_ipv4 == nullptr || IsRebooting() || m_view.lan.empty()) return;  // a dead router is mute
  NS_ABORT_MSG_IF(packet.protocol != L4Protocol::Udp, "mechanisms can emit UDP only");
  const alg::RouterInterface* lan = m_view.LanFor(packet.destination.address);
  // A LAN packet toward an address on no LAN prefix would leave by the WAN with a private
  // source: not sent, as the router never leaks one.
  if (lan == nullptr && packet.side == alg::EmitSide::Lan) return;
  if (lan == nullptr) lan = &m_view.lan.front();
  Endpoint source{lan->address, packet.sourcePort};
  if (packet.side == alg::EmitSide::Wan) {
    // The router's own endpoint crosses the NAT like an inside host's, so the reply finds its
    // way back through the mapping (to LocalIn).
    const OutboundResult result = m_table.TranslateOutbound(
        L4Protocol::Udp, source, packet.destination,
        static_cast<std::uint32_t>(packet.payload.size()), ns3::Simulator::Now());
    if (result.status != OutboundStatus::Translated) return;
    source = result.external;
  }
  ns3::Ptr<ns3::Packet> datagram = ns3::Create<ns3::Packet>(
      reinterpret_cast<const std::uint8_t*>(packet.payload.data()),
      static_cast<std::uint32_t>(packet.payload.size()));
  ns3::UdpHeader udp;
  udp.SetSourcePort(source.port);
  udp.SetDestinationPort(packet.destination.port);
  if (ns3::Node::ChecksumEnabled()) {
    udp.EnableChecksums();
    udp.InitializeChecksum(source.address, packet.destination.address,
                           static_cast<std::uint8_t>(L4Protocol::Udp));
  }
  datagram->AddHeader(udp);
  ++m_counters.emitted;
  m_algEmitTrace(packet.payload, source, packet.destination);
  m_ipv4->Send(datagram, source.address, packet.destination.address,
               static_cast<std::uint8_t>(L4Protocol::Udp), nullptr);
}

// ---- Ipv4RoutingProtocol plumbing ------------------------------------------------------------

void NatRoutingProtocol::NotifyInterfaceUp(std::uint32_t interface) {
  m_inner->NotifyInterfaceUp(interface);
  ResolveWan();  // the router view lists every interface, not only the WAN
}

void NatRoutingProtocol::NotifyInterfaceDown(std::uint32_t interface) {
  m_inner->NotifyInterfaceDown(interface);
}

void NatRoutingProtocol::NotifyAddAddress(std::uint32_t interface,
                                          ns3::Ipv4InterfaceAddress address) {
  m_inner->NotifyAddAddress(interface, address);
  ResolveWan();
}

void NatRoutingProtocol::NotifyRemoveAddress(std::uint32_t interface,
                                             ns3::Ipv4InterfaceAddress address) {
  m_inner->NotifyRemoveAddress(interface, address);
  ResolveWan();
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
  m_fragmentExpiryEvent.Cancel();
  m_reassembler.Clear();
  // Silence the table first: trace sinks may already be gone while the simulation is torn down.
  m_table.SetMappingCreatedCallback(nullptr);
  m_table.SetMappingRemovedCallback(nullptr);
  m_table.SetPortPicker(nullptr);
  m_table.Clear();
  if (m_inner != nullptr) m_inner->Dispose();
  m_inner = nullptr;
  m_ipv4 = nullptr;
  m_wanDevice = nullptr;
  if (m_alg != nullptr) m_alg->Dispose();
  m_alg = nullptr;
  m_olderGenerations.clear();
  m_portRng = nullptr;
  m_pending = PendingForward{};
  m_interceptCallback = UnicastForwardCallback();
  ns3::Ipv4RoutingProtocol::DoDispose();
}

}  // namespace alglab::nat
