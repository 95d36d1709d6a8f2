#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>

#include <limits>

namespace alglab::sip::detail {

bool IsTokenChar(char c) {
  if (IsAlnum(c)) {
    return true;
  }
  switch (c) {
    case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!IsTokenChar(c)) {
      return false;
    }
  }
  return true;
}

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = ToLowerAscii(c);
  }
  return out;
}

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) {
      return false;
    }
  }
  return true;
}

bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

std::string_view Trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && IsSpaceOrTab(s[b])) {
    ++b;
  }
  while (e > b && IsSpaceOrTab(s[e - 1])) {
    --e;
  }
  return s.substr(b, e - b);
}

std::size_t SkipSpaces(std::string_view s, std::size_t pos) {
  while (pos < s.size() && IsSpaceOrTab(s[pos])) {
    ++pos;
  }
  return pos;
}

std::optional<std::uint64_t> ParseUnsigned(std::string_view s, std::uint64_t max) {
  if (s.empty()) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) {
      return std::nullopt;
    }
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (d > max || v > (max - d) / 10) {  // v * 10 + d would exceed max
      return std::nullopt;
    }
    v = v * 10 + d;
  }
  return v;
}

std::string Excerpt(std::string_view s, std::size_t max) {
  std::string out;
  const std::size_t n = s.size() < max ? s.size() : max;
  for (std::size_t i = 0; i < n; ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02X}", static_cast<unsigned>(u));
    } else {
      out += s[i];
    }
  }
  if (s.size() > max) {
    out += "...";
  }
  return out;
}

ParseError MakeError(ParseErrorKind kind, std::size_t line, std::size_t column,
                     std::string detail) {
  ParseError e;
  e.kind = kind;
  e.line = line;
  e.column = column;
  e.detail = std::move(detail);
  return e;
}

std::size_t SkipQuotedString(std::string_view s, std::size_t pos) {
  for (std::size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;  // the escaped character, whatever it is
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::string Unquote(std::string_view quoted) {
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') {
    return std::string(quoted);
  }
  std::string out;
  const std::string_view inner = quoted.substr(1, quoted.size() - 2);
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '\\' && i + 1 < inner.size()) {
      ++i;
    }
    out += inner[i];
  }
  return out;
}

std::string Quote(std::string_view raw) {
  std::string out = "\"";
  for (char c : raw) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  out += '"';
  return out;
}

std::vector<ListItem> SplitTopLevel(std::string_view value, char separator) {
  std::vector<ListItem> items;
  auto flush = [&](std::size_t begin, std::size_t end) {
    std::size_t b = begin;
    std::size_t e = end;
    while (b < e && IsSpaceOrTab(value[b])) {
      ++b;
    }
    while (e > b && IsSpaceOrTab(value[e - 1])) {
      --e;
    }
    if (e > b) {
      items.push_back(ListItem{b, value.substr(b, e - b)});
    }
  };
  std::size_t start = 0;
  std::size_t angle = 0;
  std::size_t i = 0;
  while (i < value.size()) {
    const char c = value[i];
    if (c == '"') {
      const std::size_t end = SkipQuotedString(value, i);
      if (end == std::string_view::npos) {
        break;  // unterminated: the rest is one element
      }
      i = end;
      continue;
    }
    if (c == '<') {
      ++angle;
    } else if (c == '>' && angle > 0) {
      --angle;
    } else if (c == separator && angle == 0) {
      flush(start, i);
      start = i + 1;
    }
    ++i;
  }
  flush(start, value.size());
  return items;
}

ParseError ShiftError(ParseError e, std::size_t line, std::size_t columnOfFirstChar) {
  e.line = line;
  e.column = columnOfFirstChar + (e.column > 0 ? e.column - 1 : 0);
  return e;
}

}  // namespace alglab::sip::detail
