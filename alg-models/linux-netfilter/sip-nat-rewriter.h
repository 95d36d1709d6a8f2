#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_SIP_NAT_REWRITER_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_SIP_NAT_REWRITER_H

/// \file
/// The NAT half of the kernel SIP ALG (nf_nat_sip): which bytes of a SIP message change.
///
/// The one rule behind most rewrites ("map an address"): text "A:P" found in a header is
/// replaced only if A:P is exactly this packet's source (then by the source's translation) or
/// exactly its destination (then by the destination's translation, with a forced port if one
/// was recorded). The replacement is always printed "address:port", even where the original had
/// no port. Rewritten, in this order, for a NATed connection:
/// 1. requests: the Request-URI address;
/// 2. the first Via of the connection's transport with a parsable address, if it names the
///    sender (requests) or the receiver (responses) - then its maddr=, received= and rport=
///    parameters when they name the untranslated side;
/// 3. every Contact value (all header lines, all comma-separated values) until one fails to
///    parse;
/// 4. the first parsable From and To URIs.
/// SDP: o= and session c= (to the last media address), each media c=, m= ports only when the
/// pinhole had to move; Content-Length is then recomputed as "bytes from the first v= line to
/// the end of the datagram", and a message without Content-Length is dropped.
/// A packet that would grow beyond 65535 IP bytes cannot be rewritten and is dropped.

#include "alg-models/linux-netfilter/expectation-table.h"
#include "alg-models/linux-netfilter/sdp-scanner.h"
#include "alg-models/linux-netfilter/sip-helper-types.h"

#include <cstddef>
#include <cstdint>
#include <random>
#include <string_view>

namespace alglab::linuxnf {

class SipNatRewriter {
 public:
  SipNatRewriter(ExpectationTable& table, const HelperConfig& config);

  /// Rewrites the SIP part of a message after the helper accepted it (the `msg` hook). False:
  /// drop (ctx.dropReason says why). Sets ctx.redirectPort for replies with a forced port.
  bool RewriteMessage(PacketContext& ctx);

  /// Maps one "address[:port]" occurrence (see the file comment). False: cannot rewrite.
  bool MapAddress(PacketContext& ctx, std::size_t offset, std::size_t length, Ipv4 address,
                  std::uint16_t port);

  /// REGISTER: moves the signalling pinhole `exp` (destination = the Contact) to the public
  /// side, inserts it on a free port and rewrites the Contact text at offset/length if the
  /// pinhole differs from it. False: drop.
  bool ExpectSignalling(PacketContext& ctx, KernelExpectation& exp, std::size_t offset,
                        std::size_t length);

  /// SDP media: moves the RTP/RTCP pinholes to the public side, inserts them on the first free
  /// even port from the SDP's own (stepping by 2) and rewrites the m= port at
  /// mediaOffset/mediaLength if it moved. `rtpAddress` receives the address the SDP must now
  /// advertise. False: drop.
  bool ExpectMedia(PacketContext& ctx, KernelExpectation& rtp, KernelExpectation& rtcp,
                   std::size_t mediaOffset, std::size_t mediaLength, Ipv4* rtpAddress);

  /// The first o=/c= line of `kind` after `from` (before `stop`) gets `address`, then
  /// Content-Length is recomputed. False: cannot (line missing or no Content-Length).
  bool RewriteSdpAddress(PacketContext& ctx, std::size_t from, SdpLineKind kind,
                         SdpLineKind stop, Ipv4 address);
  /// The m= port digits at offset/length become `port`, then Content-Length is recomputed.
  bool RewriteSdpPort(PacketContext& ctx, std::size_t offset, std::size_t length,
                      std::uint16_t port);
  /// Session level: o= (mandatory) and c= (optional) get `address`, then Content-Length.
  bool RewriteSdpSession(PacketContext& ctx, std::size_t sdpOffset, Ipv4 address);

 private:
  /// Replaces msg[offset, offset+length) by `text`; false if the packet would grow too large.
  bool Mangle(PacketContext& ctx, std::size_t offset, std::size_t length, std::string_view text);
  /// Content-Length := bytes from the first "v=" line to the end of the message.
  bool RewriteContentLength(PacketContext& ctx);
  /// 0 rewritten, 1 line absent or unparsable, 2 could not rewrite.
  int RewriteSdpLine(PacketContext& ctx, std::size_t from, SdpLineKind kind, SdpLineKind stop,
                     std::string_view text);
  bool MapHeaderUri(PacketContext& ctx, SipHeaderKind kind);
  /// The kernel's port search for a REGISTER pinhole: the wanted port, then random ones.
  std::uint16_t InsertOnFreePort(PacketContext& ctx, KernelExpectation& exp, std::uint16_t port);
  /// The address to print for `address` (the advertised-address knob).
  Ipv4 Printed(const PacketContext& ctx, Ipv4 address) const;

  ExpectationTable& m_table;
  const HelperConfig& m_config;
  std::minstd_rand m_portRng;
};

}  // namespace alglab::linuxnf

#endif
