#ifndef ALGLAB_SIP_SDP_H
#define ALGLAB_SIP_SDP_H

#include "sim/sip/parse-error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alglab::sip {

/// "c=IN IP4 192.0.2.1"
struct SdpConnection {
  std::string netType = "IN";
  std::string addrType = "IP4";
  std::string address;
};

/// "o=- 1 1 IN IP4 192.0.2.1"
struct SdpOrigin {
  std::string username = "-";
  std::string sessionId = "0";
  std::string sessionVersion = "0";
  std::string netType = "IN";
  std::string addrType = "IP4";
  std::string address;
};

enum class MediaDirection { SendRecv, SendOnly, RecvOnly, Inactive };
const char* ToString(MediaDirection d);

/// One "m=" section with its own lines.
struct SdpMedia {
  std::string type = "audio";       ///< audio, video, image, ...
  std::uint16_t port = 0;
  std::optional<std::uint16_t> portCount;  ///< "m=audio 4000/2 ..."
  std::string protocol = "RTP/AVP";
  std::vector<std::string> formats;  ///< payload types as written
  std::optional<SdpConnection> connection;
  /// Attributes in order, without "a=": "rtpmap:0 PCMU/8000", "sendrecv", "rtcp:4001 IN IP4 x".
  std::vector<std::string> attributes;
  std::vector<std::string> otherLines;  ///< other lines (i=, b=, k=) verbatim with their "x="

  /// Direction attribute of this media, else `sessionDefault`.
  MediaDirection Direction(MediaDirection sessionDefault = MediaDirection::SendRecv) const;
  void SetDirection(MediaDirection d);
  /// Port from "a=rtcp:PORT [IN IP4 addr]" if present.
  std::optional<std::uint16_t> RtcpPort() const;
  std::optional<std::string> RtcpAddress() const;
};

/// RFC 4566 session description. Unknown lines are kept so a round trip preserves them.
struct SessionDescription {
  int version = 0;
  SdpOrigin origin;
  std::string sessionName = "-";
  std::optional<SdpConnection> connection;   ///< session-level c=
  std::vector<std::string> timing{"0 0"};    ///< t= values
  std::vector<std::string> attributes;       ///< session-level a= values
  std::vector<std::string> otherLines;       ///< other session-level lines verbatim
  std::vector<SdpMedia> media;

  /// Errors name the line (1-based) that is wrong. Requires v= first; accepts LF or CRLF.
  static ParseResult<SessionDescription> Parse(std::string_view text);
  /// CRLF-terminated lines in RFC 4566 order.
  std::string ToString() const;

  MediaDirection SessionDirection() const;
  /// Address where the given media expects to receive: media c= or else session c=.
  std::optional<std::string> MediaAddress(std::size_t mediaIndex) const;
};

}  // namespace alglab::sip

#endif
