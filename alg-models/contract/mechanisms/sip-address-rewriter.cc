#include "alg-models/contract/mechanisms/sip-address-rewriter.h"

#include "alg-models/contract/mechanisms/knob-list.h"

#include "ns3/boolean.h"
#include "ns3/string.h"

#include <cctype>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SipAddressRewriter);

namespace {

constexpr std::uint16_t kDefaultSipPort = 5060;
constexpr const char* kDefaultHeaders = "request-uri,via,contact,from,to";
constexpr const char* kAllHeaders[] = {"request-uri", "via",          "contact", "from",
                                       "to",          "record-route", "route"};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

/// The canonical name of a header line's name (compact forms expanded).
std::string CanonicalHeader(std::string_view name) {
  const std::string lower = Lower(name);
  if (lower == "v") return "via";
  if (lower == "m") return "contact";
  if (lower == "f") return "from";
  if (lower == "t") return "to";
  if (lower == "l") return "content-length";
  return lower;
}

bool IsDigit(char ch) { return ch >= '0' && ch <= '9'; }
bool IsAlnum(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0; }

/// One "a.b.c.d[:port]" found in text.
struct AddressText {
  std::size_t offset = 0;
  std::size_t length = 0;  ///< address and, if present, ":port"
  std::uint32_t address = 0;
  std::optional<std::uint16_t> port;
};

/// Reads a dotted quad at `i` (which must not continue a longer token). Ports are read only
/// when `withPort`.
std::optional<AddressText> ReadAddress(std::string_view text, std::size_t i, bool withPort) {
  if (i > 0 && (IsAlnum(text[i - 1]) || text[i - 1] == '.')) return std::nullopt;
  AddressText found;
  found.offset = i;
  std::uint32_t address = 0;
  std::size_t pos = i;
  for (int group = 0; group < 4; ++group) {
    if (group > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    std::size_t digits = 0;
    std::uint32_t value = 0;
    while (pos < text.size() && IsDigit(text[pos]) && digits < 4) {
      value = value * 10 + static_cast<std::uint32_t>(text[pos] - '0');
      ++pos;
      ++digits;
    }
    if (digits == 0 || digits > 3 || value > 255) return std::nullopt;
    address = (address << 8) | value;
  }
  // "10.0.0.2a" or "10.0.0.2.example" is a name, not an address.
  if (pos < text.size() && (IsAlnum(text[pos]) || text[pos] == '.')) return std::nullopt;
  found.address = address;
  if (withPort && pos + 1 < text.size() && text[pos] == ':' && IsDigit(text[pos + 1])) {
    std::size_t end = pos + 1;
    std::uint32_t port = 0;
    while (end < text.size() && IsDigit(text[end]) && end - pos <= 5) {
      port = port * 10 + static_cast<std::uint32_t>(text[end] - '0');
      ++end;
    }
    if (port > 0 && port <= 65535 && (end >= text.size() || !IsDigit(text[end]))) {
      found.port = static_cast<std::uint16_t>(port);
      pos = end;
    }
  }
  found.length = pos - i;
  return found;
}

std::string FormatAddress(std::uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
         std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

/// The rewrite of one message; a small state object so each step reads like the rule.
class Pass {
 public:
  Pass(const nat::Endpoint& from, const nat::Endpoint& to, alg::AddressMatch rule,
       const alg::RouterView* view)
      : m_from(from), m_to(to), m_rule(rule), m_view(view) {}

  /// Rewrites every matching address in `text`; `header`: SIP text (ports count).
  std::string Addresses(std::string_view text, bool header) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
      std::optional<AddressText> found;
      if (IsDigit(text[i])) found = ReadAddress(text, i, header);
      if (!found) {
        out += text[i++];
        continue;
      }
      out += Replacement(*found, header, text.substr(found->offset, found->length));
      i = found->offset + found->length;
    }
    return out;
  }

  /// True when SDP text naming `address` names the translated host.
  bool SdpMatches(std::uint32_t address) const {
    const alg::AddressMatch rule =
        m_rule == alg::AddressMatch::AddressAndPort ? alg::AddressMatch::AddressOnly : m_rule;
    return alg::AddressMatches(rule, address, 0, m_from.address.Get(), 0, m_view);
  }

  std::size_t count = 0;

 private:
  std::string Replacement(const AddressText& found, bool header, std::string_view original) {
    const std::uint16_t port = found.port.value_or(kDefaultSipPort);
    const bool matches =
        header ? alg::AddressMatches(m_rule, found.address, port, m_from.address.Get(),
                                     m_from.port, m_view)
               : SdpMatches(found.address);
    if (!matches) return std::string(original);
    std::string text = FormatAddress(m_to.address.Get());
    if (header) {
      // The port changes only where it named the translated endpoint's port.
      const bool portIsEndpoint = port == m_from.port;
      const std::uint16_t newPort = portIsEndpoint ? m_to.port : port;
      if (found.port || newPort != kDefaultSipPort) text += ":" + std::to_string(newPort);
    }
    if (text != original) ++count;
    return text;
  }

  nat::Endpoint m_from;
  nat::Endpoint m_to;
  alg::AddressMatch m_rule;
  const alg::RouterView* m_view;
};

/// Splits `text` into lines, each keeping its line break.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.emplace_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

/// The line without its line break.
std::string_view Content(const std::string& line) {
  std::string_view v(line);
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

/// The first dotted quad of an SDP line's value, if any.
std::optional<std::uint32_t> SdpLineAddress(std::string_view line) {
  for (std::size_t i = 2; i < line.size(); ++i) {
    if (!IsDigit(line[i])) continue;
    const std::optional<AddressText> found = ReadAddress(line, i, false);
    if (found) return found->address;
  }
  return std::nullopt;
}

}  // namespace

ns3::TypeId SipAddressRewriter::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SipAddressRewriter")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<SipAddressRewriter>()
          .AddAttribute("rewrite_headers",
                        "Comma-separated headers whose addresses are rewritten: request-uri, "
                        "via, contact, from, to, record-route, route (empty: none).",
                        ns3::StringValue(kDefaultHeaders),
                        ns3::MakeStringAccessor(&SipAddressRewriter::SetHeaders,
                                                &SipAddressRewriter::GetHeaders),
                        ns3::MakeStringChecker())
          .AddAttribute("rewrite_sdp",
                        "Comma-separated SDP lines rewritten: o, c, m (m = the port; empty: none).",
                        ns3::StringValue("o,c,m"),
                        ns3::MakeStringAccessor(&SipAddressRewriter::SetSdp,
                                                &SipAddressRewriter::GetSdp),
                        ns3::MakeStringChecker())
          .AddAttribute("address_match",
                        "Which text counts as the translated endpoint: address-and-port | "
                        "address-only | any-private (RFC 1918 or a router LAN prefix).",
                        ns3::StringValue("address-only"),
                        ns3::MakeStringAccessor(&SipAddressRewriter::SetMatch,
                                                &SipAddressRewriter::GetMatch),
                        ns3::MakeStringChecker())
          .AddAttribute("content_length",
                        "After a rewrite: fix (Content-Length := the body's length) | leave.",
                        ns3::StringValue("fix"),
                        ns3::MakeStringAccessor(&SipAddressRewriter::SetContentLength,
                                                &SipAddressRewriter::GetContentLength),
                        ns3::MakeStringChecker())
          .AddAttribute("rewrite_origin",
                        "When rewrite_sdp includes o: always, or when-equal-to-c (only an o= whose "
                        "address is the session c= address).",
                        ns3::StringValue("always"),
                        ns3::MakeStringAccessor(&SipAddressRewriter::SetOrigin,
                                                &SipAddressRewriter::GetOrigin),
                        ns3::MakeStringChecker())
          .AddAttribute("sip_transports",
                        "Transports inspected: udp, tcp or udp,tcp (TCP as the model's tcp_view "
                        "presents it: segments or whole messages).",
                        ns3::StringValue("udp"),
                        ns3::MakeStringAccessor(&SipAddressRewriter::SetTransports, &SipAddressRewriter::GetTransports),
                        ns3::MakeStringChecker())
          .AddAttribute("rewrite_inbound",
                        "Also rewrite WAN-to-LAN messages (public endpoint -> inside endpoint).",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipAddressRewriter::m_inbound),
                        ns3::MakeBooleanChecker());
  return tid;
}

