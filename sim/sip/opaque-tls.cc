#include "sim/sip/opaque-tls.h"

#include <algorithm>

namespace alglab::sip {

std::uint8_t OpaqueTlsKeystream(std::uint64_t offset) {
  // SplitMix64 of the 8-byte block the offset falls in; the byte within it by position. No
  // byte of the mask is a constant, so no SIP keyword survives masking.
  std::uint64_t z = (offset / 8) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<std::uint8_t>(z >> (8 * (offset % 8)));
}

std::string OpaqueTlsWriter::Seal(std::string_view plain) {
  std::string out;
  out.reserve(plain.size() + kTlsHeaderBytes * (plain.size() / kTlsMaxRecordPayload + 1));
  for (std::size_t at = 0; at < plain.size(); at += kTlsMaxRecordPayload) {
    const std::size_t n = std::min(kTlsMaxRecordPayload, plain.size() - at);
    out += static_cast<char>(kTlsApplicationData);
    out += static_cast<char>(kTlsVersion12 >> 8);
    out += static_cast<char>(kTlsVersion12 & 0xff);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xff);
    for (std::size_t i = 0; i < n; ++i)
      out += static_cast<char>(static_cast<std::uint8_t>(plain[at + i]) ^ OpaqueTlsKeystream(m_offset++));
  }
  return out;
}

std::string OpaqueTlsReader::Feed(std::string_view wire) {
  std::string plain;
  if (m_failed) return plain;
  m_buffer.append(wire.data(), wire.size());
  std::size_t at = 0;
  while (m_buffer.size() - at >= kTlsHeaderBytes) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(m_buffer[at + i]); };
    const std::size_t length = (std::size_t{byte(3)} << 8) | byte(4);
    if (byte(0) != kTlsApplicationData || ((byte(1) << 8) | byte(2)) != kTlsVersion12 ||
        length > kTlsMaxRecordPayload) {
      m_failed = true;
      m_buffer.clear();
      return plain;
    }
    if (m_buffer.size() - at < kTlsHeaderBytes + length) break;
    for (std::size_t i = 0; i < length; ++i)
      plain += static_cast<char>(byte(kTlsHeaderBytes + i) ^ OpaqueTlsKeystream(m_offset++));
    at += kTlsHeaderBytes + length;
  }
  m_buffer.erase(0, at);
  return plain;
}

}  // namespace alglab::sip
