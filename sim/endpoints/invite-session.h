#ifndef ALGLAB_ENDPOINTS_INVITE_SESSION_H
#define ALGLAB_ENDPOINTS_INVITE_SESSION_H

// One side of one INVITE dialog (RFC 3261 sections 13-15): the UAC sends INVITE, ACKs the 2xx
// (and re-ACKs its retransmissions), CANCELs or BYEs on hangup; the UAS sends 100/180/200,
// retransmits the 200 until the ACK (transaction layer) and hangs up with BYE if the ACK never
// comes — the "call drops after 32 seconds" symptom an ALG produces by breaking the ACK path.
// Media is the owner's business: the session carries SDP bodies only.
//
// Sessions are shared_ptr-owned; transaction callbacks hold weak references so an owner may
// drop a finished session at any time.

#include "sim/endpoints/sip-dialog.h"
#include "sim/endpoints/sip-stack.h"
#include "sim/endpoints/transport-address.h"
#include "sim/sip/sip-message.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alglab {

class InviteSession : public std::enable_shared_from_this<InviteSession> {
 public:
  enum class Role { Uac, Uas };
  enum class State {
    Idle,       ///< UAC before Invite()
    Calling,    ///< UAC: INVITE sent, nothing but 100 yet
    Incoming,   ///< UAS: INVITE received, not alerting yet
    Early,      ///< 1xx (>100) sent or received
    Answering,  ///< UAS: 200 sent, waiting for the ACK
    Confirmed,  ///< dialog established
    Terminated
  };

  struct Events {
    /// UAC: a provisional response above 100 arrived (180, 183).
    std::function<void(int code)> onProvisional;
    /// UAC: 2xx received and ACKed. UAS: the ACK for our 2xx arrived.
    std::function<void()> onEstablished;
    /// The session ended. `code`: final status for a setup that failed (487 when cancelled),
    /// 0 for an established call. `reason`: "bye", "cancel", "ack-timeout", or the code as text.
    std::function<void(int code, const std::string& reason)> onTerminated;
    /// A re-INVITE (offer in the request) in an established dialog: return the answer SDP, or
    /// nullopt to reject it with 488. Unset: answered with 488.
    std::function<std::optional<std::string>(const sip::SipMessage& reinvite)> onReinvite;
  };

  /// `contactUser` is the user part of the Contact we send (<sip:user@localIp:port>).
  static std::shared_ptr<InviteSession> CreateUac(SipStack& stack, std::string callId,
                                                  std::string contactUser, Events events);
  /// From a received initial INVITE; in-dialog requests go to `source` until SetNextHop.
  static std::shared_ptr<InviteSession> CreateUas(SipStack& stack, const sip::SipMessage& invite,
                                                  const TransportAddress& source,
                                                  std::string contactUser, Events events);

  /// Where in-dialog requests (ACK for 2xx, BYE, re-INVITE) are sent.
  void SetNextHop(const TransportAddress& hop) { m_dialog.nextHop = hop; }
  /// Server without FixContact: take the next hop from the peer's Contact whenever it is learned.
  void SetFollowContact(bool on) { m_followContact = on; }

  // --- UAC ---------------------------------------------------------------------------------
  /// `extraHeaders` are added after the usual ones (optional headers a handset sends).
  void Invite(const sip::Uri& requestUri, const sip::NameAddress& from, const sip::NameAddress& to,
              const std::string& sdp, const TransportAddress& destination,
              const std::vector<std::pair<std::string, std::string>>& extraHeaders = {});

  // --- UAS ---------------------------------------------------------------------------------
  void SendTrying();
  void Ring();
  void Answer(const std::string& sdp);
  void Reject(int code);

  // --- both --------------------------------------------------------------------------------
  /// CANCEL while calling/early (UAC), 480 while alerting (UAS), BYE once answered.
  void Hangup();
  /// Outcome of a re-INVITE: the final status (a local 408 when nothing came back) and, for a
  /// 2xx, the answer SDP.
  using ReinviteDone = std::function<void(int code, const std::string& answerSdp)>;
  /// Sends a re-INVITE offering `sdp` in a confirmed dialog (hold, resume), either role. A 2xx
  /// is ACKed and its SDP becomes RemoteSdp; a 481 or 408 ends the dialog with BYE (RFC 3261
  /// section 12.2.1.2: the peer or the path lost it); other failures change nothing. False,
  /// and nothing sent, unless the dialog is confirmed with no re-INVITE of ours pending.
  bool Reinvite(const std::string& sdp, ReinviteDone done);
  /// A request for this Call-ID (ACK, CANCEL, BYE, re-INVITE, INFO, ...). Responds itself.
  void HandleRequest(const sip::SipMessage& request, const TransportAddress& source);
  /// A retransmitted 2xx after the INVITE transaction ended: our ACK was lost.
  void HandleRetransmitted2xx(const sip::SipMessage& response);
  /// The transaction layer gave up waiting for the ACK of our 2xx.
  void HandleAckTimeout();

  Role GetRole() const { return m_role; }
  State GetState() const { return m_state; }
  bool IsTerminated() const { return m_state == State::Terminated; }
  const std::string& CallId() const { return m_dialog.callId; }
  const SipDialog& Dialog() const { return m_dialog; }
  /// The peer's SDP: offer of the INVITE (UAS) or answer of the 2xx (UAC); latest re-INVITE.
  const std::string& RemoteSdp() const { return m_remoteSdp; }
  /// The initial INVITE as received (UAS) or as built (UAC, without Via).
  const sip::SipMessage& InitialInvite() const { return m_invite; }
  /// The remote party's URI as text (From for UAS, To for UAC).
  std::string PeerUri() const { return m_dialog.remote.uri.ToString(); }

 private:
  InviteSession(SipStack& stack, Role role, std::string contactUser, Events events);

  void OnInviteResponse(const sip::SipMessage& response, bool local);
  void OnReinviteResponse(const sip::SipMessage& response, std::uint32_t cseq, const ReinviteDone& done);
  void SendAck(std::uint32_t cseq);
  void SendBye();
  void Terminate(int code, const std::string& reason);
  void LearnNextHopFromContact();
  void AddCommonHeaders(sip::SipMessage& m) const;
  sip::SipMessage MakeUasResponse(const sip::SipMessage& request, int code) const;

  SipStack& m_stack;
  Role m_role;
  State m_state = State::Idle;
  std::string m_contactUser;
  Events m_events;
  SipDialog m_dialog;
  sip::SipMessage m_invite;
  std::uint32_t m_inviteCseq = 1;
  std::string m_inviteBranch;
  std::string m_remoteSdp;
  std::optional<sip::SipMessage> m_ack;  // ACK for the 2xx, without Via
  bool m_cancelling = false;
  bool m_followContact = false;
  bool m_reinvitePending = false;
};

}  // namespace alglab

#endif
