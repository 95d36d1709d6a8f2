#include "sim/diagnose/router-pairing.h"

#include "sim/diagnose/capture-diagnosis.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace alglab::diagnose {

using nlohmann::json;

namespace {

using PairKey = std::tuple<std::string, std::uint32_t, std::string, std::string>;

std::optional<PairKey> KeyOf(const sip::SipMessage& m) {
  const auto callId = m.CallId();
  const auto cseq = m.GetCSeq();
  if (!callId || !cseq) return std::nullopt;
  return PairKey{*callId, cseq->sequence, cseq->method, m.IsRequest() ? m.Method() : std::to_string(m.StatusCode())};
}

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::vector<std::string> Lines(const std::string& body) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < body.size()) {
    auto end = body.find('\n', at);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
    at = end + 1;
  }
  return out;
}

struct FieldChange {
  std::string field, before, after;
};

/// What differs between the message as sent (`before`) and as it arrived (`after`).
std::vector<FieldChange> Compare(const sip::SipMessage& before, const sip::SipMessage& after) {
  std::vector<FieldChange> out;
  if (before.IsRequest() && before.RequestUri().ToString() != after.RequestUri().ToString())
    out.push_back({"Request-URI", before.RequestUri().ToString(), after.RequestUri().ToString()});
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const auto* m : {&before, &after})
    for (const auto& h : m->Headers()) {
      const std::string name = sip::CanonicalHeaderName(h.name);
      if (seen.insert(name).second) names.push_back(name);
    }
  for (const auto& name : names) {
    const auto a = before.GetAll(name), b = after.GetAll(name);
    if (a != b) out.push_back({name, Join(a), Join(b)});
  }
  if (before.Body() != after.Body()) {
    // SDP (or any text body) line by line: the n-th line of a type against the n-th.
    std::map<std::string, std::vector<std::string>> a, b;
    std::vector<std::string> order;
    for (const auto& l : Lines(before.Body())) {
      const std::string type = l.substr(0, 2);
      if (!a.count(type) && !b.count(type)) order.push_back(type);
      a[type].push_back(l);
    }
    for (const auto& l : Lines(after.Body())) {
      const std::string type = l.substr(0, 2);
      if (!a.count(type) && !b.count(type)) order.push_back(type);
      b[type].push_back(l);
    }
    for (const auto& type : order) {
      const auto& x = a[type];
      const auto& y = b[type];
      for (std::size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
        const std::string from = i < x.size() ? x[i] : "";
        const std::string to = i < y.size() ? y[i] : "";
        if (from != to) out.push_back({type, from, to});
      }
    }
  }
  return out;
}

/// Seconds around a drop in which some message crossed the router, for it to count as forwarding.
constexpr double kIdleWindow = 10.0;

json Record(const SipRecord& r, const std::string& side) {
  return json{{"side", side},
              {"frame", r.frame},
              {"time", r.time},
              {"message", MessageKind(r.message)},
              {"call_id", r.message.CallId().value_or("")},
              {"packet", FormatEndpoint(r.srcIp, r.srcPort) + " -> " + FormatEndpoint(r.dstIp, r.dstPort)}};
}

}  // namespace

