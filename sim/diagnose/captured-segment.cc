#include "sim/diagnose/captured-segment.h"

#include <fmt/format.h>

namespace alglab::diagnose {

std::string FormatIpv4(std::uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

std::string FormatEndpoint(std::uint32_t address, std::uint16_t port) {
  return fmt::format("{}:{}", FormatIpv4(address), port);
}

bool IsPrivateIpv4(std::uint32_t a) {
  const auto b0 = a >> 24, b1 = (a >> 16) & 0xff;
  return b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168) ||
         (b0 == 100 && (b1 & 0xc0) == 64) || (b0 == 169 && b1 == 254);
}

bool ParseIpv4(const std::string& text, std::uint32_t& out) {
  std::uint32_t value = 0;
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    std::uint32_t part = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 4) {
      part = part * 10 + static_cast<std::uint32_t>(text[i] - '0');
      ++i, ++digits;
    }
    if (part > 255) return false;
    value = (value << 8) | part;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  if (i != text.size()) return false;
  out = value;
  return true;
}

bool IsPrivateIpv4Text(const std::string& text) {
  std::uint32_t a = 0;
  return ParseIpv4(text, a) && IsPrivateIpv4(a);
}

}  // namespace alglab::diagnose
