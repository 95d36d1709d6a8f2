#include "sim/endpoints/audio-sdp.h"

#include <algorithm>

namespace alglab {

namespace {

/// The codecs after PCMU, in a common desk-phone order: payload type, rtpmap, fmtp ("" = none).
struct OfferedCodec {
  const char* payload;
  const char* rtpmap;
  const char* fmtp;
};
constexpr OfferedCodec kMoreCodecs[kMaxOfferedCodecs - 1] = {
    {"8", "PCMA/8000", ""},
    {"9", "G722/8000", ""},
    {"18", "G729/8000", "annexb=no"},
    {"111", "opus/48000/2", "useinbandfec=1; maxplaybackrate=16000; sprop-maxcapturerate=16000"},
    {"97", "iLBC/8000", "mode=20"},
    {"3", "GSM/8000", ""},
    {"2", "G726-32/8000", ""},
    {"98", "speex/8000", "vbr=on"},
    {"101", "telephone-event/8000", "0-16"},
};

}  // namespace

std::string BuildAudioSdp(const std::string& user, ns3::Ipv4Address ip, std::uint16_t port,
                          std::uint32_t sessionId, std::uint32_t version,
                          sip::MediaDirection direction, std::uint32_t codecs) {
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
  m.attributes = {"rtpmap:0 PCMU/8000"};
  for (std::uint32_t i = 0; i + 1 < std::min(codecs, kMaxOfferedCodecs); ++i) {
    const OfferedCodec& c = kMoreCodecs[i];
    m.formats.emplace_back(c.payload);
    m.attributes.push_back(std::string("rtpmap:") + c.payload + " " + c.rtpmap);
    if (*c.fmtp != '\0') m.attributes.push_back(std::string("fmtp:") + c.payload + " " + c.fmtp);
  }
  m.attributes.emplace_back("ptime:20");
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
