#ifndef ALGLAB_SIP_RTP_PACKET_H
#define ALGLAB_SIP_RTP_PACKET_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alglab::sip {

/// RTP fixed header (RFC 3550 section 5.1) with no CSRCs and no extension.
struct RtpHeader {
  std::uint8_t payloadType = 0;  ///< 0 = PCMU, 8 = PCMA
  bool marker = false;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;

  static constexpr std::size_t kSize = 12;
  /// 12 header bytes followed by `payload`.
  std::vector<std::uint8_t> Serialize(const std::vector<std::uint8_t>& payload) const;
  /// nullopt unless version 2 and at least 12 bytes.
  static std::optional<RtpHeader> Parse(const std::uint8_t* data, std::size_t size);
};

/// G.711 at 20 ms: 160 samples, 160 payload bytes, timestamp step 160.
constexpr std::size_t kG711FrameBytes = 160;
constexpr std::uint32_t kG711TimestampStep = 160;

}  // namespace alglab::sip

#endif
