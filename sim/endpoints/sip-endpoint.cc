#include "sim/endpoints/sip-endpoint.h"

#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/boolean.h>
#include <ns3/ipv4.h>
#include <ns3/log.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <ns3/trace-source-accessor.h>
#include <ns3/uinteger.h>

#include <algorithm>

NS_LOG_COMPONENT_DEFINE("AlglabSipEndpoint");

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SipEndpoint);

ns3::TypeId SipEndpoint::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SipEndpoint")
          .SetParent<ns3::Application>()
          .SetGroupName("alglab")
          .AddAttribute("Name",
                        "Device name: first argument of every trace and seed of all SIP "
                        "identifiers (Call-ID, tags, branches). Empty: <kind>-<node id>.",
                        ns3::StringValue(""), ns3::MakeStringAccessor(&SipEndpoint::m_nameAttr),
                        ns3::MakeStringChecker())
          .AddAttribute("LocalAddress",
                        "Address written into Via, Contact and SDP. 0.0.0.0: the node's first "
                        "non-loopback interface address (private when behind a NAT).",
                        ns3::Ipv4AddressValue(ns3::Ipv4Address::GetAny()),
                        ns3::MakeIpv4AddressAccessor(&SipEndpoint::m_localAddressAttr),
                        ns3::MakeIpv4AddressChecker())
          .AddAttribute("LocalSipPort", "UDP port of the SIP socket.", ns3::UintegerValue(5060),
                        ns3::MakeUintegerAccessor(&SipEndpoint::m_localSipPort),
                        ns3::MakeUintegerChecker<std::uint16_t>(1))
          .AddAttribute("SipSourcePort",
                        "UDP port SIP datagrams are sent from; Via and Contact still name "
                        "LocalSipPort. 0: LocalSipPort itself.",
                        ns3::UintegerValue(0), ns3::MakeUintegerAccessor(&SipEndpoint::m_sipSourcePort),
                        ns3::MakeUintegerChecker<std::uint16_t>())
          .AddAttribute("LargeRequestsOverTcp",
                        "Send a request larger than 1300 bytes over TCP although the transport is "
                        "UDP (RFC 3261 section 18.1.1; many handsets do not).",
                        ns3::BooleanValue(false), ns3::MakeBooleanAccessor(&SipEndpoint::m_largeRequestsOverTcp),
                        ns3::MakeBooleanChecker())
          .AddAttribute("RtpPortBase",
                        "First RTP port; calls use even ports upward from here.",
                        ns3::UintegerValue(10000),
                        ns3::MakeUintegerAccessor(&SipEndpoint::m_rtpPortBase),
                        ns3::MakeUintegerChecker<std::uint16_t>(1024, 64000))
          .AddAttribute("Rport",
                        "Put the RFC 3581 rport flag into the Via of requests this endpoint "
                        "sends, asking servers to answer to the source port.",
                        ns3::BooleanValue(true), ns3::MakeBooleanAccessor(&SipEndpoint::m_rport),
                        ns3::MakeBooleanChecker())
          .AddAttribute("Transport",
                        "How requests this endpoint originates travel: udp, tcp (RFC 3261 "
                        "section 18: one connection per peer, reused both ways; Via says TCP, "
                        "Contact carries transport=tcp) or tls (the same over a connection to the "
                        "peer's TLS port whose bytes are TLS records: Via TLS, transport=tls). "
                        "Responses take the request's transport.",
                        ns3::StringValue("udp"),
                        ns3::MakeStringAccessor(&SipEndpoint::m_transport),
                        ns3::MakeStringChecker())
          .AddAttribute("ListenTcp",
                        "Accept SIP over TCP on the SIP port beside UDP (servers and phones do; "
                        "a listening socket sends nothing by itself).",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipEndpoint::m_listenTcp),
                        ns3::MakeBooleanChecker())
          .AddAttribute("TlsPort",
                        "Port SIP over TLS is accepted on (RFC 3261 section 26.2: 5061); 0 or "
                        "LocalSipPort: none. Only with ListenTcp.",
                        ns3::UintegerValue(5061), ns3::MakeUintegerAccessor(&SipEndpoint::m_tlsPort),
                        ns3::MakeUintegerChecker<std::uint16_t>())
          .AddAttribute("MediaStartJitter",
                        "Generated RTP starts a uniform random delay in [0, this) after the "
                        "call is answered: the phase of a device's 20 ms audio clock. 0: at once.",
                        ns3::TimeValue(ns3::MilliSeconds(20)),
                        ns3::MakeTimeAccessor(&SipEndpoint::m_mediaStartJitter),
                        ns3::MakeTimeChecker(ns3::Time(0)))
          .AddTraceSource("RegistrationOutcome", "A REGISTER attempt finished.",
                          ns3::MakeTraceSourceAccessor(&SipEndpoint::m_registrationOutcome),
                          "alglab::traces::RegistrationOutcome")
          .AddTraceSource("CallAttempt", "An initial INVITE was sent.",
                          ns3::MakeTraceSourceAccessor(&SipEndpoint::m_callAttempt),
                          "alglab::traces::CallAttempt")
          .AddTraceSource("IncomingCall", "An initial INVITE was received and alerted (180).",
                          ns3::MakeTraceSourceAccessor(&SipEndpoint::m_incomingCall),
                          "alglab::traces::IncomingCall")
          .AddTraceSource("CallEstablished", "A call's dialog was confirmed here.",
                          ns3::MakeTraceSourceAccessor(&SipEndpoint::m_callEstablished),
                          "alglab::traces::CallEvent")
          .AddTraceSource("CallEnded",
                          "A call ended here (also fired for attempts that never connected).",
                          ns3::MakeTraceSourceAccessor(&SipEndpoint::m_callEnded),
                          "alglab::traces::CallEvent")
          .AddTraceSource("RtpSent", "One RTP packet left this endpoint.",
                          ns3::MakeTraceSourceAccessor(&SipEndpoint::m_rtpSent),
                          "alglab::traces::RtpPacket")
          .AddTraceSource("RtpReceived", "One RTP packet arrived at this endpoint.",
                          ns3::MakeTraceSourceAccessor(&SipEndpoint::m_rtpReceived),
                          "alglab::traces::RtpPacket");
  return tid;
}

