#include "sim/endpoints/audio-sdp.h"

namespace alglab {

std::string BuildAudioSdp(const std::string& user, ns3::Ipv4Address ip, std::uint16_t port,
                          std::uint32_t sessionId, std::uint32_t version,
                          sip::MediaDirection direction) {
  const std::string host = Ipv4ToString(ip);
  sip::SessionDescription sd;
  sd.origin.username = user.empty() ? "-" : user;
  sd.origin.sessionId = std::to_string(sessionId);
  sd.origin.sessionVersion = std::to_string(version);
  sd.origin.address = host;
  sd.sessionName = "alglab";
  sd.connection = sip::SdpConnection{"IN", "IP4", host};
  sip::SdpMedia m;
  m.type = "audio";
  m.port = port;
  m.protocol = "RTP/AVP";
  m.formats = {"0"};
  m.attributes = {"rtpmap:0 PCMU/8000", "ptime:20"};
  m.SetDirection(direction);
  sd.media.push_back(std::move(m));
  return sd.ToString();
}

std::optional<RemoteAudio> ReadRemoteAudio(const std::string& body) {
  auto parsed = sip::SessionDescription::Parse(body);
  if (!parsed.Ok()) {
    return std::nullopt;
  }
  const auto& sd = parsed.Value();
  for (std::size_t i = 0; i < sd.media.size(); ++i) {
    const auto& m = sd.media[i];
    if (m.type != "audio") {
      continue;
    }
    RemoteAudio r;
    r.direction = m.Direction(sd.SessionDirection());
    const auto host = sd.MediaAddress(i);
    if (host && m.port != 0) {
      auto addr = MakeTransportAddress(*host, m.port, m.port);
      if (addr && addr->ip != ns3::Ipv4Address::GetAny()) {
        r.address = addr;
      }
    }
    return r;
  }
  return std::nullopt;
}

sip::MediaDirection AnswerDirection(sip::MediaDirection remote) {
  switch (remote) {
    case sip::MediaDirection::SendOnly:
      return sip::MediaDirection::RecvOnly;
    case sip::MediaDirection::RecvOnly:
      return sip::MediaDirection::SendOnly;
    case sip::MediaDirection::Inactive:
      return sip::MediaDirection::Inactive;
    case sip::MediaDirection::SendRecv:
      break;
  }
  return sip::MediaDirection::SendRecv;
}

bool DirectionSends(sip::MediaDirection d) {
  return d == sip::MediaDirection::SendRecv || d == sip::MediaDirection::SendOnly;
}

bool DirectionReceives(sip::MediaDirection d) {
  return d == sip::MediaDirection::SendRecv || d == sip::MediaDirection::RecvOnly;
}

}  // namespace alglab
