#include "alg-models/contract/mechanisms/media-pinhole-opener.h"

#include "alg-models/contract/mechanisms/address-match.h"

#include <stdexcept>
#include "sim/sip/sdp.h"

#include "ns3/boolean.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(MediaPinholeOpener);

namespace {

/// The SDP body of a parsed SIP message, or nullptr (no body, or not SDP).
const std::string* SdpBody(const sip::SipMessage& message) {
  return message.BodyIsSdp() ? &message.Body() : nullptr;
}

}  // namespace

ns3::TypeId MediaPinholeOpener::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::MediaPinholeOpener")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<MediaPinholeOpener>()
          .AddAttribute("media_source",
                        "Who may use a media pinhole: any | signalling-peer | sdp-address (the "
                        "media address of the peer's own SDP; the signalling peer until it is "
                        "known).",
                        ns3::StringValue("signalling-peer"),
                        ns3::MakeStringAccessor(&MediaPinholeOpener::SetSource,
                                                &MediaPinholeOpener::GetSource),
                        ns3::MakeStringChecker())
          .AddAttribute("expect_timeout", "Lifetime (s) of a new media pinhole.",
                        ns3::UintegerValue(180),
                        ns3::MakeUintegerAccessor(&MediaPinholeOpener::m_lifetimeSeconds),
                        ns3::MakeUintegerChecker<std::uint32_t>(1))
          .AddAttribute("media_persistent",
                        "true: a pinhole admits every new remote until it expires; false: the "
                        "first admitted packet uses it up (its session admits the rest).",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&MediaPinholeOpener::m_persistent),
                        ns3::MakeBooleanChecker())
          .AddAttribute("sip_transports",
                        "Transports inspected: udp, tcp or udp,tcp (TCP as the model's tcp_view "
                        "presents it: segments or whole messages).",
                        ns3::StringValue("udp"),
                        ns3::MakeStringAccessor(&MediaPinholeOpener::SetTransports, &MediaPinholeOpener::GetTransports),
                        ns3::MakeStringChecker())
          .AddAttribute("media_rtcp", "Also open the RTCP pinhole on the RTP port + 1.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&MediaPinholeOpener::m_rtcp),
                        ns3::MakeBooleanChecker());
  return tid;
}

void MediaPinholeOpener::SetSource(std::string text) {
  const std::optional<alg::SourceRestriction> parsed = alg::ParseSourceRestriction(text);
  if (!parsed) {
    throw std::invalid_argument("media_source: '" + text +
                              "' is not one of any, signalling-peer, sdp-address");
  }
  m_source = *parsed;
}

std::string MediaPinholeOpener::GetSource() const { return alg::ToString(m_source); }

alg::Verdict MediaPinholeOpener::Process(alg::PacketContext& context) {
  if (context.mappingId == 0 || context.PayloadSize() == 0 || !m_scope.Covers(context)) {
    return alg::Verdict::Accept();
  }
  const sip::SipMessage* message = context.Sip();
  if (message == nullptr) return alg::Verdict::Accept();
  const std::string* body = SdpBody(*message);
  if (body == nullptr) return alg::Verdict::Accept();
  if (context.direction == nat::Direction::Outbound) {
    m_peer[context.mappingId] = context.original.destination.address.Get();
    OpenFor(context, *body);
    return alg::Verdict::Accept();
  }
  // The peer's SDP: where its media will come from.
  const auto sdp = sip::SessionDescription::Parse(*body);
  if (!sdp) return alg::Verdict::Accept();
  for (std::size_t i = 0; i < sdp.Value().media.size(); ++i) {
    if (sdp.Value().media[i].port == 0) continue;
    const std::optional<std::string> address = sdp.Value().MediaAddress(i);
    const std::optional<std::uint32_t> parsed = address ? alg::ParseDottedQuad(*address) : std::nullopt;
    if (!parsed) continue;
    m_peerSdpAddress[context.mappingId] = *parsed;
    break;
  }
  if (m_source == alg::SourceRestriction::SdpAddress) Restrict(context, context.mappingId);
  return alg::Verdict::Accept();
}

std::optional<std::uint32_t> MediaPinholeOpener::SourceFor(std::uint64_t masterMapping,
                                                           std::uint32_t signallingPeer) const {
  const auto known = m_peerSdpAddress.find(masterMapping);
  return alg::RestrictedSource(m_source, signallingPeer,
                               known != m_peerSdpAddress.end()
                                   ? std::optional<std::uint32_t>(known->second)
                                   : std::nullopt);
}

