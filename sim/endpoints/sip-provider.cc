#include "sim/endpoints/sip-provider.h"

#include "sim/endpoints/audio-sdp.h"
#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/boolean.h>
#include <ns3/enum.h>
#include <ns3/ipv4.h>
#include <ns3/log.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <ns3/trace-source-accessor.h>
#include <ns3/uinteger.h>

#include <algorithm>

NS_LOG_COMPONENT_DEFINE("AlglabSipProvider");

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SipProvider);

ns3::TypeId SipProvider::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SipProvider")
          .SetParent<SipServer>()
          .SetGroupName("alglab")
          .AddConstructor<SipProvider>()
          .AddAttribute("AnswerAfter", "Ringing time before the far party answers.",
                        ns3::TimeValue(ns3::Seconds(2)),
                        ns3::MakeTimeAccessor(&SipProvider::m_answerAfter),
                        ns3::MakeTimeChecker())
          .AddAttribute("NoAnswerTimeout", "CANCEL an inbound call not answered by then.",
                        ns3::TimeValue(ns3::Seconds(60)),
                        ns3::MakeTimeAccessor(&SipProvider::m_noAnswerTimeout),
                        ns3::MakeTimeChecker())
          .AddAttribute("CallerId", "Calling number (From user) of inbound calls.",
                        ns3::StringValue("15550100"),
                        ns3::MakeStringAccessor(&SipProvider::m_callerId),
                        ns3::MakeStringChecker())
          .AddAttribute("InboundProxies",
                        "Inbound proxies beside the registrar: SIP also listens on the next N "
                        "addresses of the provider's interface (the network assigns them).",
                        ns3::UintegerValue(0),
                        ns3::MakeUintegerAccessor(&SipProvider::m_inboundProxyCount),
                        ns3::MakeUintegerChecker<std::uint32_t>(0, 8))
          .AddAttribute("InboundFrom",
                        "Where inbound INVITEs come from: registrar (the address trunks register "
                        "to), proxies (the inbound proxies in turn) or all (registrar and proxies "
                        "in turn).",
                        ns3::StringValue("registrar"),
                        ns3::MakeStringAccessor(&SipProvider::m_inboundFrom),
                        ns3::MakeStringChecker())
          .AddAttribute("MediaServer",
                        "RTP of every call from and to a media server at the interface's address "
                        "after the inbound proxies' (the network assigns it); SDP names it, SIP "
                        "stays at the main address.",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&SipProvider::m_mediaServer),
                        ns3::MakeBooleanChecker())
          .AddAttribute("MediaFirst",
                        "Who sends RTP first: provider (our audio starts as the call is "
                        "answered) or peer (nothing until the call's first RTP packet from the "
                        "other side has arrived).",
                        ns3::EnumValue(MEDIA_FIRST_PROVIDER),
                        ns3::MakeEnumAccessor(&SipProvider::m_mediaFirst),
                        ns3::MakeEnumChecker(MEDIA_FIRST_PROVIDER, "provider", MEDIA_FIRST_PEER, "peer"))
          .AddTraceSource("InboundCallPlaced", "A call toward a DID was sent to its trunk.",
                          ns3::MakeTraceSourceAccessor(&SipProvider::m_inboundCallPlaced),
                          "alglab::traces::InboundCall");
  return tid;
}

SipProvider::SipProvider() = default;
SipProvider::~SipProvider() = default;

void SipProvider::AddAccount(std::string user, std::string password,
                             std::vector<std::string> dids) {
  for (const auto& did : dids) {
    m_didOwner[did] = user;
  }
  AddRegistrarAccount(user, password);
}

const MediaSession* SipProvider::GetMedia(const std::string& callId) const {
  const auto it = m_calls.find(callId);
  return it == m_calls.end() ? nullptr : it->second->media.get();
}

std::vector<ns3::Ipv4Address> SipProvider::ExtraAddresses() const {
  auto ipv4 = GetNode()->GetObject<ns3::Ipv4>();
  const std::int32_t ifIndex = ipv4->GetInterfaceForAddress(GetLocalAddress());
  std::vector<ns3::Ipv4Address> others;
  for (std::uint32_t i = 0; ifIndex >= 0 && i < ipv4->GetNAddresses(static_cast<std::uint32_t>(ifIndex)); ++i) {
    const ns3::Ipv4Address a = ipv4->GetAddress(static_cast<std::uint32_t>(ifIndex), i).GetLocal();
    if (a != GetLocalAddress()) others.push_back(a);
  }
  return others;
}

ns3::Ipv4Address SipProvider::MediaAddress() const {
  return m_mediaAddress.IsAny() ? GetLocalAddress() : m_mediaAddress;
}

