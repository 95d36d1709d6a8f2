#include "sim/sip/sdp.h"

#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>

namespace alglab::sip {

using detail::Excerpt;
using detail::MakeError;

const char* ToString(MediaDirection d) {
  switch (d) {
    case MediaDirection::SendRecv: return "sendrecv";
    case MediaDirection::SendOnly: return "sendonly";
    case MediaDirection::RecvOnly: return "recvonly";
    case MediaDirection::Inactive: return "inactive";
  }
  return "sendrecv";
}

namespace {

std::optional<MediaDirection> DirectionFromAttribute(std::string_view a) {
  if (a == "sendrecv") return MediaDirection::SendRecv;
  if (a == "sendonly") return MediaDirection::SendOnly;
  if (a == "recvonly") return MediaDirection::RecvOnly;
  if (a == "inactive") return MediaDirection::Inactive;
  return std::nullopt;
}

std::optional<MediaDirection> FindDirection(const std::vector<std::string>& attributes) {
  for (const auto& a : attributes) {
    if (auto d = DirectionFromAttribute(a)) {
      return d;
    }
  }
  return std::nullopt;
}

/// Fields separated by single spaces (RFC 4566 is strict about this; tolerate runs of spaces).
std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') {
      ++i;
    }
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') {
      ++i;
    }
    if (i > start) {
      out.push_back(s.substr(start, i - start));
    }
  }
  return out;
}

// The parts of "rtcp:PORT [nettype addrtype address]".
std::vector<std::string_view> RtcpFields(const std::vector<std::string>& attributes) {
  for (const auto& a : attributes) {
    if (detail::IStartsWith(a, "rtcp:")) {
      return SplitFields(std::string_view(a).substr(5));
    }
  }
  return {};
}

struct SdpLine {
  char type;
  std::string_view value;
  std::string_view whole;
  std::size_t number;
};

ParseError SdpError(std::size_t line, std::size_t column, std::string detail) {
  return MakeError(ParseErrorKind::BadSdp, line, column, std::move(detail));
}

std::optional<ParseError> ParseConnection(const SdpLine& l, SdpConnection& out) {
  const auto f = SplitFields(l.value);
  if (f.size() != 3) {
    return SdpError(l.number, 3, fmt::format("c= needs 'nettype addrtype address': '{}'",
                                             Excerpt(l.whole)));
  }
  out.netType = std::string(f[0]);
  out.addrType = std::string(f[1]);
  out.address = std::string(f[2]);
  return std::nullopt;
}

std::optional<ParseError> ParseOrigin(const SdpLine& l, SdpOrigin& out) {
  const auto f = SplitFields(l.value);
  if (f.size() != 6) {
    return SdpError(l.number, 3,
                    fmt::format("o= needs 6 fields (user id version nettype addrtype addr): '{}'",
                                Excerpt(l.whole)));
  }
  out.username = std::string(f[0]);
  out.sessionId = std::string(f[1]);
  out.sessionVersion = std::string(f[2]);
  out.netType = std::string(f[3]);
  out.addrType = std::string(f[4]);
  out.address = std::string(f[5]);
  return std::nullopt;
}

std::optional<ParseError> ParseMediaLine(const SdpLine& l, SdpMedia& out) {
  const auto f = SplitFields(l.value);
  if (f.size() < 4) {
    return SdpError(l.number, 3, fmt::format("m= needs 'media port proto fmt ...': '{}'",
                                             Excerpt(l.whole)));
  }
  out.type = std::string(f[0]);
  const std::string_view portField = f[1];
  const std::size_t slash = portField.find('/');
  const auto port = detail::ParseUnsigned(portField.substr(0, slash), 65535);
  if (!port) {
    return SdpError(l.number, 3, fmt::format("bad media port in '{}'", Excerpt(l.whole)));
  }
  out.port = static_cast<std::uint16_t>(*port);
  if (slash != std::string_view::npos) {
    const auto count = detail::ParseUnsigned(portField.substr(slash + 1), 65535);
    if (!count) {
      return SdpError(l.number, 3, fmt::format("bad port count in '{}'", Excerpt(l.whole)));
    }
    out.portCount = static_cast<std::uint16_t>(*count);
  }
  out.protocol = std::string(f[2]);
  for (std::size_t i = 3; i < f.size(); ++i) {
    out.formats.emplace_back(f[i]);
  }
  return std::nullopt;
}

