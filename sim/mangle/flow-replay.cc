#include "sim/mangle/flow-replay.h"

#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/table-router.h"

#include "ns3/simulator.h"

#include <algorithm>
#include "sim/nat/nat-table.h"

namespace alglab::mangle {

namespace {

const ns3::Ipv4Address kPhone("10.0.0.2");
const ns3::Ipv4Address kRouterWan("203.0.113.1");
const ns3::Ipv4Address kRouterLan("10.0.0.1");
const ns3::Ipv4Address kPeer("203.0.113.2");
constexpr std::uint16_t kSipPort = 5060;
/// Virtual time between two blocks.
const ns3::Time kBlockSpacing = ns3::MilliSeconds(10);
/// How long after the last block the replay still delivers what models emit (64*T1: a SIP
/// transaction's longest timer).
const ns3::Time kDrainTime = ns3::Seconds(32);

/// Linux masquerading as the NatTable sees it: the source port is preserved when free (else the
/// next free one), an inside endpoint keeps its binding whatever the destination, conntrack
/// admits only replies from endpoints the inside host sent to, and both directions refresh.
nat::NatConfig MasqueradeConfig() {
  nat::NatConfig config;
  config.mapping = nat::MappingBehaviour::EndpointIndependent;
  config.filtering = nat::FilteringBehaviour::AddressAndPortDependent;
  config.portPreservation = true;
  config.allocation = nat::PortAllocation::Sequential;
  config.portRangeMin = 1024;
  config.portRangeMax = 65535;
  config.udpTimeout = ns3::Seconds(120);
  config.udpUnrepliedTimeout = ns3::Seconds(30);
  config.refreshOnInbound = true;
  return config;
}

/// Initial sequence numbers of the flow's TCP connection (any fixed values do).
constexpr std::uint32_t kPhoneIsn = 1000;
constexpr std::uint32_t kPeerIsn = 50000;

/// One end of the replayed TCP connection: the next sequence number it sends and, as its
/// receiving stack sees the stream, the next one it expects (bytes before it were taken in).
struct TcpEnd {
  nat::Endpoint endpoint;
  std::uint32_t next = 0;
  std::uint32_t expected = 0;
};

/// What a receiving TCP stack hands its application from a segment that starts at `sequence`:
/// bytes it already has are skipped, a segment beyond a hole is held (nothing now). Returns
/// nullopt for a segment past a hole.
std::optional<std::string> TakeInOrder(TcpEnd& receiver, std::uint32_t sequence,
                                       const std::string& payload) {
  if (nat::TcpSequenceAdjust::After(sequence, receiver.expected)) return std::nullopt;
  const std::uint32_t already = receiver.expected - sequence;
  if (already >= payload.size()) return std::string();
  receiver.expected = sequence + static_cast<std::uint32_t>(payload.size());
  return payload.substr(already);
}

}  // namespace

alg::RouterView FlowTopology() {
  alg::RouterView view;
  view.hasWan = true;
  view.wan = alg::RouterInterface{2, kRouterWan, ns3::Ipv4Mask("255.255.255.0")};
  view.lan.push_back(alg::RouterInterface{1, kRouterLan, ns3::Ipv4Mask("255.255.255.0")});
  return view;
}

std::vector<BlockOutcome> ReplayFlow(const flow::FlowFile& flow, const std::string& vendor,
                                     const std::map<std::string, std::string>& knobs) {
  alg::TableRouter router(MasqueradeConfig(), FlowTopology(), alg::CreateAlgModel(vendor, knobs));
  const nat::Endpoint phone{kPhone, kSipPort};
  const nat::Endpoint peer{kPeer, kSipPort};
  nat::Endpoint replyTo{kRouterWan, kSipPort};

  std::vector<BlockOutcome> outcomes;
  outcomes.reserve(flow.blocks.size());
  // What the model emitted: delivered when due, as the datagram would arrive.
  auto scheduleEmitted = [&](std::size_t line) {
    for (alg::TableRouter::Emission& e : router.TakeEmitted()) {
      const ns3::Time delay = std::max(e.at - ns3::Simulator::Now(), ns3::Time(0));
      ns3::Simulator::Schedule(delay, [&outcomes, &router, line, e]() {
        BlockOutcome outcome;
        outcome.emitted = true;
        outcome.line = line;
        outcome.dir = e.packet.side == alg::EmitSide::Lan ? flow::FlowBlock::In : flow::FlowBlock::Out;
        outcome.delivered = e.packet.payload;
        outcome.to = e.packet.destination;
        router.SourceOf(e.packet, ns3::Simulator::Now());  // through the NAT, as the router does
        outcomes.push_back(std::move(outcome));
      });
    }
  };
  auto replayDatagram = [&](const flow::FlowSegment& segment) {
    const ns3::Time now = ns3::Simulator::Now();
    BlockOutcome outcome;
    outcome.dir = segment.dir;
    outcome.line = segment.line;
    outcome.sent = segment.payload;
    alg::TableRouter::Result result;
    if (segment.dir == flow::FlowBlock::Out) {
      result = router.Outbound(phone, peer, segment.payload, now);
    } else if (replyTo.address != router.Table().GetExternalAddress()) {
      result.verdict = alg::VerdictKind::Drop;
      result.dropReason = "no-mapping";
    } else {
      result = router.Inbound(peer, replyTo.port, segment.payload, now);
    }
    outcome.delivered = result.delivered;
    outcome.dropReason = result.dropReason;
    outcome.stolen = result.verdict == alg::VerdictKind::Stolen;
    outcome.redirectedPort = result.redirectedPort;
    outcome.to = result.to;
    if (result.delivered && segment.dir == flow::FlowBlock::Out) {
      // The peer answers where it heard from: the mapping's public endpoint.
      const nat::Mapping* m = router.Table().FindMappingById(result.mappingId, now);
      if (m != nullptr) replyTo = m->external;
    }
    outcomes.push_back(std::move(outcome));
    scheduleEmitted(segment.line);
  };

  // TCP: the phone connects before the first segment; every segment is acknowledged by the
  // receiver, and both cross the router, so its connection state and sequence adjustment see
  // what a real connection carries.
  constexpr auto kTcp = nat::L4Protocol::Tcp;
  TcpEnd phoneEnd{phone, kPhoneIsn, 0};
  TcpEnd peerEnd{peer, kPeerIsn, 0};
  std::uint16_t publicPort = 0;
  bool connected = false;
  auto connect = [&]() {
    const ns3::Time now = ns3::Simulator::Now();
    const auto syn =
        router.Outbound(phone, peer, "", now, kTcp, {nat::tcp_flags::kSyn, phoneEnd.next, 0});
    if (!syn.delivered) return;
    const nat::Mapping* m = router.Table().FindMappingById(syn.mappingId, now);
    if (m == nullptr) return;
    publicPort = m->external.port;
    ++phoneEnd.next;
    peerEnd.expected = syn.tcp.sequence + 1;
    const auto synAck = router.Inbound(
        peer, publicPort, "", now, kTcp,
        {nat::tcp_flags::kSyn | nat::tcp_flags::kAck, peerEnd.next, peerEnd.expected});
    if (!synAck.delivered) return;
    ++peerEnd.next;
    phoneEnd.expected = synAck.tcp.sequence + 1;
    const auto ack = router.Outbound(phone, peer, "", now, kTcp,
                                     {nat::tcp_flags::kAck, phoneEnd.next, phoneEnd.expected});
    connected = ack.delivered.has_value();
  };
  auto replaySegment = [&](const flow::FlowSegment& segment) {
    const ns3::Time now = ns3::Simulator::Now();
    const bool out = segment.dir == flow::FlowBlock::Out;
    TcpEnd& sender = out ? phoneEnd : peerEnd;
    TcpEnd& receiver = out ? peerEnd : phoneEnd;
    BlockOutcome outcome;
    outcome.dir = segment.dir;
    outcome.line = segment.line;
    outcome.sent = segment.payload;
    if (!connected) {
      outcome.dropReason = "tcp: no connection";
      outcomes.push_back(std::move(outcome));
      return;
    }
    const alg::TcpFields fields{nat::tcp_flags::kAck, sender.next, sender.expected};
    sender.next += static_cast<std::uint32_t>(segment.payload.size());  // written, whatever comes
    const auto result = out ? router.Outbound(phone, peer, segment.payload, now, kTcp, fields)
                            : router.Inbound(peer, publicPort, segment.payload, now, kTcp, fields);
    outcome.dropReason = result.dropReason;
    outcome.stolen = result.verdict == alg::VerdictKind::Stolen;
    outcome.to = result.to;
    if (result.delivered) {
      outcome.delivered = TakeInOrder(receiver, result.tcp.sequence, *result.delivered);
      if (!outcome.delivered) {
        outcome.dropReason = "tcp: beyond a hole in the sequence space";
      } else if (outcome.delivered->empty()) {
        outcome.delivered.reset();
        outcome.dropReason = "tcp: bytes the receiver already had";
      }
      // The receiver acknowledges what it holds, back across the router.
      const alg::TcpFields ackFields{nat::tcp_flags::kAck, receiver.next, receiver.expected};
      if (out) {
        router.Inbound(peer, publicPort, "", now, kTcp, ackFields);
      } else {
        router.Outbound(phone, peer, "", now, kTcp, ackFields);
      }
    }
    outcomes.push_back(std::move(outcome));
    scheduleEmitted(segment.line);
  };

  const std::vector<flow::FlowSegment> segments = flow.Segments();
  const bool tcp = flow.transport == flow::Transport::Tcp;
  ns3::Time at = ns3::Seconds(0);
  if (tcp) {
    at += kBlockSpacing;
    ns3::Simulator::Schedule(at, connect);
  }
  for (const flow::FlowSegment& segment : segments) {
    at += kBlockSpacing;
    if (tcp) {
      ns3::Simulator::Schedule(at, [&replaySegment, &segment]() { replaySegment(segment); });
    } else {
      ns3::Simulator::Schedule(at, [&replayDatagram, &segment]() { replayDatagram(segment); });
    }
  }
  // Bounded: whatever the model still schedules after this is not part of the replay.
  ns3::Simulator::Stop(at + kDrainTime);
  ns3::Simulator::Run();
  ns3::Simulator::Destroy();
  return outcomes;
}

}  // namespace alglab::mangle
