#include "sim/diagnose/frame-decoder.h"

namespace alglab::diagnose {

namespace {

std::uint16_t Be16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
std::uint32_t Be32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherVlan = 0x8100;
constexpr std::uint16_t kEtherQinQ = 0x88a8;
constexpr std::uint16_t kPppIpv4 = 0x0021;

DecodedFrame Truncated() { return DecodedFrame{FrameKind::Truncated, {}}; }
DecodedFrame NotIpv4() { return DecodedFrame{FrameKind::NotIpv4, {}}; }

DecodedFrame DecodeIpv4(const std::uint8_t* p, std::size_t size) {
  if (size < 20) return Truncated();
  if ((p[0] >> 4) != 4) return NotIpv4();
  const std::size_t headerLength = std::size_t(p[0] & 0x0f) * 4;
  const std::size_t totalLength = Be16(p + 2);
  if (headerLength < 20 || totalLength < headerLength || totalLength > size) return Truncated();
  const std::uint16_t fragment = Be16(p + 6);
  // More-fragments set or a non-zero offset: a piece of a datagram.
  if ((fragment & 0x2000) != 0 || (fragment & 0x1fff) != 0) return DecodedFrame{FrameKind::Fragment, {}};
  DecodedFrame out;
  out.segment.srcIp = Be32(p + 12);
  out.segment.dstIp = Be32(p + 16);
  const std::uint8_t protocol = p[9];
  const std::uint8_t* l4 = p + headerLength;
  const std::size_t l4Size = totalLength - headerLength;
  if (protocol == 17) {
    if (l4Size < 8) return Truncated();
    const std::size_t udpLength = Be16(l4 + 4);
    if (udpLength < 8 || udpLength > l4Size) return Truncated();
    out.segment.transport = Transport::Udp;
    out.segment.srcPort = Be16(l4);
    out.segment.dstPort = Be16(l4 + 2);
    out.segment.payload.assign(reinterpret_cast<const char*>(l4 + 8), udpLength - 8);
  } else if (protocol == 6) {
    if (l4Size < 20) return Truncated();
    const std::size_t dataOffset = std::size_t(l4[12] >> 4) * 4;
    if (dataOffset < 20 || dataOffset > l4Size) return Truncated();
    out.segment.transport = Transport::Tcp;
    out.segment.srcPort = Be16(l4);
    out.segment.dstPort = Be16(l4 + 2);
    out.segment.tcpSeq = Be32(l4 + 4);
    const std::uint8_t flags = l4[13];
    out.segment.tcpFin = (flags & 0x01) != 0;
    out.segment.tcpSyn = (flags & 0x02) != 0;
    out.segment.tcpRst = (flags & 0x04) != 0;
    out.segment.payload.assign(reinterpret_cast<const char*>(l4 + dataOffset), l4Size - dataOffset);
  } else {
    return DecodedFrame{FrameKind::OtherIp, {}};
  }
  out.kind = FrameKind::Segment;
  return out;
}

}  // namespace

bool LinkTypeFromDlt(int dlt, LinkType& out) {
  switch (dlt) {
    case 1: out = LinkType::Ethernet; return true;     // DLT_EN10MB
    case 9:                                              // DLT_PPP
    case 50: out = LinkType::Ppp; return true;          // DLT_PPP_SERIAL (HDLC framed)
    case 113: out = LinkType::LinuxCooked; return true;  // DLT_LINUX_SLL
    case 276: out = LinkType::LinuxCooked2; return true; // DLT_LINUX_SLL2
    case 12:                                              // DLT_RAW (Linux)
    case 14:                                              // DLT_RAW (OpenBSD numbering)
    case 101:                                             // LINKTYPE_RAW
    case 228: out = LinkType::RawIpv4; return true;      // LINKTYPE_IPV4
    default: return false;
  }
}

const char* ToString(LinkType type) {
  switch (type) {
    case LinkType::Ethernet: return "Ethernet";
    case LinkType::Ppp: return "PPP";
    case LinkType::LinuxCooked: return "Linux cooked (SLL)";
    case LinkType::LinuxCooked2: return "Linux cooked v2 (SLL2)";
    case LinkType::RawIpv4: return "raw IPv4";
  }
  return "?";
}

DecodedFrame DecodeFrame(LinkType link, const std::uint8_t* p, std::size_t size) {
  switch (link) {
    case LinkType::Ethernet: {
      if (size < 14) return Truncated();
      std::size_t offset = 12;
      std::uint16_t type = Be16(p + offset);
      // At most two VLAN tags (802.1Q inside 802.1ad).
      for (int tags = 0; (type == kEtherVlan || type == kEtherQinQ) && tags < 2; ++tags) {
        offset += 4;
        if (size < offset + 2) return Truncated();
        type = Be16(p + offset);
      }
      if (type != kEtherIpv4) return NotIpv4();
      return DecodeIpv4(p + offset + 2, size - offset - 2);
    }
    case LinkType::Ppp: {
      std::size_t offset = 0;
      if (size >= 2 && p[0] == 0xff && p[1] == 0x03) offset = 2;  // HDLC address and control
      if (size < offset + 2) return Truncated();
      if (Be16(p + offset) != kPppIpv4) return NotIpv4();
      return DecodeIpv4(p + offset + 2, size - offset - 2);
    }
    case LinkType::LinuxCooked: {
      if (size < 16) return Truncated();
      if (Be16(p + 14) != kEtherIpv4) return NotIpv4();
      return DecodeIpv4(p + 16, size - 16);
    }
    case LinkType::LinuxCooked2: {
      if (size < 20) return Truncated();
      if (Be16(p) != kEtherIpv4) return NotIpv4();
      return DecodeIpv4(p + 20, size - 20);
    }
    case LinkType::RawIpv4:
      return DecodeIpv4(p, size);
  }
  return NotIpv4();
}

}  // namespace alglab::diagnose
