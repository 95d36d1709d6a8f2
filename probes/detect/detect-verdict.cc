#include "probes/detect/detect-verdict.h"

#include "probes/detect/echo-protocol.h"

#include <algorithm>
#include <map>
#include <set>

namespace alglab::detect {
namespace {

/// A changed field that only a device re-originating the request produces (a proxy or a
/// back-to-back user agent), as opposed to an ALG editing it in place.
bool IsReOrigination(const FieldChange& change) {
  if (change.field == "via-added" || change.field == "via-branch") return true;
  if (change.field == "call-id") {
    const auto arrow = change.detail.find(" -> ");
    return arrow == std::string::npos ||
           !IsAddressSubstitution(change.detail.substr(0, arrow), change.detail.substr(arrow + 4));
  }
  return false;
}

std::string PortKey(const std::string& transport, std::uint16_t port) { return transport + "/" + std::to_string(port); }

TimeoutResult Timeouts(const std::vector<TimerProbe>& timers, const std::string& kind) {
  TimeoutResult result;
  for (const auto& t : timers) {
    if (t.kind != kind || !t.answered) continue;
    if (t.arrived && (!result.longestAlive || t.interval > *result.longestAlive)) result.longestAlive = t.interval;
    if (!t.arrived && (!result.firstExpired || t.interval < *result.firstExpired)) result.firstExpired = t.interval;
  }
  return result;
}

template <typename T>
nlohmann::json Optional(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

bool IsAlarm(const Evidence& evidence) {
  return evidence.conclusion != "nat-mapping" && evidence.conclusion != "nat-filtering" &&
         evidence.conclusion != "port-preservation";
}

DetectVerdict AnalyseObservations(const DetectObservations& obs) {
  DetectVerdict v;
  std::set<std::string> ports, transports, methods, fieldsUnion;
  const auto alarm = [&v](std::string conclusion, std::string probe, std::string field, std::string detail) {
    v.algPresent = true;
    v.evidence.push_back({std::move(conclusion), std::move(probe), std::move(field), std::move(detail)});
  };
  // A conclusion that is no alarm (the NAT's class): named with its proof all the same.
  const auto note = [&v](std::string conclusion, std::string probe, std::string field, std::string detail) {
    v.evidence.push_back({std::move(conclusion), std::move(probe), std::move(field), std::move(detail)});
  };

  // --- outbound: rewrites, re-origination, drops -----------------------------------------
  std::map<std::string, int> answeredPerPort;  // "udp/5060" -> answered probes
  for (const auto& p : obs.outbound) answeredPerPort[PortKey(p.transport, p.port)] += p.answered;
  for (const auto& p : obs.outbound) {
    if (p.answered) v.serverReached = true;
    const auto key = PortKey(p.transport, p.port);
    if (!p.answered) {
      v.dropped.push_back(p.id);
      // A plain NAT does not choose by method: a request lost while others on the same
      // transport and port got through was dropped by something that reads SIP. A port that
      // is silent altogether says so only when the other ports work (else: no server).
      const bool others = answeredPerPort[key] > 0;
      if (others) {
        alarm("drop", p.id, "method", p.method + " lost while other requests on " + key + " got through");
        ports.insert(key);
        transports.insert(p.transport);
        methods.insert(p.method);
      }
      continue;
    }
    if (p.changes.empty()) continue;
    RewriteEntry entry{p.method, p.transport, p.port, {}};
    bool reOriginated = false;
    for (const auto& change : p.changes) {
      entry.fields.push_back(change.field);
      fieldsUnion.insert(change.field);
      if (IsReOrigination(change)) {
        reOriginated = true;
        v.evidence.push_back({"proxy", p.id, change.field, change.detail});
      }
    }
    std::sort(entry.fields.begin(), entry.fields.end());
    entry.fields.erase(std::unique(entry.fields.begin(), entry.fields.end()), entry.fields.end());
    for (const auto& change : p.changes)
      if (!IsReOrigination(change)) alarm("rewrite", p.id, change.field, change.detail);
    if (reOriginated) {
      v.proxy.reOriginates = true;
      v.algPresent = true;
    } else {
      v.proxy.inPlaceRewrite = true;
    }
    ports.insert(key);
    transports.insert(p.transport);
    methods.insert(p.method);
    v.rewrites.push_back(std::move(entry));
  }
  // Whole ports silent while another answered.
  bool anyAnswered = false;
  for (const auto& [key, count] : answeredPerPort) anyAnswered = anyAnswered || count > 0;
  for (const auto& [key, count] : answeredPerPort) {
    if (count > 0 || !anyAnswered) continue;
    // TCP that never connected is a closed port, not an ALG.
    if (key.rfind("tcp/", 0) == 0 && !obs.tcpConnected) continue;
    alarm("drop", key, "port", "every request to " + key + " was lost while other ports answered");
    ports.insert(key);
    transports.insert(key.substr(0, key.find('/')));
  }

  // --- NAT (RFC 4787), on ports no ALG is expected to watch -----------------------------
  auto& nat = v.nat;
  std::optional<Endpoint> m1, m2, m3;
  for (const auto& m : obs.nat.mappings) {
    if (m.mapped) v.serverReached = true;
    if (m.destination == "primary:port1") m1 = m.mapped;
    if (m.destination == "primary:port2") m2 = m.mapped;
    if (m.destination == "alt:port1") m3 = m.mapped;
  }
  if (m1) {
    nat.translated = m1->address != obs.nat.local.address || m1->port != obs.nat.local.port;
    nat.portPreservation = m1->port == obs.nat.local.port;
  } else {
    for (const auto& p : obs.outbound)
      if (p.answered) nat.translated = p.seenFrom.address != p.local.address || p.seenFrom.port != p.local.port;
  }
  if (m1 && m2 && *m1 != *m2) {
    nat.mapping = "address-and-port-dependent";
    note("nat-mapping", "nat-map-2", "mapped", ToString(*m1) + " for port 1, " + ToString(*m2) + " for port 2");
  } else if (m1 && m2 && m3) {
    nat.mapping = *m1 == *m3 ? "endpoint-independent" : "address-dependent";
    note("nat-mapping", "nat-map-3", "mapped",
         ToString(*m1) + " for both ports of the first address, " + ToString(*m3) + " for the second address");
  }
  if (m1 && nat.portPreservation)
    note("port-preservation", "nat-map-1", "mapped",
         "local port " + std::to_string(obs.nat.local.port) + ", mapped " + std::to_string(m1->port));
  if (obs.nat.filterAnswered) {
    if (obs.nat.otherAddressArrived && !obs.serverAlt.empty())
      nat.filtering = "endpoint-independent";
    else if (obs.nat.otherPortArrived)
      nat.filtering = obs.serverAlt.empty() ? "unknown" : "address-dependent";
    else
      nat.filtering = "address-and-port-dependent";
    note("nat-filtering", "nat-filter", "inbound",
         std::string("from the other port: ") + (obs.nat.otherPortArrived ? "arrived" : "blocked") +
             ", from the other address: " + (obs.nat.otherAddressArrived ? "arrived" : "blocked"));
  }
  nat.udpTimeout = Timeouts(obs.timers, "udp");
  nat.sipTimeout = Timeouts(obs.timers, "sip");
  // A SIP-port binding that outlives a plain one (or dies sooner) has a timer of its own.
  const auto& u = nat.udpTimeout;
  const auto& s = nat.sipTimeout;
  if (u.firstExpired && s.longestAlive && *s.longestAlive >= *u.firstExpired)
    alarm("timer", "timer-sip", "binding-lifetime",
          "a SIP-port binding lived " + std::to_string(*s.longestAlive) + " s, a plain one expired after " +
              std::to_string(*u.firstExpired) + " s");
  if (u.longestAlive && s.firstExpired && *s.firstExpired <= *u.longestAlive)
    alarm("timer", "timer-sip", "binding-lifetime",
          "a SIP-port binding expired after " + std::to_string(*s.firstExpired) + " s, a plain one lived " +
              std::to_string(*u.longestAlive) + " s");

  // --- inbound: what reaches the signalling binding, and how --------------------------------
  const std::pair<const char*, const char*> kInbound[] = {
      {"primary", "INVITE"}, {"primary", "NOTIFY"}, {"primary-other-port", "INVITE"}, {"alt", "INVITE"}};
  for (const auto& [from, method] : kInbound) {
    InboundResult result{from, method, false, false, {}};
    for (const auto& in : obs.inbound) {
      if (in.from != from || in.method != method || !in.requested) continue;
      result.tested = true;
      if (!in.arrived) continue;
      result.arrived = true;
      for (const auto& change : in.changes) {
        result.rewritten.push_back(change.field);
        alarm("inbound-rewrite", in.probe, change.field,
              std::string(method) + " from " + from + ": " + change.detail);
      }
    }
    std::sort(result.rewritten.begin(), result.rewritten.end());
    result.rewritten.erase(std::unique(result.rewritten.begin(), result.rewritten.end()), result.rewritten.end());
    // The NAT's own filter, measured on a plain port, refuses this source; if the SIP binding
    // admits it anyway, something opened it for SIP (an ALG's signalling expectation).
    const bool filterRefuses =
        obs.nat.filterAnswered && ((std::string(from) == "primary-other-port" && !obs.nat.otherPortArrived) ||
                                   (std::string(from) == "alt" && !obs.nat.otherAddressArrived));
    if (result.arrived && filterRefuses)
      alarm("inbound-expectation", "inbound/" + std::string(from), "filtering",
            std::string("a request from ") + from + " reached the SIP binding, which the NAT's filter refuses on a plain port");
    if (result.tested) v.inbound.push_back(std::move(result));
  }

  // --- media: pinholes opened from the SDP ---------------------------------------------------
  // RTP to a port the client never sent from gets through a NAT or a stateful firewall only
  // if something opened it. With neither (no translation, nothing filtered) it proves nothing.
  const bool unsolicitedBlocked = nat.translated.value_or(false) ||
                                  (nat.filtering != "endpoint-independent" && nat.filtering != "unknown");
  for (const auto& m : obs.media) {
    if (!m.requested) continue;
    v.media.tested = true;
    auto& slot = m.from == "primary" ? v.media.fromPeer : v.media.fromOther;
    slot = slot.value_or(false) || m.arrived;
    if (m.arrived && unsolicitedBlocked) {
      v.media.pinhole = true;
      alarm("pinhole", m.probe, "rtp-from-" + m.from,
            "RTP from the server's " + m.from + " address reached media port " + std::to_string(m.mediaPort) +
                " before the client sent any");
    }
  }
  if (v.media.pinhole && v.media.fromPeer && v.media.fromOther)
    v.media.sourceRestricted = *v.media.fromPeer && !*v.media.fromOther;

  v.rewrittenFields.assign(fieldsUnion.begin(), fieldsUnion.end());
  v.triggers.ports.assign(ports.begin(), ports.end());
  v.triggers.transports.assign(transports.begin(), transports.end());
  v.triggers.methods.assign(methods.begin(), methods.end());
  // Nothing answered: no basis for any conclusion, so no alarm either.
  if (!v.serverReached) {
    v.algPresent = false;
    v.evidence.clear();
  }
  return v;
}

nlohmann::json ToJson(const DetectVerdict& v) {
  using nlohmann::json;
  json rewrites = json::array();
  for (const auto& r : v.rewrites)
    rewrites.push_back({{"method", r.method}, {"transport", r.transport}, {"port", r.port}, {"fields", r.fields}});
  json inbound = json::array();
  for (const auto& i : v.inbound)
    inbound.push_back({{"from", i.from},
                       {"method", i.method},
                       {"tested", i.tested},
                       {"arrived", i.arrived},
                       {"rewritten", i.rewritten}});
  json evidence = json::array();
  for (const auto& e : v.evidence)
    evidence.push_back({{"conclusion", e.conclusion}, {"probe", e.probe}, {"field", e.field}, {"detail", e.detail}});
  const auto timeout = [](const TimeoutResult& t) {
    return json{{"longest_alive", Optional(t.longestAlive)}, {"first_expired", Optional(t.firstExpired)}};
  };
  return json{
      {"alg_present", v.algPresent},
      {"server_reached", v.serverReached},
      {"rewrites", rewrites},
      {"rewritten_fields", v.rewrittenFields},
      {"dropped", v.dropped},
      {"triggers", {{"ports", v.triggers.ports}, {"transports", v.triggers.transports}, {"methods", v.triggers.methods}}},
      {"proxy", {{"re_originates", v.proxy.reOriginates}, {"in_place_rewrite", v.proxy.inPlaceRewrite}}},
      {"inbound", inbound},
      {"media",
       {{"tested", v.media.tested},
        {"from_peer", Optional(v.media.fromPeer)},
        {"from_other", Optional(v.media.fromOther)},
        {"pinhole", v.media.pinhole},
        {"source_restricted", Optional(v.media.sourceRestricted)}}},
      {"nat",
       {{"translated", Optional(v.nat.translated)},
        {"mapping", v.nat.mapping},
        {"filtering", v.nat.filtering},
        {"port_preservation", Optional(v.nat.portPreservation)},
        {"timeouts", {{"udp", timeout(v.nat.udpTimeout)}, {"sip", timeout(v.nat.sipTimeout)}}}}},
      {"evidence", evidence},
      {"vendor_family", v.vendorFamily},
      {"predicted_symptoms", v.predictedSymptoms},
      {"runbook", v.runbook},
  };
}

}  // namespace alglab::detect
