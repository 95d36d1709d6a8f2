#include "sim/mangle/flow-replay.h"

#include "alg-models/contract/alg-factory.h"
#include "sim/nat/alg-hook.h"
#include "sim/nat/nat-table.h"

namespace alglab::mangle {

namespace {

const ns3::Ipv4Address kPhone("10.0.0.2");
const ns3::Ipv4Address kRouterWan("203.0.113.1");
const ns3::Ipv4Address kPeer("203.0.113.2");
constexpr std::uint16_t kSipPort = 5060;
/// Virtual time between two blocks.
const ns3::Time kBlockSpacing = ns3::MilliSeconds(10);

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

std::string DropReason(const nat::AlgContext& context) {
  if (context.dropReason != nullptr && *context.dropReason != '\0') {
    return std::string("alg: ") + context.dropReason;
  }
  return "alg";
}

/// Hands one datagram to the ALG (if any). Returns false when it dropped the datagram, with
/// the reason in `outcome`; otherwise the datagram as delivered (and any redirect) is recorded.
bool RunHook(const ns3::Ptr<nat::AlgHook>& hook, nat::Direction direction, const nat::FiveTuple& original,
             const nat::FiveTuple& translated, std::string& payload, nat::NatTable& table, ns3::Time now,
             std::uint64_t mappingId, BlockOutcome& outcome) {
  if (hook != nullptr) {
    nat::AlgContext context{direction, original, translated, payload, table, now, mappingId, nullptr, 0};
    if (hook->ProcessPacket(context) == nat::AlgVerdict::Drop) {
      outcome.dropReason = DropReason(context);
      return false;
    }
    outcome.redirectedPort = context.redirectDestinationPort;
  }
  outcome.delivered = payload;
  return true;
}

}  // namespace

std::vector<BlockOutcome> ReplayFlow(const flow::FlowFile& flow, const std::string& vendor,
                                     const std::map<std::string, std::string>& knobs) {
  const ns3::Ptr<nat::AlgHook> hook = alg::CreateAlgHook(vendor, knobs);
  nat::NatTable table(MasqueradeConfig());
  table.SetExternalAddress(kRouterWan);
  if (hook != nullptr) {
    table.SetMappingRemovedCallback([&hook, &table](const nat::Mapping& m, nat::RemovalReason) {
      hook->OnMappingRemoved(m, table);
    });
  }
  const nat::Endpoint phone{kPhone, kSipPort};
  const nat::Endpoint peer{kPeer, kSipPort};
  nat::Endpoint replyTo{kRouterWan, kSipPort};

  std::vector<BlockOutcome> outcomes;
  outcomes.reserve(flow.blocks.size());
  std::string payload;
  ns3::Time now = ns3::Seconds(0);
  for (const flow::FlowBlock& block : flow.blocks) {
    now += kBlockSpacing;
    BlockOutcome outcome;
    outcome.dir = block.dir;
    outcome.line = block.line;
    outcome.sent = block.payload;
    payload = block.payload;
    const auto bytes = static_cast<std::uint32_t>(payload.size());

    if (block.dir == flow::FlowBlock::Out) {
      const nat::OutboundResult out =
          table.TranslateOutbound(nat::L4Protocol::Udp, phone, peer, bytes, now);
      if (out.status != nat::OutboundStatus::Translated) {
        outcome.dropReason = "port-exhausted";
        outcomes.push_back(std::move(outcome));
        continue;
      }
      const nat::Endpoint external = out.external;
      if (!RunHook(hook, nat::Direction::Outbound, nat::FiveTuple{nat::L4Protocol::Udp, phone, peer},
                   nat::FiveTuple{nat::L4Protocol::Udp, external, peer}, payload, table, now,
                   out.mapping->id, outcome)) {
        outcomes.push_back(std::move(outcome));
        continue;
      }
      replyTo = external;  // the peer answers where it heard from
    } else {
      if (replyTo.address != table.GetExternalAddress()) {
        outcome.dropReason = "no-mapping";
        outcomes.push_back(std::move(outcome));
        continue;
      }
      const nat::InboundResult in =
          table.TranslateInbound(nat::L4Protocol::Udp, peer, replyTo.port, bytes, now);
      if (in.status != nat::InboundStatus::Admitted) {
        outcome.dropReason = in.status == nat::InboundStatus::Filtered ? "filtered" : "no-mapping";
        outcomes.push_back(std::move(outcome));
        continue;
      }
      if (!RunHook(hook, nat::Direction::Inbound, nat::FiveTuple{nat::L4Protocol::Udp, peer, replyTo},
                   nat::FiveTuple{nat::L4Protocol::Udp, peer, in.internal}, payload, table, now,
                   in.mapping->id, outcome)) {
        outcomes.push_back(std::move(outcome));
        continue;
      }
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace alglab::mangle
