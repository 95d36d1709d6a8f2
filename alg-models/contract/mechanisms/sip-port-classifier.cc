#include "alg-models/contract/mechanisms/sip-port-classifier.h"

#include "alg-models/contract/mechanisms/knob-list.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace alglab {

SipPortClassifier::SipPortClassifier() : m_ports{5060}, m_text("5060") {}

void SipPortClassifier::SetPorts(const std::string& text, const std::string& knob) {
  std::vector<std::uint16_t> ports;
  for (const std::string& digits : alg::SplitKnobList(text)) {
    char* stop = nullptr;
    const unsigned long value = std::strtoul(digits.c_str(), &stop, 10);
    if (stop == digits.c_str() || *stop != '\0' || value == 0 || value > 65535) {
      throw std::invalid_argument(knob + ": '" + text +
                                  "' is not a comma-separated list of ports 1..65535");
    }
    ports.push_back(static_cast<std::uint16_t>(value));
  }
  if (ports.empty()) throw std::invalid_argument(knob + ": '" + text + "' names no port");
  m_ports = std::move(ports);
  m_text = text;
}

bool SipPortClassifier::IsSipConnection(alg::PacketContext& context) {
  const std::uint16_t remote = context.direction == nat::Direction::Outbound
                                   ? context.original.destination.port
                                   : context.original.source.port;
  return std::find(m_ports.begin(), m_ports.end(), remote) != m_ports.end();
}

}  // namespace alglab
