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
                                          std::string& payload, ns3::Time now,
                                          const TcpFields& tcp) {
  Result result;
  result.to = translated.destination;
  result.mappingId = mappingId;
  const bool isTcp = original.protocol == nat::L4Protocol::Tcp;
  // The WAN side of the connection: the segment's destination outbound, its source inbound.
  const nat::Endpoint& remote =
      direction == nat::Direction::Outbound ? original.destination : original.source;
  if (m_model == nullptr || m_model->Empty(point)) {
    if (isTcp) AdjustTcp(result, direction, remote, tcp, 0, now);
    result.delivered = payload;
    return result;
  }
  const std::size_t sizeBefore = payload.size();
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
  if (isTcp) {
    const std::int32_t delta = context.tcpSequenceDelta.value_or(
        static_cast<std::int32_t>(payload.size()) - static_cast<std::int32_t>(sizeBefore));
    AdjustTcp(result, direction, remote, tcp, delta, now);
  }
  result.delivered = payload;
  return result;
}

void TableRouter::AdjustTcp(Result& result, nat::Direction direction,
                            const nat::Endpoint& remote, const TcpFields& tcp,
                            std::int32_t delta, ns3::Time now) {
  result.tcp = tcp;
  const nat::TcpSequenceAdjust* adjust =
      m_table.RecordTcpResize(result.mappingId, remote, direction, tcp.sequence, delta, now);
  if (adjust == nullptr || !adjust->Active()) return;
  result.tcp.sequence = adjust->Sequence(direction, tcp.sequence);
  if ((tcp.flags & nat::tcp_flags::kAck) != 0) {
    result.tcp.ack = adjust->Acknowledgement(direction, tcp.ack);
  }
}

TableRouter::Result TableRouter::Outbound(const nat::Endpoint& from, const nat::Endpoint& to,
                                          std::string payload, ns3::Time now,
                                          nat::L4Protocol protocol, TcpFields tcp) {
  const nat::OutboundResult out = m_table.TranslateOutbound(
      protocol, from, to, static_cast<std::uint32_t>(payload.size()), now, tcp.flags);
  if (out.status != nat::OutboundStatus::Translated) {
    Result r;
    r.verdict = VerdictKind::Drop;
    r.dropReason = out.status == nat::OutboundStatus::TableFull ? "table-full" : "port-exhausted";
    return r;
  }
  const nat::Endpoint external = out.external;
  return RunPoint(HookPoint::OutboundPostSnat, nat::Direction::Outbound,
                  nat::FiveTuple{protocol, from, to}, nat::FiveTuple{protocol, external, to},
                  out.mapping->id, nullptr, payload, now, tcp);
}

TableRouter::Result TableRouter::Inbound(const nat::Endpoint& from, std::uint16_t publicPort,
                                         std::string payload, ns3::Time now,
                                         nat::L4Protocol protocol, TcpFields tcp) {
  const nat::Endpoint publicEndpoint{m_table.GetExternalAddress(), publicPort};
  const nat::FiveTuple arrived{protocol, from, publicEndpoint};
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
      admit.protocol = protocol;
      admit.externalPort = publicPort;
      admit.remote = from;
      admit.internal = *context.admitTo;
      admit.timeout = ns3::Seconds(1);
      m_table.AddExpectation(admit, now);
    }
  }
  const nat::InboundResult in = m_table.TranslateInbound(
      protocol, from, publicPort, static_cast<std::uint32_t>(payload.size()), now, tcp.flags);
  if (in.status != nat::InboundStatus::Admitted) {
    Result r;
    r.verdict = VerdictKind::Drop;
    r.dropReason = in.status == nat::InboundStatus::Filtered    ? "filtered"
                   : in.status == nat::InboundStatus::TableFull ? "table-full"
                                                                : "no-mapping";
    return r;
  }
  return RunPoint(HookPoint::InboundPostDnat, nat::Direction::Inbound, arrived,
                  nat::FiveTuple{protocol, from, in.internal}, in.mapping->id, &in, payload, now,
                  tcp);
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
