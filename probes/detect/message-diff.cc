#include "probes/detect/message-diff.h"

#include "sim/sip/sdp.h"
#include "sim/sip/sip-message.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace alglab::detect {
namespace {

using sip::SipMessage;

std::string Or(const std::optional<std::string>& value) { return value.value_or("(none)"); }

void Compare(std::vector<FieldChange>& out, const char* field, const std::string& before, const std::string& after) {
  if (before != after) out.push_back({field, before + " -> " + after});
}

/// Headers the typed comparisons cover; every other header is compared by name and value.
bool IsTypedHeader(const std::string& canonical) {
  static const char* const kTyped[] = {"Via", "Contact", "From", "To", "Call-ID", "CSeq", "Content-Length",
                                       "Content-Type"};
  return std::any_of(std::begin(kTyped), std::end(kTyped), [&](const char* n) { return canonical == n; });
}

void CompareVias(std::vector<FieldChange>& out, const SipMessage& a, const SipMessage& b) {
  const auto va = a.Vias();
  const auto vb = b.Vias();
  // A device that re-originates a request puts its own Via on top; the sender's Via is then
  // the second one. Match the sender's top Via by its position from the bottom.
  if (vb.size() > va.size()) {
    for (std::size_t i = 0; i < vb.size() - va.size(); ++i)
      out.push_back({"via-added", vb[i].ToString()});
  } else if (vb.size() < va.size()) {
    for (std::size_t i = 0; i < va.size() - vb.size(); ++i) out.push_back({"via-removed", va[i].ToString()});
  }
  const std::size_t common = std::min(va.size(), vb.size());
  for (std::size_t k = 0; k < common; ++k) {
    const auto& x = va[va.size() - common + k];
    const auto& y = vb[vb.size() - common + k];
    const std::string sentByX = x.transport + " " + x.host + (x.port ? ":" + std::to_string(*x.port) : "");
    const std::string sentByY = y.transport + " " + y.host + (y.port ? ":" + std::to_string(*y.port) : "");
    Compare(out, "via-sent-by", sentByX, sentByY);
    Compare(out, "via-branch", Or(x.Branch()), Or(y.Branch()));
    auto px = x.params;
    auto py = y.params;
    px.Remove("branch");
    py.Remove("branch");
    Compare(out, "via-params", px.ToString(), py.ToString());
  }
}

std::string NameAddressText(const std::optional<sip::NameAddress>& value) {
  return value ? value->ToString() : "(none)";
}

void CompareSdp(std::vector<FieldChange>& out, const std::string& a, const std::string& b) {
  const auto sa = sip::SessionDescription::Parse(a);
  const auto sb = sip::SessionDescription::Parse(b);
  if (!sa || !sb) {
    if (a != b) out.push_back({"body", "SDP that does not parse changed"});
    return;
  }
  const auto& x = sa.Value();
  const auto& y = sb.Value();
  Compare(out, "sdp-origin", x.origin.address + " " + x.origin.sessionId + " " + x.origin.sessionVersion,
          y.origin.address + " " + y.origin.sessionId + " " + y.origin.sessionVersion);
  const auto connection = [](const sip::SessionDescription& d) {
    std::string text = d.connection ? d.connection->address : "";
    for (const auto& m : d.media) {
      if (m.connection) text += " media " + m.connection->address;
      if (const auto rtcp = m.RtcpAddress()) text += " rtcp " + *rtcp;
    }
    return text;
  };
  Compare(out, "sdp-connection", connection(x), connection(y));
  const auto ports = [](const sip::SessionDescription& d) {
    std::string text;
    for (const auto& m : d.media) {
      text += std::to_string(m.port) + " ";
      if (const auto rtcp = m.RtcpPort()) text += "rtcp:" + std::to_string(*rtcp) + " ";
    }
    return text;
  };
  Compare(out, "sdp-media-port", ports(x), ports(y));
  // An "i=" line is a trace some ALGs leave (session or media level).
  const auto infoCount = [](const sip::SessionDescription& d) {
    std::size_t n = 0;
    const auto count = [&n](const std::vector<std::string>& lines) {
      for (const auto& line : lines) n += line.rfind("i=", 0) == 0;
    };
    count(d.otherLines);
    for (const auto& m : d.media) count(m.otherLines);
    return n;
  };
  if (infoCount(y) > infoCount(x)) out.push_back({"sdp-info-added", std::to_string(infoCount(y) - infoCount(x))});
  // Anything else: compare the rest with the fields above made equal.
  auto xr = x;
  auto yr = y;
  yr.origin = xr.origin;
  yr.connection = xr.connection;
  // Lines compared above (a=rtcp carries a port and an address) or counted (i=) are left out.
  const auto without = [](std::vector<std::string> lines, const char* prefix) {
    lines.erase(std::remove_if(lines.begin(), lines.end(),
                               [prefix](const std::string& l) { return l.rfind(prefix, 0) == 0; }),
                lines.end());
    return lines;
  };
  for (std::size_t i = 0; i < std::min(xr.media.size(), yr.media.size()); ++i) {
    yr.media[i].port = xr.media[i].port;
    yr.media[i].connection = xr.media[i].connection;
  }
  for (auto* d : {&xr, &yr}) {
    d->otherLines = without(d->otherLines, "i=");
    for (auto& m : d->media) {
      m.attributes = without(m.attributes, "rtcp:");
      m.otherLines = without(m.otherLines, "i=");
    }
  }
  if (xr.ToString() != yr.ToString()) out.push_back({"sdp-other", "another SDP line changed"});
}

}  // namespace

