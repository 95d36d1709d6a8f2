#ifndef ALGLAB_NAT_L4_PACKET_EDITOR_H
#define ALGLAB_NAT_L4_PACKET_EDITOR_H

// A UDP or TCP packet opened for NAT rewriting: a private copy of the forwarded packet with its
// transport header taken off, so ports and payload can change, and put back with a correct
// length and checksum for the new IP addresses.
//
// Why a fresh UdpHeader on Close(): a deserialised ns-3 UdpHeader re-serialises the length and
// checksum it read from the wire, which are wrong after a rewrite. The TCP header is kept (it
// carries sequence numbers and options); ns-3's TcpHeader always recomputes its checksum.

#include "sim/nat/nat-types.h"
#include "sim/nat/tcp-sequence-adjust.h"

#include "ns3/ipv4-header.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/tcp-header.h"
#include "ns3/udp-header.h"

#include <cstdint>
#include <string>

namespace alglab::nat {

enum class L4OpenStatus : std::uint8_t {
  Ok,
  UnsupportedProtocol,  ///< not UDP or TCP
  Fragment,             ///< an IP fragment: no complete transport header to translate
  Malformed,            ///< too short for its transport header
};

class L4PacketEditor {
 public:
  /// Opens a copy of `packet` (the IP payload; `ip` is its already-removed IP header).
  L4OpenStatus Open(ns3::Ptr<const ns3::Packet> packet, const ns3::Ipv4Header& ip);

  L4Protocol Protocol() const { return m_protocol; }
  std::uint16_t SourcePort() const { return m_sourcePort; }
  std::uint16_t DestinationPort() const { return m_destinationPort; }
  /// TCP flag bits (0 for UDP).
  std::uint8_t TcpFlags() const;
  /// TCP sequence number as the sender numbered it (0 for UDP).
  std::uint32_t TcpSequence() const;
  /// Sets the TCP sequence number (a merged segment starts at its first byte). No-op for UDP.
  void SetTcpSequence(std::uint32_t sequence);
  /// Rewrites the TCP sequence number, the acknowledgement number (when ACK is set) and every
  /// SACK block edge of a segment travelling `direction` by `adjust`. No-op for UDP.
  void ApplySequenceAdjust(const TcpSequenceAdjust& adjust, Direction direction);
  /// Bytes after the transport header.
  std::uint32_t PayloadSize() const { return m_packet->GetSize(); }

  /// Copies the payload into `out` (reusing its capacity).
  void CopyPayload(std::string& out) const;
  /// Replaces the payload, keeping the packet's packet tags.
  void ReplacePayload(const std::string& bytes);

  /// Puts the transport header back with the given ports and returns the finished L4 packet.
  /// With `checksums`, the UDP/TCP checksum is computed over the new pseudo-header.
  ns3::Ptr<ns3::Packet> Close(std::uint16_t sourcePort, std::uint16_t destinationPort,
                              ns3::Ipv4Address source, ns3::Ipv4Address destination,
                              bool checksums);

 private:
  ns3::Ptr<ns3::Packet> m_packet;
  L4Protocol m_protocol = L4Protocol::Udp;
  std::uint16_t m_sourcePort = 0;
  std::uint16_t m_destinationPort = 0;
  ns3::TcpHeader m_tcp;  // only meaningful for TCP
};

}  // namespace alglab::nat

#endif
