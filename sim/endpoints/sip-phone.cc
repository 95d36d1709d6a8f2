#include "sim/endpoints/sip-phone.h"

#include "sim/endpoints/audio-sdp.h"
#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/boolean.h>
#include <ns3/log.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <ns3/trace-source-accessor.h>
#include <ns3/uinteger.h>

#include <algorithm>

NS_LOG_COMPONENT_DEFINE("AlglabSipPhone");

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SipPhone);

ns3::TypeId SipPhone::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SipPhone")
          .SetParent<SipEndpoint>()
          .SetGroupName("alglab")
          .AddConstructor<SipPhone>()
          .AddAttribute("Extension", "Our extension: AOR user, digest username, Contact user.",
                        ns3::StringValue("100"), ns3::MakeStringAccessor(&SipPhone::m_extension),
                        ns3::MakeStringChecker())
          .AddAttribute("Password", "Digest password.", ns3::StringValue(""),
                        ns3::MakeStringAccessor(&SipPhone::m_password), ns3::MakeStringChecker())
          .AddAttribute("Domain",
                        "SIP domain (REGISTER Request-URI, AOR host). Empty: the registrar's "
                        "address as text.",
                        ns3::StringValue(""), ns3::MakeStringAccessor(&SipPhone::m_domain),
                        ns3::MakeStringChecker())
          .AddAttribute("RegistrarAddress",
                        "Registrar and outbound proxy: every request goes here.",
                        ns3::Ipv4AddressValue(ns3::Ipv4Address::GetAny()),
                        ns3::MakeIpv4AddressAccessor(&SipPhone::m_registrarAddress),
                        ns3::MakeIpv4AddressChecker())
          .AddAttribute("RegistrarPort", "Registrar UDP port.", ns3::UintegerValue(5060),
                        ns3::MakeUintegerAccessor(&SipPhone::m_registrarPort),
                        ns3::MakeUintegerChecker<std::uint16_t>(1))
          .AddAttribute("RegistrarLabel", "Registrar name reported in RegistrationOutcome.",
                        ns3::StringValue("pbx"),
                        ns3::MakeStringAccessor(&SipPhone::m_registrarLabel),
                        ns3::MakeStringChecker())
          .AddAttribute("RegisterExpiry", "Requested registration lifetime (s).",
                        ns3::UintegerValue(300),
                        ns3::MakeUintegerAccessor(&SipPhone::m_registerExpiry),
                        ns3::MakeUintegerChecker<std::uint32_t>(1))
          .AddAttribute("RegisterRefreshPercent",
                        "Refresh the registration at this percentage of the granted expiry.",
                        ns3::UintegerValue(80),
                        ns3::MakeUintegerAccessor(&SipPhone::m_refreshPercent),
                        ns3::MakeUintegerChecker<std::uint32_t>(10, 95))
          .AddAttribute("RegisterRetryInterval", "Wait after a failed registration.",
                        ns3::TimeValue(ns3::Seconds(30)),
                        ns3::MakeTimeAccessor(&SipPhone::m_registerRetry), ns3::MakeTimeChecker())
          .AddAttribute("RebindOnNatChange",
                        "Re-register at once when a response Via shows a new public address.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipPhone::m_rebindOnNatChange),
                        ns3::MakeBooleanChecker())
          .AddAttribute("KeepaliveKind", "NAT keepalive to the registrar: crlf, options or none.",
                        ns3::StringValue("options"),
                        ns3::MakeStringAccessor(&SipPhone::m_keepaliveKind),
                        ns3::MakeStringChecker())
          .AddAttribute("KeepaliveInterval", "Period of NAT keepalives.",
                        ns3::TimeValue(ns3::Seconds(25)),
                        ns3::MakeTimeAccessor(&SipPhone::m_keepaliveInterval),
                        ns3::MakeTimeChecker())
          .AddAttribute("SymmetricRtp",
                        "Send RTP from the port we receive on (RFC 4961); false: from another.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipPhone::m_symmetricRtp),
                        ns3::MakeBooleanChecker())
          .AddAttribute("AnswerAfter", "Ringing time before auto-answer.",
                        ns3::TimeValue(ns3::Seconds(2)),
                        ns3::MakeTimeAccessor(&SipPhone::m_answerAfter), ns3::MakeTimeChecker())
          .AddAttribute("AutoAnswer", "Answer incoming calls after AnswerAfter.",
                        ns3::BooleanValue(true), ns3::MakeBooleanAccessor(&SipPhone::m_autoAnswer),
                        ns3::MakeBooleanChecker())
          .AddAttribute("NoAnswerTimeout", "CANCEL an outgoing call not answered by then.",
                        ns3::TimeValue(ns3::Seconds(60)),
                        ns3::MakeTimeAccessor(&SipPhone::m_noAnswerTimeout),
                        ns3::MakeTimeChecker())
          .AddAttribute("SdpCodecs",
                        "Codecs the phone's SDP offers (1: PCMU only; up to 10, a desk phone's "
                        "usual list with rtpmap and fmtp lines).",
                        ns3::UintegerValue(1), ns3::MakeUintegerAccessor(&SipPhone::m_sdpCodecs),
                        ns3::MakeUintegerChecker<std::uint32_t>(1, kMaxOfferedCodecs))
          .AddAttribute("OptionalHeaderBytes",
                        "Bytes of optional headers the phone adds to each INVITE (Supported, "
                        "Allow-Events, Session-Expires, P-Preferred-Identity, ..., then an X- header "
                        "filling the rest): a realistic INVITE size.",
                        ns3::UintegerValue(0), ns3::MakeUintegerAccessor(&SipPhone::m_optionalHeaderBytes),
                        ns3::MakeUintegerChecker<std::uint32_t>(0, 4000))
          .AddAttribute("SubscribeExpiry", "Requested BLF subscription lifetime (s).",
                        ns3::UintegerValue(600),
                        ns3::MakeUintegerAccessor(&SipPhone::m_subscribeExpiry),
                        ns3::MakeUintegerChecker<std::uint32_t>(1))
          .AddAttribute("CallSetupJitter",
                        "Call() sends its INVITE a uniform random delay in [0, this) later: the "
                        "dialling and processing time of a real handset, which keeps calls "
                        "scheduled for the same instant from starting in lockstep. 0: at once.",
                        ns3::TimeValue(ns3::MilliSeconds(100)),
                        ns3::MakeTimeAccessor(&SipPhone::m_callSetupJitter),
                        ns3::MakeTimeChecker(ns3::Time(0)))
          .AddTraceSource("BlfNotify", "A NOTIFY for a watched extension set its lamp.",
                          ns3::MakeTraceSourceAccessor(&SipPhone::m_blfNotify),
                          "alglab::traces::BlfState");
  return tid;
}

