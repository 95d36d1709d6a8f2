#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_MEDIA_PINHOLE_OPENER_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_MEDIA_PINHOLE_OPENER_H

/// \file
/// A reusable mechanism: opens NAT pinholes for the media an inside host's SDP announces, so
/// the peer's RTP (and RTCP on port+1) reaches the phone before the phone sent any. Place it at
/// outbound-post-snat (the offers and answers of inside hosts) and inbound-post-dnat (the peer's
/// SDP, which the sdp-address restriction needs), before any rewriter of the same point: it
/// reads the inside addresses the SDP still names.
///
/// Each pinhole is a NatTable expectation on the public port the NAT maps the media endpoint to
/// (reserved now, so a rewriter asking the NAT for the same endpoint gets the same port),
/// forwarding to the inside media endpoint, restricted per `source`. A new SDP from the inside
/// host on the same signalling mapping replaces that mapping's pinholes; they also die with it.
/// UDP signalling and IPv4 SDP only; streams with port 0 and media of hosts on no LAN prefix
/// open nothing.

#include "alg-models/contract/mechanisms/sip-scope.h"
#include "alg-models/contract/mechanism.h"
#include "alg-models/contract/mechanisms/source-restriction.h"
#include "sim/nat/nat-table.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alglab {

class MediaPinholeOpener : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId();

  /// Role "classifier": only SIP connections by the model's notion (see SipScope).
  bool Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) override {
    return m_scope.Connect(role, other);
  }
  alg::Verdict Process(alg::PacketContext& context) override;
  void OnMappingRemoved(const nat::Mapping& mapping, nat::NatTable& nat) override;
  void OnFlush() override;
  void OnRouterReboot() override { OnFlush(); }
  std::string Name() const override { return "media-pinhole-opener"; }

  /// Re-opens the live pinholes of signalling mapping `masterMapping` for `lifetime` from `now`
  /// (a consumed one-shot pinhole stays consumed). Returns how many were re-opened.
  std::size_t Retime(std::uint64_t masterMapping, ns3::Time lifetime, ns3::Time now);
  /// The signalling mapping whose SDP opened NatTable expectation `expectationId`, or 0 when it
  /// is not one of this opener's.
  std::uint64_t MasterOf(std::uint64_t expectationId) const;
  /// Pinholes currently held for `masterMapping` (live or consumed-but-remembered).
  std::size_t PinholeCount(std::uint64_t masterMapping) const;
  /// The lifetime a new pinhole gets (the `expect_timeout` knob).
  ns3::Time Lifetime() const { return ns3::Seconds(m_lifetimeSeconds); }

 private:
  void SetTransports(std::string text) { m_scope.SetTransports(text, "sip_transports"); }
  std::string GetTransports() const { return m_scope.TransportsText(); }
  SipScope m_scope;
  struct Pinhole {
    std::uint64_t natId = 0;  ///< 0 when the table refused it
    nat::Expectation expectation;
  };
  /// Opens the pinholes of one SDP body of an inside host.
  void OpenFor(alg::PacketContext& context, const std::string& body);
  /// Applies the current restriction to `masterMapping`'s pinholes again (the peer's SDP
  /// address became known).
  void Restrict(alg::PacketContext& context, std::uint64_t masterMapping);
  void Close(std::uint64_t masterMapping, nat::NatTable& nat);
  std::optional<std::uint32_t> SourceFor(std::uint64_t masterMapping,
                                         std::uint32_t signallingPeer) const;
  void SetSource(std::string text);
  std::string GetSource() const;

  alg::SourceRestriction m_source = alg::SourceRestriction::SignallingPeer;
  std::uint32_t m_lifetimeSeconds = 180;
  bool m_persistent = false;
  bool m_rtcp = true;

  /// Signalling mapping id -> its pinholes.
  std::map<std::uint64_t, std::vector<Pinhole>> m_pinholes;
  /// Signalling mapping id -> the media address of the peer's last SDP.
  std::map<std::uint64_t, std::uint32_t> m_peerSdpAddress;
  /// Signalling mapping id -> the peer (signalling remote) address.
  std::map<std::uint64_t, std::uint32_t> m_peer;
};

}  // namespace alglab

#endif
