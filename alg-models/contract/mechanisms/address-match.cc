#include "alg-models/contract/mechanisms/address-match.h"

#include "ns3/ipv4-address.h"

#include <string>

namespace alglab::alg {

std::optional<std::uint32_t> ParseDottedQuad(std::string_view text) {
  int dots = 0;
  for (char ch : text) {
    if (ch == '.') {
      ++dots;
    } else if (ch < '0' || ch > '9') {
      return std::nullopt;
    }
  }
  if (dots != 3) return std::nullopt;
  return ns3::Ipv4Address(std::string(text).c_str()).Get();
}

const char* ToString(AddressMatch rule) {
  switch (rule) {
    case AddressMatch::AddressAndPort:
      return "address-and-port";
    case AddressMatch::AddressOnly:
      return "address-only";
    case AddressMatch::AnyPrivate:
      return "any-private";
  }
  return "?";
}

std::optional<AddressMatch> ParseAddressMatch(std::string_view text) {
  for (AddressMatch rule :
       {AddressMatch::AddressAndPort, AddressMatch::AddressOnly, AddressMatch::AnyPrivate}) {
    if (text == ToString(rule)) return rule;
  }
  return std::nullopt;
}

bool IsRfc1918(std::uint32_t address) {
  return (address >> 24) == 10 || (address >> 20) == ((172u << 4) | 1u) ||
         (address >> 16) == ((192u << 8) | 168u);
}

bool AddressMatches(AddressMatch rule, std::uint32_t textAddress, std::uint16_t textPort,
                    std::uint32_t endpointAddress, std::uint16_t endpointPort,
                    const RouterView* view) {
  switch (rule) {
    case AddressMatch::AddressAndPort:
      return textAddress == endpointAddress && textPort == endpointPort;
    case AddressMatch::AddressOnly:
      return textAddress == endpointAddress;
    case AddressMatch::AnyPrivate:
      return textAddress == endpointAddress || IsRfc1918(textAddress) ||
             (view != nullptr && view->OnLan(ns3::Ipv4Address(textAddress)));
  }
  return false;
}

}  // namespace alglab::alg
