#include "sim/sip/header-values.h"

#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>

namespace alglab::sip {

using detail::Excerpt;
using detail::MakeError;

namespace {

ParseError ValueError(std::size_t column, std::string detail) {
  return MakeError(ParseErrorKind::BadHeaderValue, 1, column, std::move(detail));
}

// A parameter list starting at `pos` of `text` (which holds ';' there), or an error shifted to
// the column of `text`.
std::optional<ParseError> ParseTrailingParams(std::string_view text, std::size_t pos,
                                              ParameterList& out) {
  auto params = ParameterList::Parse(text.substr(pos));
  if (!params) {
    return detail::ShiftError(params.Error(), 1, pos + 1);
  }
  out = std::move(params).Value();
  return std::nullopt;
}

}  // namespace

// --- Via ---------------------------------------------------------------------------------------

ParseResult<Via> Via::Parse(std::string_view text) {
  const std::size_t n = text.size();
  Via via;
  // sent-protocol: "SIP" SLASH "2.0" SLASH transport, SLASH allowing whitespace around it.
  std::size_t pos = detail::SkipSpaces(text, 0);
  std::string_view fields[3];
  for (int f = 0; f < 3; ++f) {
    if (f > 0) {
      pos = detail::SkipSpaces(text, pos);
      if (pos >= n || text[pos] != '/') {
        return ValueError(pos + 1, fmt::format("expected '/' in Via sent-protocol '{}'",
                                               Excerpt(text)));
      }
      pos = detail::SkipSpaces(text, pos + 1);
    }
    const std::size_t start = pos;
    while (pos < n && detail::IsTokenChar(text[pos])) {
      ++pos;
    }
    fields[f] = text.substr(start, pos - start);
    if (fields[f].empty()) {
      return ValueError(pos + 1, fmt::format("bad Via sent-protocol '{}'", Excerpt(text)));
    }
  }
  if (!detail::IEquals(fields[0], "SIP") || fields[1] != "2.0") {
    return ValueError(1, fmt::format("Via protocol is not SIP/2.0 in '{}'", Excerpt(text)));
  }
  via.transport = detail::ToUpper(fields[2]);
  const std::size_t afterProtocol = pos;
  pos = detail::SkipSpaces(text, pos);
  if (pos == afterProtocol || pos >= n) {
    return ValueError(pos + 1, fmt::format("missing sent-by host in Via '{}'", Excerpt(text)));
  }
  const std::size_t hostStart = pos;
  if (text[pos] == '[') {
    const std::size_t close = text.find(']', pos);
    if (close == std::string_view::npos) {
      return ValueError(pos + 1, fmt::format("unterminated IPv6 reference in Via '{}'",
                                             Excerpt(text.substr(pos))));
    }
    for (std::size_t k = pos + 1; k < close; ++k) {
      if (!detail::IsHexDigit(text[k]) && text[k] != ':' && text[k] != '.') {
        return ValueError(k + 1, fmt::format("invalid IPv6 reference in Via '{}'",
                                             Excerpt(text.substr(pos))));
      }
    }
    pos = close + 1;
  } else {
    while (pos < n && (detail::IsAlnum(text[pos]) || text[pos] == '-' || text[pos] == '.' ||
                       text[pos] == '_')) {
      ++pos;
    }
    if (pos == hostStart) {
      return ValueError(pos + 1, fmt::format("missing sent-by host in Via '{}'", Excerpt(text)));
    }
  }
  via.host = std::string(text.substr(hostStart, pos - hostStart));
  pos = detail::SkipSpaces(text, pos);
  if (pos < n && text[pos] == ':') {
    pos = detail::SkipSpaces(text, pos + 1);
    const std::size_t portStart = pos;
    while (pos < n && detail::IsDigit(text[pos])) {
      ++pos;
    }
    const auto port = detail::ParseUnsigned(text.substr(portStart, pos - portStart), 65535);
    if (!port) {
      return ValueError(portStart + 1, fmt::format("bad port in Via '{}'", Excerpt(text)));
    }
    via.port = static_cast<std::uint16_t>(*port);
    pos = detail::SkipSpaces(text, pos);
  }
  if (pos < n && text[pos] == ';') {
    if (auto e = ParseTrailingParams(text, pos, via.params)) {
      return *e;
    }
    pos = n;
  }
  if (pos < n) {
    return ValueError(pos + 1, fmt::format("unexpected '{}' in Via '{}'",
                                           Excerpt(text.substr(pos, 1)), Excerpt(text)));
  }
  return via;
}

std::string Via::ToString() const {
  std::string out = "SIP/2.0/";
  out += transport;
  out += ' ';
  out += host;
  if (port) {
    out += fmt::format(":{}", *port);
  }
  out += params.ToString();
  return out;
}

// --- NameAddress -------------------------------------------------------------------------------

ParseResult<NameAddress> NameAddress::Parse(std::string_view text) {
  const std::size_t n = text.size();
  NameAddress na;
  std::size_t pos = detail::SkipSpaces(text, 0);
  if (pos == n) {
    return ValueError(1, "empty address");
  }
  if (detail::Trim(text) == "*") {
    na.isWildcard = true;
    return na;
  }
  std::size_t lt = std::string_view::npos;
  if (text[pos] == '"') {
    const std::size_t end = detail::SkipQuotedString(text, pos);
    if (end == std::string_view::npos) {
      return ValueError(pos + 1, fmt::format("unterminated quoted display name '{}'",
                                             Excerpt(text.substr(pos))));
    }
    na.displayName = detail::Unquote(text.substr(pos, end - pos));
    pos = detail::SkipSpaces(text, end);
    if (pos >= n || text[pos] != '<') {
      return ValueError(pos + 1, fmt::format("expected '<' after display name in '{}'",
                                             Excerpt(text)));
    }
    lt = pos;
  } else {
    // name-addr only when a '<' comes before anything that can only follow an addr-spec (a
    // quote or ';' starts header parameters there).
    const std::size_t stop = text.find_first_of("<\";", pos);
    lt = (stop != std::string_view::npos && text[stop] == '<') ? stop : std::string_view::npos;
    if (lt != std::string_view::npos) {
      // Unquoted display name: tokens separated by whitespace (UTF-8 bytes tolerated).
      for (std::size_t k = pos; k < lt; ++k) {
        const char c = text[k];
        if (!detail::IsTokenChar(c) && !detail::IsSpaceOrTab(c) &&
            static_cast<unsigned char>(c) < 0x80) {
          return ValueError(k + 1, fmt::format("invalid character in display name '{}'",
                                               Excerpt(text.substr(pos, lt - pos))));
        }
      }
      na.displayName = std::string(detail::Trim(text.substr(pos, lt - pos)));
    }
  }
  if (lt != std::string_view::npos) {
    const std::size_t gt = text.find('>', lt);
    if (gt == std::string_view::npos) {
      return ValueError(lt + 1, fmt::format("unterminated '<' in '{}'", Excerpt(text.substr(lt))));
    }
    auto uri = Uri::Parse(text.substr(lt + 1, gt - lt - 1));
    if (!uri) {
      return detail::ShiftError(uri.Error(), 1, lt + 2);
    }
    na.uri = std::move(uri).Value();
    pos = detail::SkipSpaces(text, gt + 1);
  } else {
    // addr-spec: header parameters start at the first ';' (RFC 3261 section 20.10).
    const std::size_t semi = text.find(';', pos);
    const std::size_t end = semi == std::string_view::npos ? n : semi;
    std::size_t uriEnd = end;
    while (uriEnd > pos && detail::IsSpaceOrTab(text[uriEnd - 1])) {
      --uriEnd;
    }
    auto uri = Uri::Parse(text.substr(pos, uriEnd - pos));
    if (!uri) {
      return detail::ShiftError(uri.Error(), 1, pos + 1);
    }
    na.uri = std::move(uri).Value();
    pos = end;
  }
  if (pos < n && text[pos] == ';') {
    if (auto e = ParseTrailingParams(text, pos, na.params)) {
      return *e;
    }
    pos = n;
  }
  if (pos < n) {
    return ValueError(pos + 1, fmt::format("unexpected '{}' after address in '{}'",
                                           Excerpt(text.substr(pos, 1)), Excerpt(text)));
  }
  return na;
}

std::string NameAddress::ToString() const {
  if (isWildcard) {
    return "*";
  }
  std::string out;
  if (!displayName.empty()) {
    out += detail::Quote(displayName);
    out += ' ';
  }
  out += '<';
  out += uri.ToString();
  out += '>';
  out += params.ToString();
  return out;
}

// --- CSeq --------------------------------------------------------------------------------------

ParseResult<CSeq> CSeq::Parse(std::string_view text) {
  const std::size_t n = text.size();
  std::size_t pos = detail::SkipSpaces(text, 0);
  const std::size_t numberStart = pos;
  while (pos < n && detail::IsDigit(text[pos])) {
    ++pos;
  }
  if (pos == numberStart) {
    return ValueError(pos + 1, fmt::format("CSeq does not start with a number: '{}'",
                                           Excerpt(text)));
  }
  const auto number = detail::ParseUnsigned(text.substr(numberStart, pos - numberStart),
                                            0xFFFFFFFFull);
  if (!number) {
    return ValueError(numberStart + 1, fmt::format("CSeq number out of 32-bit range: '{}'",
                                                   Excerpt(text)));
  }
  const std::size_t afterNumber = pos;
  pos = detail::SkipSpaces(text, pos);
  if (pos == afterNumber || pos == n) {
    return ValueError(pos + 1, fmt::format("CSeq lacks a method: '{}'", Excerpt(text)));
  }
  const std::size_t methodStart = pos;
  while (pos < n && detail::IsTokenChar(text[pos])) {
    ++pos;
  }
  CSeq cseq;
  cseq.sequence = static_cast<std::uint32_t>(*number);
  cseq.method = std::string(text.substr(methodStart, pos - methodStart));
  const std::size_t trailing = detail::SkipSpaces(text, pos);
  if (cseq.method.empty() || trailing != n) {
    return ValueError(pos + 1, fmt::format("bad CSeq method in '{}'", Excerpt(text)));
  }
  return cseq;
}

std::string CSeq::ToString() const { return fmt::format("{} {}", sequence, method); }

// --- lists -------------------------------------------------------------------------------------

std::vector<std::string> SplitHeaderList(std::string_view value) {
  std::vector<std::string> out;
  for (const auto& item : detail::SplitTopLevel(value, ',')) {
    out.emplace_back(item.text);
  }
  return out;
}

}  // namespace alglab::sip
