#include "sim/sip/sip-message.h"

#include "sim/sip/detail/text-util.h"

#include <fmt/format.h>

namespace alglab::sip {

namespace {

struct KnownHeader {
  char compact;  ///< RFC 3261 section 7.3.3 (and later RFCs) compact form, 0 when none
  const char* name;
  bool multiValue;
};

// Canonical spellings. Sorted by nothing in particular; lookups are linear over ~60 entries.
constexpr KnownHeader kKnownHeaders[] = {
    {'v', "Via", true},
    {'m', "Contact", true},
    {'l', "Content-Length", false},
    {'i', "Call-ID", false},
    {'f', "From", false},
    {'t', "To", false},
    {'c', "Content-Type", false},
    {'k', "Supported", true},
    {'s', "Subject", false},
    {'e', "Content-Encoding", true},
    {'o', "Event", false},
    {'u', "Allow-Events", true},
    {'r', "Refer-To", false},
    {'b', "Referred-By", false},
    {'x', "Session-Expires", false},
    {0, "CSeq", false},
    {0, "Max-Forwards", false},
    {0, "Route", true},
    {0, "Record-Route", true},
    {0, "Allow", true},
    {0, "Require", true},
    {0, "Proxy-Require", true},
    {0, "Unsupported", true},
    {0, "Accept", true},
    {0, "Accept-Encoding", true},
    {0, "Accept-Language", true},
    {0, "Content-Language", true},
    {0, "Content-Disposition", false},
    {0, "Alert-Info", true},
    {0, "Call-Info", true},
    {0, "Error-Info", true},
    {0, "In-Reply-To", true},
    {0, "Warning", true},
    {0, "Path", true},
    {0, "Service-Route", true},
    {0, "P-Asserted-Identity", true},
    {0, "P-Preferred-Identity", true},
    {0, "Reason", true},
    {0, "History-Info", true},
    {0, "Authorization", false},
    {0, "Proxy-Authorization", false},
    {0, "WWW-Authenticate", false},
    {0, "Proxy-Authenticate", false},
    {0, "Authentication-Info", false},
    {0, "Date", false},
    {0, "Expires", false},
    {0, "Min-Expires", false},
    {0, "MIME-Version", false},
    {0, "Organization", false},
    {0, "Priority", false},
    {0, "Reply-To", false},
    {0, "Retry-After", false},
    {0, "Server", false},
    {0, "User-Agent", false},
    {0, "Timestamp", false},
    {0, "Subscription-State", false},
    {0, "RSeq", false},
    {0, "RAck", false},
    {0, "Min-SE", false},
    {0, "Replaces", false},
    {0, "Privacy", false},
};

const KnownHeader* FindKnown(std::string_view name) {
  if (name.size() == 1) {
    const char c = detail::ToLowerAscii(name[0]);
    for (const auto& h : kKnownHeaders) {
      if (h.compact == c) {
        return &h;
      }
    }
    return nullptr;
  }
  for (const auto& h : kKnownHeaders) {
    if (detail::IEquals(name, h.name)) {
      return &h;
    }
  }
  return nullptr;
}

}  // namespace

std::string CanonicalHeaderName(std::string_view name) {
  const KnownHeader* h = FindKnown(name);
  return h ? std::string(h->name) : std::string(name);
}

bool HeaderNamesEqual(std::string_view a, std::string_view b) {
  const KnownHeader* ha = FindKnown(a);
  const KnownHeader* hb = FindKnown(b);
  if (ha || hb) {
    return ha == hb;
  }
  return detail::IEquals(a, b);
}

bool IsMultiValueHeader(std::string_view name) {
  const KnownHeader* h = FindKnown(name);
  return h && h->multiValue;
}

// --- construction ------------------------------------------------------------------------------

SipMessage SipMessage::Request(std::string method, Uri requestUri) {
  SipMessage m;
  m.m_isRequest = true;
  m.m_method = std::move(method);
  m.m_requestUri = std::move(requestUri);
  return m;
}

SipMessage SipMessage::Response(int statusCode, std::string reason) {
  SipMessage m;
  m.m_isRequest = false;
  m.m_statusCode = statusCode;
  m.m_reason = reason.empty() ? std::string(DefaultReason(statusCode)) : std::move(reason);
  return m;
}

// --- raw header access -------------------------------------------------------------------------

std::optional<std::string> SipMessage::Get(std::string_view name) const {
  for (const auto& h : m_headers) {
    if (HeaderNamesEqual(h.name, name)) {
      return h.value;
    }
  }
  return std::nullopt;
}

std::vector<std::string> SipMessage::GetAll(std::string_view name) const {
  std::vector<std::string> out;
  const bool split = IsMultiValueHeader(name);
  for (const auto& h : m_headers) {
    if (!HeaderNamesEqual(h.name, name)) {
      continue;
    }
    if (split) {
      for (const auto& item : detail::SplitTopLevel(h.value, ',')) {
        out.emplace_back(item.text);
      }
    } else {
      out.push_back(h.value);
    }
  }
  return out;
}

bool SipMessage::Has(std::string_view name) const {
  for (const auto& h : m_headers) {
    if (HeaderNamesEqual(h.name, name)) {
      return true;
    }
  }
  return false;
}

void SipMessage::Set(std::string_view name, std::string value) {
  std::vector<Header> kept;
  kept.reserve(m_headers.size() + 1);
  bool placed = false;
  for (auto& h : m_headers) {
    if (!HeaderNamesEqual(h.name, name)) {
      kept.push_back(std::move(h));
    } else if (!placed) {
      h.value = std::move(value);
      kept.push_back(std::move(h));
      placed = true;
    }
  }
  if (!placed) {
    kept.push_back(Header{std::string(name), std::move(value)});
  }
  m_headers = std::move(kept);
}

void SipMessage::Add(std::string_view name, std::string value) {
  m_headers.push_back(Header{std::string(name), std::move(value)});
}

void SipMessage::Prepend(std::string_view name, std::string value) {
  m_headers.insert(m_headers.begin(), Header{std::string(name), std::move(value)});
}

void SipMessage::Remove(std::string_view name) {
  std::vector<Header> kept;
  kept.reserve(m_headers.size());
  for (auto& h : m_headers) {
    if (!HeaderNamesEqual(h.name, name)) {
      kept.push_back(std::move(h));
    }
  }
  m_headers = std::move(kept);
}

void SipMessage::RemoveFirstValue(std::string_view name) {
  for (auto it = m_headers.begin(); it != m_headers.end(); ++it) {
    if (!HeaderNamesEqual(it->name, name)) {
      continue;
    }
    const auto items = detail::SplitTopLevel(it->value, ',');
    if (items.size() <= 1) {
      m_headers.erase(it);
    } else {
      // Keep the remaining values byte for byte (an ALG test may compare them).
      it->value = it->value.substr(items[1].offset);
    }
    return;
  }
}

// --- typed accessors ---------------------------------------------------------------------------

std::optional<std::string> SipMessage::CallId() const {
  auto v = Get("Call-ID");
  if (!v) {
    return std::nullopt;
  }
  return std::string(detail::Trim(*v));
}

std::optional<CSeq> SipMessage::GetCSeq() const {
  auto v = Get("CSeq");
  if (!v) {
    return std::nullopt;
  }
  auto parsed = CSeq::Parse(*v);
  if (!parsed) {
    return std::nullopt;
  }
  return std::move(parsed).Value();
}

std::vector<Via> SipMessage::Vias() const {
  std::vector<Via> out;
  for (const auto& text : GetAll("Via")) {
    auto v = Via::Parse(text);
    if (v) {
      out.push_back(std::move(v).Value());
    }
  }
  return out;
}

std::optional<Via> SipMessage::TopVia() const {
  const auto first = GetAll("Via");
  if (first.empty()) {
    return std::nullopt;
  }
  auto v = Via::Parse(first.front());
  if (!v) {
    return std::nullopt;
  }
  return std::move(v).Value();
}

namespace {

std::optional<NameAddress> ParseAddress(const std::optional<std::string>& value) {
  if (!value) {
    return std::nullopt;
  }
  auto na = NameAddress::Parse(*value);
  if (!na) {
    return std::nullopt;
  }
  return std::move(na).Value();
}

}  // namespace

std::optional<NameAddress> SipMessage::From() const { return ParseAddress(Get("From")); }

std::optional<NameAddress> SipMessage::To() const { return ParseAddress(Get("To")); }

std::vector<NameAddress> SipMessage::Contacts() const {
  std::vector<NameAddress> out;
  for (const auto& text : GetAll("Contact")) {
    auto na = NameAddress::Parse(text);
    if (na) {
      out.push_back(std::move(na).Value());
    }
  }
  return out;
}

std::optional<std::uint32_t> SipMessage::Expires() const {
  auto v = Get("Expires");
  if (!v) {
    return std::nullopt;
  }
  auto n = detail::ParseUnsigned(detail::Trim(*v), 0xFFFFFFFFull);
  if (!n) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(*n);
}

std::optional<std::string> SipMessage::ContentType() const {
  auto v = Get("Content-Type");
  if (!v) {
    return std::nullopt;
  }
  return std::string(detail::Trim(*v));
}

bool SipMessage::BodyIsSdp() const {
  if (m_body.empty()) {
    return false;
  }
  const std::optional<std::string> type = ContentType();
  return !type || type->find("sdp") != std::string::npos;
}

void SipMessage::SetBody(std::string body, std::string_view contentType) {
  m_body = std::move(body);
  if (contentType.empty()) {
    Remove("Content-Type");
  } else {
    Set("Content-Type", std::string(contentType));
  }
}

// --- wire form ---------------------------------------------------------------------------------

std::string SipMessage::Serialize() const {
  std::string out;
  std::size_t estimate = m_body.size() + 64;
  for (const auto& h : m_headers) {
    estimate += h.name.size() + h.value.size() + 4;
  }
  out.reserve(estimate);
  if (m_isRequest) {
    out += m_method;
    out += ' ';
    out += m_requestUri.ToString();
    out += " SIP/2.0\r\n";
  } else {
    out += fmt::format("SIP/2.0 {} {}\r\n", m_statusCode, m_reason);
  }
  const std::string length = std::to_string(m_body.size());
  bool lengthWritten = false;
  for (const auto& h : m_headers) {
    const bool isLength = HeaderNamesEqual(h.name, "Content-Length");
    if (isLength && lengthWritten) {
      continue;  // exactly one Content-Length on the wire
    }
    out += h.name;
    out += ": ";
    if (isLength) {
      out += length;
      lengthWritten = true;
    } else {
      out += h.value;
    }
    out += "\r\n";
  }
  if (!lengthWritten) {
    out += "Content-Length: ";
    out += length;
    out += "\r\n";
  }
  out += "\r\n";
  out += m_body;
  return out;
}

const char* DefaultReason(int statusCode) {
  switch (statusCode) {
    case 100: return "Trying";
    case 180: return "Ringing";
    case 181: return "Call Is Being Forwarded";
    case 182: return "Queued";
    case 183: return "Session Progress";
    case 200: return "OK";
    case 202: return "Accepted";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Moved Temporarily";
    case 305: return "Use Proxy";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 415: return "Unsupported Media Type";
    case 420: return "Bad Extension";
    case 423: return "Interval Too Brief";
    case 480: return "Temporarily Unavailable";
    case 481: return "Call/Transaction Does Not Exist";
    case 482: return "Loop Detected";
    case 483: return "Too Many Hops";
    case 484: return "Address Incomplete";
    case 486: return "Busy Here";
    case 487: return "Request Terminated";
    case 488: return "Not Acceptable Here";
    case 489: return "Bad Event";
    case 491: return "Request Pending";
    case 500: return "Server Internal Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Server Time-out";
    case 505: return "Version Not Supported";
    case 513: return "Message Too Large";
    case 600: return "Busy Everywhere";
    case 603: return "Decline";
    case 604: return "Does Not Exist Anywhere";
    case 606: return "Not Acceptable";
    default: break;
  }
  if (statusCode >= 100 && statusCode < 200) return "Provisional";
  if (statusCode >= 200 && statusCode < 300) return "Success";
  if (statusCode >= 300 && statusCode < 400) return "Redirection";
  if (statusCode >= 400 && statusCode < 500) return "Client Error";
  if (statusCode >= 500 && statusCode < 600) return "Server Error";
  if (statusCode >= 600 && statusCode < 700) return "Global Failure";
  return "Unknown";
}

}  // namespace alglab::sip
