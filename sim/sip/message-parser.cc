// ParseMessage: datagram -> SipMessage, strict RFC 3261 syntax with precise error positions.

#include "sim/sip/detail/header-block.h"
#include "sim/sip/detail/text-util.h"
#include "sim/sip/sip-message.h"

#include <fmt/format.h>

namespace alglab::sip {

using detail::Excerpt;
using detail::MakeError;

namespace {

// "SIP/2.0" with the protocol name compared case-insensitively (RFC 3261 section 7.1).
bool IsSip20(std::string_view v) {
  return v.size() == 7 && detail::IStartsWith(v, "SIP/") && v.substr(4) == "2.0";
}

// NAME "/" DIGITS "." DIGITS: a version, just not ours.
bool LooksLikeVersion(std::string_view v) {
  const std::size_t slash = v.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    return false;
  }
  for (std::size_t i = 0; i < slash; ++i) {
    if (!detail::IsAlpha(v[i])) {
      return false;
    }
  }
  const std::string_view num = v.substr(slash + 1);
  const std::size_t dot = num.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < num.size() &&
         detail::ParseUnsigned(num.substr(0, dot), 1000000).has_value() &&
         detail::ParseUnsigned(num.substr(dot + 1), 1000000).has_value();
}

struct StartLine {
  bool isRequest = true;
  std::string method;
  Uri uri;
  int status = 0;
  std::string reason;
};

std::optional<ParseError> ParseStartLine(const detail::InputLine& line, StartLine& out) {
  const std::string_view s = line.text;
  const std::size_t n = line.number;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (detail::IsControl(s[i]) || s[i] == '\t') {
      return MakeError(ParseErrorKind::BadStartLine, n, i + 1,
                       fmt::format("control character in start line '{}'", Excerpt(s)));
    }
  }
  if (detail::IStartsWith(s, "SIP/")) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    out.isRequest = false;
    const std::size_t sp1 = s.find(' ');
    const std::string_view version = s.substr(0, sp1);
    if (!IsSip20(version)) {
      return MakeError(ParseErrorKind::BadVersion, n, 1,
                       fmt::format("unsupported version '{}'", Excerpt(version)));
    }
    if (sp1 == std::string_view::npos) {
      return MakeError(ParseErrorKind::BadStartLine, n, s.size() + 1,
                       fmt::format("status line without status code: '{}'", Excerpt(s)));
    }
    const std::size_t sp2 = s.find(' ', sp1 + 1);
    const std::string_view code = s.substr(sp1 + 1, sp2 == std::string_view::npos
                                                        ? std::string_view::npos
                                                        : sp2 - sp1 - 1);
    const auto value = detail::ParseUnsigned(code, 999);
    if (code.size() != 3 || !value || *value < 100 || *value > 699) {
      return MakeError(ParseErrorKind::BadStatusCode, n, sp1 + 2,
                       fmt::format("status code '{}' is not three digits 100..699",
                                   Excerpt(code)));
    }
    out.status = static_cast<int>(*value);
    out.reason = sp2 == std::string_view::npos ? std::string() : std::string(s.substr(sp2 + 1));
    return std::nullopt;
  }
  // Request-Line = Method SP Request-URI SP SIP-Version
  out.isRequest = true;
  const std::size_t sp1 = s.find(' ');
  const std::size_t sp2 = s.rfind(' ');
  if (sp1 == std::string_view::npos || sp1 == sp2) {
    return MakeError(ParseErrorKind::BadStartLine, n, 1,
                     fmt::format("neither a request line nor a status line: '{}'", Excerpt(s)));
  }
  const std::string_view method = s.substr(0, sp1);
  for (std::size_t i = 0; i < method.size(); ++i) {
    if (!detail::IsTokenChar(method[i])) {
      return MakeError(ParseErrorKind::BadStartLine, n, i + 1,
                       fmt::format("invalid method '{}'", Excerpt(method)));
    }
  }
  if (method.empty()) {
    return MakeError(ParseErrorKind::BadStartLine, n, 1,
                     fmt::format("empty method in '{}'", Excerpt(s)));
  }
  const std::string_view version = s.substr(sp2 + 1);
  if (!IsSip20(version)) {
    if (LooksLikeVersion(version)) {
      return MakeError(ParseErrorKind::BadVersion, n, sp2 + 2,
                       fmt::format("unsupported version '{}'", Excerpt(version)));
    }
    return MakeError(ParseErrorKind::BadStartLine, n, sp2 + 2,
                     fmt::format("expected SIP/2.0 at end of request line, found '{}'",
                                 Excerpt(version)));
  }
  const std::string_view uriText = s.substr(sp1 + 1, sp2 - sp1 - 1);
  if (uriText.empty() || uriText.front() == ' ' || uriText.back() == ' ') {
    const std::size_t col = uriText.empty() || uriText.front() == ' ' ? sp1 + 2 : sp2;
    return MakeError(ParseErrorKind::BadStartLine, n, col,
                     fmt::format("elements of the request line must be separated by one SP: '{}'",
                                 Excerpt(s)));
  }
  auto uri = Uri::Parse(uriText);
  if (!uri) {
    return detail::ShiftError(uri.Error(), n, sp1 + 2);
  }
  out.method = std::string(method);
  out.uri = std::move(uri).Value();
  return std::nullopt;
}

