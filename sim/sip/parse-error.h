#ifndef ALGLAB_SIP_PARSE_ERROR_H
#define ALGLAB_SIP_PARSE_ERROR_H

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace alglab::sip {

/// What kind of defect a parser found. Stable names: tests and the CLI print them.
enum class ParseErrorKind {
  Empty,               ///< no bytes at all
  BadStartLine,        ///< neither "METHOD uri SIP/2.0" nor "SIP/2.0 code reason"
  BadVersion,          ///< protocol is not SIP/2.0
  BadStatusCode,       ///< status code not three digits 100..699
  BadHeader,           ///< a header line without ':' or with an empty name
  BadHeaderValue,      ///< a known header whose value does not parse (Via, CSeq, Contact, ...)
  MissingHeader,       ///< a mandatory header is absent (Call-ID, CSeq, From, To, Via)
  BadUri,              ///< URI syntax error
  BadContentLength,    ///< Content-Length not a number, or disagrees with the body
  Truncated,           ///< input ends before the header block does
  BadSdp,              ///< SDP syntax error
  BadXml,              ///< dialog-info XML body malformed
  BadAuth,             ///< digest challenge/credentials malformed
};

const char* ToString(ParseErrorKind kind);

/// A typed parse failure: what is wrong and where (1-based line and column within the input).
struct ParseError {
  ParseErrorKind kind = ParseErrorKind::Empty;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string detail;

  /// One line, e.g. "line 3, column 1: bad header: missing ':' in 'Via SIP/2.0/UDP'".
  std::string ToString() const;
};

/// Either a value or the error that prevented it. Never throws.
template <typename T>
class ParseResult {
 public:
  ParseResult(T value) : m_v(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  ParseResult(ParseError error) : m_v(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool Ok() const { return std::holds_alternative<T>(m_v); }
  explicit operator bool() const { return Ok(); }
  const T& Value() const& { return std::get<T>(m_v); }
  T& Value() & { return std::get<T>(m_v); }
  T&& Value() && { return std::get<T>(std::move(m_v)); }
  const ParseError& Error() const { return std::get<ParseError>(m_v); }

 private:
  std::variant<T, ParseError> m_v;
};

}  // namespace alglab::sip

#endif