// Session-level "other" lines are written back in RFC 4566 order: i u e p before c=, b= after,
// r z after t=, then k= and anything unknown before the a= lines.
int SessionSlot(char type) {
  switch (type) {
    case 'i': case 'u': case 'e': case 'p': return 0;
    case 'b': return 1;
    case 'r': case 'z': return 2;
    default: return 3;
  }
}

}  // namespace

// --- SdpMedia ----------------------------------------------------------------------------------

MediaDirection SdpMedia::Direction(MediaDirection sessionDefault) const {
  return FindDirection(attributes).value_or(sessionDefault);
}

void SdpMedia::SetDirection(MediaDirection d) {
  std::vector<std::string> kept;
  bool placed = false;
  for (auto& a : attributes) {
    if (!DirectionFromAttribute(a)) {
      kept.push_back(std::move(a));
    } else if (!placed) {
      kept.emplace_back(ToString(d));
      placed = true;
    }
  }
  if (!placed) {
    kept.emplace_back(ToString(d));
  }
  attributes = std::move(kept);
}

std::optional<std::uint16_t> SdpMedia::RtcpPort() const {
  const auto f = RtcpFields(attributes);
  if (f.empty()) {
    return std::nullopt;
  }
  const auto port = detail::ParseUnsigned(f[0], 65535);
  if (!port) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(*port);
}

std::optional<std::string> SdpMedia::RtcpAddress() const {
  const auto f = RtcpFields(attributes);
  if (f.size() < 4) {
    return std::nullopt;
  }
  return std::string(f[3]);
}

// --- SessionDescription ------------------------------------------------------------------------

ParseResult<SessionDescription> SessionDescription::Parse(std::string_view text) {
  if (text.empty()) {
    return SdpError(1, 1, "empty SDP");
  }
  // Cut into lines first so trailing blank lines can be told from blank lines in the middle.
  std::vector<SdpLine> lines;
  std::size_t pos = 0;
  std::size_t number = 1;
  std::size_t lastNonEmpty = 0;
  while (pos < text.size()) {
    std::size_t lf = text.find('\n', pos);
    const std::size_t next = lf == std::string_view::npos ? text.size() : lf + 1;
    std::size_t end = lf == std::string_view::npos ? text.size() : lf;
    if (end > pos && text[end - 1] == '\r') {
      --end;
    }
    const std::string_view whole = text.substr(pos, end - pos);
    lines.push_back(SdpLine{whole.empty() ? '\0' : whole[0],
                            whole.size() >= 2 ? whole.substr(2) : std::string_view(), whole,
                            number});
    if (!whole.empty()) {
      lastNonEmpty = lines.size();
    }
    pos = next;
    ++number;
  }
  lines.resize(lastNonEmpty);

  SessionDescription sd;
  sd.timing.clear();
  bool sawOrigin = false;
  bool sawName = false;
  SdpMedia* media = nullptr;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const SdpLine& l = lines[i];
    if (l.whole.empty()) {
      return SdpError(l.number, 1, "blank line inside SDP");
    }
    if (l.whole.size() < 2 || l.type < 'a' || l.type > 'z' || l.whole[1] != '=') {
      return SdpError(l.number, 1, fmt::format("expected '<letter>=' at the start of '{}'",
                                               Excerpt(l.whole)));
    }
    for (std::size_t k = 0; k < l.whole.size(); ++k) {
      if (detail::IsControl(l.whole[k])) {
        return SdpError(l.number, k + 1,
                        fmt::format("control character in '{}'", Excerpt(l.whole)));
      }
    }
    if (i == 0) {
      if (l.type != 'v') {
        return SdpError(l.number, 1, fmt::format("SDP must start with v=, found '{}'",
                                                 Excerpt(l.whole)));
      }
      const auto v = detail::ParseUnsigned(l.value, 1000);
      if (!v) {
        return SdpError(l.number, 3, fmt::format("bad version in '{}'", Excerpt(l.whole)));
      }
      sd.version = static_cast<int>(*v);
      continue;
    }
    if (l.type == 'm') {
      sd.media.emplace_back();
      media = &sd.media.back();
      media->formats.clear();
      if (auto e = ParseMediaLine(l, *media)) {
        return *e;
      }
      continue;
    }
    if (media != nullptr) {
      switch (l.type) {
        case 'c':
          if (media->connection) {
            media->otherLines.emplace_back(l.whole);  // further multicast c= lines
          } else {
            SdpConnection c;
            if (auto e = ParseConnection(l, c)) {
              return *e;
            }
            media->connection = c;
          }
          break;
        case 'a':
          media->attributes.emplace_back(l.value);
          break;
        case 'v': case 'o': case 's': case 't': case 'r': case 'z': case 'u': case 'e':
        case 'p':
          return SdpError(l.number, 1, fmt::format("session-level line '{}' inside a media section",
                                                   Excerpt(l.whole)));
        default:
          media->otherLines.emplace_back(l.whole);
          break;
      }
      continue;
    }
    switch (l.type) {
      case 'v':
        return SdpError(l.number, 1, "second v= line");
      case 'o':
        if (sawOrigin) {
          return SdpError(l.number, 1, "second o= line");
        }
        if (auto e = ParseOrigin(l, sd.origin)) {
          return *e;
        }
        sawOrigin = true;
        break;
      case 's':
        if (sawName) {
          return SdpError(l.number, 1, "second s= line");
        }
        sd.sessionName = std::string(l.value);
        sawName = true;
        break;
      case 'c': {
        if (sd.connection) {
          return SdpError(l.number, 1, "second session-level c= line");
        }
        SdpConnection c;
        if (auto e = ParseConnection(l, c)) {
          return *e;
        }
        sd.connection = c;
        break;
      }
      case 't':
        if (SplitFields(l.value).size() != 2) {
          return SdpError(l.number, 3, fmt::format("t= needs 'start stop': '{}'",
                                                   Excerpt(l.whole)));
        }
        sd.timing.emplace_back(l.value);
        break;
      case 'a':
        sd.attributes.emplace_back(l.value);
        break;
      default:
        sd.otherLines.emplace_back(l.whole);
        break;
    }
  }
  const std::size_t endLine = lines.empty() ? 1 : lines.back().number;
  if (!sawOrigin) {
    return SdpError(endLine, 1, "missing o= line");
  }
  if (!sawName) {
    return SdpError(endLine, 1, "missing s= line");
  }
  return sd;
}

