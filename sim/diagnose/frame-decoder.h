#ifndef ALGLAB_DIAGNOSE_FRAME_DECODER_H
#define ALGLAB_DIAGNOSE_FRAME_DECODER_H

// From a captured frame's bytes to an IPv4 UDP datagram or TCP segment: the link layer
// (Ethernet with VLAN tags, PPP, Linux cooked v1 and v2, raw IPv4), then IPv4 and the
// transport header. Pure bytes in, a result out, so it is unit-tested and fuzzed directly.

#include "sim/diagnose/captured-segment.h"

#include <cstddef>
#include <cstdint>

namespace alglab::diagnose {

/// The link types the reader accepts (libpcap's DLT numbers as pcap_datalink() gives them).
enum class LinkType { Ethernet, Ppp, LinuxCooked, LinuxCooked2, RawIpv4 };

/// nullopt-like: false when libpcap's DLT is not one of ours.
bool LinkTypeFromDlt(int dlt, LinkType& out);
const char* ToString(LinkType type);

enum class FrameKind {
  Segment,      ///< an IPv4 UDP datagram or TCP segment: `segment` is filled
  Fragment,     ///< an IPv4 fragment (counted and skipped: no reassembly)
  OtherIp,      ///< IPv4 but not UDP or TCP (ICMP, ...)
  NotIpv4,      ///< ARP, IPv6, LCP, ...
  Truncated,    ///< shorter than its headers claim (a snap length, a broken frame)
};

struct DecodedFrame {
  FrameKind kind = FrameKind::NotIpv4;
  CapturedSegment segment;
};

/// Decodes one frame; never throws, never reads past `size`.
DecodedFrame DecodeFrame(LinkType link, const std::uint8_t* data, std::size_t size);

}  // namespace alglab::diagnose

#endif
