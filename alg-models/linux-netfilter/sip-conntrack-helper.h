#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_SIP_CONNTRACK_HELPER_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_SIP_CONNTRACK_HELPER_H

/// \file
/// The connection-tracking half of the kernel SIP ALG (nf_conntrack_sip) for one UDP datagram:
/// what the message is, which pinholes it opens, re-times or flushes, and when it is dropped;
/// then, for NATed connections, the NAT half rewrites it (SipNatRewriter).
///
/// Message handling, as in the kernel:
/// - payloads shorter than 11 bytes ("SIP/2.0 200") pass untouched; a response is anything
///   that starts with "SIP/2.0 " (any case), everything else is a request;
/// - requests: a top UDP Via naming the sender's address with another port sets the forced
///   port; INVITE, UPDATE, ACK, PRACK, BYE and REGISTER (method, space, letter) need a numeric
///   CSeq or the packet is dropped; other methods are only NAT-rewritten;
/// - responses need a non-zero status code and a numeric CSeq; the method is read one byte
///   after the CSeq number (so "CSeq: 1  INVITE" is not an INVITE response);
/// - INVITE flushes the connection's media pinholes and opens new ones from its SDP; 1xx/2xx
///   INVITE/UPDATE/PRACK responses and UPDATE/ACK/PRACK requests open pinholes from their SDP;
///   an error response to the last INVITE and a BYE flush media pinholes;
/// - REGISTER with a Contact on the sender's own address and non-zero expiry opens an inactive
///   signalling pinhole (rewriting that Contact); its 2xx activates and re-times it, an error
///   response or a 2xx without the binding removes it; a Contact port outside 1024..65535 or an
///   empty expires= drops the REGISTER;
/// - SDP: at most three audio/video/image m= lines with a non-zero port count; a port outside
///   1024..65535 drops the packet, as does a counted m= line without a usable c= address.

#include "alg-models/linux-netfilter/expectation-table.h"
#include "alg-models/linux-netfilter/sip-helper-types.h"
#include "alg-models/linux-netfilter/sip-nat-rewriter.h"

#include <cstdint>
#include <optional>

namespace alglab::linuxnf {

class SipConntrackHelper {
 public:
  /// `table` and `config` must outlive the helper.
  SipConntrackHelper(ExpectationTable& table, const HelperConfig& config);

  /// Processes one non-empty SIP datagram of a connection. True: forward ctx.msg (possibly
  /// rewritten); false: drop (ctx.dropReason).
  bool Process(PacketContext& ctx);

 private:
  bool ProcessRequest(PacketContext& ctx);
  bool ProcessResponse(PacketContext& ctx);
  /// Reads the CSeq number; nullopt after recording a drop reason.
  std::optional<std::uint32_t> ReadCseq(PacketContext& ctx, std::size_t* end);

  bool HandleRequest(int method, PacketContext& ctx, std::uint32_t cseq);
  bool HandleResponse(int method, PacketContext& ctx, std::uint32_t cseq, std::uint32_t code);

  bool ProcessSdp(PacketContext& ctx);
  bool ExpectRtpRtcp(PacketContext& ctx, Ipv4* address, std::uint16_t port, ExpectClass klass,
                     std::size_t mediaOffset, std::size_t mediaLength);
  /// Value of the Expires header, 0 when absent (the kernel reads it the same way for a
  /// REGISTER and for its 2xx).
  std::uint32_t ExpiresHeader(const PacketContext& ctx) const;
  bool ProcessRegisterRequest(PacketContext& ctx, std::uint32_t cseq);
  bool ProcessRegisterResponse(PacketContext& ctx, std::uint32_t cseq, std::uint32_t code);
  /// transport= of a Contact: the protocol to expect, nullopt if it names another one.
  std::optional<std::uint8_t> ContactTransport(const PacketContext& ctx, std::size_t from) const;

  NumberRules Rules() const { return m_config.numberRules; }

  ExpectationTable& m_table;
  const HelperConfig& m_config;
  SipNatRewriter m_rewriter;
};

}  // namespace alglab::linuxnf

#endif
