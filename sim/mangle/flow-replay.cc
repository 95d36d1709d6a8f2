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

/// The flow topology as the router's mechanisms see it: LAN 10.0.0.1/24, WAN 203.0.113.1/24.
alg::RouterView FlowTopology() {
  alg::RouterView view;
  view.hasWan = true;
  view.wan = alg::RouterInterface{2, kRouterWan, ns3::Ipv4Mask("255.255.255.0")};
  view.lan.push_back(alg::RouterInterface{1, kRouterLan, ns3::Ipv4Mask("255.255.255.0")});
  return view;
}

}  // namespace

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
  auto replay = [&](const flow::FlowBlock& block) {
    const ns3::Time now = ns3::Simulator::Now();
    BlockOutcome outcome;
    outcome.dir = block.dir;
    outcome.line = block.line;
    outcome.sent = block.payload;
    alg::TableRouter::Result result;
    if (block.dir == flow::FlowBlock::Out) {
      result = router.Outbound(phone, peer, block.payload, now);
    } else if (replyTo.address != router.Table().GetExternalAddress()) {
      result.verdict = alg::VerdictKind::Drop;
      result.dropReason = "no-mapping";
    } else {
      result = router.Inbound(peer, replyTo.port, block.payload, now);
    }
    outcome.delivered = result.delivered;
    outcome.dropReason = result.dropReason;
    outcome.stolen = result.verdict == alg::VerdictKind::Stolen;
    outcome.redirectedPort = result.redirectedPort;
    outcome.to = result.to;
    if (result.delivered && block.dir == flow::FlowBlock::Out) {
      // The peer answers where it heard from: the mapping's public endpoint.
      const nat::Mapping* m = router.Table().FindMappingById(result.mappingId, now);
      if (m != nullptr) replyTo = m->external;
    }
    outcomes.push_back(std::move(outcome));
    scheduleEmitted(block.line);
  };

  ns3::Time at = ns3::Seconds(0);
  for (const flow::FlowBlock& block : flow.blocks) {
    at += kBlockSpacing;
    ns3::Simulator::Schedule(at, [&replay, &block]() { replay(block); });
  }
  // Bounded: whatever the model still schedules after this is not part of the replay.
  ns3::Simulator::Stop(at + kDrainTime);
  ns3::Simulator::Run();
  ns3::Simulator::Destroy();
  return outcomes;
}

}  // namespace alglab::mangle
