#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_DIALOG_PROXY_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_DIALOG_PROXY_H

/// \file
/// A reusable mechanism: the dialog-stateful part of a proxy-style SIP ALG (FortiGate's SIP ALG,
/// a user-space proxy that terminates and re-originates what it relays). It
/// - puts its own Via (the router's public address and the public port of the connection) on
///   top of every request an inside host sends toward the WAN, and takes it off the response
///   coming back (insert_via);
/// - opens signalling pinholes in the NAT: for the Contact of a REGISTER until the
///   registration expires (open_register_pinhole), for the Contact of other messages and the
///   Record-Route and Via entries naming inside hosts while their dialog lives
///   (open_contact_pinhole, open_record_route_pinhole, open_via_pinhole). With strict_register
///   a REGISTER pinhole admits only the registrar, and a request from anyone else toward a
///   registered inside host that belongs to no dialog the proxy tracks is dropped;
/// - tracks INVITE dialogs and ends those it gives up on without any SIP message: an early
///   dialog after provisional_invite_expiry seconds without a final answer, a call with no RTP
///   for call_keepalive minutes, the oldest idle ones (no SIP for idle_after seconds) beyond
///   max_idle_dialogs, a call whose 200 OK set Session-Expires once that long passed without
///   SIP. An ended call's signalling pinholes close, and its RTP and its later SIP messages
///   (the BYE too) are dropped: the audio stops and nobody is told.
/// SDP addresses and media pinholes are the address rewriter's and the media pinhole opener's
/// (place those at the same points); `alg-models/fortigate` composes them. Place it after the
/// drop policy and before the rewriter (it reads the inside addresses the rewriter replaces).
/// Pinholes are UDP, IPv4 only.

#include "alg-models/contract/mechanism.h"
#include "alg-models/contract/mechanisms/sip-scope.h"
#include "sim/nat/nat-types.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alglab {

/// Why the proxy dropped a packet (the router reports "alg: <reason>").
namespace dialog_proxy_reason {
inline constexpr const char* kStrictRegister = "strict-register: request not from the registrar";
inline constexpr const char* kKeepalive = "call ended: no RTP for call-keepalive";
inline constexpr const char* kIdle = "call ended: oldest idle dialog beyond max-idle-dialogs";
inline constexpr const char* kProvisional = "call ended: no final answer within provisional-invite-expiry-time";
inline constexpr const char* kExpired = "call ended: dialog timed out (Session-Expires)";
}  // namespace dialog_proxy_reason

class SipDialogProxy : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId();

  /// Role "classifier": only SIP connections by the model's notion (see SipScope).
  bool Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) override {
    return m_scope.Connect(role, other);
  }
  alg::Verdict Process(alg::PacketContext& context) override;
  void OnFlush() override;
  void OnRouterReboot() override { OnFlush(); }
  std::string Name() const override { return "sip-dialog-proxy"; }

  /// The branch prefix of the Via the proxy inserts.
  static constexpr const char* kBranchPrefix = "z9hG4bK-alg-";

  /// Dialogs the proxy tracks now (ended ones not counted).
  std::size_t DialogCount() const;
  /// Signalling pinholes it holds open in the NAT table.
  std::size_t PinholeCount() const;
  /// Why dialog `callId` was ended, or nullopt when it was not.
  std::optional<std::string> EndedBecause(const std::string& callId) const;

 private:
  struct Dialog {
    nat::Endpoint inside;  ///< the inside host's signalling endpoint
    bool confirmed = false;
    ns3::Time created;
    ns3::Time lastSip;
    ns3::Time lastMedia;   ///< the 2xx, then every RTP/RTCP packet of its streams
    ns3::Time sessionExpires;  ///< zero: none
    std::vector<nat::Endpoint> media;  ///< inside RTP/RTCP endpoints its SDP named
    std::vector<std::uint64_t> pinholes;  ///< NatTable expectation ids
  };
  struct Registration {
    ns3::Ipv4Address registrar;
    std::uint64_t pinhole = 0;
    ns3::Time expires;
  };

  alg::Verdict Outbound(alg::PacketContext& context, const sip::SipMessage& message);
  alg::Verdict Inbound(alg::PacketContext& context, const sip::SipMessage& message);
  /// The dialog `callId` names, created for a new INVITE.
  Dialog* Track(const std::string& callId, const nat::Endpoint& inside, bool create, ns3::Time now);
  /// Media endpoints of the inside host's SDP in `message` (on a LAN prefix), RTCP included.
  void LearnMedia(alg::PacketContext& context, const sip::SipMessage& message, const std::string& callId);
  /// Opens a pinhole on the public address toward `inside`; returns its NatTable id (0: none).
  std::uint64_t OpenPinhole(alg::PacketContext& context, const nat::Endpoint& inside,
                            std::optional<ns3::Ipv4Address> onlyFrom, ns3::Time lifetime);
  /// Pinholes for the Contact, Record-Route and Via entries of `message` naming inside hosts.
  void OpenDialogPinholes(alg::PacketContext& context, const sip::SipMessage& message, Dialog& dialog);
  void Register(alg::PacketContext& context, const sip::SipMessage& message);
  /// The dialog ended normally (BYE, CANCEL, a failure): forget it.
  void Forget(const std::string& callId, nat::NatTable& nat);
  /// The proxy gives up on the dialog: pinholes close, its media and SIP are dropped from now.
  void End(const std::string& callId, const char* reason, nat::NatTable& nat);
  /// Ends what the timers and limits end (at most once per simulated second).
  void Sweep(nat::NatTable& nat, ns3::Time now);

  void SetTransports(std::string text) { m_scope.SetTransports(text, "sip_transports"); }
  std::string GetTransports() const { return m_scope.TransportsText(); }
  SipScope m_scope;
  bool m_insertVia = true;
  bool m_registerPinhole = true;
  bool m_contactPinhole = true;
  bool m_recordRoutePinhole = true;
  bool m_viaPinhole = false;
  bool m_strictRegister = true;
  std::uint32_t m_keepaliveMinutes = 0;
  std::uint32_t m_maxIdleDialogs = 0;
  std::uint32_t m_idleAfterSeconds = 60;
  std::uint32_t m_provisionalSeconds = 210;
  std::uint32_t m_registerDefaultSeconds = 3600;

  std::map<std::string, Dialog> m_dialogs;  ///< by Call-ID
  std::map<std::string, const char*> m_ended;  ///< Call-ID -> why (a dialog_proxy_reason)
  /// Inside media endpoint (Endpoint::Key) -> the Call-ID whose SDP named it last.
  std::map<std::uint64_t, std::string> m_media;
  /// Inside (Contact) endpoint (Endpoint::Key) -> its registration.
  std::map<std::uint64_t, Registration> m_registrations;
  ns3::Time m_lastSweep = ns3::Seconds(-1);
};

}  // namespace alglab

#endif
