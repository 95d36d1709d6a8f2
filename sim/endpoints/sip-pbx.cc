#include "sim/endpoints/sip-pbx.h"

#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/boolean.h>
#include <ns3/log.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <ns3/trace-source-accessor.h>
#include <ns3/uinteger.h>

#include <algorithm>

NS_LOG_COMPONENT_DEFINE("AlglabSipPbx");

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SipPbx);

ns3::TypeId SipPbx::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SipPbx")
          .SetParent<SipServer>()
          .SetGroupName("alglab")
          .AddConstructor<SipPbx>()
          .AddAttribute("SubscribeMaxExpiry", "Longest BLF subscription granted (s).",
                        ns3::UintegerValue(3600),
                        ns3::MakeUintegerAccessor(&SipPbx::m_subscribeMaxExpiry),
                        ns3::MakeUintegerChecker<std::uint32_t>(1))
          .AddAttribute("RingTimeout", "Give up ringing (480 to the caller) after this.",
                        ns3::TimeValue(ns3::Seconds(60)),
                        ns3::MakeTimeAccessor(&SipPbx::m_ringTimeout), ns3::MakeTimeChecker())
          .AddAttribute("TrunkEnabled", "Register to the provider and route external numbers.",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&SipPbx::m_trunkEnabled),
                        ns3::MakeBooleanChecker())
          .AddAttribute("TrunkIdentify",
                        "Which sources are the trunk (Asterisk's identify match): registrar-address "
                        "(only the address the trunk registers to) or provider-network (its /24, as "
                        "providers with several edge proxies ask customers to allow).",
                        ns3::StringValue("registrar-address"),
                        ns3::MakeStringAccessor(&SipPbx::m_trunkIdentify), ns3::MakeStringChecker())
          .AddAttribute("ProviderAddress", "The SIP provider (registrar and trunk proxy).",
                        ns3::Ipv4AddressValue(ns3::Ipv4Address::GetAny()),
                        ns3::MakeIpv4AddressAccessor(&SipPbx::m_providerAddress),
                        ns3::MakeIpv4AddressChecker())
          .AddAttribute("ProviderPort", "The provider's SIP port.", ns3::UintegerValue(5060),
                        ns3::MakeUintegerAccessor(&SipPbx::m_providerPort),
                        ns3::MakeUintegerChecker<std::uint16_t>(1))
          .AddAttribute("TrunkDomain", "Provider domain. Empty: the provider address as text.",
                        ns3::StringValue(""), ns3::MakeStringAccessor(&SipPbx::m_trunkDomain),
                        ns3::MakeStringChecker())
          .AddAttribute("TrunkUser", "Trunk account (digest username).", ns3::StringValue("trunk"),
                        ns3::MakeStringAccessor(&SipPbx::m_trunkUser), ns3::MakeStringChecker())
          .AddAttribute("TrunkPassword", "Trunk digest password.", ns3::StringValue(""),
                        ns3::MakeStringAccessor(&SipPbx::m_trunkPassword),
                        ns3::MakeStringChecker())
          .AddAttribute("TrunkExpiry", "Requested trunk registration lifetime (s).",
                        ns3::UintegerValue(300), ns3::MakeUintegerAccessor(&SipPbx::m_trunkExpiry),
                        ns3::MakeUintegerChecker<std::uint32_t>(1))
          .AddAttribute("TrunkRetryInterval", "Wait after a failed trunk registration.",
                        ns3::TimeValue(ns3::Seconds(30)),
                        ns3::MakeTimeAccessor(&SipPbx::m_trunkRetry), ns3::MakeTimeChecker())
          .AddAttribute("TrunkKeepaliveKind", "NAT keepalive to the provider: crlf, options, none.",
                        ns3::StringValue("options"),
                        ns3::MakeStringAccessor(&SipPbx::m_trunkKeepaliveKind),
                        ns3::MakeStringChecker())
          .AddAttribute("TrunkKeepaliveInterval", "Period of trunk NAT keepalives.",
                        ns3::TimeValue(ns3::Seconds(25)),
                        ns3::MakeTimeAccessor(&SipPbx::m_trunkKeepaliveInterval),
                        ns3::MakeTimeChecker())
          .AddAttribute("TrunkRebindOnNatChange",
                        "Re-register the trunk at once when the public address changes.",
                        ns3::BooleanValue(true), ns3::MakeBooleanAccessor(&SipPbx::m_trunkRebind),
                        ns3::MakeBooleanChecker())
          .AddTraceSource("CallForked", "An inbound call was offered to a ring-group member.",
                          ns3::MakeTraceSourceAccessor(&SipPbx::m_callForked),
                          "alglab::traces::CallForked")
          .AddTraceSource("CallBridged",
                          "A call's caller leg was connected to the callee leg that answered.",
                          ns3::MakeTraceSourceAccessor(&SipPbx::m_callBridged),
                          "alglab::traces::CallBridged")
          .AddTraceSource("InboundCall", "A trunk call to a DID arrived.",
                          ns3::MakeTraceSourceAccessor(&SipPbx::m_inboundCall),
                          "alglab::traces::InboundCall")
          .AddTraceSource("DialogState", "The PBX's view of an extension's BLF state changed.",
                          ns3::MakeTraceSourceAccessor(&SipPbx::m_dialogState),
                          "alglab::traces::BlfState");
  return tid;
}