SipPhone::SipPhone() = default;
SipPhone::~SipPhone() = default;

TransportAddress SipPhone::Proxy() const { return {m_registrarAddress, m_registrarPort}; }

std::string SipPhone::DomainName() const {
  return m_domain.empty() ? Ipv4ToString(m_registrarAddress) : m_domain;
}

std::string SipPhone::PredictCallId(std::uint64_t n) const {
  return SipIdGenerator(GetName()).CallIdAt(n, Ipv4ToString(GetLocalAddress()));
}

bool SipPhone::IsRegistered() const { return m_registration && m_registration->IsRegistered(); }

std::optional<TransportAddress> SipPhone::PublicAddress() const {
  return m_registration ? m_registration->PublicAddress() : std::nullopt;
}

std::string SipPhone::CurrentCallId() const { return m_call ? m_call->session->CallId() : ""; }

const MediaSession* SipPhone::GetMedia() const { return m_call ? m_call->media.get() : nullptr; }

std::string SipPhone::LampState(const std::string& extension) const {
  const auto it = m_watches.find(extension);
  return it == m_watches.end() ? std::string() : it->second->LampState();
}

// --- lifecycle -------------------------------------------------------------------------------

void SipPhone::StartEndpoint() {
  RegistrationClient::Config rc;
  rc.user = m_extension;
  rc.password = m_password;
  rc.domain = DomainName();
  rc.registrar = Proxy();
  rc.expiry = m_registerExpiry;
  rc.refreshPercent = m_refreshPercent;
  rc.retryInterval = m_registerRetry;
  rc.rebindOnNatChange = m_rebindOnNatChange;
  m_registration = std::make_unique<RegistrationClient>(
      *m_stack, rc,
      RegistrationClient::Events{
          [this](bool ok, std::uint16_t status) { OnRegistrationOutcome(ok, status); },
          [this]() {
            for (auto& [ext, watch] : m_watches) {
              watch->RefreshNow();
            }
          }});

  m_keepalive = CreateRegistrationKeepalive(*m_registration, "KeepaliveKind", m_keepaliveKind,
                                            m_keepaliveInterval);
  // Over TCP the registration lives on the connection (the server reaches the handset through
  // it): when it drops, register again at once on a new one, as handsets do.
  m_stack->Transport().AddConnectionLostHandler([this](const TransportAddress& remote,
                                                       std::uint64_t) {
    // A REGISTER still unanswered is re-sent on the new connection by the transaction layer.
    if (m_registration && !m_registration->Pending() &&
        remote == TransportAddress{m_registrarAddress, m_registrarPort}) {
      m_registration->RegisterSoon();
    }
  });
  m_registration->Start();
}

