#include "sim/endpoints/invite-session.h"

#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/log.h>

NS_LOG_COMPONENT_DEFINE("AlglabInviteSession");

namespace alglab {

namespace {
constexpr const char* kAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY, SUBSCRIBE";
}

InviteSession::InviteSession(SipStack& stack, Role role, std::string contactUser, Events events)
    : m_stack(stack),
      m_role(role),
      m_contactUser(std::move(contactUser)),
      m_events(std::move(events)),
      m_invite(sip::SipMessage::Request("INVITE", sip::Uri{})) {}

std::shared_ptr<InviteSession> InviteSession::CreateUac(SipStack& stack, std::string callId,
                                                        std::string contactUser, Events events) {
  std::shared_ptr<InviteSession> s(
      new InviteSession(stack, Role::Uac, std::move(contactUser), std::move(events)));
  s->m_dialog.callId = std::move(callId);
  return s;
}

std::shared_ptr<InviteSession> InviteSession::CreateUas(SipStack& stack,
                                                        const sip::SipMessage& invite,
                                                        const TransportAddress& source,
                                                        std::string contactUser, Events events) {
  std::shared_ptr<InviteSession> s(
      new InviteSession(stack, Role::Uas, std::move(contactUser), std::move(events)));
  s->m_invite = invite;
  s->m_dialog = SipDialog::FromRequest(invite, stack.Ids().NewTag());
  s->m_dialog.nextHop = source;
  s->m_inviteCseq = s->m_dialog.remoteCseq.value_or(1);
  s->m_remoteSdp = invite.Body();
  s->m_state = State::Incoming;
  return s;
}

void InviteSession::AddCommonHeaders(sip::SipMessage& m) const {
  m.Set("Allow", kAllow);
  m.Set("User-Agent", m_stack.Product());
}

sip::SipMessage InviteSession::MakeUasResponse(const sip::SipMessage& request, int code) const {
  auto r = MakeResponse(request, code, m_dialog.LocalTag());
  if (code > 100 && code < 300 && request.Method() == "INVITE") {
    r.Add("Contact", m_stack.LocalContact(m_contactUser).ToString());
    r.Add("Allow", kAllow);
  }
  return r;
}

void InviteSession::LearnNextHopFromContact() {
  if (!m_followContact) {
    return;
  }
  if (auto hop = MakeTransportAddress(m_dialog.remoteTarget.host, m_dialog.remoteTarget.port)) {
    m_dialog.nextHop = *hop;
  }
}

// --- UAC -------------------------------------------------------------------------------------

void InviteSession::Invite(const sip::Uri& requestUri, const sip::NameAddress& from,
                           const sip::NameAddress& to, const std::string& sdp,
                           const TransportAddress& destination,
                           const std::vector<std::pair<std::string, std::string>>& extraHeaders) {
  if (m_role != Role::Uac || m_state != State::Idle) {
    return;
  }
  m_dialog.local = from;
  m_dialog.local.params.Set("tag", m_stack.Ids().NewTag());
  m_dialog.remote = to;
  m_dialog.remoteTarget = requestUri;
  m_dialog.localCseq = m_inviteCseq;
  m_dialog.nextHop = destination;

  auto invite = sip::SipMessage::Request("INVITE", requestUri);
  invite.Add("Max-Forwards", "70");
  invite.Add("From", m_dialog.local.ToString());
  invite.Add("To", m_dialog.remote.ToString());
  invite.Add("Call-ID", m_dialog.callId);
  invite.Add("CSeq", std::to_string(m_inviteCseq) + " INVITE");
  invite.Add("Contact", m_stack.LocalContact(m_contactUser).ToString());
  AddCommonHeaders(invite);
  for (const auto& [name, value] : extraHeaders) invite.Add(name, value);
  invite.SetBody(sdp, "application/sdp");
  m_invite = invite;
  m_state = State::Calling;
  std::weak_ptr<InviteSession> weak = shared_from_this();
  m_inviteBranch = m_stack.Transactions().SendRequest(
      std::move(invite), destination, [weak](const ClientResponse& r) {
        if (auto self = weak.lock()) {
          self->OnInviteResponse(r.message, r.local);
        }
      });
}

void InviteSession::SendAck(std::uint32_t cseq) {
  auto ack = sip::SipMessage::Request("ACK", m_dialog.remoteTarget);
  ack.Add("Max-Forwards", "70");
  ack.Add("From", m_dialog.local.ToString());
  ack.Add("To", m_dialog.remote.ToString());
  ack.Add("Call-ID", m_dialog.callId);
  ack.Add("CSeq", std::to_string(cseq) + " ACK");
  m_ack = ack;
  m_stack.Transactions().SendAck(std::move(ack), m_dialog.nextHop);
}

void InviteSession::OnInviteResponse(const sip::SipMessage& response, bool local) {
  auto self = shared_from_this();
  const int code = response.StatusCode();
  if (m_state == State::Terminated && !(code >= 200 && code < 300)) {
    return;
  }
  if (code < 200) {
    if (code == 100) {
      return;
    }
    if (m_state == State::Calling) {
      m_state = State::Early;
    }
    if (ToTag(response)) {
      m_dialog.UpdateFromResponse(response);
    }
    if (!m_cancelling && m_events.onProvisional) {
      m_events.onProvisional(code);
    }
    return;
  }
  if (code < 300) {
    m_dialog.UpdateFromResponse(response);
    LearnNextHopFromContact();
    m_remoteSdp = response.Body();
    SendAck(m_inviteCseq);
    if (m_cancelling || m_state == State::Terminated) {
      // CANCEL lost the race against the 200: the dialog exists now, so end it with BYE.
      SendBye();
      Terminate(487, "cancel");
      return;
    }
    m_state = State::Confirmed;
    if (m_events.onEstablished) {
      m_events.onEstablished();
    }
    return;
  }
  NS_LOG_INFO(m_stack.Name() << " INVITE " << m_dialog.callId << " failed with " << code
                             << (local ? " (local)" : ""));
  Terminate(code, m_cancelling ? std::string("cancel") : std::to_string(code));
}

bool InviteSession::Reinvite(const std::string& sdp, ReinviteDone done) {
  if (m_state != State::Confirmed || m_reinvitePending) {
    return false;
  }
  auto reinvite = m_dialog.MakeRequest("INVITE", m_stack.LocalContact(m_contactUser));
  AddCommonHeaders(reinvite);
  reinvite.SetBody(sdp, "application/sdp");
  const std::uint32_t cseq = m_dialog.localCseq;
  m_reinvitePending = true;
  std::weak_ptr<InviteSession> weak = shared_from_this();
  m_stack.Transactions().SendRequest(std::move(reinvite), m_dialog.nextHop,
                                     [weak, cseq, done = std::move(done)](const ClientResponse& r) {
                                       if (auto self = weak.lock()) {
                                         self->OnReinviteResponse(r.message, cseq, done);
                                       }
                                     });
  return true;
}

void InviteSession::OnReinviteResponse(const sip::SipMessage& response, std::uint32_t cseq,
                                       const ReinviteDone& done) {
  auto self = shared_from_this();
  const int code = response.StatusCode();
  if (code < 200 || m_state == State::Terminated) {
    return;
  }
  m_reinvitePending = false;
  if (code < 300) {
    const auto contacts = response.Contacts();
    if (!contacts.empty() && !contacts.front().isWildcard) {
      m_dialog.remoteTarget = contacts.front().uri;  // target refresh (RFC 3261 12.2.1.2)
      LearnNextHopFromContact();
    }
    if (!response.Body().empty()) {
      m_remoteSdp = response.Body();
    }
    SendAck(cseq);
  }
  if (done) {
    done(code, code < 300 ? response.Body() : std::string());
  }
  if ((code == 481 || code == 408) && m_state != State::Terminated) {
    NS_LOG_INFO(m_stack.Name() << " re-INVITE " << m_dialog.callId << " failed with " << code
                               << ": ending the call");
    SendBye();
    Terminate(0, "reinvite-" + std::to_string(code));
  }
}

// --- UAS -------------------------------------------------------------------------------------

void InviteSession::SendTrying() {
  if (m_role == Role::Uas && m_state == State::Incoming) {
    m_stack.Transactions().Respond(m_invite, MakeResponse(m_invite, 100));
  }
}

void InviteSession::Ring() {
  if (m_role != Role::Uas || (m_state != State::Incoming && m_state != State::Early)) {
    return;
  }
  m_state = State::Early;
  m_stack.Transactions().Respond(m_invite, MakeUasResponse(m_invite, 180));
}

void InviteSession::Answer(const std::string& sdp) {
  if (m_role != Role::Uas || (m_state != State::Incoming && m_state != State::Early)) {
    return;
  }
  auto ok = MakeUasResponse(m_invite, 200);
  ok.Set("User-Agent", m_stack.Product());
  ok.SetBody(sdp, "application/sdp");
  m_state = State::Answering;
  m_stack.Transactions().Respond(m_invite, std::move(ok));
}

void InviteSession::Reject(int code) {
  if (m_role != Role::Uas || (m_state != State::Incoming && m_state != State::Early)) {
    return;
  }
  m_stack.Transactions().Respond(m_invite, MakeUasResponse(m_invite, code));
  Terminate(code, std::to_string(code));
}

// --- both ------------------------------------------------------------------------------------

void InviteSession::SendBye() {
  auto bye = m_dialog.MakeRequest("BYE", m_stack.LocalContact(m_contactUser));
  bye.Set("User-Agent", m_stack.Product());
  // The BYE's outcome changes nothing here: the call is over for us either way.
  m_stack.Transactions().SendRequest(std::move(bye), m_dialog.nextHop, nullptr);
}

void InviteSession::Hangup() {
  auto self = shared_from_this();
  switch (m_state) {
    case State::Idle:
      Terminate(0, "hangup");
      break;
    case State::Calling:
    case State::Early:
      if (m_role == Role::Uac) {
        if (!m_cancelling) {
          m_cancelling = true;
          m_stack.Transactions().Cancel(m_inviteBranch);
        }
      } else {
        Reject(480);
      }
      break;
    case State::Incoming:
      Reject(480);
      break;
    case State::Answering:
    case State::Confirmed:
      SendBye();
      Terminate(0, "bye");
      break;
    case State::Terminated:
      break;
  }
}

void InviteSession::HandleRequest(const sip::SipMessage& request, const TransportAddress& source) {
  (void)source;
  auto self = shared_from_this();
  auto& tl = m_stack.Transactions();
  const std::string& method = request.Method();
  const auto cseq = request.GetCSeq();
  if (method == "ACK") {
    if (m_state == State::Answering && cseq && cseq->sequence == m_inviteCseq) {
      m_state = State::Confirmed;
      if (m_events.onEstablished) {
        m_events.onEstablished();
      }
    }
    return;
  }
  if (method == "CANCEL") {
    tl.Respond(request, MakeResponse(request, 200, m_dialog.LocalTag()));
    if (m_role == Role::Uas && (m_state == State::Incoming || m_state == State::Early)) {
      tl.Respond(m_invite, MakeUasResponse(m_invite, 487));
      Terminate(487, "cancel");
    }
    return;
  }
  if (m_state == State::Terminated || !m_dialog.MatchesIncoming(request)) {
    tl.Respond(request, MakeResponse(request, 481));
    return;
  }
  if (cseq && !m_dialog.AcceptRemoteCseq(cseq->sequence)) {
    tl.Respond(request, MakeResponse(request, 500));
    return;
  }
  if (method == "BYE") {
    tl.Respond(request, MakeResponse(request, 200));
    Terminate(0, "bye");
    return;
  }
  if (method == "INVITE") {
    if (m_state != State::Confirmed) {
      tl.Respond(request, MakeResponse(request, 491));
      return;
    }
    std::optional<std::string> answer;
    if (m_events.onReinvite) {
      answer = m_events.onReinvite(request);
    }
    if (!answer) {
      tl.Respond(request, MakeResponse(request, 488));
      return;
    }
    if (!request.Body().empty()) {
      m_remoteSdp = request.Body();
    }
    const auto contacts = request.Contacts();
    if (!contacts.empty()) {
      m_dialog.remoteTarget = contacts.front().uri;  // target refresh (RFC 3261 12.2.2)
      LearnNextHopFromContact();
    }
    auto ok = MakeUasResponse(request, 200);
    ok.SetBody(*answer, "application/sdp");
    tl.Respond(request, std::move(ok));
    return;
  }
  if (method == "OPTIONS" || method == "INFO" || method == "UPDATE") {
    tl.Respond(request, MakeResponse(request, 200));
    return;
  }
  auto notAllowed = MakeResponse(request, 405);
  notAllowed.Add("Allow", kAllow);
  tl.Respond(request, std::move(notAllowed));
}

void InviteSession::HandleRetransmitted2xx(const sip::SipMessage& response) {
  (void)response;
  if (m_ack) {
    m_stack.Transactions().SendAck(*m_ack, m_dialog.nextHop);
  }
}

void InviteSession::HandleAckTimeout() {
  auto self = shared_from_this();
  if (m_state != State::Answering) {
    return;
  }
  // RFC 3261 section 13.3.1.4: no ACK within 64*T1 - confirm and immediately end the session.
  SendBye();
  Terminate(0, "ack-timeout");
}

void InviteSession::Terminate(int code, const std::string& reason) {
  if (m_state == State::Terminated) {
    return;
  }
  auto self = shared_from_this();
  m_state = State::Terminated;
  if (m_events.onTerminated) {
    auto cb = m_events.onTerminated;
    cb(code, reason);
  }
}

}  // namespace alglab