void SipProvider::StartServer() {
  if (m_inboundFrom != "registrar" && m_inboundFrom != "proxies" && m_inboundFrom != "all") {
    NS_LOG_ERROR(GetName() << ": InboundFrom must be registrar, proxies or all, not '" << m_inboundFrom << "'");
  }
  const std::vector<ns3::Ipv4Address> others = ExtraAddresses();
  const std::size_t needed = m_inboundProxyCount + (m_mediaServer ? 1 : 0);
  if (others.size() < needed) {
    NS_LOG_ERROR(GetName() << ": " << m_inboundProxyCount << " inbound proxies" << (m_mediaServer ? " and a media server" : "")
                           << " but only " << others.size() << " more addresses on the interface");
  }
  // Without its address the media server is the signalling host, as without MediaServer.
  m_mediaAddress = m_mediaServer && others.size() > m_inboundProxyCount ? others[m_inboundProxyCount]
                                                                         : ns3::Ipv4Address::GetAny();
  for (std::size_t i = 0; i < std::min<std::size_t>(m_inboundProxyCount, others.size()); ++i) {
    auto stack = OpenExtraStack(GetName() + "-proxy" + std::to_string(i + 1), others[i], m_localSipPort,
                                [this](SipStack& s, const sip::SipMessage& r, const TransportAddress& from) {
                                  HandleProxyRequest(s, r, from);
                                });
    if (stack) m_proxies.push_back(std::move(stack));
  }
}

void SipProvider::StopServer() {
  for (auto& [id, call] : m_calls) {
    ReleaseMedia(call->media);
  }
  m_calls.clear();  // sessions first: they refer to the proxies' stacks
  for (auto& proxy : m_proxies) proxy->Close();
  m_proxies.clear();
  m_mediaAddress = ns3::Ipv4Address::GetAny();
}

SipStack& SipProvider::NextInboundStack() {
  const std::uint64_t n = m_inboundCalls++;
  if (m_proxies.empty() || m_inboundFrom == "registrar") return *m_stack;
  if (m_inboundFrom == "proxies") return *m_proxies[n % m_proxies.size()];
  const std::uint64_t slot = n % (m_proxies.size() + 1);
  return slot == 0 ? *m_stack : *m_proxies[slot - 1];
}

void SipProvider::HandleProxyRequest(SipStack& stack, const sip::SipMessage& request, const TransportAddress& source) {
  if (auto it = m_calls.find(request.CallId().value_or("")); it != m_calls.end()) {
    it->second->session->HandleRequest(request, source);
    return;
  }
  if (request.Method() == "ACK") return;
  // An inbound-only edge: keepalives answered, registrations and calls belong to the registrar.
  stack.Transactions().Respond(request, MakeResponse(request, request.Method() == "OPTIONS" ? 200 : 403,
                                                     stack.Ids().NewTag()));
}

// --- calls -----------------------------------------------------------------------------------

UserAgentCall* SipProvider::NewCall(const std::string& callId) {
  auto call = std::make_unique<UserAgentCall>();
  MediaSession::Options options = ServerMediaOptions(true);
  options.bindAddress = m_mediaAddress;
  if (m_mediaFirst == MEDIA_FIRST_PEER) options.waitForPeer = MediaSession::WaitForPeer::Always;
  call->media = CreateMedia(options, callId);
  if (!call->media) {
    return nullptr;
  }
  auto* raw = call.get();
  m_calls[callId] = std::move(call);
  return raw;
}

std::string SipProvider::Sdp(const UserAgentCall& call) const {
  return BuildAudioSdp("provider", MediaAddress(), call.media->LocalPort(), call.media->Ssrc(),
                       1, call.direction);
}

InviteSession::Events SipProvider::CallEvents(const std::string& callId) {
  InviteSession::Events ev;
  ev.onEstablished = [this, callId] { OnEstablished(callId); };
  ev.onTerminated = [this, callId](int, const std::string& reason) {
    OnTerminated(callId, reason);
  };
  ev.onReinvite = [this, callId](const sip::SipMessage& m) -> std::optional<std::string> {
    auto it = m_calls.find(callId);
    if (it == m_calls.end()) {
      return std::nullopt;
    }
    auto& call = *it->second;
    call.ApplyRemoteSdp(m.Body());
    return Sdp(call);
  };
  return ev;
}