std::string SessionDescription::ToString() const {
  std::string out;
  auto line = [&out](char type, std::string_view value) {
    out += type;
    out += '=';
    out += value;
    out += "\r\n";
  };
  auto others = [&out](const std::vector<std::string>& lines, int slot) {
    for (const auto& l : lines) {
      if (SessionSlot(l.empty() ? '\0' : l[0]) == slot) {
        out += l;
        out += "\r\n";
      }
    }
  };
  line('v', std::to_string(version));
  line('o', fmt::format("{} {} {} {} {} {}", origin.username, origin.sessionId,
                        origin.sessionVersion, origin.netType, origin.addrType, origin.address));
  line('s', sessionName);
  others(otherLines, 0);
  if (connection) {
    line('c', fmt::format("{} {} {}", connection->netType, connection->addrType,
                          connection->address));
  }
  others(otherLines, 1);
  for (const auto& t : timing) {
    line('t', t);
  }
  others(otherLines, 2);
  others(otherLines, 3);
  for (const auto& a : attributes) {
    line('a', a);
  }
  for (const auto& m : media) {
    std::string port = std::to_string(m.port);
    if (m.portCount) {
      port += fmt::format("/{}", *m.portCount);
    }
    std::string mline = fmt::format("{} {} {}", m.type, port, m.protocol);
    for (const auto& f : m.formats) {
      mline += ' ';
      mline += f;
    }
    line('m', mline);
    // Media order per RFC 4566: i c b k a (extra c= lines were kept as "other").
    for (const auto& l : m.otherLines) {
      if (!l.empty() && l[0] == 'i') {
        out += l;
        out += "\r\n";
      }
    }
    if (m.connection) {
      line('c', fmt::format("{} {} {}", m.connection->netType, m.connection->addrType,
                            m.connection->address));
    }
    for (const auto& l : m.otherLines) {
      if (l.empty() || l[0] != 'i') {
        out += l;
        out += "\r\n";
      }
    }
    for (const auto& a : m.attributes) {
      line('a', a);
    }
  }
  return out;
}

MediaDirection SessionDescription::SessionDirection() const {
  return FindDirection(attributes).value_or(MediaDirection::SendRecv);
}

std::optional<std::string> SessionDescription::MediaAddress(std::size_t mediaIndex) const {
  if (mediaIndex >= media.size()) {
    return std::nullopt;
  }
  const auto& c = media[mediaIndex].connection ? media[mediaIndex].connection : connection;
  if (!c) {
    return std::nullopt;
  }
  // Multicast addresses carry "/ttl[/count]"; the address is what precedes them.
  const std::size_t slash = c->address.find('/');
  return c->address.substr(0, slash);
}

}  // namespace alglab::sip
