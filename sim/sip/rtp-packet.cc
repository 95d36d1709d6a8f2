#include "sim/sip/rtp-packet.h"

namespace alglab::sip {

namespace {

constexpr std::uint8_t kVersion2 = 0x80;  // V=2, P=0, X=0, CC=0

void PutU16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

void PutU32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  PutU16(out, static_cast<std::uint16_t>(v >> 16));
  PutU16(out, static_cast<std::uint16_t>(v));
}

std::uint16_t GetU16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

std::uint32_t GetU32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(GetU16(p)) << 16) | GetU16(p + 2);
}

}  // namespace

std::vector<std::uint8_t> RtpHeader::Serialize(const std::vector<std::uint8_t>& payload) const {
  std::vector<std::uint8_t> out;
  out.reserve(kSize + payload.size());
  out.push_back(kVersion2);
  out.push_back(static_cast<std::uint8_t>((marker ? 0x80 : 0x00) | (payloadType & 0x7f)));
  PutU16(out, sequence);
  PutU32(out, timestamp);
  PutU32(out, ssrc);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::optional<RtpHeader> RtpHeader::Parse(const std::uint8_t* data, std::size_t size) {
  if (data == nullptr || size < kSize || (data[0] >> 6) != 2) {
    return std::nullopt;
  }
  RtpHeader h;
  h.marker = (data[1] & 0x80) != 0;
  h.payloadType = static_cast<std::uint8_t>(data[1] & 0x7f);
  h.sequence = GetU16(data + 2);
  h.timestamp = GetU32(data + 4);
  h.ssrc = GetU32(data + 8);
  return h;
}

}  // namespace alglab::sip
