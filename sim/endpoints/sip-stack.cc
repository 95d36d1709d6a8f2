#include "sim/endpoints/sip-stack.h"

#include "sim/endpoints/sip-message-helpers.h"

namespace alglab {

SipStack::SipStack(std::string name) : SipStack(name, SipIdGenerator(name)) {}

SipStack::SipStack(std::string name, const SipIdGenerator& ids)
    : m_name(std::move(name)), m_ids(ids), m_transactions(m_transport, m_ids) {
  m_transport.SetHandler([this](sip::SipMessage&& m, const TransportAddress& source) {
    m_transactions.Receive(std::move(m), source);
  });
}

bool SipStack::Open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address localIp, std::uint16_t sipPort, bool bindToLocalIp) {
  m_node = node;
  return m_transport.Open(node, localIp, sipPort, bindToLocalIp);
}

void SipStack::Close() { m_transport.Close(); }

sip::NameAddress SipStack::LocalContact(const std::string& user) const {
  sip::NameAddress contact = MakeNameAddress(user, LocalHost(), LocalPort());
  // A handset on TCP asks to be reached over TCP (RFC 3261 section 19.1.1).
  if (m_transport.TlsForRequests()) contact.uri.params.Set("transport", "tls");
  else if (m_transport.TcpForRequests()) contact.uri.params.Set("transport", "tcp");
  return contact;
}

void SipStack::SetRtpPortBase(std::uint16_t base) {
  m_rtpBase = static_cast<std::uint16_t>(base & ~1u);
  if (m_rtpBase < 1024) {
    m_rtpBase = 1024;
  }
  m_rtpNext = m_rtpBase;
}

std::uint16_t SipStack::AllocateRtpPort() {
  constexpr std::uint16_t kLimit = 65000;
  for (int tries = 0; tries < 32768; ++tries) {
    std::uint16_t candidate = m_rtpNext;
    m_rtpNext = static_cast<std::uint16_t>(m_rtpNext + 2);
    if (m_rtpNext >= kLimit || m_rtpNext < m_rtpBase) {
      m_rtpNext = m_rtpBase;
    }
    if (m_rtpInUse.insert(candidate).second) {
      return candidate;
    }
  }
  return 0;
}

void SipStack::ReleaseRtpPort(std::uint16_t port) { m_rtpInUse.erase(port); }

}  // namespace alglab
