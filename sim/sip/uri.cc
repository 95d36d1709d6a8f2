#include "sim/sip/uri.h"

#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>

namespace alglab::sip {

using detail::Excerpt;
using detail::IEquals;
using detail::MakeError;

namespace {

// Characters RFC 3261 allows unescaped in a parameter value (token, host, paramchar), minus the
// delimiters of the surrounding syntax.
bool IsParamValueChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) {
    return false;
  }
  switch (c) {
    case '"': case ';': case ',': case '<': case '>': case '\\':
      return false;
    default:
      return true;
  }
}

bool IsMark(char c) {
  switch (c) {
    case '-': case '_': case '.': case '!': case '~': case '*': case '\'': case '(': case ')':
      return true;
    default:
      return false;
  }
}

// user = 1*( unreserved / escaped / user-unreserved ); password has no ';', '?' or '/'.
bool IsUserChar(char c, bool password) {
  if (detail::IsAlnum(c) || IsMark(c)) {
    return true;
  }
  switch (c) {
    case '&': case '=': case '+': case '$': case ',':
      return true;
    case ';': case '?': case '/':
      return !password;
    default:
      return false;
  }
}

/// Index (0-based) of the first invalid character of a user or password part, or npos.
std::size_t FindBadUserChar(std::string_view s, bool password) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !detail::IsHexDigit(s[i + 1]) || !detail::IsHexDigit(s[i + 2])) {
        return i;
      }
      i += 2;
    } else if (!IsUserChar(s[i], password)) {
      return i;
    }
  }
  return std::string_view::npos;
}

bool IsHostChar(char c) { return detail::IsAlnum(c) || c == '-' || c == '.' || c == '_'; }

}  // namespace

// --- ParameterList -----------------------------------------------------------------------------

std::optional<std::string> ParameterList::Get(std::string_view name) const {
  for (const auto& p : m_items) {
    if (IEquals(p.name, name)) {
      return p.value;
    }
  }
  return std::nullopt;
}

bool ParameterList::Has(std::string_view name) const {
  for (const auto& p : m_items) {
    if (IEquals(p.name, name)) {
      return true;
    }
  }
  return false;
}

void ParameterList::Set(std::string_view name, std::string_view value) {
  for (auto& p : m_items) {
    if (IEquals(p.name, name)) {
      p.value = std::string(value);
      p.hasValue = true;
      return;
    }
  }
  m_items.push_back(Parameter{std::string(name), std::string(value), true});
}

void ParameterList::SetFlag(std::string_view name) {
  for (auto& p : m_items) {
    if (IEquals(p.name, name)) {
      p.value.clear();
      p.hasValue = false;
      return;
    }
  }
  m_items.push_back(Parameter{std::string(name), std::string(), false});
}

void ParameterList::Remove(std::string_view name) {
  std::vector<Parameter> kept;
  kept.reserve(m_items.size());
  for (auto& p : m_items) {
    if (!IEquals(p.name, name)) {
      kept.push_back(std::move(p));
    }
  }
  m_items = std::move(kept);
}

std::string ParameterList::ToString() const {
  std::string out;
  for (const auto& p : m_items) {
    out += ';';
    out += p.name;
    if (p.hasValue) {
      out += '=';
      out += p.value;
    }
  }
  return out;
}

