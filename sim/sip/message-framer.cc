#include "sim/sip/message-framer.h"

#include "sim/sip/detail/header-block.h"
#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>

namespace alglab::sip {

using detail::MakeError;

void MessageFramer::Feed(std::string_view bytes) { m_buffer.append(bytes.data(), bytes.size()); }

void MessageFramer::Consume(std::size_t count) {
  m_buffer.erase(0, count < m_buffer.size() ? count : m_buffer.size());
  m_scanFrom = 0;
}

namespace {

/// Index just past the blank line ending the head (LF or CRLF line ends), or npos. Resumes at
/// `scanFrom` and updates it so byte-at-a-time feeding stays linear.
std::size_t FindHeadEnd(std::string_view buf, std::size_t& scanFrom) {
  for (std::size_t p = buf.find('\n', scanFrom); p != std::string_view::npos;
       p = buf.find('\n', p + 1)) {
    if (p + 1 < buf.size() && buf[p + 1] == '\n') {
      return p + 2;
    }
    if (p + 2 < buf.size() && buf[p + 1] == '\r' && buf[p + 2] == '\n') {
      return p + 3;
    }
  }
  // A blank line may still be completed by the last two bytes.
  scanFrom = buf.size() >= 2 ? buf.size() - 2 : 0;
  return std::string_view::npos;
}

/// Content-Length of a head, read leniently (the full parse later reports any other defect).
/// nullopt when absent; an error when present but not a number.
ParseResult<std::optional<std::uint64_t>> FindContentLength(std::string_view head) {
  std::size_t pos = 0;
  std::size_t line = 1;
  while (pos < head.size()) {
    const detail::InputLine l = detail::ReadLine(head, pos, line);
    const std::size_t colon = l.text.find(':');
    if (line > 1 && colon != std::string_view::npos && !l.text.empty() &&
        !detail::IsSpaceOrTab(l.text[0]) &&
        HeaderNamesEqual(detail::Trim(l.text.substr(0, colon)), "Content-Length")) {
      const std::string_view value = detail::Trim(l.text.substr(colon + 1));
      const auto length = detail::ParseUnsigned(value, 0xFFFFFFFFull);
      if (!length) {
        return MakeError(ParseErrorKind::BadContentLength, line, colon + 2,
                         fmt::format("Content-Length '{}' is not a number",
                                     detail::Excerpt(value)));
      }
      return std::optional<std::uint64_t>(*length);
    }
    pos = l.next;
    ++line;
  }
  return std::optional<std::uint64_t>();
}

/// Length of the RFC 5626 keepalive `rest` starts with: 4 for a CRLFCRLF ping, 2 or 1 for a
/// CRLF or LF pong, 0 for none.
std::size_t KeepaliveAt(std::string_view rest) {
  if (rest.compare(0, 4, "\r\n\r\n") == 0) return 4;
  if (rest.compare(0, 2, "\r\n") == 0) return 2;
  return !rest.empty() && rest[0] == '\n' ? 1 : 0;
}

/// Length of the keepalives `bytes` starts with.
std::size_t LeadingKeepalives(std::string_view bytes) {
  std::size_t skip = 0;
  while (const std::size_t n = KeepaliveAt(bytes.substr(skip))) skip += n;
  return skip;
}

}  // namespace

StreamFrame FirstStreamFrame(std::string_view stream) {
  using Kind = StreamFrame::Kind;
  if (const std::size_t keepalives = LeadingKeepalives(stream); keepalives > 0) {
    return {Kind::Keepalive, keepalives};
  }
  if (stream.empty() || stream == "\r") return {Kind::Incomplete, 0};
  std::size_t scanFrom = 0;
  const std::size_t headEnd = FindHeadEnd(stream, scanFrom);
  if (headEnd == std::string_view::npos) {
    return {stream.size() > MessageFramer::kMaxHeaderBytes ? Kind::Defective : Kind::Incomplete, 0};
  }
  if (headEnd > MessageFramer::kMaxHeaderBytes) return {Kind::Defective, 0};
  const auto length = FindContentLength(stream.substr(0, headEnd));
  if (!length || length.Value().value_or(0) > MessageFramer::kMaxBodyBytes) {
    return {Kind::Defective, 0};
  }
  const std::size_t total = headEnd + static_cast<std::size_t>(length.Value().value_or(0));
  return stream.size() < total ? StreamFrame{Kind::Incomplete, 0} : StreamFrame{Kind::Message, total};
}

std::optional<ParseResult<SipMessage>> MessageFramer::Next() {
  // RFC 5626 keepalives between messages: CRLFCRLF (ping) or CRLF (pong).
  std::size_t skip = 0;
  while (const std::size_t n = KeepaliveAt(std::string_view(m_buffer).substr(skip))) {
    skip += n;
    ++(n == 4 ? m_pings : m_pongs);
    ++m_keepalives;
  }
  if (skip > 0) {
    Consume(skip);
  }
  if (m_buffer.empty() || m_buffer == "\r") {
    return std::nullopt;  // nothing, or maybe the first half of a CRLF
  }

  const std::size_t headEnd = FindHeadEnd(m_buffer, m_scanFrom);
  if (headEnd == std::string_view::npos) {
    if (m_buffer.size() > kMaxHeaderBytes) {
      const std::size_t size = m_buffer.size();
      Consume(size);
      return ParseResult<SipMessage>(MakeError(
          ParseErrorKind::BadHeader, 1, 1,
          fmt::format("no end of header block within {} bytes ({} discarded)", kMaxHeaderBytes,
                      size)));
    }
    return std::nullopt;
  }
  if (headEnd > kMaxHeaderBytes) {
    // The body length cannot be trusted from an oversized head: drop everything we have.
    const std::size_t size = m_buffer.size();
    Consume(size);
    return ParseResult<SipMessage>(MakeError(
        ParseErrorKind::BadHeader, 1, 1,
        fmt::format("header block of {} bytes exceeds {} ({} discarded)", headEnd,
                    kMaxHeaderBytes, size)));
  }

  const auto length = FindContentLength(std::string_view(m_buffer).substr(0, headEnd));
  if (!length) {
    Consume(headEnd);  // the body cannot be delimited; skip the head we could
    return ParseResult<SipMessage>(length.Error());
  }
  const std::uint64_t bodySize = length.Value().value_or(0);  // RFC 3261 18.3: absent = 0
  if (bodySize > kMaxBodyBytes) {
    const std::size_t size = m_buffer.size();
    Consume(size);
    return ParseResult<SipMessage>(MakeError(
        ParseErrorKind::BadContentLength, 1, 1,
        fmt::format("Content-Length {} exceeds the {} byte limit ({} discarded)", bodySize,
                    kMaxBodyBytes, size)));
  }
  const std::size_t total = headEnd + static_cast<std::size_t>(bodySize);
  if (m_buffer.size() < total) {
    return std::nullopt;
  }
  ParseResult<SipMessage> result = ParseMessage(std::string_view(m_buffer).substr(0, total));
  Consume(total);
  return result;
}

}  // namespace alglab::sip
