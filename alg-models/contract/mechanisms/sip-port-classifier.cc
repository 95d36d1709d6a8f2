#include "alg-models/contract/mechanisms/sip-port-classifier.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace alglab {

SipPortClassifier::SipPortClassifier() : m_ports{5060}, m_text("5060") {}

void SipPortClassifier::SetPorts(const std::string& text, const std::string& knob) {
  std::vector<std::uint16_t> ports;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    const std::size_t first = item.find_first_not_of(" \t");
    if (first != std::string::npos) {
      const std::string digits = item.substr(first, item.find_last_not_of(" \t") - first + 1);
      char* stop = nullptr;
      const unsigned long value = std::strtoul(digits.c_str(), &stop, 10);
      if (stop == digits.c_str() || *stop != '\0' || value == 0 || value > 65535) {
        throw std::invalid_argument(knob + ": '" + text +
                                    "' is not a comma-separated list of ports 1..65535");
      }
      ports.push_back(static_cast<std::uint16_t>(value));
    }
    start = end + 1;
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
