#ifndef ALGLAB_TESTS_SIP_TEST_UTIL_H
#define ALGLAB_TESTS_SIP_TEST_UTIL_H

#include "sim/sip/dialog-info.h"
#include "sim/sip/parse-error.h"
#include "sim/sip/sdp.h"

#include <ostream>
#include <string>
#include <string_view>

namespace alglab::sip {

// Boost.Test prints both sides of a failed comparison; these make our enums printable (found
// by argument-dependent lookup).
inline std::ostream& operator<<(std::ostream& os, ParseErrorKind k) { return os << ToString(k); }
inline std::ostream& operator<<(std::ostream& os, MediaDirection d) { return os << ToString(d); }
inline std::ostream& operator<<(std::ostream& os, DialogState s) { return os << ToString(s); }

}  // namespace alglab::sip

namespace alglab::sip::test {

/// "ok" or the error's one-line form, for BOOST_REQUIRE_MESSAGE.
template <typename T>
std::string Describe(const ParseResult<T>& r) {
  return r.Ok() ? std::string("ok") : r.Error().ToString();
}

/// Test messages are written with "\n" for readability; the wire wants CRLF.
inline std::string Crlf(std::string_view lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') {
      out += '\r';
    }
    out += c;
  }
  return out;
}

/// A minimal valid INVITE head (no body), CRLF line ends, ending in the blank line.
/// `extraHeaders` are inserted verbatim (CRLF-terminated) before the blank line.
inline std::string MinimalInvite(std::string_view extraHeaders = "") {
  std::string s =
      "INVITE sip:bob@example.com SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds\n"
      "Max-Forwards: 70\n"
      "To: Bob <sip:bob@example.com>\n"
      "From: Alice <sip:alice@example.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710@192.0.2.1\n"
      "CSeq: 314159 INVITE\n";
  return Crlf(s) + std::string(extraHeaders) + "\r\n";
}

}  // namespace alglab::sip::test

#endif
