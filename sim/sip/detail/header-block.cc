#include "sim/sip/detail/header-block.h"

#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>

namespace alglab::sip::detail {

InputLine ReadLine(std::string_view bytes, std::size_t pos, std::size_t number) {
  InputLine line;
  line.number = number;
  const std::size_t lf = bytes.find('\n', pos);
  if (lf == std::string_view::npos) {
    line.text = bytes.substr(pos);
    line.next = bytes.size();
    line.terminated = false;
    return line;
  }
  std::size_t end = lf;
  if (end > pos && bytes[end - 1] == '\r') {
    --end;
  }
  line.text = bytes.substr(pos, end - pos);
  line.next = lf + 1;
  line.terminated = true;
  return line;
}

ParseError RawHeader::ErrorAt(ParseErrorKind kind, std::size_t offset, std::string detail) const {
  const ValueSegment* seg = &segments.front();
  for (const auto& s : segments) {
    if (s.offset <= offset) {
      seg = &s;
    }
  }
  return MakeError(kind, seg->line, seg->column + (offset - seg->offset), std::move(detail));
}

ParseError RawHeader::Relocate(const ParseError& inner, std::size_t itemOffset) const {
  const std::size_t offset = itemOffset + (inner.column > 0 ? inner.column - 1 : 0);
  return ErrorAt(inner.kind, offset, inner.detail);
}

namespace {

// Index of the first control character (NUL, bare CR, ...) or npos.
std::size_t FindControl(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (IsControl(s[i])) {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string_view TrimRight(std::string_view s) {
  std::size_t e = s.size();
  while (e > 0 && IsSpaceOrTab(s[e - 1])) {
    --e;
  }
  return s.substr(0, e);
}

}  // namespace

ParseResult<HeaderBlock> ReadHeaderBlock(std::string_view bytes, std::size_t pos,
                                         std::size_t lineNumber) {
  HeaderBlock block;
  for (;;) {
    if (pos >= bytes.size()) {
      return MakeError(ParseErrorKind::Truncated, lineNumber, 1,
                       "input ends before the blank line that closes the header block");
    }
    const InputLine line = ReadLine(bytes, pos, lineNumber);
    if (!line.terminated) {
      return MakeError(ParseErrorKind::Truncated, line.number, line.text.size() + 1,
                       fmt::format("input ends inside header line '{}'", Excerpt(line.text)));
    }
    if (line.text.empty()) {
      block.blankLine = line.number;
      block.bodyOffset = line.next;
      return block;
    }
    if (IsSpaceOrTab(line.text[0])) {
      // Folded continuation of the previous header (RFC 3261 section 7.3.1).
      if (block.headers.empty()) {
        return MakeError(ParseErrorKind::BadHeader, line.number, 1,
                         fmt::format("continuation line before any header: '{}'",
                                     Excerpt(line.text)));
      }
      RawHeader& h = block.headers.back();
      if (const std::size_t bad = FindControl(line.text); bad != std::string_view::npos) {
        return MakeError(ParseErrorKind::BadHeaderValue, line.number, bad + 1,
                         fmt::format("control character in value of '{}': '{}'", Excerpt(h.name),
                                     Excerpt(line.text)));
      }
      const std::size_t start = SkipSpaces(line.text, 0);
      const std::string_view piece = TrimRight(line.text.substr(start));
      if (!piece.empty()) {
        if (!h.value.empty()) {
          h.value += ' ';
        }
        h.segments.push_back(ValueSegment{h.value.size(), line.number, start + 1});
        h.value += piece;
      }
    } else {
      const std::size_t colon = line.text.find(':');
      if (colon == std::string_view::npos) {
        return MakeError(ParseErrorKind::BadHeader, line.number, 1,
                         fmt::format("missing ':' in '{}'", Excerpt(line.text)));
      }
      const std::string_view name = TrimRight(line.text.substr(0, colon));
      if (name.empty()) {
        return MakeError(ParseErrorKind::BadHeader, line.number, 1,
                         fmt::format("empty header name in '{}'", Excerpt(line.text)));
      }
      for (std::size_t i = 0; i < name.size(); ++i) {
        if (!IsTokenChar(name[i])) {
          return MakeError(ParseErrorKind::BadHeader, line.number, i + 1,
                           fmt::format("invalid character in header name '{}'", Excerpt(name)));
        }
      }
      const std::string_view rest = line.text.substr(colon + 1);
      if (const std::size_t bad = FindControl(rest); bad != std::string_view::npos) {
        return MakeError(ParseErrorKind::BadHeaderValue, line.number, colon + 2 + bad,
                         fmt::format("control character in value of '{}': '{}'", Excerpt(name),
                                     Excerpt(rest)));
      }
      const std::size_t start = SkipSpaces(rest, 0);
      RawHeader h;
      h.name = std::string(name);
      h.value = std::string(TrimRight(rest.substr(start)));
      h.line = line.number;
      h.segments.push_back(ValueSegment{0, line.number, colon + 2 + start});
      block.headers.push_back(std::move(h));
    }
    pos = line.next;
    ++lineNumber;
  }
}

}  // namespace alglab::sip::detail
