#include "sim/endpoints/pbx-call.h"

#include "sim/endpoints/audio-sdp.h"
#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/log.h>
#include <ns3/simulator.h>

#include <algorithm>

NS_LOG_COMPONENT_DEFINE("AlglabPbxCall");

namespace alglab {

struct PbxCall::Leg {
  std::shared_ptr<InviteSession> session;
  std::unique_ptr<MediaSession> media;
  sip::MediaDirection direction = sip::MediaDirection::SendRecv;
  std::string extension;
  std::string callId;
  bool ended = false;
  int finalCode = 0;
};

namespace {

// Applies a peer's SDP to a relay leg; returns our answer direction.
sip::MediaDirection ApplyRemoteSdp(MediaSession* media, const std::string& body) {
  auto remote = ReadRemoteAudio(body);
  if (!remote || !media) {
    return sip::MediaDirection::SendRecv;
  }
  const auto dir = AnswerDirection(remote->direction);
  media->SetRemote(remote->address);
  media->SetDirection(dir);
  return dir;
}

std::string LegSdp(SipStack& stack, const MediaSession& media, std::uint32_t version,
                   sip::MediaDirection dir) {
  return BuildAudioSdp("pbx", stack.LocalIp(), media.LocalPort(), media.Ssrc(), version, dir);
}

}  // namespace

PbxCall::PbxCall(PbxCallHost& host, const sip::SipMessage& invite, const TransportAddress& source,
                 std::string callerExtension, bool forked)
    : m_host(host), m_callerExtension(std::move(callerExtension)), m_forked(forked) {
  m_a = std::make_unique<Leg>();
  m_a->extension = m_callerExtension;
  m_a->callId = invite.CallId().value_or("");
  InviteSession::Events ev;
  ev.onEstablished = [this] { OnAEstablished(); };
  ev.onTerminated = [this](int code, const std::string& reason) { OnATerminated(code, reason); };
  ev.onReinvite = [this](const sip::SipMessage& m) -> std::optional<std::string> {
    if (!m_a->media) {
      return std::nullopt;
    }
    if (!m.Body().empty()) {
      m_a->direction = ApplyRemoteSdp(m_a->media.get(), m.Body());
    }
    return LegSdp(m_host.Stack(), *m_a->media, 2, m_a->direction);
  };
  m_a->session = InviteSession::CreateUas(host.Stack(), invite, source,
                                          invite.RequestUri().user, std::move(ev));
  if (!m_host.FixContact()) {
    m_a->session->SetFollowContact(true);
    const auto contacts = invite.Contacts();
    if (!contacts.empty()) {
      if (auto hop = MakeTransportAddress(contacts.front().uri.host, contacts.front().uri.port)) {
        m_a->session->SetNextHop(*hop);
      }
    }
  }
  m_host.RegisterLeg(m_a->callId, this);
}

PbxCall::~PbxCall() { Abort(); }

const std::string& PbxCall::InboundCallId() const { return m_a->callId; }

std::vector<std::string> PbxCall::CallIds() const {
  std::vector<std::string> ids{m_a->callId};
  for (const auto& b : m_b) {
    ids.push_back(b->callId);
  }
  return ids;
}

const MediaSession* PbxCall::InboundMedia() const { return m_a->media.get(); }
const MediaSession* PbxCall::OutboundMedia() const {
  return m_winner ? m_winner->media.get() : nullptr;
}

PbxCall::Leg* PbxCall::FindLeg(const std::string& callId) {
  if (m_a->callId == callId) {
    return m_a.get();
  }
  for (auto& b : m_b) {
    if (b->callId == callId) {
      return b.get();
    }
  }
  return nullptr;
}

void PbxCall::Start(const std::vector<Target>& targets) {
  m_a->session->SendTrying();
  m_a->media = m_host.NewLegMedia(m_a->callId);
  if (!m_a->media) {
    m_a->session->Reject(503);
    return;
  }
  m_a->direction = ApplyRemoteSdp(m_a->media.get(), m_a->session->RemoteSdp());
  if (!m_callerExtension.empty()) {
    m_host.ExtensionDialog(m_callerExtension, m_a->callId, sip::DialogState::Trying, true);
  }
  for (const auto& t : targets) {
    StartTarget(t);
  }
  if (m_b.empty()) {
    RejectCaller();
    return;
  }
  m_ringTimer = ns3::Simulator::Schedule(m_host.RingTimeout(), &PbxCall::OnRingTimeout, this);
}

void PbxCall::StartTarget(const Target& target) {
  if (!target.destination) {
    if (m_forked) {
      m_host.TraceForked(m_a->callId, target.extension, "");
    }
    return;
  }
  auto& stack = m_host.Stack();
  auto leg = std::make_unique<Leg>();
  leg->extension = target.extension;
  leg->callId = stack.NewCallId();
  leg->media = m_host.NewLegMedia(leg->callId);
  if (!leg->media) {
    return;
  }
  Leg* raw = leg.get();
  InviteSession::Events ev;
  ev.onProvisional = [this, raw](int code) { OnBProvisional(*raw, code); };
  ev.onEstablished = [this, raw] { OnBEstablished(*raw); };
  ev.onTerminated = [this, raw](int code, const std::string& reason) {
    OnBTerminated(*raw, code, reason);
  };
  ev.onReinvite = [this, raw](const sip::SipMessage& m) -> std::optional<std::string> {
    if (!raw->media) {
      return std::nullopt;
    }
    if (!m.Body().empty()) {
      raw->direction = ApplyRemoteSdp(raw->media.get(), m.Body());
    }
    return LegSdp(m_host.Stack(), *raw->media, 2, raw->direction);
  };
  leg->session = InviteSession::CreateUac(stack, leg->callId, m_a->session->Dialog().remote.uri.user,
                                          std::move(ev));
  leg->session->SetFollowContact(target.followContact);
  const std::string sdp = LegSdp(stack, *leg->media, 1, sip::MediaDirection::SendRecv);
  m_b.push_back(std::move(leg));
  m_host.RegisterLeg(raw->callId, this);
  m_host.TraceCallAttempt(raw->callId, target.requestUri.ToString());
  if (m_forked) {
    m_host.TraceForked(m_a->callId, target.extension, raw->callId);
  }
  if (!raw->extension.empty()) {
    m_host.ExtensionDialog(raw->extension, raw->callId, sip::DialogState::Trying, false);
  }
  raw->session->Invite(target.requestUri, target.from, target.to, sdp, *target.destination);
}

void PbxCall::OnBProvisional(Leg& leg, int code) {
  if (code != 180 && code != 183) {
    return;
  }
  if (!leg.extension.empty()) {
    m_host.ExtensionDialog(leg.extension, leg.callId, sip::DialogState::Early, false);
  }
  if (!m_aRinging && !m_winner && m_a->session->GetState() == InviteSession::State::Incoming) {
    m_aRinging = true;
    m_a->session->Ring();
    m_host.TraceIncomingCall(m_a->callId, m_a->session->PeerUri());
    if (!m_callerExtension.empty()) {
      m_host.ExtensionDialog(m_callerExtension, m_a->callId, sip::DialogState::Early, true);
    }
  }
}

void PbxCall::OnBEstablished(Leg& leg) {
  if (m_winner || m_a->session->IsTerminated()) {
    leg.session->Hangup();  // lost the race (or the caller is gone): BYE this late answer
    return;
  }
  m_winner = &leg;
  ns3::Simulator::Cancel(m_ringTimer);
  m_host.TraceEstablished(leg.callId, leg.session->PeerUri());
  if (!leg.extension.empty()) {
    m_host.ExtensionDialog(leg.extension, leg.callId, sip::DialogState::Confirmed, false);
  }
  leg.direction = ApplyRemoteSdp(leg.media.get(), leg.session->RemoteSdp());
  for (auto& other : m_b) {
    if (other.get() != &leg && !other->ended) {
      other->session->Hangup();  // CANCEL the rest of the ring group
    }
  }
  if (m_a->media && leg.media) {
    m_a->media->RelayTo(leg.media.get());
    leg.media->RelayTo(m_a->media.get());
    m_host.TraceBridged(m_a->callId, leg.callId);
    m_a->session->Answer(LegSdp(m_host.Stack(), *m_a->media, 1, m_a->direction));
  }
}

void PbxCall::OnBTerminated(Leg& leg, int code, const std::string& reason) {
  if (leg.ended) {
    return;
  }
  leg.ended = true;
  leg.finalCode = code;
  if (!leg.extension.empty()) {
    m_host.ExtensionDialog(leg.extension, leg.callId, sip::DialogState::Terminated, false);
  }
  m_host.TraceEnded(leg.callId, reason);
  EndLegMedia(leg);
  if (&leg == m_winner) {
    m_a->session->Hangup();
  } else if (!m_winner && !m_a->session->IsTerminated() &&
             std::all_of(m_b.begin(), m_b.end(), [](const auto& b) { return b->ended; })) {
    RejectCaller();
  }
  CheckFinished();
}

void PbxCall::OnAEstablished() {
  m_host.TraceEstablished(m_a->callId, m_a->session->PeerUri());
  if (!m_callerExtension.empty()) {
    m_host.ExtensionDialog(m_callerExtension, m_a->callId, sip::DialogState::Confirmed, true);
  }
}

void PbxCall::OnATerminated(int code, const std::string& reason) {
  (void)code;
  if (m_a->ended) {
    return;
  }
  m_a->ended = true;
  ns3::Simulator::Cancel(m_ringTimer);
  if (!m_callerExtension.empty()) {
    m_host.ExtensionDialog(m_callerExtension, m_a->callId, sip::DialogState::Terminated, true);
  }
  m_host.TraceEnded(m_a->callId, reason);
  EndLegMedia(*m_a);
  for (auto& b : m_b) {
    if (!b->ended) {
      b->session->Hangup();
    }
  }
  CheckFinished();
}

void PbxCall::OnRingTimeout() {
  if (m_winner) {
    return;
  }
  for (auto& b : m_b) {
    if (!b->ended) {
      b->session->Hangup();
    }
  }
  m_a->session->Reject(480);
}

void PbxCall::RejectCaller() {
  int code = 480;
  if (m_b.size() == 1 && m_b.front()->finalCode >= 400 && m_b.front()->finalCode != 487) {
    code = m_b.front()->finalCode;
  } else if (!m_b.empty() && std::all_of(m_b.begin(), m_b.end(), [](const auto& b) {
               return b->finalCode == 486;
             })) {
    code = 486;
  }
  m_a->session->Reject(code);
}

void PbxCall::EndLegMedia(Leg& leg) {
  if (!leg.media) {
    return;
  }
  // Only the A leg and the winner relay to each other; both directions must be detached
  // before either side goes away. Losing ring-group legs leave the relay alone.
  if (&leg == m_a.get() || &leg == m_winner) {
    if (m_a->media) {
      m_a->media->RelayTo(nullptr);
    }
    if (m_winner && m_winner->media) {
      m_winner->media->RelayTo(nullptr);
    }
  }
  m_host.ReleaseLegMedia(leg.media);
}

void PbxCall::CheckFinished() {
  if (m_finished || !m_a->ended ||
      !std::all_of(m_b.begin(), m_b.end(), [](const auto& b) { return b->ended; })) {
    return;
  }
  m_finished = true;
  m_host.CallFinished(this);
}

void PbxCall::HandleRequest(const sip::SipMessage& request, const TransportAddress& source) {
  if (Leg* leg = FindLeg(request.CallId().value_or(""))) {
    leg->session->HandleRequest(request, source);
  }
}

void PbxCall::HandleRetransmitted2xx(const sip::SipMessage& response) {
  if (Leg* leg = FindLeg(response.CallId().value_or(""))) {
    leg->session->HandleRetransmitted2xx(response);
  }
}

void PbxCall::HandleAckTimeout(const std::string& callId) {
  if (Leg* leg = FindLeg(callId)) {
    leg->session->HandleAckTimeout();
  }
}

void PbxCall::Abort() {
  ns3::Simulator::Cancel(m_ringTimer);
  if (m_a && m_a->media) {
    m_a->media->RelayTo(nullptr);
  }
  for (auto& b : m_b) {
    if (b->media) {
      b->media->RelayTo(nullptr);
    }
  }
  std::vector<Leg*> legs{m_a.get()};
  for (auto& b : m_b) {
    legs.push_back(b.get());
  }
  for (Leg* leg : legs) {
    if (leg && leg->media) {
      m_host.ReleaseLegMedia(leg->media);
    }
  }
  m_finished = true;
}

}  // namespace alglab