SipAddressRewriter::SipAddressRewriter() {
  SetHeaders(kDefaultHeaders);
  SetSdp("o,c,m");
}

void SipAddressRewriter::SetHeaders(std::string text) {
  std::set<std::string> headers;
  for (const std::string& item : alg::SplitKnobList(text)) {
    const std::string name = Lower(item);
    bool known = false;
    for (const char* h : kAllHeaders) known = known || name == h;
    if (!known) {
      throw std::invalid_argument("rewrite_headers: '" + item +
                                  "' is not one of request-uri, via, contact, from, to, "
                                  "record-route, route");
    }
    headers.insert(name);
  }
  m_headers = std::move(headers);
  m_headersText = text;
}

void SipAddressRewriter::SetSdp(std::string text) {
  std::set<char> lines;
  for (const std::string& item : alg::SplitKnobList(text)) {
    if (item != "o" && item != "c" && item != "m") {
      throw std::invalid_argument("rewrite_sdp: '" + item + "' is not one of o, c, m");
    }
    lines.insert(item[0]);
  }
  m_sdp = std::move(lines);
  m_sdpText = text;
}

void SipAddressRewriter::SetMatch(std::string text) {
  const std::optional<alg::AddressMatch> parsed = alg::ParseAddressMatch(text);
  if (!parsed) {
    throw std::invalid_argument("address_match: '" + text +
                                "' is not one of address-and-port, address-only, any-private");
  }
  m_match = *parsed;
}