void SipPhone::StopEndpoint() {
  ns3::Simulator::Cancel(m_dialEvent);  // a power cut also loses the number being dialled
  if (m_call) {
    auto call = std::move(m_call);
    ReleaseMedia(call->media);
  }
  m_watches.clear();
  m_keepalive.reset();
  m_registration.reset();
  m_everRegistered = false;  // after a restart keepalives and BLF wait for the new REGISTER
}

void SipPhone::OnRegistrationOutcome(bool success, std::uint16_t status) {
  m_registrationOutcome(GetName(), m_registrarLabel, success, status);
  if (success && !m_everRegistered) {
    m_everRegistered = true;
    if (m_keepalive) {
      m_keepalive->Start();
    }
    for (const auto& ext : m_watchList) {
      StartSubscription(ext);
    }
  }
}

// --- BLF -------------------------------------------------------------------------------------

void SipPhone::Watch(std::string extension) {
  if (std::find(m_watchList.begin(), m_watchList.end(), extension) != m_watchList.end()) {
    return;
  }
  m_watchList.push_back(extension);
  if (m_stack && m_everRegistered) {
    StartSubscription(extension);
  }
}

void SipPhone::StartSubscription(const std::string& extension) {
  if (m_watches.count(extension) != 0) {
    return;
  }
  BlfSubscription::Config c;
  c.user = m_extension;
  c.domain = DomainName();
  c.extension = extension;
  c.proxy = Proxy();
  c.expiry = m_subscribeExpiry;
  c.retryInterval = m_registerRetry;
  auto sub = std::make_unique<BlfSubscription>(
      *m_stack, c, [this](const std::string& ext, const std::string& state) {
        m_blfNotify(GetName(), ext, state);
      });
  auto* raw = sub.get();
  m_watches[extension] = std::move(sub);
  raw->Start();
}

// --- calls -----------------------------------------------------------------------------------

MediaSession::Options SipPhone::HandsetMediaOptions() const {
  // A handset sends to the address in the peer's SDP; only servers latch.
  return MediaSession::Options{m_symmetricRtp, false, true};
}

std::string SipPhone::OfferSdp(sip::MediaDirection direction, std::optional<ns3::Ipv4Address> address) {
  const auto& media = *m_call->media;
  return BuildAudioSdp(m_extension, address.value_or(m_stack->LocalIp()), media.LocalPort(), media.Ssrc(),
                       ++m_sdpVersion, direction, m_sdpCodecs);
}

InviteSession::Events SipPhone::CallEvents() {
  InviteSession::Events ev;
  ev.onEstablished = [this] { OnCallEstablished(); };
  ev.onTerminated = [this](int code, const std::string& reason) { OnCallTerminated(code, reason); };
  ev.onReinvite = [this](const sip::SipMessage& m) { return OnReinvite(m); };
  return ev;
}

void SipPhone::Call(std::string target, ns3::Time duration) {
  if (!m_stack) {
    NS_LOG_WARN(GetName() << ": Call(" << target << ") while not running: ignored");
    return;
  }
  if (m_call || m_dialEvent.IsRunning()) {
    NS_LOG_WARN(GetName() << ": Call(" << target << ") while in a call: ignored");
    return;
  }
  m_dialEvent = ns3::Simulator::Schedule(DrawDelay(m_callSetupJitter), &SipPhone::Dial, this,
                                         std::move(target), duration);
}

