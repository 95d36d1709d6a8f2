#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_SIP_HELPER_TYPES_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_SIP_HELPER_TYPES_H

/// \file
/// The vocabulary shared by the two halves of the model, which mirror the two kernel modules:
/// the connection-tracking half (SipConntrackHelper: what a message means, which pinholes it
/// opens or closes, when it is dropped) and the NAT half (SipNatRewriter: which bytes change).

#include "alg-models/linux-netfilter/conntrack-tuples.h"
#include "alg-models/linux-netfilter/sip-scanner.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <functional>
#include <string>

namespace alglab::linuxnf {

/// Shortest payload the helper looks at: strlen("SIP/2.0 200").
inline constexpr std::size_t kMinSipBytes = 11;

/// Per-connection state of the helper (the kernel keeps exactly these three numbers).
struct MasterState {
  std::uint64_t id = 0;  ///< unique per connection; owner of its pinholes
  ConntrackTuples tuples;
  /// The connection was created through a pinhole (IPS_EXPECTED): it may not REGISTER.
  bool expected = false;
  std::uint32_t registerCseq = 0;  ///< CSeq of the last REGISTER that was let through
  std::uint32_t inviteCseq = 0;    ///< CSeq of the last INVITE whose SDP was accepted
  /// Set (never cleared) when a request's Via names the sender's address with another port:
  /// replies are then sent to that port and addresses toward the peer get that port.
  std::uint16_t forcedDport = 0;
  /// The router's public address on this connection (what the advertised-address knob hides).
  Ipv4 publicAddress = 0;
};

/// Knobs of the helper. Defaults are the kernel's.
struct HelperConfig {
  /// sip_direct_signalling: a REGISTER pinhole admits only the registrar's address.
  bool directSignalling = true;
  /// sip_direct_media: media pinholes only for SDP whose address is the sender's, and only
  /// from the signalling peer's address.
  bool directMedia = true;
  /// sip_external_media: (with directMedia off) no media pinholes when the media address lies
  /// on the side the SIP packet is going to.
  bool externalMedia = false;
  /// Kernels with the 2026 fix (upstream 6a2b724460cb, in stable 6.1+/6.18): an SDP without
  /// an active known m= line gets its o=/c= set to its own session c= address (nothing is
  /// rewritten without one). Older kernels write 0.0.0.0 there.
  bool sessionAddressFix = true;
  /// Number and port parsing of kernels with the 2026 strtoul replacement (Bounded) or before.
  NumberRules numberRules = NumberRules::Bounded;
  /// Printed in place of the router's public address in SIP and SDP text; 0: the real one.
  /// Models routers that advertised another interface's address (e.g. a tunnel).
  Ipv4 advertisedAddress = 0;
  /// Seed of the generator that picks a random port when a REGISTER pinhole's port is taken.
  std::uint32_t portSeed = 1;
  /// For externalMedia: true when `media` is reached through the interface the packet leaves
  /// by. Unset: never (pinholes are always created).
  std::function<bool(const MasterState&, CtDirection, Ipv4 media)> mediaBesideDestination;
};

/// Why the helper dropped a packet: the text the kernel logs after
/// "nf_ct_sip: dropping packet: " (static strings).
namespace drop_reason {
inline constexpr const char* kCannotParseCseq = "cannot parse cseq";
inline constexpr const char* kCannotGetCseq = "cannot get cseq";
inline constexpr const char* kCannotGetCode = "cannot get code";
inline constexpr const char* kCannotParseContact = "cannot parse contact";
inline constexpr const char* kCannotParseExpires = "cannot parse expires";
inline constexpr const char* kCannotAddExpectation = "cannot add expectation";
inline constexpr const char* kWrongPort = "wrong port";
inline constexpr const char* kCannotParseSdp = "cannot parse SDP message";
inline constexpr const char* kCannotAddVoiceExpectation = "cannot add expectation for voice";
inline constexpr const char* kCannotMangleSdp = "cannot mangle SDP";
inline constexpr const char* kCannotMangleSdpMessage = "cannot mangle SDP message";
inline constexpr const char* kAllPortsInUseSdp = "all ports in use for SDP media";
inline constexpr const char* kAllPortsInUseSip = "all ports in use for SIP";
inline constexpr const char* kCannotManglePacket = "cannot mangle packet";
inline constexpr const char* kCannotMangleSipMessage = "cannot mangle SIP message";
inline constexpr const char* kCannotMangleVia = "cannot mangle Via header";
inline constexpr const char* kCannotMangleMaddr = "cannot mangle maddr";
inline constexpr const char* kCannotMangleReceived = "cannot mangle received";
inline constexpr const char* kCannotMangleRport = "cannot mangle rport";
inline constexpr const char* kCannotMangleContact = "cannot mangle contact";
inline constexpr const char* kCannotMangleFromTo = "cannot mangle SIP from/to";
/// Not logged by the kernel: the SDP session's o= line (or Content-Length) could not be
/// rewritten, and the helper returns "drop" silently.
inline constexpr const char* kSilentSdpSession = "SDP session not rewritable (silent)";
}  // namespace drop_reason

/// One packet going through the helper.
struct PacketContext {
  MasterState& master;
  CtDirection dir;
  std::string& msg;  ///< the UDP payload, rewritten in place
  ns3::Time now;
  const char* dropReason = nullptr;  ///< first reason recorded
  /// Non-zero: the helper changes the packet's destination port to this (forced_dport).
  std::uint16_t redirectPort = 0;

  /// Records `reason` unless an earlier, more specific one is there; returns false (= drop).
  bool Fail(const char* reason) {
    if (dropReason == nullptr) dropReason = reason;
    return false;
  }
};

}  // namespace alglab::linuxnf

#endif