SipPbx::SipPbx() = default;
SipPbx::~SipPbx() = default;

void SipPbx::AddExtension(std::string extension, std::string password) {
  AddRegistrarAccount(extension, password);
}

void SipPbx::AddRingGroup(std::string did, std::vector<std::string> members) {
  m_ringGroups[std::move(did)] = std::move(members);
}

std::string SipPbx::TrunkDomainName() const {
  return m_trunkDomain.empty() ? Ipv4ToString(m_providerAddress) : m_trunkDomain;
}

bool SipPbx::IsTrunkRegistered() const { return m_trunk && m_trunk->IsRegistered(); }

std::string SipPbx::ExtensionState(const std::string& extension) const {
  return sip::ToString(m_notifier ? m_notifier->ExtensionState(extension)
                                  : sip::DialogState::Terminated);
}

const PbxCall* SipPbx::FindCall(const std::string& callId) const {
  const auto it = m_legs.find(callId);
  return it == m_legs.end() ? nullptr : it->second;
}

// --- lifecycle -------------------------------------------------------------------------------

void SipPbx::StartServer() {
  DialogEventNotifier::Config nc;
  nc.domain = DomainName();
  nc.fixContact = m_fixContact;
  nc.maxExpiry = m_subscribeMaxExpiry;
  m_notifier = std::make_unique<DialogEventNotifier>(
      *m_stack, nc, [this](const std::string& ext, sip::DialogState state) {
        m_dialogState(GetName(), ext, sip::ToString(state));
      });

  if (m_trunkEnabled) {
    const TransportAddress provider{m_providerAddress, m_providerPort};
    RegistrationClient::Config tc;
    tc.user = m_trunkUser;
    tc.password = m_trunkPassword;
    tc.domain = TrunkDomainName();
    tc.registrar = provider;
    tc.expiry = m_trunkExpiry;
    tc.retryInterval = m_trunkRetry;
    tc.rebindOnNatChange = m_trunkRebind;
    m_trunk = std::make_unique<RegistrationClient>(
        *m_stack, tc, RegistrationClient::Events{[this](bool ok, std::uint16_t status) {
          m_registrationOutcome(GetName(), "provider", ok, status);
          if (ok && m_trunkKeepalive && !m_trunkKeepalive->IsRunning()) {
            m_trunkKeepalive->Start();
          }
        },
        nullptr});
    m_trunkKeepalive = CreateRegistrationKeepalive(*m_trunk, "TrunkKeepaliveKind",
                                                   m_trunkKeepaliveKind, m_trunkKeepaliveInterval);
    m_trunk->Start();
  }
}

