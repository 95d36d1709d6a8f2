#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_KERNEL_TEXT_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_KERNEL_TEXT_H

/// \file
/// Byte-level text primitives that behave like the Linux kernel library routines the SIP helper
/// is built on (lib/ctype.c, strncasecmp, in4_pton, simple_strtoul, "%pI4"). The helper's
/// byte-exact output depends on their corner cases, which differ from the C library's:
/// - letters include the Latin-1 range 0xC0-0xFF (except 0xD7 and 0xF7);
/// - an IPv4 literal ends at any byte that is not a hex digit, a dot or a digit, but a hex
///   letter right after it ("10.0.0.2a") makes the whole literal invalid;
/// - simple_strtoul skips no blanks, accepts no sign and silently wraps on overflow; callers
///   then truncate the unsigned long to 32 bits (and ports to 16).
///
/// Positions are indices into the message; reading at or past the end of the message yields
/// NUL, as the kernel reads the (unused) tail of its buffer there.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace alglab::linuxnf {

/// An IPv4 address in host byte order (10.0.0.2 == 0x0A000002).
using Ipv4 = std::uint32_t;

/// The byte at `pos`, or NUL past the end.
inline char ByteAt(std::string_view text, std::size_t pos) {
  return pos < text.size() ? text[pos] : '\0';
}

/// Kernel isalpha(): ASCII letters plus the Latin-1 letters.
bool KernelIsAlpha(char c);
/// Kernel isdigit(): '0'..'9'.
inline bool KernelIsDigit(char c) { return c >= '0' && c <= '9'; }
/// Kernel isalnum().
inline bool KernelIsAlnum(char c) { return KernelIsDigit(c) || KernelIsAlpha(c); }

/// Kernel strncasecmp(text + pos, needle, needle.size()) == 0, reading NUL past the end (a NUL
/// in the text never matches a needle byte).
bool EqualsNoCaseAt(std::string_view text, std::size_t pos, std::string_view needle);
/// strncmp(text + pos, needle, needle.size()) == 0, reading NUL past the end.
bool EqualsAt(std::string_view text, std::size_t pos, std::string_view needle);

/// Outcome of ParseDottedQuad.
struct DottedQuad {
  bool ok = false;
  Ipv4 address = 0;
  std::size_t end = 0;  ///< position of the byte that ended the literal (valid when ok)
};

/// in4_pton(text + pos, limit - pos, ..., delim -1, &end): four decimal octets separated by dots;
/// the literal ends at ':' or at any byte that is not a hex digit or a dot (or at `limit`).
DottedQuad ParseDottedQuad(std::string_view text, std::size_t pos, std::size_t limit);

/// Outcome of ParseUnsignedLong.
struct ParsedNumber {
  std::uint64_t value = 0;  ///< wraps modulo 2^64 like the kernel
  std::size_t end = 0;      ///< first byte not consumed
};

/// simple_strtoul(text + pos, &end, base) with base 10 or 0 (0: "0x" hex, leading "0" octal,
/// else decimal). No blanks, no sign; an empty digit run yields value 0 and end == pos.
ParsedNumber ParseUnsignedLong(std::string_view text, std::size_t pos, unsigned base);

/// The kernel's bounded replacement for simple_strtoul (2026, upstream 8cf6809cddcb): decimal
/// digits from `pos`, at most `limit - pos` of them; more than 11 digits or a value above
/// 2^32-1 is a failure that yields value 0 and end == pos.
ParsedNumber ParseBoundedUint(std::string_view text, std::size_t pos, std::size_t limit);

/// "%pI4": dotted decimal.
std::string FormatIpv4(Ipv4 address);
/// "%pI4:%u".
std::string FormatIpv4Port(Ipv4 address, std::uint16_t port);

}  // namespace alglab::linuxnf

#endif
