#ifndef ALGLAB_PROBES_DETECT_ECHO_PROTOCOL_H
#define ALGLAB_PROBES_DETECT_ECHO_PROTOCOL_H

// The small protocol between the detector client and the echo server (README.md in this
// folder). Everything the server reports back travels in base64 inside a body whose content
// type no ALG parses, so an ALG on the way back cannot undo or add rewrites: base64 has no
// dots, so no dotted quad, no "IN IP4", no "sip:" survives in a form an ALG would match.

#include "probes/detect/detect-io.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alglab::detect {

/// The server's ports on its primary address (its second address has the same UDP ports).
inline constexpr std::uint16_t kSipPort = 5060;      ///< UDP and TCP: the port ALGs watch
inline constexpr std::uint16_t kOtherSipPort = 5070; ///< UDP: SIP on a port ALGs do not watch
inline constexpr std::uint16_t kSecondPort = 5071;   ///< UDP: the NAT probes' second port
inline constexpr std::uint16_t kServerMediaPort = 5080;  ///< UDP: where the server's RTP comes from

/// Header on the client's requests: "probe=ID; act=inbound+rtp-primary; after=2.5".
inline constexpr const char* kCommandHeader = "X-Alglab-Detect";
/// Header on the server's own requests: "probe=ID; from=primary|primary-other-port|alt".
inline constexpr const char* kInboundHeader = "X-Alglab-Inbound";
/// Header on the server's own requests: base64 of the request as sent, without this header.
inline constexpr const char* kCopyHeader = "X-Alglab-Copy";
/// Content type of the echo body.
inline constexpr const char* kEchoContentType = "application/x-alglab-echo";

/// What the client asks the server to do besides echoing (README.md: "Actions").
struct DetectCommand {
  std::string probe;  ///< the client's name for this request, echoed back
  bool inbound = false;      ///< send a request to the source from 3 places (see README)
  bool rtpPrimary = false;   ///< send RTP to the SDP's media port from the primary address
  bool rtpAlt = false;       ///< ... from the second address
  bool filter = false;       ///< send from the other port and from the second address
  std::optional<double> callbackAfter;  ///< send to the source again after this many seconds

  std::string ToHeaderValue() const;
  /// nullopt when the value is not a command (no probe=).
  static std::optional<DetectCommand> Parse(std::string_view value);
};

/// What the server saw of one request: the echo response's body.
struct EchoReport {
  std::string probe;
  std::string transport;   ///< "udp" or "tcp"
  Endpoint source;         ///< where the request came from, as the server saw it
  Endpoint local;          ///< where the server received it
  std::string arrived;     ///< the request's bytes exactly as they arrived
  std::string serverAlt;   ///< the server's second address ("" if it has none)

  std::string ToBody() const;
  static std::optional<EchoReport> Parse(std::string_view body);
};

/// Who in the server sent an inbound request or RTP packet.
struct InboundTag {
  std::string probe;
  std::string from;  ///< "primary", "primary-other-port", "alt"

  std::string ToHeaderValue() const;
  static std::optional<InboundTag> Parse(std::string_view value);
};

/// The payload of the server's RTP packets: a 12-byte RTP header, then "alglab PROBE FROM".
std::string MakeRtpPayload(const InboundTag& tag, std::uint16_t sequence);
/// The tag of a datagram made by MakeRtpPayload; nullopt for anything else.
std::optional<InboundTag> ParseRtpPayload(std::string_view datagram);

/// "203.0.113.5:5060" -> Endpoint; nullopt when that is not an IPv4 address and a port.
std::optional<Endpoint> ParseEndpoint(std::string_view text);
std::string ToString(const Endpoint& endpoint);

}  // namespace alglab::detect

#endif