void SipAddressRewriter::SetOrigin(std::string text) {
  if (text != "always" && text != "when-equal-to-c") {
    throw std::invalid_argument("rewrite_origin: '" + text + "' is not one of always, when-equal-to-c");
  }
  m_originOnlyWithConnection = text == "when-equal-to-c";
}

void SipAddressRewriter::SetContentLength(std::string text) {
  if (text == "fix") {
    m_contentLength = ContentLengthPolicy::Fix;
  } else if (text == "leave") {
    m_contentLength = ContentLengthPolicy::Leave;
  } else {
    throw std::invalid_argument("content_length: '" + text + "' is not one of fix, leave");
  }
}

std::string SipAddressRewriter::GetContentLength() const {
  return m_contentLength == ContentLengthPolicy::Fix ? "fix" : "leave";
}

std::size_t SipAddressRewriter::Rewrite(std::string& message, const nat::Endpoint& from,
                                        const nat::Endpoint& to, alg::AddressMatch rule,
                                        const alg::RouterView* view,
                                        const MediaPortReserver& reserve) const {
  // The header section ends at the first empty line; the rest is the body.
  std::size_t bodyStart = message.size();
  std::size_t headerEnd = message.size();
  const std::size_t crlf = message.find("\r\n\r\n");
  const std::size_t lf = message.find("\n\n");
  if (crlf != std::string::npos && (lf == std::string::npos || crlf < lf)) {
    headerEnd = crlf + 2;
    bodyStart = crlf + 4;
  } else if (lf != std::string::npos) {
    headerEnd = lf + 1;
    bodyStart = lf + 2;
  }
  Pass pass(from, to, rule, view);

  std::vector<std::string> headers = Lines(std::string_view(message).substr(0, headerEnd));
  bool selected = false;
  std::size_t contentLengthLine = headers.size();
  for (std::size_t n = 0; n < headers.size(); ++n) {
    std::string& line = headers[n];
    if (n == 0) {
      // The start line: a request's Request-URI (a response's status line has no address).
      if (line.rfind("SIP/", 0) != 0 && m_headers.count("request-uri") != 0) {
        line = pass.Addresses(line, true);
      }
      continue;
    }
    std::size_t valueStart = 0;
    if (line[0] != ' ' && line[0] != '\t') {
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) {
        selected = false;
        continue;
      }
      std::string_view name = std::string_view(line).substr(0, colon);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
      const std::string canonical = CanonicalHeader(name);
      if (canonical == "content-length") contentLengthLine = n;
      selected = m_headers.count(canonical) != 0;
      valueStart = colon + 1;
    }
    if (selected) {
      line = line.substr(0, valueStart) + pass.Addresses(line.substr(valueStart), true);
    }
  }

  std::string body = bodyStart < message.size() ? message.substr(bodyStart) : std::string();
  if (body.rfind("v=", 0) == 0 && !m_sdp.empty()) {
    std::vector<std::string> lines = Lines(body);
    // The address each m= section's media goes to: its own c=, else the session c=.
    std::optional<std::uint32_t> session;
    std::vector<std::optional<std::uint32_t>> sectionAddress;  // per line index of an m=
    sectionAddress.assign(lines.size(), std::nullopt);
    std::size_t currentMedia = lines.size();
    for (std::size_t n = 0; n < lines.size(); ++n) {
      const std::string_view text = Content(lines[n]);
      if (text.rfind("m=", 0) == 0) {
        currentMedia = n;
        sectionAddress[n] = session;
      } else if (text.rfind("c=", 0) == 0) {
        const std::optional<std::uint32_t> address = SdpLineAddress(text);
        if (currentMedia == lines.size()) {
          session = address;
        } else {
          sectionAddress[currentMedia] = address;
        }
      }
    }
    for (std::size_t n = 0; n < lines.size(); ++n) {
      std::string& line = lines[n];
      const char kind = line.size() >= 2 && line[1] == '=' ? line[0] : '\0';
      if (kind == 'o' && m_originOnlyWithConnection && SdpLineAddress(Content(line)) != session) {
        continue;  // an origin that is not the connection address stays as written
      }
      if ((kind == 'o' || kind == 'c') && m_sdp.count(kind) != 0) {
        line = line.substr(0, 2) + pass.Addresses(line.substr(2), false);
      } else if (kind == 'm' && m_sdp.count('m') != 0 && reserve && sectionAddress[n] &&
                 pass.SdpMatches(*sectionAddress[n])) {
        // "m=<media> <port>[/<count>] ...": only the port digits change.
        const std::size_t space = line.find(' ');
        if (space == std::string::npos) continue;
        std::size_t end = space + 1;
        while (end < line.size() && IsDigit(line[end])) ++end;
        if (end == space + 1 || end - space > 6) continue;
        const unsigned long port = std::stoul(line.substr(space + 1, end - space - 1));
        if (port == 0 || port > 65535) continue;  // a disabled stream keeps port 0
        const std::uint16_t mapped = reserve(
            nat::Endpoint{ns3::Ipv4Address(*sectionAddress[n]), static_cast<std::uint16_t>(port)});
        if (mapped == 0 || mapped == port) continue;
        line = line.substr(0, space + 1) + std::to_string(mapped) + line.substr(end);
        ++pass.count;
      }
    }
    body.clear();
    for (const std::string& line : lines) body += line;
  }
  if (pass.count == 0) return 0;

  if (m_contentLength == ContentLengthPolicy::Fix && contentLengthLine < headers.size()) {
    std::string& line = headers[contentLengthLine];
    const std::size_t colon = line.find(':');
    const std::string_view ending = std::string_view(line).substr(Content(line).size());
    line = line.substr(0, colon + 1) + " " + std::to_string(body.size()) + std::string(ending);
  }
  std::string out;
  out.reserve(message.size() + 64);
  for (const std::string& line : headers) out += line;
  out += message.substr(headerEnd, bodyStart - headerEnd);  // the empty line
  out += body;
  message = std::move(out);
  return pass.count;
}