json PairAcrossRouter(const CaptureExtractor& lan, const CaptureExtractor& wan, double window) {
  const auto& lanSip = lan.Sip();
  const auto& wanSip = wan.Sip();
  std::map<PairKey, std::vector<std::size_t>> wanByKey;
  for (std::size_t i = 0; i < wanSip.size(); ++i)
    if (auto key = KeyOf(wanSip[i].message)) wanByKey[*key].push_back(i);
  std::vector<bool> wanUsed(wanSip.size(), false);
  std::vector<std::optional<std::size_t>> lanPair(lanSip.size());

  for (std::size_t i = 0; i < lanSip.size(); ++i) {
    const auto& r = lanSip[i];
    const bool outbound = IsPrivateIpv4(r.srcIp) && !IsPrivateIpv4(r.dstIp);
    const bool inbound = !IsPrivateIpv4(r.srcIp) && IsPrivateIpv4(r.dstIp);
    if (!outbound && !inbound) continue;
    const auto key = KeyOf(r.message);
    if (!key) continue;
    auto it = wanByKey.find(*key);
    if (it == wanByKey.end()) continue;
    for (std::size_t j : it->second) {
      if (wanUsed[j]) continue;
      const double dt = wanSip[j].time - r.time;
      const bool fits = outbound ? (dt >= -0.05 && dt <= window) : (dt <= 0.05 && dt >= -window);
      if (!fits) continue;
      wanUsed[j] = true;
      lanPair[i] = j;
      break;
    }
  }

  // The router's public address: where paired outbound messages came from on the WAN.
  std::map<std::uint32_t, std::size_t> sources;
  for (std::size_t i = 0; i < lanSip.size(); ++i)
    if (lanPair[i]) {
      const auto& w = wanSip[*lanPair[i]];
      ++sources[IsPrivateIpv4(lanSip[i].srcIp) ? w.srcIp : w.dstIp];
    }
  std::uint32_t routerWan = 0;
  std::size_t best = 0;
  for (const auto& [ip, n] : sources)
    if (n > best) best = n, routerWan = ip;

  json rewrites = json::array();
  std::set<std::string> rewrittenCalls;
  std::size_t paired = 0, rewrittenMessages = 0;
  for (std::size_t i = 0; i < lanSip.size(); ++i) {
    if (!lanPair[i]) continue;
    ++paired;
    const auto& l = lanSip[i];
    const auto& w = wanSip[*lanPair[i]];
    const bool outbound = IsPrivateIpv4(l.srcIp);
    const auto& before = outbound ? l : w;
    const auto& after = outbound ? w : l;
    const auto changes = Compare(before.message, after.message);
    if (changes.empty()) continue;
    ++rewrittenMessages;
    rewrittenCalls.insert(l.message.CallId().value_or(""));
    for (const auto& c : changes)
      rewrites.push_back(json{{"frame_lan", l.frame},
                              {"frame_wan", w.frame},
                              {"time", before.time},
                              {"direction", outbound ? "outbound" : "inbound"},
                              {"message", MessageKind(l.message)},
                              {"call_id", l.message.CallId().value_or("")},
                              {"field", c.field},
                              {"before", c.before},
                              {"after", c.after}});
  }

  // Times at which a message crossed the router: a drop with none around it is the router
  // (or its line) not forwarding anything, a reboot or an outage, not an ALG choosing.
  std::vector<double> crossings;
  for (std::size_t i = 0; i < lanSip.size(); ++i)
    if (lanPair[i]) crossings.push_back(lanSip[i].time);
  std::sort(crossings.begin(), crossings.end());
  auto routerForwarding = [&](double t) {
    const auto it = std::lower_bound(crossings.begin(), crossings.end(), t - kIdleWindow);
    return it != crossings.end() && *it <= t + kIdleWindow;
  };
  const char* kNotForwarding =
      "nothing crossed the router around then: it was not forwarding at all (a reboot, the line down)";

  // Both captures are taken to run until the later one's last packet: a side can fall silent
  // because the router stopped passing anything to it.
  const double lanEnd = std::max(lan.LastTime(), wan.LastTime()), wanEnd = lanEnd;
  json dropped = json::array(), added = json::array();
  std::size_t algDamage = 0, natDamage = 0;
  for (std::size_t i = 0; i < lanSip.size(); ++i) {
    const auto& r = lanSip[i];
    if (lanPair[i]) continue;
    const bool outbound = IsPrivateIpv4(r.srcIp) && !IsPrivateIpv4(r.dstIp);
    const bool inbound = !IsPrivateIpv4(r.srcIp) && IsPrivateIpv4(r.dstIp);
    if (outbound && r.time + window <= wanEnd && r.time >= wan.FirstTime()) {
      json d = Record(r, "lan");
      d["direction"] = "outbound";
      const bool forwarding = routerForwarding(r.time);
      d["damage"] = forwarding ? "alg" : "plain-nat";
      d["why"] = forwarding ? "sent by the phone side, never left the router (a plain NAT forwards outbound SIP; an ALG drops it)"
                            : kNotForwarding;
      ++(forwarding ? algDamage : natDamage);
      dropped.push_back(d);
    } else if (inbound && r.time >= wan.FirstTime() + window && r.time <= wanEnd) {
      json a = Record(r, "lan");
      a["direction"] = "inbound";
      a["why"] = "delivered to the phone side with no counterpart on the WAN: the router originated it (a proxy or an ALG answering itself)";
      added.push_back(a);
    }
  }
  for (std::size_t j = 0; j < wanSip.size(); ++j) {
    if (wanUsed[j]) continue;
    const auto& r = wanSip[j];
    if (r.dstIp == routerWan && r.time + window <= lanEnd && r.time >= lan.FirstTime()) {
      const bool algDialog = rewrittenCalls.count(r.message.CallId().value_or("")) > 0 && routerForwarding(r.time);
      json d = Record(r, "wan");
      d["direction"] = "inbound";
      d["damage"] = algDialog ? "alg" : "plain-nat";
      d["why"] = !routerForwarding(r.time) ? kNotForwarding : algDialog ? "arrived at the router and never reached the phone side; the ALG rewrote this dialog's messages"
                           : "arrived at the router and never reached the phone side, and nothing in this dialog was rewritten: "
                             "NAT filtering or a binding that expired";
      ++(algDialog ? algDamage : natDamage);
      dropped.push_back(d);
    } else if (r.srcIp == routerWan && r.time >= lan.FirstTime() + window && r.time <= lanEnd) {
      json a = Record(r, "wan");
      a["direction"] = "outbound";
      a["why"] = "sent from the router's public address with no counterpart on the phone side: the router originated it";
      added.push_back(a);
    }
  }

  // Inbound RTP per source that reached the router but not the phone side.
  json mediaDropped = json::array();
  std::map<std::pair<std::uint32_t, std::uint16_t>, std::size_t> lanFromSource;
  for (const auto& [key, flow] : lan.Rtp())
    if (IsPrivateIpv4(key.dstIp)) lanFromSource[{key.srcIp, key.srcPort}] += flow.times.size();
  for (const auto& [key, flow] : wan.Rtp()) {
    if (key.dstIp != routerWan || flow.times.size() < 50) continue;
    const std::size_t through = lanFromSource[{key.srcIp, key.srcPort}];
    if (through * 2 >= flow.times.size()) continue;
    ++natDamage;
    mediaDropped.push_back(json{{"flow", FormatEndpoint(key.srcIp, key.srcPort) + " -> " + FormatEndpoint(key.dstIp, key.dstPort)},
                                {"first_frame_wan", flow.firstFrame},
                                {"arrived", flow.times.size()},
                                {"delivered", through},
                                {"damage", "plain-nat"},
                                {"why", "RTP reached the router and did not come through, with its payload untouched: "
                                        "no binding or media pinhole admitted it (filtering, expiry)"}});
  }

  return json{{"router_wan_address", routerWan ? json(FormatIpv4(routerWan)) : json(nullptr)},
              {"paired", paired},
              {"rewritten_messages", rewrittenMessages},
              {"rewrites", rewrites},
              {"dropped", dropped},
              {"added", added},
              {"media_dropped", mediaDropped},
              {"damage", {{"alg", algDamage + rewrittenMessages}, {"plain_nat", natDamage}}}};
}

}  // namespace alglab::diagnose