/// Checks the values of the headers the lab relies on; first defect in line order wins.
class HeaderValidator {
 public:
  explicit HeaderValidator(const StartLine& start) : m_start(start) {}

  std::optional<ParseError> Check(const detail::RawHeader& h) {
    const std::string name = CanonicalHeaderName(h.name);
    if (name == "Via") {
      return CheckList(h, [&](const detail::ListItem& item) -> std::optional<ParseError> {
        auto via = Via::Parse(item.text);
        if (!via) {
          return h.Relocate(via.Error(), item.offset);
        }
        return std::nullopt;
      });
    }
    if (name == "Contact" || name == "Route" || name == "Record-Route") {
      const bool contact = name == "Contact";
      return CheckList(h, [&](const detail::ListItem& item) -> std::optional<ParseError> {
        auto na = NameAddress::Parse(item.text);
        if (!na) {
          return h.Relocate(na.Error(), item.offset);
        }
        if (na.Value().isWildcard) {
          m_sawWildcard = true;
          if (!contact) {
            return h.ErrorAt(ParseErrorKind::BadHeaderValue, item.offset,
                             fmt::format("'*' is only allowed in Contact, not in {}", name));
          }
        }
        if (contact) {
          ++m_contacts;
        }
        if (contact && m_sawWildcard && m_contacts > 1) {
          return h.ErrorAt(ParseErrorKind::BadHeaderValue, item.offset,
                           "Contact '*' must be the only Contact value");
        }
        return std::nullopt;
      });
    }
    if (name == "From" || name == "To") {
      if (auto dup = CheckSingle(h, name)) {
        return dup;
      }
      auto na = NameAddress::Parse(h.value);
      if (!na) {
        return h.Relocate(na.Error(), 0);
      }
      if (na.Value().isWildcard) {
        return h.ErrorAt(ParseErrorKind::BadHeaderValue, 0,
                         fmt::format("'*' is not an address in {}", name));
      }
      return std::nullopt;
    }
    if (name == "Call-ID") {
      if (auto dup = CheckSingle(h, name)) {
        return dup;
      }
      if (h.value.empty()) {
        return h.ErrorAt(ParseErrorKind::BadHeaderValue, 0, "empty Call-ID");
      }
      for (std::size_t i = 0; i < h.value.size(); ++i) {
        if (detail::IsSpaceOrTab(h.value[i])) {
          return h.ErrorAt(ParseErrorKind::BadHeaderValue, i,
                           fmt::format("whitespace inside Call-ID '{}'", Excerpt(h.value)));
        }
      }
      return std::nullopt;
    }
    if (name == "CSeq") {
      if (auto dup = CheckSingle(h, name)) {
        return dup;
      }
      auto cseq = CSeq::Parse(h.value);
      if (!cseq) {
        return h.Relocate(cseq.Error(), 0);
      }
      if (m_start.isRequest && cseq.Value().method != m_start.method) {
        return h.ErrorAt(ParseErrorKind::BadHeaderValue, 0,
                         fmt::format("CSeq method '{}' differs from request method '{}'",
                                     Excerpt(cseq.Value().method), Excerpt(m_start.method)));
      }
      return std::nullopt;
    }
    if (name == "Max-Forwards") {
      if (auto dup = CheckSingle(h, name)) {
        return dup;
      }
      if (!detail::ParseUnsigned(h.value, 255)) {
        return h.ErrorAt(ParseErrorKind::BadHeaderValue, 0,
                         fmt::format("Max-Forwards '{}' is not a number 0..255", Excerpt(h.value)));
      }
      return std::nullopt;
    }
    if (name == "Content-Length") {
      const auto length = detail::ParseUnsigned(h.value, 0xFFFFFFFFull);
      if (!length) {
        return h.ErrorAt(ParseErrorKind::BadContentLength, 0,
                         fmt::format("Content-Length '{}' is not a number", Excerpt(h.value)));
      }
      if (m_contentLength && *m_contentLength != *length) {
        return h.ErrorAt(ParseErrorKind::BadContentLength, 0,
                         fmt::format("second Content-Length {} disagrees with {}", *length,
                                     *m_contentLength));
      }
      if (!m_contentLength) {
        m_contentLength = *length;
        m_contentLengthHeader = &h;
      }
    }
    return std::nullopt;
  }

