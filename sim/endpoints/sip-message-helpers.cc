#include "sim/endpoints/sip-message-helpers.h"

#include <cctype>

namespace alglab {

namespace {

std::string Trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string s) {
  for (auto& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

void CopyCoreHeaders(const sip::SipMessage& request, sip::SipMessage& response,
                     std::string_view toTag, bool copyVia) {
  for (const auto& h : request.Headers()) {
    const std::string name = sip::CanonicalHeaderName(h.name);
    if (name == "Via") {
      if (copyVia) {
        response.Add("Via", h.value);
      }
    } else if (name == "From" || name == "Call-ID" || name == "CSeq") {
      response.Add(name, h.value);
    } else if (name == "To") {
      auto to = sip::NameAddress::Parse(h.value);
      if (!toTag.empty() && to.Ok() && !to.Value().Tag()) {
        auto v = to.Value();
        v.params.Set("tag", toTag);
        response.Add("To", v.ToString());
      } else {
        response.Add("To", h.value);
      }
    }
  }
}

}  // namespace

sip::SipMessage MakeResponse(const sip::SipMessage& request, int code, std::string_view toTag) {
  auto response = sip::SipMessage::Response(code, sip::DefaultReason(code));
  CopyCoreHeaders(request, response, code > 100 ? toTag : std::string_view{}, true);
  return response;
}

sip::SipMessage MakeLocalResponse(const sip::SipMessage& request, int code) {
  auto response = sip::SipMessage::Response(code, sip::DefaultReason(code));
  CopyCoreHeaders(request, response, {}, false);
  return response;
}

sip::Uri MakeSipUri(std::string_view user, std::string_view host,
                    std::optional<std::uint16_t> port) {
  sip::Uri uri;
  uri.scheme = "sip";
  uri.user = std::string(user);
  uri.host = std::string(host);
  uri.port = port;
  return uri;
}

sip::NameAddress MakeNameAddress(std::string_view user, std::string_view host,
                                 std::optional<std::uint16_t> port) {
  sip::NameAddress na;
  na.uri = MakeSipUri(user, host, port);
  return na;
}

std::optional<std::string> FromTag(const sip::SipMessage& m) {
  auto f = m.From();
  return f ? f->Tag() : std::nullopt;
}

std::optional<std::string> ToTag(const sip::SipMessage& m) {
  auto t = m.To();
  return t ? t->Tag() : std::nullopt;
}

std::string FromUser(const sip::SipMessage& m) {
  auto f = m.From();
  return f ? f->uri.user : std::string();
}

std::string ToUser(const sip::SipMessage& m) {
  auto t = m.To();
  return t ? t->uri.user : std::string();
}

std::string HeaderToken(std::string_view headerValue) {
  return Lower(Trim(headerValue.substr(0, headerValue.find(';'))));
}

std::optional<std::string> EventPackage(const sip::SipMessage& m) {
  auto ev = m.Get("Event");
  if (!ev) {
    return std::nullopt;
  }
  return HeaderToken(*ev);
}

std::optional<std::string> HeaderParameter(std::string_view headerValue, std::string_view name) {
  const auto semi = headerValue.find(';');
  if (semi == std::string_view::npos) {
    return std::nullopt;
  }
  auto params = sip::ParameterList::Parse(headerValue.substr(semi));
  if (!params.Ok()) {
    return std::nullopt;
  }
  return params.Value().Get(name);
}

void ReplaceTopVia(sip::SipMessage& m, const sip::Via& top) {
  auto all = m.GetAll("Via");
  if (all.empty()) {
    m.Prepend("Via", top.ToString());
    return;
  }
  all[0] = top.ToString();
  m.Remove("Via");
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    m.Prepend("Via", *it);
  }
}

std::optional<std::uint32_t> HeaderNumber(const sip::SipMessage& m, std::string_view name) {
  auto v = m.Get(name);
  if (!v) {
    return std::nullopt;
  }
  return ParseDecimal(*v);
}

std::optional<std::uint32_t> ParseDecimal(std::string_view text) {
  const std::string t = Trim(text);
  if (t.empty() || t.size() > 9) {
    return std::nullopt;
  }
  std::uint32_t n = 0;
  for (char c : t) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    n = n * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return n;
}

}  // namespace alglab