SipEndpoint::SipEndpoint() : m_random(ns3::CreateObject<ns3::UniformRandomVariable>()) {}
SipEndpoint::~SipEndpoint() = default;

const std::string& SipEndpoint::GetName() const {
  if (!m_nameAttr.empty()) {
    return m_nameAttr;
  }
  if (m_effectiveName.empty()) {
    m_effectiveName = Kind() + "-" + std::to_string(GetNode() ? GetNode()->GetId() : 0);
  }
  return m_effectiveName;
}

ns3::Ipv4Address SipEndpoint::GetLocalAddress() const {
  if (m_localAddressAttr != ns3::Ipv4Address::GetAny()) {
    return m_localAddressAttr;
  }
  auto ipv4 = GetNode() ? GetNode()->GetObject<ns3::Ipv4>() : nullptr;
  if (ipv4) {
    for (std::uint32_t i = 0; i < ipv4->GetNInterfaces(); ++i) {
      for (std::uint32_t j = 0; j < ipv4->GetNAddresses(i); ++j) {
        const auto a = ipv4->GetAddress(i, j).GetLocal();
        if (!a.IsLocalhost() && a != ns3::Ipv4Address::GetAny()) {
          return a;
        }
      }
    }
  }
  return ns3::Ipv4Address::GetAny();
}

void SipEndpoint::SetHonourRport(bool on) {
  m_honourRport = on;
  if (m_stack) {
    m_stack->Transport().SetHonourRport(on);
  }
}

void SipEndpoint::StartApplication() {
  if (m_stack) {
    return;
  }
  m_stack = m_savedIds ? std::make_unique<SipStack>(GetName(), *m_savedIds)
                       : std::make_unique<SipStack>(GetName());
  ConfigureStack(*m_stack);
  m_stack->Transactions().SetRequestHandler([this](const sip::SipMessage& r, const TransportAddress& s) {
    HandleRequest(r, s);
  });
  if (!m_stack->Open(GetNode(), GetLocalAddress(), m_localSipPort)) {
    NS_LOG_ERROR(GetName() << ": cannot open SIP port " << m_localSipPort);
    m_stack.reset();
    return;
  }
  if (!m_stack->Transport().SetUdpSendPort(m_sipSourcePort)) {
    NS_LOG_ERROR(GetName() << ": cannot open SIP source port " << m_sipSourcePort);
  }
  StartEndpoint();
}

void SipEndpoint::ConfigureStack(SipStack& stack) {
  stack.SetProduct("alglab-" + Kind());
  stack.SetRtpPortBase(m_rtpPortBase);
  stack.Transport().SetRequestRport(m_rport);
  stack.Transport().SetHonourRport(m_honourRport);
  if (m_transport != "udp" && m_transport != "tcp" && m_transport != "tls") {
    NS_LOG_ERROR(GetName() << ": Transport must be udp, tcp or tls, not '" << m_transport << "'");
  }
  stack.Transport().SetTcp(m_listenTcp, m_transport == "tcp");
  stack.Transport().SetTls(m_listenTcp ? m_tlsPort : 0, m_transport == "tls");
  stack.Transport().SetLargeRequestsOverTcp(m_largeRequestsOverTcp);
  auto& tl = stack.Transactions();
  tl.SetStrayResponseHandler([this](const sip::SipMessage& r, const TransportAddress& s) {
    HandleStrayResponse(r, s);
  });
  tl.SetAckTimeoutHandler(
      [this](const std::string& callId, std::uint32_t cseq) { HandleAckTimeout(callId, cseq); });
}

std::unique_ptr<SipStack> SipEndpoint::OpenExtraStack(const std::string& name, ns3::Ipv4Address address,
                                                      std::uint16_t port, RequestHandler onRequest) {
  auto stack = std::make_unique<SipStack>(name);
  ConfigureStack(*stack);
  SipStack* raw = stack.get();
  stack->Transactions().SetRequestHandler(
      [raw, onRequest = std::move(onRequest)](const sip::SipMessage& r, const TransportAddress& s) {
        onRequest(*raw, r, s);
      });
  if (!stack->Open(GetNode(), address, port, /*bindToLocalIp=*/true)) {
    NS_LOG_ERROR(GetName() << ": cannot open SIP port " << port << " on " << address << " for " << name);
    return nullptr;
  }
  return stack;
}