  std::optional<std::uint64_t> ContentLength() const { return m_contentLength; }
  const detail::RawHeader* ContentLengthHeader() const { return m_contentLengthHeader; }
  bool Seen(std::string_view canonical) const {
    for (const auto& s : m_seen) {
      if (s == canonical) {
        return true;
      }
    }
    return false;
  }
  void MarkSeen(const detail::RawHeader& h) {
    std::string name = CanonicalHeaderName(h.name);
    // Only the few names checked later are remembered, so a message with 100k distinct
    // header names stays linear.
    for (const char* tracked : kTracked) {
      if (name == tracked && !Seen(name)) {
        m_seen.push_back(std::move(name));
        return;
      }
    }
  }

 private:
  template <typename F>
  std::optional<ParseError> CheckList(const detail::RawHeader& h, F&& checkItem) {
    const auto items = detail::SplitTopLevel(h.value, ',');
    if (items.empty()) {
      return h.ErrorAt(ParseErrorKind::BadHeaderValue, 0,
                       fmt::format("empty {} header", CanonicalHeaderName(h.name)));
    }
    for (const auto& item : items) {
      if (auto e = checkItem(item)) {
        return e;
      }
    }
    return std::nullopt;
  }

  std::optional<ParseError> CheckSingle(const detail::RawHeader& h, const std::string& name) {
    if (Seen(name)) {
      return h.ErrorAt(ParseErrorKind::BadHeaderValue, 0,
                       fmt::format("{} header appears more than once", name));
    }
    return std::nullopt;
  }

  static constexpr const char* kTracked[] = {"Via",  "From", "To", "Call-ID",
                                             "CSeq", "Max-Forwards"};
  const StartLine& m_start;
  std::vector<std::string> m_seen;  ///< subset of kTracked
  std::optional<std::uint64_t> m_contentLength;
  const detail::RawHeader* m_contentLengthHeader = nullptr;
  bool m_sawWildcard = false;
  std::size_t m_contacts = 0;
};

}  // namespace

ParseResult<SipMessage> ParseMessage(std::string_view bytes) {
  if (bytes.empty()) {
    return MakeError(ParseErrorKind::Empty, 1, 1, "no bytes");
  }
  // Leading line ends are tolerated (RFC 3261 section 7.5).
  std::size_t pos = 0;
  std::size_t lineNumber = 1;
  while (pos < bytes.size()) {
    if (bytes[pos] == '\n') {
      ++pos;
      ++lineNumber;
    } else if (bytes[pos] == '\r' && pos + 1 < bytes.size() && bytes[pos + 1] == '\n') {
      pos += 2;
      ++lineNumber;
    } else {
      break;
    }
  }
  if (pos == bytes.size()) {
    return MakeError(ParseErrorKind::Empty, lineNumber, 1, "only line ends, no message");
  }

  const detail::InputLine first = detail::ReadLine(bytes, pos, lineNumber);
  StartLine start;
  if (auto e = ParseStartLine(first, start)) {
    return *e;
  }
  if (!first.terminated) {
    return MakeError(ParseErrorKind::Truncated, first.number + 1, 1,
                     "input ends after the start line");
  }

  auto blockResult = detail::ReadHeaderBlock(bytes, first.next, first.number + 1);
  if (!blockResult) {
    return blockResult.Error();
  }
  const detail::HeaderBlock& block = blockResult.Value();

  HeaderValidator validator(start);
  for (const auto& h : block.headers) {
    if (auto e = validator.Check(h)) {
      return *e;
    }
    validator.MarkSeen(h);
  }
  for (const char* required : {"Via", "From", "To", "Call-ID", "CSeq"}) {
    if (!validator.Seen(required)) {
      return MakeError(ParseErrorKind::MissingHeader, block.blankLine, 1,
                       fmt::format("missing mandatory {} header", required));
    }
  }

  const std::size_t available = bytes.size() - block.bodyOffset;
  std::size_t bodySize = available;
  if (const auto length = validator.ContentLength()) {
    if (*length > available) {
      const detail::RawHeader* h = validator.ContentLengthHeader();
      return h->ErrorAt(ParseErrorKind::BadContentLength, 0,
                        fmt::format("Content-Length {} exceeds the {} body bytes present",
                                    *length, available));
    }
    bodySize = static_cast<std::size_t>(*length);
  }

  SipMessage msg;
  msg.m_isRequest = start.isRequest;
  msg.m_method = std::move(start.method);
  msg.m_requestUri = std::move(start.uri);
  msg.m_statusCode = start.status;
  msg.m_reason = std::move(start.reason);
  msg.m_headers.reserve(block.headers.size());
  for (const auto& h : block.headers) {
    msg.m_headers.push_back(Header{h.name, h.value});
  }
  msg.m_body = std::string(bytes.substr(block.bodyOffset, bodySize));
  return msg;
}

}  // namespace alglab::sip