void SipPbx::StopServer() {
  ns3::Simulator::Cancel(m_reapEvent);
  m_legs.clear();
  m_finished.clear();
  m_calls.clear();  // PbxCall's destructor releases media without signalling
  m_trunkKeepalive.reset();
  m_trunk.reset();
  m_notifier.reset();
}

// --- PbxCallHost -----------------------------------------------------------------------------

std::unique_ptr<MediaSession> SipPbx::NewLegMedia(const std::string& callId) {
  return CreateMedia(ServerMediaOptions(false), callId);
}

void SipPbx::RegisterLeg(const std::string& callId, PbxCall* call) { m_legs[callId] = call; }

void SipPbx::CallFinished(PbxCall* call) {
  m_finished.push_back(call);
  if (!m_reapEvent.IsRunning()) {
    m_reapEvent = ns3::Simulator::ScheduleNow(&SipPbx::ReapFinishedCalls, this);
  }
}

void SipPbx::ReapFinishedCalls() {
  auto finished = std::move(m_finished);
  m_finished.clear();
  for (PbxCall* call : finished) {
    for (const auto& id : call->CallIds()) {
      auto it = m_legs.find(id);
      if (it != m_legs.end() && it->second == call) {
        m_legs.erase(it);
      }
    }
    for (auto it = m_calls.begin(); it != m_calls.end(); ++it) {
      if (it->second.get() == call) {
        m_calls.erase(it);
        break;
      }
    }
  }
}

void SipPbx::ExtensionDialog(const std::string& extension, const std::string& callId,
                             sip::DialogState state, bool initiator) {
  if (m_notifier) {
    m_notifier->UpdateDialog(extension, callId, state, initiator);
  }
}

void SipPbx::TraceCallAttempt(const std::string& callId, const std::string& target) {
  m_callAttempt(GetName(), callId, target);
}
void SipPbx::TraceIncomingCall(const std::string& callId, const std::string& from) {
  m_incomingCall(GetName(), callId, from);
}
void SipPbx::TraceEstablished(const std::string& callId, const std::string& peer) {
  m_callEstablished(GetName(), callId, peer);
}
void SipPbx::TraceEnded(const std::string& callId, const std::string& reason) {
  m_callEnded(GetName(), callId, reason);
}
void SipPbx::TraceBridged(const std::string& callerCallId, const std::string& calleeCallId) {
  m_callBridged(GetName(), callerCallId, calleeCallId);
}
void SipPbx::TraceForked(const std::string& inboundCallId, const std::string& extension,
                         const std::string& legCallId) {
  m_callForked(GetName(), inboundCallId, extension, legCallId);
}

// --- routing ---------------------------------------------------------------------------------

bool SipPbx::FromTrunk(const TransportAddress& source) const {
  if (!m_trunkEnabled) return false;
  if (m_trunkIdentify == "provider-network") return ns3::Ipv4Mask("255.255.255.0").IsMatch(source.ip, m_providerAddress);
  return source.ip == m_providerAddress;
}

std::vector<PbxCall::Target> SipPbx::ExtensionTargets(const std::string& extension,
                                                      const sip::NameAddress& from) const {
  std::vector<PbxCall::Target> targets;
  PbxCall::Target base;
  base.extension = extension;
  base.from = MakeNameAddress(from.uri.user, DomainName());
  base.from.displayName = from.displayName;
  base.to = MakeNameAddress(extension, DomainName());
  base.followContact = !m_fixContact;
  const auto bindings = m_registrar->Lookup(extension);
  if (bindings.empty()) {
    targets.push_back(base);  // no usable contact: destination stays empty
  }
  for (const auto& b : bindings) {
    auto t = base;
    t.requestUri = b.requestUri;
    t.destination = b.target;
    targets.push_back(std::move(t));
  }
  return targets;
}

bool SipPbx::IsLocalNumber(const std::string& number) const {
  return m_ringGroups.count(number) != 0 || HasAccount(number);
}

