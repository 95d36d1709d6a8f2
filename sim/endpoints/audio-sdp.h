#ifndef ALGLAB_ENDPOINTS_AUDIO_SDP_H
#define ALGLAB_ENDPOINTS_AUDIO_SDP_H

// The SDP every endpoint here offers and answers: one PCMU audio stream at 20 ms (RFC 3264
// offer/answer, RFC 3551 payload type 0), and the reading of a peer's SDP into "where does its
// media go and which way does it flow".

#include "sim/endpoints/transport-address.h"
#include "sim/sip/sdp.h"

#include <cstdint>
#include <optional>
#include <string>

namespace alglab {

/// "v=0 / o=<user> <id> <version> IN IP4 <ip> / s=- / c=IN IP4 <ip> / t=0 0 /
///  m=audio <port> RTP/AVP 0 / a=rtpmap:0 PCMU/8000 / a=ptime:20 / a=<direction>".
/// With `codecs` > 1 the offer lists that many codecs, PCMU first, in the order desk phones
/// list them (PCMA, G722, G729, opus, iLBC, GSM, G726-32, speex, telephone-event), each with
/// its rtpmap and fmtp lines: a realistic SDP size. Audio here is always PCMU, which every
/// answerer picks.
std::string BuildAudioSdp(const std::string& user, ns3::Ipv4Address ip, std::uint16_t port,
                          std::uint32_t sessionId, std::uint32_t version,
                          sip::MediaDirection direction, std::uint32_t codecs = 1);

/// Most codecs BuildAudioSdp lists.
constexpr std::uint32_t kMaxOfferedCodecs = 10;

/// What a peer's SDP says about its first audio stream.
struct RemoteAudio {
  /// Where it wants RTP: connection address and media port. nullopt when the address is not an
  /// IPv4 literal, the port is 0 (stream rejected) or the address is 0.0.0.0 (RFC 2543 hold).
  std::optional<TransportAddress> address;
  sip::MediaDirection direction = sip::MediaDirection::SendRecv;  ///< as the peer wrote it
};

/// nullopt when the body is not SDP or has no audio stream.
std::optional<RemoteAudio> ReadRemoteAudio(const std::string& body);

/// The direction we take in answer to a peer's direction (RFC 3264 section 6.1).
sip::MediaDirection AnswerDirection(sip::MediaDirection remote);
bool DirectionSends(sip::MediaDirection d);
bool DirectionReceives(sip::MediaDirection d);

}  // namespace alglab

#endif
