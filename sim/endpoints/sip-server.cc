#include "sim/endpoints/sip-server.h"

#include <ns3/boolean.h>
#include <ns3/string.h>
#include <ns3/uinteger.h>

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SipServer);

ns3::TypeId SipServer::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SipServer")
          .SetParent<SipEndpoint>()
          .SetGroupName("alglab")
          .AddAttribute("Domain", "SIP domain and digest realm. Empty: our address as text.",
                        ns3::StringValue(""), ns3::MakeStringAccessor(&SipServer::m_domain),
                        ns3::MakeStringChecker())
          .AddAttribute("HonourRport",
                        "RFC 3581: stamp rport and answer to the request's source port.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipServer::m_honourRport),
                        ns3::MakeBooleanChecker())
          .AddAttribute("FixContact",
                        "Use the address requests really came from (REGISTER, INVITE, "
                        "SUBSCRIBE) instead of the Contact header for requests back.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipServer::m_fixContact),
                        ns3::MakeBooleanChecker())
          .AddAttribute("LatchMedia",
                        "Comedia: send each stream's RTP to where that stream's RTP comes from.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipServer::m_latchMedia),
                        ns3::MakeBooleanChecker())
          .AddAttribute("SymmetricRtp", "Send RTP from the port it is received on.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipServer::m_symmetricRtp),
                        ns3::MakeBooleanChecker())
          .AddAttribute("NatKeepaliveInterval",
                        "OPTIONS pings to NATed registrations (0 disables).",
                        ns3::TimeValue(ns3::Seconds(30)),
                        ns3::MakeTimeAccessor(&SipServer::m_natKeepaliveInterval),
                        ns3::MakeTimeChecker())
          .AddAttribute("MaxExpiry", "Longest registration granted (s).", ns3::UintegerValue(3600),
                        ns3::MakeUintegerAccessor(&SipServer::m_maxExpiry),
                        ns3::MakeUintegerChecker<std::uint32_t>(1));
  return tid;
}

SipServer::SipServer() = default;
SipServer::~SipServer() = default;

bool SipServer::IsRegistered(const std::string& user) const {
  return m_registrar && m_registrar->IsRegistered(user);
}

std::vector<RegistrarBinding> SipServer::Bindings(const std::string& user) const {
  return m_registrar ? m_registrar->Lookup(user) : std::vector<RegistrarBinding>{};
}

void SipServer::AddRegistrarAccount(const std::string& user, const std::string& password) {
  if (m_registrar) {
    m_registrar->AddAccount(user, password);
  }
  m_accounts[user] = password;
}

std::string SipServer::DomainName() const {
  return m_domain.empty() ? Ipv4ToString(GetLocalAddress()) : m_domain;
}

MediaSession::Options SipServer::ServerMediaOptions(bool generate) const {
  return MediaSession::Options{m_symmetricRtp, m_latchMedia, generate};
}

void SipServer::StartEndpoint() {
  Registrar::Config rc;
  rc.realm = DomainName();
  rc.fixContact = m_fixContact;
  rc.natKeepaliveInterval = m_natKeepaliveInterval;
  rc.maxExpiry = m_maxExpiry;
  m_registrar = std::make_unique<Registrar>(*m_stack, rc);
  for (const auto& [user, password] : m_accounts) {
    m_registrar->AddAccount(user, password);
  }
  m_registrar->Start();
  StartServer();
}

void SipServer::StopEndpoint() {
  StopServer();
  m_registrar.reset();
}

}  // namespace alglab