std::vector<FieldChange> DiffMessages(std::string_view sent, std::string_view arrived) {
  std::vector<FieldChange> out;
  const auto pa = sip::ParseMessage(sent);
  const auto pb = sip::ParseMessage(arrived);
  if (!pa) {
    if (sent != arrived) out.push_back({"unparsable", "the sent message does not parse"});
    return out;
  }
  if (!pb) {
    out.push_back({"unparsable", pb.Error().ToString()});
    return out;
  }
  const auto& a = pa.Value();
  const auto& b = pb.Value();
  if (a.IsRequest() != b.IsRequest() || a.Method() != b.Method() || a.StatusCode() != b.StatusCode()) {
    out.push_back({"start-line", "the message kind changed"});
    return out;
  }
  if (a.IsRequest()) Compare(out, "request-uri", a.RequestUri().ToString(), b.RequestUri().ToString());
  CompareVias(out, a, b);
  const auto contacts = [](const SipMessage& m) {
    std::string text;
    for (const auto& c : m.Contacts()) text += (text.empty() ? "" : ", ") + c.ToString();
    return text;
  };
  Compare(out, "contact", contacts(a), contacts(b));
  Compare(out, "from", NameAddressText(a.From()), NameAddressText(b.From()));
  Compare(out, "to", NameAddressText(a.To()), NameAddressText(b.To()));
  Compare(out, "call-id", Or(a.CallId()), Or(b.CallId()));
  Compare(out, "cseq", a.GetCSeq() ? a.GetCSeq()->ToString() : "(none)", b.GetCSeq() ? b.GetCSeq()->ToString() : "(none)");
  Compare(out, "content-length", Or(a.Get("Content-Length")), Or(b.Get("Content-Length")));
  if (a.Body() != b.Body()) {
    if (a.BodyIsSdp() && b.BodyIsSdp())
      CompareSdp(out, a.Body(), b.Body());
    else
      out.push_back({"body", std::to_string(a.Body().size()) + " -> " + std::to_string(b.Body().size()) + " bytes"});
  }
  Compare(out, "header-changed", Or(a.ContentType()), Or(b.ContentType()));
  // Other headers: by canonical name, values in order.
  std::map<std::string, std::vector<std::string>> ha, hb;
  for (const auto& h : a.Headers())
    if (!IsTypedHeader(sip::CanonicalHeaderName(h.name))) ha[sip::CanonicalHeaderName(h.name)].push_back(h.value);
  for (const auto& h : b.Headers())
    if (!IsTypedHeader(sip::CanonicalHeaderName(h.name))) hb[sip::CanonicalHeaderName(h.name)].push_back(h.value);
  for (const auto& [name, values] : hb) {
    const auto it = ha.find(name);
    if (it == ha.end())
      out.push_back({"header-added", name});
    else if (it->second != values)
      out.push_back({"header-changed", name});
  }
  for (const auto& [name, values] : ha)
    if (!hb.count(name)) out.push_back({"header-removed", name});
  return out;
}

bool IsAddressSubstitution(std::string_view before, std::string_view after) {
  // Strip the common prefix and suffix; what is left on both sides must look like an address
  // (digits and dots, optionally with a port), e.g. "10.0.0.2" -> "198.51.100.1".
  std::size_t prefix = 0;
  while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < before.size() - prefix && suffix < after.size() - prefix &&
         before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix])
    ++suffix;
  // Widen to whole tokens: back up over digits and dots the two share.
  while (prefix > 0 && (std::isdigit(static_cast<unsigned char>(before[prefix - 1])) || before[prefix - 1] == '.'))
    --prefix;
  while (suffix > 0 && (std::isdigit(static_cast<unsigned char>(before[before.size() - suffix])) ||
                        before[before.size() - suffix] == '.'))
    --suffix;
  const auto isAddress = [](std::string_view s) {
    if (s.empty()) return false;
    int dots = 0;
    for (char c : s) {
      if (c == '.') ++dots;
      else if (!std::isdigit(static_cast<unsigned char>(c)) && c != ':') return false;
    }
    return dots == 3;
  };
  if (before == after) return false;
  return isAddress(before.substr(prefix, before.size() - prefix - suffix)) &&
         isAddress(after.substr(prefix, after.size() - prefix - suffix));
}

}  // namespace alglab::detect