ParseResult<ParameterList> ParameterList::Parse(std::string_view text) {
  ParameterList list;
  const std::size_t n = text.size();
  std::size_t i = detail::SkipSpaces(text, 0);
  if (i == n) {
    return list;
  }
  if (text[i] == ';') {
    ++i;
  }
  for (;;) {
    std::size_t j = detail::SkipSpaces(text, i);
    const std::size_t nameStart = j;
    while (j < n && detail::IsTokenChar(text[j])) {
      ++j;
    }
    if (j == nameStart) {
      return MakeError(ParseErrorKind::BadHeaderValue, 1, j + 1,
                       fmt::format("empty parameter name at '{}'", Excerpt(text.substr(j))));
    }
    Parameter p;
    p.name = std::string(text.substr(nameStart, j - nameStart));
    p.hasValue = false;
    j = detail::SkipSpaces(text, j);
    if (j < n && text[j] == '=') {
      j = detail::SkipSpaces(text, j + 1);
      const std::size_t valueStart = j;
      if (j < n && text[j] == '"') {
        const std::size_t end = detail::SkipQuotedString(text, j);
        if (end == std::string_view::npos) {
          return MakeError(ParseErrorKind::BadHeaderValue, 1, j + 1,
                           fmt::format("unterminated quoted string in parameter '{}': '{}'",
                                       Excerpt(p.name), Excerpt(text.substr(j))));
        }
        j = end;
      } else {
        while (j < n && IsParamValueChar(text[j])) {
          ++j;
        }
      }
      if (j == valueStart) {
        return MakeError(ParseErrorKind::BadHeaderValue, 1, j + 1,
                         fmt::format("empty value for parameter '{}'", Excerpt(p.name)));
      }
      p.value = std::string(text.substr(valueStart, j - valueStart));
      p.hasValue = true;
    }
    list.m_items.push_back(std::move(p));
    j = detail::SkipSpaces(text, j);
    if (j == n) {
      return list;
    }
    if (text[j] != ';') {
      return MakeError(ParseErrorKind::BadHeaderValue, 1, j + 1,
                       fmt::format("unexpected '{}' in parameters '{}'", Excerpt(text.substr(j, 1)),
                                   Excerpt(text)));
    }
    i = j + 1;
  }
}

// --- Uri ---------------------------------------------------------------------------------------

namespace {

ParseError UriError(std::size_t column, std::string detail) {
  return MakeError(ParseErrorKind::BadUri, 1, column, std::move(detail));
}

// Parses the part after "sip:" / "sips:"; `base` is the 0-based offset of `rest` in the URI.
std::optional<ParseError> ParseSipPart(std::string_view rest, std::size_t base, Uri& uri) {
  const std::size_t n = rest.size();
  std::size_t pos = 0;
  // '@' cannot appear unescaped after the userinfo, so the first one ends it.
  const std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    const std::string_view user = userinfo.substr(0, colon);
    if (user.empty()) {
      return UriError(base + 1, fmt::format("empty user part in '{}'", Excerpt(rest)));
    }
    if (const std::size_t bad = FindBadUserChar(user, false); bad != std::string_view::npos) {
      return UriError(base + bad + 1,
                      fmt::format("invalid character in user part '{}'", Excerpt(user)));
    }
    if (colon != std::string_view::npos) {
      const std::string_view password = userinfo.substr(colon + 1);
      if (const std::size_t bad = FindBadUserChar(password, true); bad != std::string_view::npos) {
        return UriError(base + colon + 1 + bad + 1,
                        fmt::format("invalid character in password '{}'", Excerpt(password)));
      }
      uri.password = std::string(password);
    }
    uri.user = std::string(user);
    pos = at + 1;
  }
  // host: IPv6 reference or hostname / IPv4 address
  const std::size_t hostStart = pos;
  if (pos < n && rest[pos] == '[') {
    const std::size_t close = rest.find(']', pos);
    if (close == std::string_view::npos) {
      return UriError(base + pos + 1,
                      fmt::format("unterminated IPv6 reference '{}'", Excerpt(rest.substr(pos))));
    }
    const std::string_view inner = rest.substr(pos + 1, close - pos - 1);
    bool sawColon = false;
    for (std::size_t k = 0; k < inner.size(); ++k) {
      const char c = inner[k];
      sawColon = sawColon || c == ':';
      if (!detail::IsHexDigit(c) && c != ':' && c != '.') {
        return UriError(base + pos + 2 + k,
                        fmt::format("invalid IPv6 reference '{}'", Excerpt(rest.substr(pos))));
      }
    }
    if (!sawColon) {
      return UriError(base + pos + 1,
                      fmt::format("invalid IPv6 reference '{}'", Excerpt(rest.substr(pos))));
    }
    pos = close + 1;
  } else {
    while (pos < n && IsHostChar(rest[pos])) {
      ++pos;
    }
    if (pos == hostStart) {
      return UriError(base + pos + 1, fmt::format("missing host in '{}'", Excerpt(rest)));
    }
  }
  uri.host = std::string(rest.substr(hostStart, pos - hostStart));
  if (pos < n && rest[pos] == ':') {
    const std::size_t portStart = ++pos;
    while (pos < n && detail::IsDigit(rest[pos])) {
      ++pos;
    }
    const auto port = detail::ParseUnsigned(rest.substr(portStart, pos - portStart), 65535);
    if (!port) {
      return UriError(base + portStart + 1,
                      fmt::format("bad port in '{}'", Excerpt(rest.substr(hostStart))));
    }
    uri.port = static_cast<std::uint16_t>(*port);
  }
  if (pos < n && rest[pos] == ';') {
    const std::size_t q = rest.find('?', pos);
    const std::size_t end = q == std::string_view::npos ? n : q;
    auto params = ParameterList::Parse(rest.substr(pos, end - pos));
    if (!params) {
      ParseError e = detail::ShiftError(params.Error(), 1, base + pos + 1);
      e.kind = ParseErrorKind::BadUri;
      return e;
    }
    uri.params = std::move(params).Value();
    pos = end;
  }
  if (pos < n && rest[pos] == '?') {
    uri.headers = std::string(rest.substr(pos + 1));
    pos = n;
  }
  if (pos < n) {
    return UriError(base + pos + 1, fmt::format("unexpected '{}' after host in '{}'",
                                                Excerpt(rest.substr(pos, 1)), Excerpt(rest)));
  }
  return std::nullopt;
}

}  // namespace