void SipPhone::Dial(std::string target, ns3::Time duration) {
  if (!m_stack || m_call) {
    return;  // stopped, or a call arrived while dialling
  }
  sip::Uri uri;
  if (target.rfind("sip:", 0) == 0) {
    auto parsed = sip::Uri::Parse(target);
    if (!parsed.Ok()) {
      NS_LOG_WARN(GetName() << ": bad call target " << target);
      return;
    }
    uri = parsed.Value();
  } else {
    uri = MakeSipUri(target, DomainName());
  }
  const std::string callId = m_stack->NewCallId();
  auto media = CreateMedia(HandsetMediaOptions(), callId);
  if (!media) {
    NS_LOG_WARN(GetName() << ": no RTP port for a call");
    return;
  }
  m_call = std::make_unique<UserAgentCall>();
  m_call->media = std::move(media);
  m_call->duration = duration;
  m_call->session = InviteSession::CreateUac(*m_stack, callId, m_extension, CallEvents());
  sip::NameAddress to;
  to.uri = uri;
  const std::string sdp = OfferSdp(sip::MediaDirection::SendRecv);
  m_callAttempt(GetName(), callId, uri.ToString());
  m_call->session->Invite(uri, MakeNameAddress(m_extension, DomainName()), to, sdp, Proxy(),
                          OptionalHeaders(m_optionalHeaderBytes));
  m_call->noAnswerTimer = ns3::Simulator::Schedule(m_noAnswerTimeout, &SipPhone::NoAnswer, this);
}

std::vector<std::pair<std::string, std::string>> SipPhone::OptionalHeaders(std::size_t bytes) const {
  // What desk phones add to an INVITE, in a usual order; whole headers while they fit.
  const std::vector<std::pair<std::string, std::string>> usual = {
      {"Supported", "replaces, path, timer, eventlist"},
      {"Allow-Events", "talk, hold, conference, refer, check-sync"},
      {"Session-Expires", "1800"},
      {"Min-SE", "90"},
      {"P-Preferred-Identity", "<sip:" + m_extension + "@" + DomainName() + ">"},
      {"Accept", "application/sdp, application/dtmf-relay, application/dialog-info+xml"},
      {"Accept-Language", "en"},
      {"Privacy", "none"},
      {"Accept-Encoding", "identity"},
  };
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t used = 0;
  for (const auto& [name, value] : usual) {
    const std::size_t size = name.size() + 2 + value.size() + 2;  // "Name: value\r\n"
    if (used + size > bytes) break;
    out.emplace_back(name, value);
    used += size;
  }
  // The rest in one vendor header, so the INVITE grows by exactly `bytes` (unless fewer than
  // the 18 bytes that header takes at least remain).
  const std::string filler = "X-Alglab-Fill";
  if (bytes - used >= filler.size() + 5) out.emplace_back(filler, std::string(bytes - used - filler.size() - 4, 'x'));
  return out;
}

void SipPhone::NoAnswer() {
  if (m_call && m_call->session->GetState() != InviteSession::State::Confirmed) {
    m_call->session->Hangup();
  }
}

void SipPhone::Hangup() {
  if (m_call) {
    m_call->session->Hangup();
  }
}

void SipPhone::OfferInCall(const std::string& what, const std::string& sdp, sip::MediaDirection ours) {
  if (!m_call || m_call->session->GetState() != InviteSession::State::Confirmed) {
    NS_LOG_WARN(GetName() << ": " << what << " without an established call: ignored");
    return;
  }
  const std::string callId = m_call->session->CallId();
  const bool sent = m_call->session->Reinvite(sdp, [this, callId](int code, const std::string& answer) {
    if (!m_call || m_call->session->CallId() != callId || code >= 300) {
      return;
    }
    // The answer's address is where our RTP goes; its direction only mirrors our offer.
    if (const auto remote = ReadRemoteAudio(answer)) {
      m_call->media->SetRemote(remote->address);
    }
  });
  if (!sent) {
    NS_LOG_WARN(GetName() << ": " << what << " while a re-INVITE is pending: ignored");
    return;
  }
  m_call->direction = ours;
  m_call->media->SetDirection(ours);
}

void SipPhone::Hold(HoldStyle style) {
  if (!m_call) {
    NS_LOG_WARN(GetName() << ": hold without a call: ignored");
    return;
  }
  const std::string sdp = style == HoldStyle::ZeroAddress
                              ? OfferSdp(sip::MediaDirection::SendRecv, ns3::Ipv4Address::GetAny())
                              : OfferSdp(sip::MediaDirection::SendOnly);
  OfferInCall("hold", sdp, sip::MediaDirection::Inactive);
}

void SipPhone::Resume() {
  if (!m_call) {
    NS_LOG_WARN(GetName() << ": resume without a call: ignored");
    return;
  }
  OfferInCall("resume", OfferSdp(sip::MediaDirection::SendRecv), sip::MediaDirection::SendRecv);
}