alg::Verdict SipAddressRewriter::Process(alg::PacketContext& context) {
  if (context.PayloadSize() == 0 || !m_scope.Covers(context)) return alg::Verdict::Accept();
  const bool outbound = context.direction == nat::Direction::Outbound;
  if (!outbound && !m_inbound) return alg::Verdict::Accept();
  if (context.Sip() == nullptr) return alg::Verdict::Accept();  // not SIP: nothing to read

  std::string message = context.Payload();
  std::size_t changes = 0;
  if (outbound) {
    nat::NatTable& table = context.nat;
    const ns3::Time now = context.now;
    const MediaPortReserver reserve = [&table, now](const nat::Endpoint& inside) {
      const nat::OutboundResult r =
          table.ReserveMapping(nat::L4Protocol::Udp, inside, nat::Endpoint{}, now);
      return r.status == nat::OutboundStatus::Translated ? r.external.port : std::uint16_t{0};
    };
    changes = Rewrite(message, context.original.source, context.translated.source, m_match,
                      &context.router, reserve);
  } else {
    // The text names the public side here: "private" means nothing, the address decides.
    const alg::AddressMatch rule =
        m_match == alg::AddressMatch::AnyPrivate ? alg::AddressMatch::AddressOnly : m_match;
    changes = Rewrite(message, context.original.destination, context.translated.destination,
                      rule, &context.router, MediaPortReserver{});
  }
  if (changes > 0) context.MutablePayload() = std::move(message);
  return alg::Verdict::Accept();
}

}  // namespace alglab
