#include "sim/diagnose/alg-fingerprints.h"

#include "sim/diagnose/capture-diagnosis.h"
#include "sim/sip/sdp.h"

#include <fmt/format.h>

#include <map>

namespace alglab::diagnose {

using nlohmann::json;

namespace {

/// Every address a message's sender wrote about itself: top Via (requests), Contact, SDP o= and c=.
struct SenderAddress {
  std::string field;
  std::string value;
};

std::vector<SenderAddress> SenderAddresses(const sip::SipMessage& m) {
  std::vector<SenderAddress> out;
  if (m.IsRequest())
    if (auto via = m.TopVia()) out.push_back({"Via", via->host});
  for (const auto& c : m.Contacts())
    if (!c.isWildcard && !c.uri.host.empty()) out.push_back({"Contact", c.uri.host});
  if (!m.Body().empty() && m.BodyIsSdp()) {
    auto sdp = sip::SessionDescription::Parse(m.Body());
    if (sdp) {
      const auto& d = sdp.Value();
      if (!d.origin.address.empty()) out.push_back({"o=", d.origin.address});
      if (d.connection && d.connection->address != "0.0.0.0") out.push_back({"c=", d.connection->address});
      for (const auto& media : d.media)
        if (media.connection && media.connection->address != "0.0.0.0") out.push_back({"c=", media.connection->address});
    }
  }
  return out;
}

json Fingerprint(const std::string& kind, bool alg, const SipRecord& r, const std::string& field,
                 const std::string& value, const std::string& mechanism, const std::string& why) {
  return json{{"kind", kind},
              {"alg", alg},
              {"frame", r.frame},
              {"time", r.time},
              {"call_id", r.message.CallId().value_or("")},
              {"message", MessageKind(r.message)},
              {"packet", FormatEndpoint(r.srcIp, r.srcPort) + " -> " + FormatEndpoint(r.dstIp, r.dstPort)},
              {"field", field},
              {"value", value},
              {"mechanism", mechanism},
              {"why", why}};
}

}  // namespace

AlgFingerprints FindAlgFingerprints(const std::vector<SipRecord>& records) {
  json fingerprints = json::array();
  std::map<std::string, const SipRecord*> requestByBranch;  // outbound requests seen here
  for (const auto& r : records)
    if (r.message.IsRequest())
      if (auto via = r.message.TopVia())
        if (auto branch = via->Branch()) requestByBranch.emplace(*branch, &r);

  for (const auto& r : records) {
    const auto& m = r.message;
    const bool srcPrivate = IsPrivateIpv4(r.srcIp), dstPrivate = IsPrivateIpv4(r.dstIp);
    // Content-Length that does not match the bytes after the head (UDP: every byte is there).
    if (r.transport == Transport::Udp && r.declaredContentLength && *r.declaredContentLength != r.bytesAfterHeaders) {
      fingerprints.push_back(Fingerprint(
          "content-length-mismatch", true, r, "Content-Length",
          fmt::format("{} declared, {} bytes present", *r.declaredContentLength, r.bytesAfterHeaders), "rewriter",
          "something changed the body's length without the header (or the header without the body)"));
    }
    // An SDP i= line holding an origin: FortiOS writes the inside host's original address there.
    if (!m.Body().empty() && m.BodyIsSdp()) {
      if (auto sdp = sip::SessionDescription::Parse(m.Body())) {
        for (const auto& line : sdp.Value().otherLines)
          // FortiOS's sip-nat-trace writes "i=(o=IN IP4 <original address>)".
          if (line.rfind("i=", 0) == 0 && line.find("o=IN IP4 ") != std::string::npos) {
            fingerprints.push_back(Fingerprint("sdp-nat-trace", true, r, "i=", line, "SdpNatTrace",
                                               "an SDP i= line recording the original address: a FortiGate-style NAT trace"));
            break;
          }
      }
    }
    if (srcPrivate == false && dstPrivate == false) {
      // Public side: addresses the sender wrote about itself that are private leaked through a
      // NAT; when others in the same message name the public address, an ALG missed some.
      std::vector<SenderAddress> leaked, translated;
      for (const auto& a : SenderAddresses(m)) {
        if (IsPrivateIpv4Text(a.value)) leaked.push_back(a);
        else if (a.value == FormatIpv4(r.srcIp)) translated.push_back(a);
      }
      for (const auto& a : leaked) {
        const bool partial = !translated.empty();
        fingerprints.push_back(Fingerprint(
            partial ? "alg-missed-field" : "private-address-leak", partial, r, a.field, a.value,
            partial ? "rewriter (partial)" : "nat:no-alg",
            partial ? fmt::format("{} still names the private address while {} was translated to {}: an ALG rewrote only some fields",
                                  a.field, translated.front().field, FormatIpv4(r.srcIp))
                    : "a private address in SIP on the public side: a NAT without ALG (or an ALG that missed the message)"));
      }
      // A request whose top Via is the packet's own public address and whose next Via is
      // private: the router added a Via of its own (a proxy ALG).
      if (m.IsRequest()) {
        const auto vias = m.Vias();
        if (vias.size() >= 2 && vias[0].host == FormatIpv4(r.srcIp) && IsPrivateIpv4Text(vias[1].host))
          fingerprints.push_back(Fingerprint("proxy-via", true, r, "Via", vias[0].ToString(), "SipDialogProxy",
                                             "a Via naming the NAT's public address above the phone's private one: the "
                                             "router re-originated the request as a proxy"));
      }
    }
    if (!srcPrivate && dstPrivate && m.IsResponse()) {
      // Inbound response on the phone side. The top Via must echo the phone's own Via, with the
      // server's received/rport: a received= naming a private address cannot come from a public
      // server, so something rewrote it on the way in.
      if (auto via = m.TopVia()) {
        if (auto received = via->params.Get("received"); received && IsPrivateIpv4Text(*received))
          fingerprints.push_back(Fingerprint(
              "via-received-private", true, r, "Via received", *received, "helper",
              "a public server cannot have received from a private address: an ALG rewrote the Via back (inbound)"));
        if (auto branch = via->Branch()) {
          auto it = requestByBranch.find(*branch);
          if (it != requestByBranch.end()) {
            const auto sent = it->second->message.Vias();
            const auto back = m.Vias();
            if (!sent.empty() && (sent[0].host != via->host || sent[0].port != via->port))
              fingerprints.push_back(Fingerprint(
                  "via-rewritten-inbound", true, r, "Via", via->host + (via->port ? ":" + std::to_string(*via->port) : ""),
                  "rewriter", fmt::format("the phone's Via said {}; the answer's says otherwise", sent[0].host)));
            if (back.size() > sent.size())
              fingerprints.push_back(Fingerprint("foreign-via", true, r, "Via", back.back().ToString(), "SipDialogProxy",
                                                 "the answer carries a Via the phone did not send"));
          }
        }
      }
    }
    // Not a fingerprint: an inbound request naming the phone's private address. Servers that
    // route to the received address but keep the registered Contact send exactly that through
    // a plain NAT (the PBX's NAT keepalive OPTIONS here do), so it cannot tell an ALG apart.
    if (!srcPrivate && dstPrivate && m.IsRequest()) {
      // Inbound request on the phone side whose top Via names a private address other than
      // the sender's: the router put its own Via there (a proxy ALG).
      if (auto via = m.TopVia())
        if (IsPrivateIpv4Text(via->host) && via->host != FormatIpv4(r.srcIp))
          fingerprints.push_back(Fingerprint("foreign-via", true, r, "Via", via->ToString(), "SipDialogProxy",
                                             "an inbound request whose top Via names a private address the public sender "
                                             "cannot have: the router re-originated it"));
    }
  }

  AlgFingerprints out;
  out.listed = json::array();
  out.counts = json::object();
  std::map<std::string, std::size_t> counts;
  for (auto& f : fingerprints)
    if (++counts[f["kind"].get<std::string>()] <= kFingerprintsPerKind) out.listed.push_back(std::move(f));
  for (const auto& [kind, n] : counts) out.counts[kind] = n;
  return out;
}

}  // namespace alglab::diagnose
