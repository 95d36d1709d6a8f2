#include "alg-models/linux-netfilter/kernel-text.h"

#include <array>

namespace alglab::linuxnf {

namespace {

/// Which bytes the kernel's ctype table calls letters: ASCII A-Z a-z and Latin-1 0xC0-0xFF
/// except the multiplication (0xD7) and division (0xF7) signs.
constexpr std::array<bool, 256> MakeLetterTable() {
  std::array<bool, 256> table{};
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 0xC0; c <= 0xFF; ++c) table[c] = c != 0xD7 && c != 0xF7;
  return table;
}
constexpr std::array<bool, 256> kLetters = MakeLetterTable();

/// ASCII-only lowering is enough: every needle the helper compares with is ASCII, and a
/// Latin-1 byte lowered by the kernel stays outside ASCII, so it can never match either way.
char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// Classes of a byte inside an address literal, as the kernel's address parser sees it when it
// is told that any unexpected byte ends the literal.
enum class QuadByte { Digit, HexLetter, Dot, Colon, End };

QuadByte ClassifyQuadByte(char c) {
  if (c == '\0' || c == '\xff') return QuadByte::End;  // 0xFF equals the "no delimiter" marker
  if (c == ':') return QuadByte::Colon;
  if (c == '.') return QuadByte::Dot;
  if (c >= '0' && c <= '9') return QuadByte::Digit;
  if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) return QuadByte::HexLetter;
  return QuadByte::End;
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

bool KernelIsAlpha(char c) { return kLetters[static_cast<unsigned char>(c)]; }

bool EqualsNoCaseAt(std::string_view text, std::size_t pos, std::string_view needle) {
  for (std::size_t i = 0; i < needle.size(); ++i) {
    const char a = ByteAt(text, pos + i);
    if (a == '\0') return false;
    if (a != needle[i] && LowerAscii(a) != LowerAscii(needle[i])) return false;
  }
  return true;
}

bool EqualsAt(std::string_view text, std::size_t pos, std::string_view needle) {
  for (std::size_t i = 0; i < needle.size(); ++i) {
    if (ByteAt(text, pos + i) != needle[i]) return false;
  }
  return true;
}

DottedQuad ParseDottedQuad(std::string_view text, std::size_t pos, std::size_t limit) {
  // The octet accumulator carries flag bits above bit 16 so that "no digit yet" (zero) differs
  // from a literal 0 octet; only its low 16 bits hold the decimal value. Arithmetic wraps.
  constexpr std::uint32_t kDigitFlags = 0x30000;
  DottedQuad result;
  std::size_t remaining = pos < limit ? limit - pos : 0;
  std::uint32_t accumulator = 0;
  std::uint32_t octets[4] = {0, 0, 0, 0};
  int count = 0;
  std::size_t s = pos;
  while (true) {
    const QuadByte kind = ClassifyQuadByte(remaining > 0 ? ByteAt(text, s) : '\0');
    if (kind == QuadByte::HexLetter) return result;
    if (kind == QuadByte::Digit) {
      accumulator = accumulator * 10 + (kDigitFlags | static_cast<std::uint32_t>(ByteAt(text, s) - '0'));
      if ((accumulator & 0xffff) > 255) return result;
    } else {
      if (accumulator == 0) return result;
      octets[count < 4 ? count : 3] = accumulator & 0xff;
      accumulator = 0;
      ++count;
      if (kind != QuadByte::Dot) {
        if (count != 4) return result;
        break;
      }
    }
    if (count >= 4) return result;
    ++s;
    --remaining;
  }
  result.ok = true;
  result.address = octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3];
  result.end = s;
  return result;
}

ParsedNumber ParseUnsignedLong(std::string_view text, std::size_t pos, unsigned base) {
  std::size_t s = pos;
  if (base == 0) {
    if (ByteAt(text, s) == '0') {
      const bool hex = (ByteAt(text, s + 1) | 0x20) == 'x' && IsHexDigit(ByteAt(text, s + 2));
      base = hex ? 16 : 8;
    } else {
      base = 10;
    }
  }
  if (base == 16 && ByteAt(text, s) == '0' && (ByteAt(text, s + 1) | 0x20) == 'x') s += 2;
  ParsedNumber result;
  while (true) {
    const char c = ByteAt(text, s);
    const char lower = static_cast<char>(c | 0x20);
    unsigned digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (lower >= 'a' && lower <= 'f') {
      digit = static_cast<unsigned>(lower - 'a' + 10);
    } else {
      break;
    }
    if (digit >= base) break;
    result.value = result.value * base + digit;
    ++s;
  }
  result.end = s;
  return result;
}

ParsedNumber ParseBoundedUint(std::string_view text, std::size_t pos, std::size_t limit) {
  constexpr std::size_t kMaxDigits = 11;  // sizeof("4294967295"), NUL included
  std::size_t available = pos < limit ? limit - pos : 0;
  std::size_t budget = available < kMaxDigits ? available : kMaxDigits;
  std::size_t s = pos;
  std::uint64_t value = 0;
  ParsedNumber failure{0, pos};
  while (available > 0 && KernelIsDigit(ByteAt(text, s))) {
    if (budget == 0) return failure;
    value = value * 10 + static_cast<unsigned>(text[s] - '0');
    if (value > 0xffffffffULL) return failure;
    ++s;
    --budget;
    --available;
  }
  return ParsedNumber{value, s};
}

std::string FormatIpv4(Ipv4 address) {
  std::string out;
  out.reserve(15);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out += std::to_string((address >> shift) & 0xff);
    if (shift != 0) out += '.';
  }
  return out;
}

std::string FormatIpv4Port(Ipv4 address, std::uint16_t port) {
  std::string out = FormatIpv4(address);
  out += ':';
  out += std::to_string(port);
  return out;
}

}  // namespace alglab::linuxnf
