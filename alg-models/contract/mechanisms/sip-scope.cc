#include "alg-models/contract/mechanisms/sip-scope.h"

#include <stdexcept>

namespace alglab {

bool SipScope::Covers(alg::PacketContext& context) const {
  if (!CoversTransport(context)) return false;
  return m_classifier == nullptr || m_classifier->IsSipConnection(context);
}

void SipScope::SetTransports(const std::string& text, const std::string& knob) {
  if (text != "udp" && text != "tcp" && text != "udp,tcp" && text != "tcp,udp") {
    throw std::invalid_argument(knob + ": '" + text + "' is not one of udp, tcp, udp,tcp");
  }
  m_udp = text.find("udp") != std::string::npos;
  m_tcp = text.find("tcp") != std::string::npos;
}

std::string SipScope::TransportsText() const {
  return m_udp && m_tcp ? "udp,tcp" : m_tcp ? "tcp" : "udp";
}

}  // namespace alglab
