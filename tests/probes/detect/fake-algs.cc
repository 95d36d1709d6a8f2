#include "fake-algs.h"

#include "sim/sip/sdp.h"
#include "sim/sip/sip-message.h"

#include <memory>

namespace alglab::detect::testing {
namespace {

bool ToSipPort(const AlgContext& c) { return c.remote.port == 5060; }

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

}  // namespace

AlgHook KernelLikeAlg(KernelLikeOptions options) {
  return [options](const std::string& payload, const AlgContext& c) -> std::optional<std::string> {
    if (!ToSipPort(c) || (c.transport == "tcp" && !options.tcp)) return payload;
    auto parsed = sip::ParseMessage(payload);
    if (!parsed || !parsed.Value().IsRequest()) return payload;
    auto message = parsed.Value();
    if (!c.outbound) {
      auto uri = message.RequestUri();
      if (uri.host == c.external.address && uri.port == c.external.port) {
        uri.host = c.internal.address;
        uri.port = c.internal.port;
        message.SetRequestUri(uri);
      }
      return message.Serialize();
    }
    auto vias = message.Vias();
    if (!vias.empty() && vias[0].host == c.internal.address) {
      vias[0].host = c.external.address;
      vias[0].port = c.external.port;
      message.RemoveFirstValue("Via");
      message.Prepend("Via", vias[0].ToString());
    }
    auto contacts = message.Contacts();
    if (!contacts.empty() && contacts[0].uri.host == c.internal.address) {
      contacts[0].uri.host = c.external.address;
      contacts[0].uri.port = c.external.port;
      message.Set("Contact", contacts[0].ToString());
    }
    if (message.Method() == "REGISTER")
      c.network->Expect(options.directSignalling ? c.remote.address : "", c.external.port, c.internal, false);
    if (message.BodyIsSdp() && !message.Body().empty()) {
      auto sdp = sip::SessionDescription::Parse(message.Body());
      if (sdp) {
        auto description = sdp.Value();
        if (description.origin.address == c.internal.address) description.origin.address = c.external.address;
        if (description.connection && description.connection->address == c.internal.address) {
          description.connection->address = c.external.address;
          for (const auto& media : description.media)
            c.network->Expect(options.directMedia ? c.remote.address : "", media.port,
                              Endpoint{c.internal.address, media.port}, true);
        }
        message.SetBody(description.ToString(), *message.ContentType());
      }
    }
    return message.Serialize();
  };
}

AlgHook ReOriginatingAlg() {
  return [](const std::string& payload, const AlgContext& c) -> std::optional<std::string> {
    if (!c.outbound || !ToSipPort(c)) return payload;
    auto parsed = sip::ParseMessage(payload);
    if (!parsed || !parsed.Value().IsRequest()) return payload;
    auto message = parsed.Value();
    message.Prepend("Via", "SIP/2.0/UDP " + c.external.address + ":5060;branch=z9hG4bK-b2b-" +
                               std::to_string(payload.size()));
    message.Set("Contact", "<sip:alglab@" + c.external.address + ":5060>");
    return message.Serialize();
  };
}

AlgHook InviteDroppingAlg() {
  return [](const std::string& payload, const AlgContext& c) -> std::optional<std::string> {
    if (c.outbound && ToSipPort(c) && c.transport == "udp" && payload.rfind("INVITE ", 0) == 0) return std::nullopt;
    return payload;
  };
}

AlgHook LoseFirst(const std::string& start) {
  auto lost = std::make_shared<bool>(false);
  return [start, lost](const std::string& payload, const AlgContext& c) -> std::optional<std::string> {
    if (!*lost && c.outbound && c.transport == "udp" && payload.rfind(start, 0) == 0) {
      *lost = true;
      return std::nullopt;
    }
    return payload;
  };
}

AlgHook EverywhereAlg() {
  return [](const std::string& payload, const AlgContext& c) -> std::optional<std::string> {
    if (!c.outbound || !ToSipPort(c)) return payload;
    const std::string rewritten = ReplaceAll(payload, c.internal.address, c.external.address);
    const auto blank = rewritten.find("\r\n\r\n");
    if (blank == std::string::npos) return rewritten;
    std::string head = rewritten.substr(0, blank + 4);
    const std::string body = rewritten.substr(blank + 4);
    const auto at = head.find("Content-Length: ");
    if (at != std::string::npos) {
      const auto lineEnd = head.find("\r\n", at);
      head.replace(at, lineEnd - at, "Content-Length: " + std::to_string(body.size()));
    }
    return head + body;
  };
}

}  // namespace alglab::detect::testing