void SipProvider::PlaceInboundCall(std::string did, ns3::Time duration) {
  if (!m_stack) {
    NS_LOG_WARN(GetName() << ": PlaceInboundCall while not running: ignored");
    return;
  }
  const std::string callId = m_stack->NewCallId();
  const auto owner = m_didOwner.find(did);
  const auto bindings = owner == m_didOwner.end() ? std::vector<RegistrarBinding>{}
                                                  : m_registrar->Lookup(owner->second);
  // The most recent registration wins, as with single-contact trunks.
  const RegistrarBinding* binding = bindings.empty() ? nullptr : &bindings.back();
  m_inboundCallPlaced(GetName(), callId, did);
  if (!binding || !binding->target) {
    NS_LOG_INFO(GetName() << ": DID " << did << " has no registered trunk");
    m_callEnded(GetName(), callId, "480");
    return;
  }
  auto* call = NewCall(callId);
  if (!call) {
    m_callEnded(GetName(), callId, "503");
    return;
  }
  call->duration = duration;
  call->session = InviteSession::CreateUac(NextInboundStack(), callId, m_callerId, CallEvents(callId));
  call->session->SetFollowContact(!m_fixContact);
  sip::NameAddress to = MakeNameAddress(did, DomainName());
  m_callAttempt(GetName(), callId, binding->requestUri.ToString());
  call->noAnswerTimer = ns3::Simulator::Schedule(m_noAnswerTimeout, &SipProvider::HangupCall,
                                                 this, callId);
  // Inbound INVITEs address the registered contact; the DID travels in To.
  call->session->Invite(binding->requestUri, MakeNameAddress(m_callerId, DomainName()), to,
                        Sdp(*call), *binding->target);
}

void SipProvider::AcceptOutboundCall(const sip::SipMessage& invite,
                                     const TransportAddress& source) {
  auto& tl = m_stack->Transactions();
  if (!HasAccount(FromUser(invite))) {
    tl.Respond(invite, MakeResponse(invite, 403, m_stack->Ids().NewTag()));
    return;
  }
  const std::string callId = invite.CallId().value_or("");
  auto* call = NewCall(callId);
  if (!call) {
    tl.Respond(invite, MakeResponse(invite, 503, m_stack->Ids().NewTag()));
    return;
  }
  call->session =
      InviteSession::CreateUas(*m_stack, invite, source, invite.RequestUri().user, CallEvents(callId));
  if (!m_fixContact) {
    call->session->SetFollowContact(true);
    const auto contacts = invite.Contacts();
    if (!contacts.empty()) {
      if (auto hop = MakeTransportAddress(contacts.front().uri.host, contacts.front().uri.port)) {
        call->session->SetNextHop(*hop);
      }
    }
  }
  call->ApplyRemoteSdp(invite.Body());
  call->session->SendTrying();
  call->session->Ring();
  const auto from = invite.From();
  m_incomingCall(GetName(), callId, from ? from->uri.ToString() : std::string());
  call->answerTimer = ns3::Simulator::Schedule(m_answerAfter, &SipProvider::AnswerCall, this, callId);
}

void SipProvider::AnswerCall(const std::string& callId) {
  auto it = m_calls.find(callId);
  if (it == m_calls.end()) {
    return;
  }
  auto& call = *it->second;
  call.session->Answer(Sdp(call));
  call.media->Start();
}

void SipProvider::HangupCall(const std::string& callId) {
  auto it = m_calls.find(callId);
  if (it != m_calls.end()) {
    it->second->session->Hangup();
  }
}

void SipProvider::OnEstablished(const std::string& callId) {
  auto it = m_calls.find(callId);
  if (it == m_calls.end()) {
    return;
  }
  auto& call = *it->second;
  call.OnConfirmed([this, callId] { HangupCall(callId); });
  m_callEstablished(GetName(), callId, call.session->PeerUri());
}

void SipProvider::OnTerminated(const std::string& callId, const std::string& reason) {
  auto it = m_calls.find(callId);
  if (it == m_calls.end()) {
    return;
  }
  auto call = std::move(it->second);
  m_calls.erase(it);
  ReleaseMedia(call->media);
  m_callEnded(GetName(), callId, reason);
}

// --- dispatch --------------------------------------------------------------------------------

void SipProvider::HandleRequest(const sip::SipMessage& request, const TransportAddress& source) {
  const std::string& method = request.Method();
  const std::string callId = request.CallId().value_or("");
  if (auto it = m_calls.find(callId); it != m_calls.end()) {
    it->second->session->HandleRequest(request, source);
    return;
  }
  if (method == "REGISTER") {
    m_registrar->HandleRegister(request, source);
  } else if (method == "INVITE" && !ToTag(request)) {
    AcceptOutboundCall(request, source);
  } else {
    AnswerUnmatchedRequest(request, "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER");
  }
}

void SipProvider::HandleStrayResponse(const sip::SipMessage& response, const TransportAddress&) {
  if (auto it = m_calls.find(response.CallId().value_or("")); it != m_calls.end()) {
    it->second->session->HandleRetransmitted2xx(response);
  }
}

void SipProvider::HandleAckTimeout(const std::string& callId, std::uint32_t) {
  if (auto it = m_calls.find(callId); it != m_calls.end()) {
    it->second->session->HandleAckTimeout();
  }
}

}  // namespace alglab