std::vector<PbxCall::Target> SipPbx::LocalTargets(const std::string& number,
                                                  const sip::NameAddress& from) const {
  const auto group = m_ringGroups.find(number);
  if (group == m_ringGroups.end()) {
    return HasAccount(number) ? ExtensionTargets(number, from) : std::vector<PbxCall::Target>{};
  }
  std::vector<PbxCall::Target> targets;
  for (const auto& member : group->second) {
    auto legs = ExtensionTargets(member, from);
    targets.insert(targets.end(), legs.begin(), legs.end());
  }
  return targets;
}

PbxCall::Target SipPbx::TrunkTarget(const std::string& number) const {
  PbxCall::Target t;
  t.requestUri = MakeSipUri(number, TrunkDomainName());
  t.from = MakeNameAddress(m_trunkUser, TrunkDomainName());
  t.to = MakeNameAddress(number, TrunkDomainName());
  t.destination = TransportAddress{m_providerAddress, m_providerPort};
  return t;
}

void SipPbx::HandleNewInvite(const sip::SipMessage& invite, const TransportAddress& source) {
  auto& tl = m_stack->Transactions();
  const auto from = invite.From();
  const std::string callId = invite.CallId().value_or("");
  std::vector<PbxCall::Target> targets;
  std::string caller;
  bool forked = false;
  if (FromTrunk(source)) {
    // Providers put the DID in the Request-URI or, when they address our registered Contact,
    // only in To.
    std::string did = invite.RequestUri().user;
    if (!IsLocalNumber(did)) {
      did = ToUser(invite);
    }
    m_inboundCall(GetName(), callId, did);
    forked = m_ringGroups.count(did) != 0;
    targets = LocalTargets(did, *from);
  } else {
    caller = from->uri.user;
    if (!HasAccount(caller)) {
      tl.Respond(invite, MakeResponse(invite, 403, m_stack->Ids().NewTag()));
      return;
    }
    const std::string dialled = invite.RequestUri().user;
    forked = m_ringGroups.count(dialled) != 0;
    if (IsLocalNumber(dialled)) {
      targets = LocalTargets(dialled, *from);
    } else if (m_trunkEnabled && !dialled.empty()) {
      targets.push_back(TrunkTarget(dialled));
    }
  }
  if (targets.empty()) {
    tl.Respond(invite, MakeResponse(invite, 404, m_stack->Ids().NewTag()));
    return;
  }
  PbxCallHost& host = *this;  // private base: convert here, not inside make_unique
  auto call = std::make_unique<PbxCall>(host, invite, source, caller, forked);
  PbxCall* raw = call.get();
  m_calls[++m_nextCallNo] = std::move(call);
  raw->Start(targets);
}

void SipPbx::HandleRequest(const sip::SipMessage& request, const TransportAddress& source) {
  const std::string& method = request.Method();
  const std::string callId = request.CallId().value_or("");
  if (auto it = m_legs.find(callId); it != m_legs.end()) {
    it->second->HandleRequest(request, source);
    return;
  }
  if (method == "REGISTER") {
    m_registrar->HandleRegister(request, source);
  } else if (method == "SUBSCRIBE") {
    m_notifier->HandleSubscribe(request, source, HasAccount(request.RequestUri().user));
  } else if (method == "INVITE" && !ToTag(request)) {
    HandleNewInvite(request, source);
  } else if (method == "NOTIFY") {
    // We only notify; a NOTIFY here belongs to no subscription of ours.
    m_stack->Transactions().Respond(request, MakeResponse(request, 481));
  } else {
    AnswerUnmatchedRequest(request,
                           "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, SUBSCRIBE, NOTIFY");
  }
}

void SipPbx::HandleStrayResponse(const sip::SipMessage& response, const TransportAddress&) {
  if (auto it = m_legs.find(response.CallId().value_or("")); it != m_legs.end()) {
    it->second->HandleRetransmitted2xx(response);
  }
}

void SipPbx::HandleAckTimeout(const std::string& callId, std::uint32_t) {
  if (auto it = m_legs.find(callId); it != m_legs.end()) {
    it->second->HandleAckTimeout(callId);
  }
}

}  // namespace alglab
