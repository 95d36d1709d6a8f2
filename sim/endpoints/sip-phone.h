#ifndef ALGLAB_ENDPOINTS_SIP_PHONE_H
#define ALGLAB_ENDPOINTS_SIP_PHONE_H

// A desk phone as deployed behind a NAT today: it registers (digest) to its PBX, which is also
// its outbound proxy for every request; it advertises its private address in Via/Contact/SDP
// (what ALGs rewrite) but copes with the NAT itself: rport in Via, NAT keepalives, NAT-change
// detection with immediate re-registration, symmetric RTP. It places calls on command, auto-
// answers incoming ones after a delay, and watches other extensions with BLF.
//
// Attributes (besides SipEndpoint's Name, LocalAddress, LocalSipPort, RtpPortBase, Rport):
//   Extension, Password, Domain, RegistrarAddress, RegistrarPort, RegistrarLabel,
//   RegisterExpiry, RegisterRefreshPercent, RegisterRetryInterval, RebindOnNatChange,
//   KeepaliveKind, KeepaliveInterval, SymmetricRtp, AnswerAfter, AutoAnswer, NoAnswerTimeout,
//   SubscribeExpiry, SdpCodecs, OptionalHeaderBytes.
// Trace sources: the SipEndpoint ones plus "BlfNotify" (traces::BlfState).

#include "sim/endpoints/blf-subscription.h"
#include "sim/endpoints/client-keepalive.h"
#include "sim/endpoints/invite-session.h"
#include "sim/endpoints/media-session.h"
#include "sim/endpoints/registration-client.h"
#include "sim/endpoints/sip-endpoint.h"
#include "sim/endpoints/user-agent-call.h"

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace alglab {

class SipPhone : public SipEndpoint {
 public:
  static ns3::TypeId GetTypeId();
  SipPhone();
  ~SipPhone() override;

  /// Calls `target` (an extension/number, or a full "sip:" URI) through the registrar, and
  /// hangs up with BYE `duration` after the answer; CANCELs after NoAnswerTimeout if unanswered.
  /// The INVITE leaves after a random set-up delay below CallSetupJitter. Ignored (logged)
  /// while the phone is not running, already in a call or dialling.
  void Call(std::string target, ns3::Time duration);
  /// Adds a BLF key for `extension` (SUBSCRIBE Event: dialog once registered).
  void Watch(std::string extension);
  /// Answers a ringing incoming call now (for AutoAnswer=false).
  void Answer();
  /// Ends the current call (CANCEL, reject or BYE as appropriate).
  void Hangup();

  /// How a hold is offered: `SendOnly` (RFC 3264: a=sendonly, our real address) or
  /// `ZeroAddress` (RFC 2543: c=IN IP4 0.0.0.0, still found in older handsets and PBXs).
  enum class HoldStyle { SendOnly, ZeroAddress };
  /// Puts the established call on hold with a re-INVITE. The handset stops its own RTP at once
  /// (assumption: no music on hold from the handset, as desk phones do by default) and sends
  /// nothing until Resume. Ignored (logged) without an established call or while a re-INVITE
  /// of ours is pending.
  void Hold(HoldStyle style);
  /// Takes the call off hold: a re-INVITE offering sendrecv at our real address; RTP restarts
  /// at once and follows the answer's address.
  void Resume();
  /// Silence suppression for `duration`: no RTP leaves, nothing is signalled.
  void Mute(ns3::Time duration);

  bool IsRegistered() const;
  bool InCall() const { return m_call != nullptr; }
  /// Call-ID of the current call ("" if none).
  std::string CurrentCallId() const;
  /// Lamp of a watched extension as the last NOTIFY set it ("" until then).
  std::string LampState(const std::string& extension) const;
  /// Public address learned from the registrar's Via (received/rport).
  std::optional<TransportAddress> PublicAddress() const;
  const RegistrationClient* GetRegistrationClient() const { return m_registration.get(); }
  const KeepaliveSender* GetKeepalive() const { return m_keepalive.get(); }
  /// Media of the current call (nullptr if none).
  const MediaSession* GetMedia() const;
  /// The Call-ID the phone's n-th Call-ID allocation will use (1-based; registration takes the
  /// first): "<Name>-<n>@<LocalAddress>".
  std::string PredictCallId(std::uint64_t n) const;

 protected:
  void StartEndpoint() override;
  void StopEndpoint() override;
  void HandleRequest(const sip::SipMessage& request, const TransportAddress& source) override;
  void HandleStrayResponse(const sip::SipMessage& response, const TransportAddress& source) override;
  void HandleAckTimeout(const std::string& callId, std::uint32_t cseq) override;
  std::string Kind() const override { return "phone"; }

 private:
  TransportAddress Proxy() const;
  std::string DomainName() const;
  MediaSession::Options HandsetMediaOptions() const;
  /// Our SDP for the current call's media at `address` (default: our own; 0.0.0.0 for an
  /// RFC 2543 hold).
  std::string OfferSdp(sip::MediaDirection direction, std::optional<ns3::Ipv4Address> address = std::nullopt);
  InviteSession::Events CallEvents();
  void OnCallEstablished();
  void OnCallTerminated(int code, const std::string& reason);
  std::optional<std::string> OnReinvite(const sip::SipMessage& reinvite);
  /// Sends a re-INVITE offering `sdp`; our media takes `ours` at once.
  void OfferInCall(const std::string& what, const std::string& sdp, sip::MediaDirection ours);
  void AcceptIncoming(const sip::SipMessage& invite, const TransportAddress& source);
  void OnRegistrationOutcome(bool success, std::uint16_t status);
  void StartSubscription(const std::string& extension);
  void NoAnswer();
  /// Optional INVITE headers adding up to `bytes` (see the OptionalHeaderBytes attribute).
  std::vector<std::pair<std::string, std::string>> OptionalHeaders(std::size_t bytes) const;
  /// The INVITE of a Call(), after the set-up delay.
  void Dial(std::string target, ns3::Time duration);

  // Attributes
  std::string m_extension;
  std::string m_password;
  std::string m_domain;
  ns3::Ipv4Address m_registrarAddress;
  std::uint16_t m_registrarPort = 5060;
  std::string m_registrarLabel;
  std::uint32_t m_registerExpiry = 300;
  std::uint32_t m_refreshPercent = 80;
  ns3::Time m_registerRetry;
  bool m_rebindOnNatChange = true;
  std::string m_keepaliveKind;
  ns3::Time m_keepaliveInterval;
  bool m_symmetricRtp = true;
  ns3::Time m_answerAfter;
  bool m_autoAnswer = true;
  ns3::Time m_noAnswerTimeout;
  std::uint32_t m_subscribeExpiry = 600;
  ns3::Time m_callSetupJitter;
  std::uint32_t m_sdpCodecs = 1;
  std::uint32_t m_optionalHeaderBytes = 0;
  ns3::EventId m_dialEvent;

  std::unique_ptr<RegistrationClient> m_registration;
  std::unique_ptr<KeepaliveSender> m_keepalive;
  std::map<std::string, std::unique_ptr<BlfSubscription>> m_watches;  // by extension
  std::vector<std::string> m_watchList;
  bool m_everRegistered = false;
  std::unique_ptr<UserAgentCall> m_call;  // one call at a time
  std::uint32_t m_sdpVersion = 0;

  ns3::TracedCallback<const std::string&, const std::string&, const std::string&> m_blfNotify;
};

}  // namespace alglab

#endif