void SipPhone::Mute(ns3::Time duration) {
  if (!m_call) {
    NS_LOG_WARN(GetName() << ": mute without a call: ignored");
    return;
  }
  m_call->media->SetMuted(true);
  ns3::Simulator::Cancel(m_call->unmuteTimer);  // a second mute extends the first
  m_call->unmuteTimer = ns3::Simulator::Schedule(duration, [this] {
    if (m_call) {
      m_call->media->SetMuted(false);
    }
  });
}

void SipPhone::AcceptIncoming(const sip::SipMessage& invite, const TransportAddress& source) {
  const std::string callId = invite.CallId().value_or("");
  auto media = CreateMedia(HandsetMediaOptions(), callId);
  if (!media) {
    m_stack->Transactions().Respond(invite, MakeResponse(invite, 503, m_stack->Ids().NewTag()));
    return;
  }
  m_call = std::make_unique<UserAgentCall>();
  m_call->media = std::move(media);
  m_call->session = InviteSession::CreateUas(*m_stack, invite, source, m_extension, CallEvents());
  m_call->session->SetNextHop(Proxy());  // in-dialog requests go through the outbound proxy
  m_call->ApplyRemoteSdp(invite.Body());
  m_call->session->Ring();
  const auto from = invite.From();
  m_incomingCall(GetName(), callId, from ? from->uri.ToString() : std::string());
  if (m_autoAnswer) {
    m_call->answerTimer = ns3::Simulator::Schedule(m_answerAfter, &SipPhone::Answer, this);
  }
}

void SipPhone::Answer() {
  if (!m_call || m_call->session->GetRole() != InviteSession::Role::Uas) {
    return;
  }
  const auto state = m_call->session->GetState();
  if (state != InviteSession::State::Incoming && state != InviteSession::State::Early) {
    return;
  }
  m_call->session->Answer(OfferSdp(m_call->direction));
  m_call->media->Start();  // handsets start sending right after their 200 OK
}

void SipPhone::OnCallEstablished() {
  if (!m_call) {
    return;
  }
  m_call->OnConfirmed([this] { Hangup(); });
  m_callEstablished(GetName(), m_call->session->CallId(), m_call->session->PeerUri());
}

void SipPhone::OnCallTerminated(int code, const std::string& reason) {
  (void)code;
  if (!m_call) {
    return;
  }
  auto call = std::move(m_call);
  ReleaseMedia(call->media);
  m_callEnded(GetName(), call->session->CallId(), reason);
}

std::optional<std::string> SipPhone::OnReinvite(const sip::SipMessage& reinvite) {
  if (!m_call) {
    return std::nullopt;
  }
  // An offerless re-INVITE asks for our offer; an offer without audio cannot be answered.
  if (!reinvite.Body().empty() && !m_call->ApplyRemoteSdp(reinvite.Body())) {
    return std::nullopt;
  }
  return OfferSdp(m_call->direction);
}

// --- dispatch --------------------------------------------------------------------------------

void SipPhone::HandleRequest(const sip::SipMessage& request, const TransportAddress& source) {
  auto& tl = m_stack->Transactions();
  const std::string& method = request.Method();
  const std::string callId = request.CallId().value_or("");
  if (m_call && callId == m_call->session->CallId()) {
    m_call->session->HandleRequest(request, source);
    return;
  }
  if (method == "INVITE" && !ToTag(request)) {
    if (m_call) {
      tl.Respond(request, MakeResponse(request, 486, m_stack->Ids().NewTag()));
      return;
    }
    AcceptIncoming(request, source);
    return;
  }
  if (method == "NOTIFY") {
    for (auto& [ext, sub] : m_watches) {
      if (sub->CallId() == callId) {
        sub->HandleNotify(request, source);
        return;
      }
    }
    tl.Respond(request, MakeResponse(request, 481));
    return;
  }
  AnswerUnmatchedRequest(request, "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, NOTIFY",
                         "application/sdp");
}

void SipPhone::HandleStrayResponse(const sip::SipMessage& response, const TransportAddress&) {
  if (m_call && response.CallId().value_or("") == m_call->session->CallId()) {
    m_call->session->HandleRetransmitted2xx(response);
  }
}

void SipPhone::HandleAckTimeout(const std::string& callId, std::uint32_t) {
  if (m_call && callId == m_call->session->CallId()) {
    m_call->session->HandleAckTimeout();
  }
}

}  // namespace alglab