void SipEndpoint::StopApplication() {
  if (!m_stack) {
    return;
  }
  StopEndpoint();
  m_stack->Close();
  m_savedIds = std::make_unique<SipIdGenerator>(m_stack->Ids());
  m_stack.reset();
}

void SipEndpoint::Reboot(ns3::Time downtime) {
  ns3::Simulator::Cancel(m_rebootEvent);
  StopApplication();
  m_rebootEvent = ns3::Simulator::Schedule(downtime, &SipEndpoint::StartApplication, this);
}

void SipEndpoint::DoDispose() {
  ns3::Simulator::Cancel(m_rebootEvent);
  if (m_stack) {
    StopEndpoint();
    m_stack.reset();
  }
  ns3::Application::DoDispose();
}

void SipEndpoint::HandleStrayResponse(const sip::SipMessage&, const TransportAddress&) {}

void SipEndpoint::HandleAckTimeout(const std::string&, std::uint32_t) {}

std::unique_ptr<MediaSession> SipEndpoint::CreateMedia(MediaSession::Options options,
                                                       const std::string& callId) {
  const std::uint16_t port = m_stack->AllocateRtpPort();
  // A device on the public internet knows a private SDP address is behind NAT and waits for
  // the peer's RTP instead (unless it waits for the peer anyway).
  if (options.waitForPeer == MediaSession::WaitForPeer::Never && !IsPrivateAddress(GetLocalAddress())) {
    options.waitForPeer = MediaSession::WaitForPeer::IfPrivateTarget;
  }
  if (options.generate) {
    options.startOffset = DrawDelay(m_mediaStartJitter);
  }
  auto media =
      std::make_unique<MediaSession>(GetNode(), port, m_stack->Ids().NewMediaSeed(), options);
  media->SetTraces(&GetName(), callId, &m_rtpSent, &m_rtpReceived);
  if (!media->Open()) {
    m_stack->ReleaseRtpPort(port);
    return nullptr;
  }
  return media;
}

int64_t SipEndpoint::AssignStreams(int64_t stream) {
  m_random->SetStream(stream);
  return 1;
}

ns3::Time SipEndpoint::DrawDelay(ns3::Time max) {
  if (!max.IsStrictlyPositive()) {
    return ns3::Time(0);
  }
  // Whole nanoseconds (capped at 4 s), so the schedule is exact and the same on every platform.
  const std::int64_t ns = std::min<std::int64_t>(max.GetNanoSeconds(), 4000000000);
  return ns3::NanoSeconds(m_random->GetInteger(0, static_cast<std::uint32_t>(ns - 1)));
}

void SipEndpoint::ReleaseMedia(std::unique_ptr<MediaSession>& media) {
  if (!media) {
    return;
  }
  media->Close();
  if (m_stack) {
    m_stack->ReleaseRtpPort(media->LocalPort());
  }
  media.reset();
}

std::unique_ptr<KeepaliveSender> SipEndpoint::CreateRegistrationKeepalive(
    RegistrationClient& registration, const std::string& kindAttribute, const std::string& kind,
    ns3::Time interval) {
  const auto parsed = ParseKeepaliveKind(kind);
  if (!parsed) {
    NS_LOG_WARN(GetName() << ": unknown " << kindAttribute << " '" << kind << "', using none");
  }
  const auto& registrationConfig = registration.GetConfig();
  KeepaliveSender::Config kc;
  kc.kind = parsed.value_or(KeepaliveKind::None);
  kc.interval = interval;
  kc.target = registrationConfig.registrar;
  kc.user = registrationConfig.user;
  kc.domain = registrationConfig.domain;
  return std::make_unique<KeepaliveSender>(
      *m_stack, kc, [&registration](const sip::SipMessage& response) {
        if (auto via = response.TopVia()) {
          registration.ObserveResponseVia(*via);
        }
      });
}

void SipEndpoint::AnswerUnmatchedRequest(const sip::SipMessage& request, const std::string& allow,
                                         const std::string& accept) {
  auto& tl = m_stack->Transactions();
  const std::string& method = request.Method();
  if (method == "OPTIONS") {
    // A to-tag means a ping inside a dialog: the response must keep the dialog's tag.
    auto ok = MakeResponse(request, 200, ToTag(request) ? "" : m_stack->Ids().NewTag());
    ok.Add("Allow", allow);
    if (!accept.empty()) {
      ok.Add("Accept", accept);
    }
    tl.Respond(request, std::move(ok));
  } else if (method == "ACK") {
    // ACK for a call we already forgot: ACKs are never answered.
  } else if (method == "BYE" || method == "CANCEL" || ToTag(request)) {
    tl.Respond(request, MakeResponse(request, 481));
  } else {
    tl.Respond(request, MakeResponse(request, 405, m_stack->Ids().NewTag()));
  }
}

}  // namespace alglab
