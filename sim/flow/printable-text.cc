#include "sim/flow/printable-text.h"

#include <cstdio>

namespace alglab::flow {

std::string PrintableText(std::string_view text, std::size_t maxBytes) {
  std::string out;
  out.reserve(text.size());
  std::size_t shown = 0;
  for (unsigned char c : text) {
    if (shown++ == maxBytes) {
      out += "...";
      break;
    }
    if (c < 0x20 || c >= 0x7F) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace alglab::flow
