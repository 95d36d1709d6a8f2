#include "alg-models/contract/table-router.h"

namespace alglab::alg {

TableRouter::TableRouter(const nat::NatConfig& config, RouterView view,
                         ns3::Ptr<AlgModel> model)
    : m_table(config), m_view(std::move(view)), m_model(model) {
  m_table.SetExternalAddress(m_view.wan.address);
  if (m_model != nullptr) {
    m_model->Bind(RouterServices{&m_view, this, &m_table});
    // As the router does: mappings leaving the table are reported to the model.
    m_table.SetMappingRemovedCallback([this](const nat::Mapping& m, nat::RemovalReason) {
      m_model->NotifyMappingRemoved(m, m_table);
    });
  }
}

TableRouter::~TableRouter() {
  m_table.SetMappingRemovedCallback(nullptr);
  if (m_model != nullptr) m_model->Dispose();
}

TableRouter::Result TableRouter::RunPoint(HookPoint point, nat::Direction direction,
                                          const nat::FiveTuple& original,
                                          const nat::FiveTuple& translated,
                                          std::uint64_t mappingId,
                                          const nat::InboundResult* admission,
                                          std::string& payload, ns3::Time now) {
  Result result;
  result.to = translated.destination;
  result.mappingId = mappingId;
  if (m_model == nullptr || m_model->Empty(point)) {
    result.delivered = payload;
    return result;
  }
  m_now = now;
  const StringPayloadSource source(payload);
  PacketContext context(point, direction, original, translated, source, m_buffer, m_table, now,
                        m_view, *this);
  context.mappingId = mappingId;
  if (admission != nullptr && admission->viaExpectation) {
    context.admittedBy = admission->expectation;
    context.admittedById = admission->expectationId;
  }
  const Verdict verdict = m_model->Run(context);
  result.verdict = verdict.kind;
  if (verdict.kind == VerdictKind::Drop) {
    result.dropReason = verdict.reason != nullptr && *verdict.reason != '\0'
                            ? std::string("alg: ") + verdict.reason
                            : std::string("alg");
    return result;
  }
  if (verdict.kind == VerdictKind::Stolen) return result;
  if (context.PayloadMayHaveChanged()) payload = m_buffer;
  result.redirectedPort = context.redirectDestinationPort;
  if (result.redirectedPort != 0) result.to.port = result.redirectedPort;
  result.delivered = payload;
  return result;
}

TableRouter::Result TableRouter::Outbound(const nat::Endpoint& from, const nat::Endpoint& to,
                                          std::string payload, ns3::Time now) {
  const nat::OutboundResult out = m_table.TranslateOutbound(
      nat::L4Protocol::Udp, from, to, static_cast<std::uint32_t>(payload.size()), now);
  if (out.status != nat::OutboundStatus::Translated) {
    Result r;
    r.verdict = VerdictKind::Drop;
    r.dropReason = out.status == nat::OutboundStatus::TableFull ? "table-full" : "port-exhausted";
    return r;
  }
  const nat::Endpoint external = out.external;
  return RunPoint(HookPoint::OutboundPostSnat, nat::Direction::Outbound,
                  nat::FiveTuple{nat::L4Protocol::Udp, from, to},
                  nat::FiveTuple{nat::L4Protocol::Udp, external, to}, out.mapping->id, nullptr,
                  payload, now);
}

TableRouter::Result TableRouter::Inbound(const nat::Endpoint& from, std::uint16_t publicPort,
                                         std::string payload, ns3::Time now) {
  const nat::Endpoint publicEndpoint{m_table.GetExternalAddress(), publicPort};
  const nat::FiveTuple arrived{nat::L4Protocol::Udp, from, publicEndpoint};
  if (m_model != nullptr && !m_model->Empty(HookPoint::InboundPreFilter)) {
    m_now = now;
    const StringPayloadSource source(payload);
    PacketContext context(HookPoint::InboundPreFilter, nat::Direction::Inbound, arrived, arrived,
                          source, m_buffer, m_table, now, m_view, *this);
    const Verdict verdict = m_model->Run(context);
    if (verdict.kind != VerdictKind::Accept) {
      Result r;
      r.verdict = verdict.kind;
      if (verdict.kind == VerdictKind::Drop) {
        r.dropReason = verdict.reason != nullptr ? std::string("alg: ") + verdict.reason : "alg";
      }
      return r;
    }
    if (context.PayloadMayHaveChanged()) payload = m_buffer;
    if (context.admitTo) {
      nat::Expectation admit;
      admit.externalPort = publicPort;
      admit.remote = from;
      admit.internal = *context.admitTo;
      admit.timeout = ns3::Seconds(1);
      m_table.AddExpectation(admit, now);
    }
  }
  const nat::InboundResult in = m_table.TranslateInbound(
      nat::L4Protocol::Udp, from, publicPort, static_cast<std::uint32_t>(payload.size()), now);
  if (in.status != nat::InboundStatus::Admitted) {
    Result r;
    r.verdict = VerdictKind::Drop;
    r.dropReason = in.status == nat::InboundStatus::Filtered    ? "filtered"
                   : in.status == nat::InboundStatus::TableFull ? "table-full"
                                                                : "no-mapping";
    return r;
  }
  return RunPoint(HookPoint::InboundPostDnat, nat::Direction::Inbound, arrived,
                  nat::FiveTuple{nat::L4Protocol::Udp, from, in.internal}, in.mapping->id, &in,
                  payload, now);
}

void TableRouter::Emit(EmittedPacket packet, ns3::Time delay) {
  m_emitted.push_back(Emission{m_now + delay, std::move(packet)});
}

nat::Endpoint TableRouter::SourceOf(const EmittedPacket& packet, ns3::Time now) {
  const RouterInterface* lan = m_view.LanFor(packet.destination.address);
  if (lan == nullptr && !m_view.lan.empty()) lan = &m_view.lan.front();
  const nat::Endpoint own{lan != nullptr ? lan->address : ns3::Ipv4Address::GetAny(),
                          packet.sourcePort};
  if (packet.side == EmitSide::Lan) return own;
  const nat::OutboundResult r =
      m_table.TranslateOutbound(packet.protocol, own, packet.destination,
                                static_cast<std::uint32_t>(packet.payload.size()), now);
  return r.status == nat::OutboundStatus::Translated ? r.external : nat::Endpoint{};
}

std::vector<TableRouter::Emission> TableRouter::TakeEmitted() {
  std::vector<Emission> out;
  out.swap(m_emitted);
  return out;
}

}  // namespace alglab::alg
