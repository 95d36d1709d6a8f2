#ifndef ALGLAB_SIP_DETAIL_TEXT_UTIL_H
#define ALGLAB_SIP_DETAIL_TEXT_UTIL_H

// Small lexical helpers shared by the SIP, SDP and digest parsers. Internal: not part of the
// public API, may change without notice.

#include "sim/sip/parse-error.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alglab::sip::detail {

inline bool IsSpaceOrTab(char c) { return c == ' ' || c == '\t'; }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
inline bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/// Control characters other than HT (and DEL); never legal inside a SIP header line.
inline bool IsControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}
/// RFC 3261 token character: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~".
bool IsTokenChar(char c);
/// Non-empty and made of token characters only.
bool IsToken(std::string_view s);

char ToLowerAscii(char c);
std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);
bool IEquals(std::string_view a, std::string_view b);
bool IStartsWith(std::string_view s, std::string_view prefix);

/// Trims spaces and tabs at both ends.
std::string_view Trim(std::string_view s);
/// Index of the first character that is not SP/HT at or after `pos` (s.size() if none).
std::size_t SkipSpaces(std::string_view s, std::size_t pos);

/// Decimal digits only (no sign, no spaces), value at most `max`; nullopt otherwise.
std::optional<std::uint64_t> ParseUnsigned(std::string_view s, std::uint64_t max);

/// The offending text for an error message: at most `max` bytes, non-printable bytes as \xHH,
/// "..." when cut.
std::string Excerpt(std::string_view s, std::size_t max = 40);

ParseError MakeError(ParseErrorKind kind, std::size_t line, std::size_t column, std::string detail);

/// `s[pos]` must be '"'. Returns the index just past the closing quote (honouring backslash
/// escapes), or npos when the quoted string is not terminated.
std::size_t SkipQuotedString(std::string_view s, std::size_t pos);
/// Removes the surrounding quotes of a complete quoted string and undoes backslash escapes.
std::string Unquote(std::string_view quoted);
/// Wraps `raw` in double quotes, escaping '"' and '\'.
std::string Quote(std::string_view raw);

/// One element of a comma list: its offset within the list and its trimmed text.
struct ListItem {
  std::size_t offset = 0;
  std::string_view text;
};
/// Splits at `separator` outside quoted strings and <...>, trims SP/HT, drops empty elements.
/// Unterminated quotes or brackets simply swallow the rest (the element parser reports them).
std::vector<ListItem> SplitTopLevel(std::string_view value, char separator = ',');

/// Moves an error found inside a sub-string to the position of that sub-string: the sub-parser
/// reports line 1 and a column within its input.
ParseError ShiftError(ParseError e, std::size_t line, std::size_t columnOfFirstChar);

}  // namespace alglab::sip::detail

#endif