void MediaPinholeOpener::OpenFor(alg::PacketContext& context, const std::string& body) {
  const auto sdp = sip::SessionDescription::Parse(body);
  if (!sdp) return;
  // A new offer or answer of the inside host replaces what its previous SDP opened.
  Close(context.mappingId, context.nat);
  const std::uint32_t peer = context.original.destination.address.Get();
  const std::optional<std::uint32_t> only = SourceFor(context.mappingId, peer);
  std::vector<Pinhole>& pinholes = m_pinholes[context.mappingId];
  for (std::size_t i = 0; i < sdp.Value().media.size(); ++i) {
    const sip::SdpMedia& media = sdp.Value().media[i];
    if (media.port == 0) continue;  // a disabled stream receives nothing
    const std::optional<std::string> address = sdp.Value().MediaAddress(i);
    const std::optional<std::uint32_t> inside = address ? alg::ParseDottedQuad(*address) : std::nullopt;
    // Only media of a host behind this router needs a hole in it.
    if (!inside || !context.router.OnLan(ns3::Ipv4Address(*inside))) continue;
    const int streams = m_rtcp && media.port < 65535 ? 2 : 1;
    for (int k = 0; k < streams; ++k) {
      const nat::Endpoint internal{ns3::Ipv4Address(*inside),
                                   static_cast<std::uint16_t>(media.port + k)};
      const nat::OutboundResult reserved = context.nat.ReserveMapping(
          nat::L4Protocol::Udp, internal, nat::Endpoint{}, context.now);
      if (reserved.status != nat::OutboundStatus::Translated) continue;
      Pinhole p;
      p.expectation.protocol = nat::L4Protocol::Udp;
      p.expectation.externalPort = reserved.external.port;
      if (only) p.expectation.remote.address = ns3::Ipv4Address(*only);
      p.expectation.internal = internal;
      p.expectation.timeout = Lifetime();
      p.expectation.persistent = m_persistent;
      p.expectation.owner = context.mappingId;
      p.expectation.masterMapping = context.mappingId;
      p.natId = context.nat.AddExpectation(p.expectation, context.now);
      pinholes.push_back(p);
    }
  }
}

void MediaPinholeOpener::Restrict(alg::PacketContext& context, std::uint64_t masterMapping) {
  const auto it = m_pinholes.find(masterMapping);
  const auto peer = m_peer.find(masterMapping);
  if (it == m_pinholes.end() || peer == m_peer.end()) return;
  const std::optional<std::uint32_t> only = SourceFor(masterMapping, peer->second);
  for (Pinhole& p : it->second) {
    if (p.natId == 0 || !context.nat.HasExpectation(p.natId, context.now)) continue;
    context.nat.RemoveExpectation(p.natId);
    p.expectation.remote.address =
        only ? ns3::Ipv4Address(*only) : ns3::Ipv4Address::GetAny();
    p.natId = context.nat.AddExpectation(p.expectation, context.now);
  }
}

std::size_t MediaPinholeOpener::Retime(std::uint64_t masterMapping, ns3::Time lifetime,
                                       ns3::Time now) {
  nat::NatTable* table = Services().nat;
  const auto it = m_pinholes.find(masterMapping);
  if (table == nullptr || it == m_pinholes.end()) return 0;
  std::size_t count = 0;
  for (Pinhole& p : it->second) {
    if (p.natId == 0 || !table->HasExpectation(p.natId, now)) continue;
    table->RemoveExpectation(p.natId);
    p.expectation.timeout = lifetime;
    p.natId = table->AddExpectation(p.expectation, now);
    if (p.natId != 0) ++count;
  }
  return count;
}

std::uint64_t MediaPinholeOpener::MasterOf(std::uint64_t expectationId) const {
  if (expectationId == 0) return 0;
  for (const auto& [master, pinholes] : m_pinholes) {
    for (const Pinhole& p : pinholes) {
      if (p.natId == expectationId) return master;
    }
  }
  return 0;
}

std::size_t MediaPinholeOpener::PinholeCount(std::uint64_t masterMapping) const {
  const auto it = m_pinholes.find(masterMapping);
  return it == m_pinholes.end() ? 0 : it->second.size();
}

void MediaPinholeOpener::Close(std::uint64_t masterMapping, nat::NatTable& nat) {
  const auto it = m_pinholes.find(masterMapping);
  if (it == m_pinholes.end()) return;
  for (const Pinhole& p : it->second) {
    if (p.natId != 0) nat.RemoveExpectation(p.natId);
  }
  m_pinholes.erase(it);
}

void MediaPinholeOpener::OnMappingRemoved(const nat::Mapping& mapping, nat::NatTable& nat) {
  Close(mapping.id, nat);
  m_peer.erase(mapping.id);
  m_peerSdpAddress.erase(mapping.id);
}

void MediaPinholeOpener::OnFlush() {
  m_pinholes.clear();
  m_peer.clear();
  m_peerSdpAddress.clear();
}

}  // namespace alglab