ParseResult<Uri> Uri::Parse(std::string_view text) {
  if (text.empty()) {
    return UriError(1, "empty URI");
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || detail::IsControl(c) || c == '\t' || c == '<' || c == '>' || c == '"') {
      return UriError(i + 1, fmt::format("invalid character in URI '{}'", Excerpt(text)));
    }
  }
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return UriError(1, fmt::format("missing scheme in '{}'", Excerpt(text)));
  }
  const std::string_view scheme = text.substr(0, colon);
  if (!detail::IsAlpha(scheme[0])) {
    return UriError(1, fmt::format("bad scheme in '{}'", Excerpt(text)));
  }
  for (std::size_t i = 1; i < scheme.size(); ++i) {
    const char c = scheme[i];
    if (!detail::IsAlnum(c) && c != '+' && c != '-' && c != '.') {
      return UriError(i + 1, fmt::format("bad scheme in '{}'", Excerpt(text)));
    }
  }
  Uri uri;
  uri.scheme = detail::ToLower(scheme);
  const std::string_view rest = text.substr(colon + 1);
  if (rest.empty()) {
    return UriError(colon + 2, fmt::format("nothing after scheme in '{}'", Excerpt(text)));
  }
  if (uri.scheme == "sip" || uri.scheme == "sips") {
    if (auto e = ParseSipPart(rest, colon + 1, uri)) {
      return *e;
    }
    return uri;
  }
  if (uri.scheme == "tel") {
    const std::size_t semi = rest.find(';');
    uri.user = std::string(rest.substr(0, semi));
    if (uri.user.empty()) {
      return UriError(colon + 2, fmt::format("empty telephone number in '{}'", Excerpt(text)));
    }
    if (semi != std::string_view::npos) {
      auto params = ParameterList::Parse(rest.substr(semi));
      if (!params) {
        ParseError e = detail::ShiftError(params.Error(), 1, colon + 1 + semi + 1);
        e.kind = ParseErrorKind::BadUri;
        return e;
      }
      uri.params = std::move(params).Value();
    }
    return uri;
  }
  uri.opaque = std::string(rest);
  return uri;
}

std::string Uri::ToString() const {
  std::string out = scheme;
  out += ':';
  if (!opaque.empty()) {
    out += opaque;
    return out;
  }
  if (!user.empty() || !password.empty()) {
    out += user;
    if (!password.empty()) {
      out += ':';
      out += password;
    }
    if (!host.empty()) {
      out += '@';
    }
  }
  out += HostPort();
  out += params.ToString();
  if (!headers.empty()) {
    out += '?';
    out += headers;
  }
  return out;
}

std::string Uri::HostPort() const {
  if (!port) {
    return host;
  }
  return fmt::format("{}:{}", host, *port);
}

}  // namespace alglab::sip
