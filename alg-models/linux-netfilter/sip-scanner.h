#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_SIP_SCANNER_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_SIP_SCANNER_H

/// \file
/// How the kernel SIP helper finds things in a SIP message: not a parser but a set of
/// substring scans over the raw bytes, with the helper's own rules:
/// - a header is recognised at the start of any line (CR, LF or CRLF ends a line), also inside
///   the body, by a case-insensitive *prefix* match of its name ("Expires" also matches
///   "Expires-Foo") or of its compact form when a non-letter follows ("m:", "v :");
/// - if the name is not followed by optional blanks and ':', the scan gives up on that header
///   type for the whole message (returns "absent");
/// - a value is searched for a fixed needle ("sip:", "UDP "), case-insensitively, across
///   continuation lines; the byte that starts a continuation line is never a needle start;
/// - an address is an IPv4 literal (kernel in4_pton rules) optionally followed by ':' digits;
///   a port outside 1024..65535 makes the whole URI unparsable;
/// - parameters (maddr=, received=, rport=, expires=, transport=) are plain substring searches
///   from the end of the address up to the next ',' of the same header.
///
/// All positions are indices into `msg`; `limit` is the end of the message being scanned.

#include "alg-models/linux-netfilter/kernel-text.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace alglab::linuxnf {

/// The SIP port assumed when a URI has none, and the helper's default `ports`.
inline constexpr std::uint16_t kSipPort = 5060;

/// Which generation of the kernel's number parsing to follow.
enum class NumberRules : std::uint8_t {
  /// Kernels with upstream 8cf6809cddcb (2026; in 6.18.33+, 6.12.91+, 6.6.141+, 6.1.175+,
  /// 5.15.209+, 5.10.258+): a URI port must be 1-5 digits in 1024..65535 followed by more
  /// text, otherwise the URI does not match at all (the scan moves on to the next header, so a
  /// bad Contact port no longer drops a REGISTER); numbers are decimal, at most 11 digits and at
  /// most 2^32-1 (else 0 / "no number"); an rport= outside 1024..65535 is left alone.
  Bounded,
  /// Older kernels (simple_strtoul): any digits after ':' belong to the address, a port outside
  /// 1024..65535 (after truncation to 32 bits) makes the URI unparsable, numbers wrap, and
  /// expires=/rport= accept 0x (hex) and leading-0 (octal) forms.
  Legacy,
};

/// A decimal number at `pos` as the given kernel generation reads it (CSeq, status code,
/// Expires, m= port). `end == pos` means no number.
ParsedNumber ReadNumber(std::string_view msg, std::size_t pos, std::size_t limit, NumberRules rules);

/// The header types the helper looks for (its header table).
enum class SipHeaderKind : std::uint8_t {
  CSeq,           ///< "CSeq", no compact form; value: digits
  From,           ///< "From" / "f"; value: the address after "sip:" (user part skipped)
  To,             ///< "To" / "t"; likewise
  Contact,        ///< "Contact" / "m"; likewise
  ViaUdp,         ///< "Via" / "v"; value: the address after "UDP "
  ViaTcp,         ///< "Via" / "v"; value: the address after "TCP "
  Expires,        ///< "Expires", no compact form; value: digits
  ContentLength,  ///< "Content-Length" / "l"; value: digits
};

/// A scan outcome in the helper's three-way convention.
struct ScanResult {
  /// 1: found; 0: absent; -1: the header is there but its value does not parse.
  int status = 0;
  /// Found: start of the matched value (an address, or digits). Malformed: where the scan
  /// stopped, from which a walk over further headers resumes.
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// A URI found in a header or the request line: the matched "address[:port]" text and its
/// parsed address and port (kSipPort when absent).
struct UriResult {
  int status = 0;  ///< 1 found, 0 absent, -1 unparsable (bad address or port)
  std::size_t offset = 0;
  std::size_t length = 0;
  Ipv4 address = 0;
  std::uint16_t port = 0;
  std::size_t end = 0;  ///< first byte after the address and port digits
};

/// A header parameter value.
struct ParamResult {
  int status = 0;  ///< 1 found, 0 absent, -1 present without a value (numeric only)
  std::size_t offset = 0;
  std::size_t length = 0;
  std::uint64_t number = 0;  ///< FindNumericParam: the value (base prefix rules, wraps)
  Ipv4 address = 0;          ///< FindAddressParam: the parsed address
};

/// Position of the next occurrence of `needle` (case-insensitive) in a header value starting at
/// `from`, following continuation lines and stopping at the end of the header; nullopt if none.
std::optional<std::size_t> SearchHeaderValue(std::string_view msg, std::size_t from,
                                             std::size_t limit, std::string_view needle);

/// The first header of `kind` on a line starting after `from`.
ScanResult FindSipHeader(std::string_view msg, std::size_t from, std::size_t limit,
                         SipHeaderKind kind, NumberRules rules = NumberRules::Bounded);

/// The next comma-separated value of the header that contains `from`.
ScanResult FindNextListValue(std::string_view msg, std::size_t from, std::size_t limit,
                             SipHeaderKind kind, NumberRules rules = NumberRules::Bounded);

/// Walks headers of `kind` until one parses: first the rest of the current comma list (when
/// `inList` is set and true), then further header lines. Updates `inList`. Never returns -1.
ScanResult WalkSipHeaders(std::string_view msg, std::size_t from, std::size_t limit,
                          SipHeaderKind kind, bool* inList,
                          NumberRules rules = NumberRules::Bounded);

/// Finds a header's URI (via WalkSipHeaders) and parses its address and port. With `cursor`,
/// scanning starts there and `*cursor` moves past the URI, so a loop visits every value.
UriResult ParseSipHeaderUri(std::string_view msg, std::size_t* cursor, std::size_t limit,
                            SipHeaderKind kind, bool* inList,
                            NumberRules rules = NumberRules::Bounded);

/// The address in the request line's URI (after the method and the first "sip:").
UriResult ParseRequestUri(std::string_view msg, std::size_t limit,
                          NumberRules rules = NumberRules::Bounded);

/// "name" value (e.g. "transport="): from after the name to the next ';' or the list's end.
ParamResult FindParam(std::string_view msg, std::size_t from, std::size_t limit,
                      std::string_view name);
/// An IPv4 address right after "name" (e.g. "maddr=", "received=").
ParamResult FindAddressParam(std::string_view msg, std::size_t from, std::size_t limit,
                             std::string_view name);
/// A number right after "name" (e.g. "rport=", "expires="); -1 when no digits follow.
ParamResult FindNumericParam(std::string_view msg, std::size_t from, std::size_t limit,
                             std::string_view name, NumberRules rules = NumberRules::Bounded);

/// Number of leading decimal digits at `pos` (before `limit`).
std::size_t DigitRunLength(std::string_view msg, std::size_t pos, std::size_t limit);
/// Number of leading kernel letters at `pos` (before `limit`).
std::size_t LetterRunLength(std::string_view msg, std::size_t pos, std::size_t limit);

/// The position after a line break at `pos` (CR, LF or CRLF) if the next line is a
/// continuation (starts with SP/HTAB), past its leading blanks; nullopt otherwise.
std::optional<std::size_t> FollowContinuation(std::string_view msg, std::size_t pos,
                                              std::size_t limit);

}  // namespace alglab::linuxnf

#endif
