#include "sim/endpoints/transport-address.h"

namespace alglab {

std::string Ipv4ToString(ns3::Ipv4Address ip) {
  const std::uint32_t v = ip.Get();
  std::string out;
  out.reserve(15);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out += std::to_string((v >> shift) & 0xffu);
    if (shift != 0) {
      out += '.';
    }
  }
  return out;
}

std::string TransportAddress::ToString() const {
  return Ipv4ToString(ip) + ":" + std::to_string(port);
}

std::optional<ns3::Ipv4Address> ParseIpv4(std::string_view text) {
  std::uint32_t value = 0;
  int octets = 0;
  std::size_t i = 0;
  while (octets < 4) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    std::uint32_t octet = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      octet = octet * 10 + static_cast<std::uint32_t>(text[i] - '0');
      ++digits;
      ++i;
      if (digits > 3 || octet > 255) {
        return std::nullopt;
      }
    }
    value = (value << 8) | octet;
    ++octets;
    if (octets < 4) {
      if (i >= text.size() || text[i] != '.') {
        return std::nullopt;
      }
      ++i;
    }
  }
  if (i != text.size()) {
    return std::nullopt;
  }
  return ns3::Ipv4Address(value);
}

std::optional<TransportAddress> MakeTransportAddress(std::string_view host,
                                                     std::optional<std::uint16_t> port,
                                                     std::uint16_t defaultPort) {
  auto ip = ParseIpv4(host);
  if (!ip) {
    return std::nullopt;
  }
  TransportAddress a{*ip, port.value_or(defaultPort)};
  if (a.port == 0) {
    return std::nullopt;
  }
  return a;
}

bool IsPrivateAddress(ns3::Ipv4Address address) {
  const std::uint32_t a = address.Get();
  return (a >> 24) == 10 || (a >> 20) == ((172u << 4) | 1u) || (a >> 16) == ((192u << 8) | 168u) ||
         (a >> 22) == ((100u << 2) | 1u);
}

}  // namespace alglab
