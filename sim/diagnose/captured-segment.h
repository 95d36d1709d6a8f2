#ifndef ALGLAB_DIAGNOSE_CAPTURED_SEGMENT_H
#define ALGLAB_DIAGNOSE_CAPTURED_SEGMENT_H

// What the diagnosis reads from a capture: IPv4 UDP datagrams and TCP segments, with the frame
// number and time they had in the file. The capture reader (libpcap) produces them; tests build
// them in memory, so the analysis never needs a file.

#include <cstdint>
#include <string>

namespace alglab::diagnose {

enum class Transport { Udp, Tcp };

/// One UDP datagram or TCP segment as captured (after the link and IPv4 headers).
struct CapturedSegment {
  std::uint64_t frame = 0;  ///< 1-based frame number in the capture, as Wireshark counts
  double time = 0;          ///< seconds since the epoch (or since the simulation's start)
  Transport transport = Transport::Udp;
  std::uint32_t srcIp = 0;  ///< host byte order
  std::uint32_t dstIp = 0;
  std::uint16_t srcPort = 0;
  std::uint16_t dstPort = 0;
  // TCP only.
  std::uint32_t tcpSeq = 0;
  bool tcpSyn = false;
  bool tcpFin = false;
  bool tcpRst = false;
  std::string payload;
};

/// "10.0.0.2" from a host-order address.
std::string FormatIpv4(std::uint32_t address);
/// "10.0.0.2:5060".
std::string FormatEndpoint(std::uint32_t address, std::uint16_t port);
/// RFC 1918, shared address space (RFC 6598) and link-local: what a NAT'd phone has.
bool IsPrivateIpv4(std::uint32_t address);
/// The same for a dotted quad in a SIP header; false for a name or anything unparsable.
bool IsPrivateIpv4Text(const std::string& text);
/// Parses a dotted quad; false when it is not one.
bool ParseIpv4(const std::string& text, std::uint32_t& out);

}  // namespace alglab::diagnose

#endif
