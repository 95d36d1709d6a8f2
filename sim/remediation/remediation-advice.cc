#include "sim/remediation/remediation-advice.h"

#include <map>

namespace alglab::remediation {

std::string ServerSideFix(const std::string& symptom) {
  // What fixes each symptom when plain NAT, not the ALG, causes it (RFC 3581 rport, RFC 5626
  // keepalives, registrar Contact fixing, symmetric RTP / media latching).
  static const std::map<std::string, std::string> fixes = {
      {"registration_failure",
       "rport (RFC 3581) and Contact fixing at the registrar, and keepalives (CRLF or OPTIONS) shorter than the "
       "router's UDP timeout"},
      {"incoming_calls_not_ringing",
       "the registrar sends to the address and port the REGISTER came from (rport, Contact fixing) and the phones "
       "keep that mapping open with keepalives shorter than the router's UDP timeout (or re-register more often)"},
      {"blf_not_updating",
       "Contact fixing for SUBSCRIBE dialogs (NOTIFY to the subscription's source address and port) and keepalives "
       "shorter than the router's UDP timeout"},
      {"one_way_audio",
       "media latching (symmetric RTP / comedia) at the PBX or provider, or an RTP proxy on the server side"},
      {"audio_drop_midcall",
       "media latching with re-latching on a new source, session timers, and keepalives that hold the NAT "
       "mapping through silences"},
      {"fails_after_reboot",
       "registrations short enough (or keepalives frequent enough) that the server learns the new mapping soon "
       "after the router reboots, with rport and Contact fixing"},
      {"calls_not_connecting",
       "rport and Contact fixing for the call's signalling, and media latching for its RTP"},
  };
  const auto it = fixes.find(symptom);
  return it == fixes.end() ? "server-side NAT traversal (rport, Contact fixing, media latching, keepalives)"
                           : it->second;
}

bool AlgActsInWindow(const nlohmann::ordered_json& result) {
  const char* key = result.contains("alg_window") ? "alg_window" : "alg";
  if (!result.contains(key)) return false;
  const auto& a = result[key];
  return a.value("dropped", 0) + a.value("rewritten", 0) > 0;
}

bool AlgActed(const nlohmann::json& mechanisms) {
  if (!mechanisms.is_array()) return false;
  for (const auto& m : mechanisms) {
    const std::string name = m.value("mechanism", "");
    if (!name.empty() && name.rfind("nat:", 0) != 0) return true;
  }
  return false;
}

nlohmann::ordered_json Advise(const nlohmann::ordered_json& before, const nlohmann::ordered_json& after,
                              const std::vector<double>& undoneAt, bool algActs) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& [name, entry] : after.items()) {
    const bool wasPresent = before.contains(name) && before[name].value("present", false);
    const bool isPresent = entry.value("present", false);
    if (!wasPresent && !isPresent) continue;
    const nlohmann::json mechanisms = entry.value("mechanisms", nlohmann::json::array());
    nlohmann::ordered_json advice;
    advice["symptom"] = name;
    if (!isPresent && algActs) {
      advice["verdict"] = "gone-alg-still-active";
      advice["advice"] = "gone in this run, but the ALG still rewrites or drops SIP: the steps changed the run's timing "
                         "(a reboot, phones restarted), not the ALG; a step is missing";
    } else if (!isPresent) {
      advice["verdict"] = "fixed";
      advice["advice"] = "caused by the ALG: gone once the runbook's steps took effect";
    } else if (AlgActed(mechanisms) && !undoneAt.empty()) {
      advice["verdict"] = "alg-back-after-reset";
      advice["advice"] = "the router went back to its shipped configuration (ALG on) at " +
                         std::to_string(static_cast<long long>(undoneAt.front())) +
                         " s (a factory reset, or a reboot of a router that does not keep its settings): apply the "
                         "runbook again after every reset";
    } else if (AlgActed(mechanisms)) {
      advice["verdict"] = "alg-still-active";
      advice["advice"] = "the ALG still acts on these messages (" + mechanisms[0].value("mechanism", "") +
                         "): a step is missing, or waits for the save, flush or reboot it needs";
    } else if (wasPresent) {
      advice["verdict"] = "plain-nat";
      advice["advice"] = "present with the ALG off: plain NAT causes it, not the ALG; fix it on the server side: " +
                         ServerSideFix(name);
    } else {
      advice["verdict"] = "exposed";
      advice["advice"] = "appears only with the ALG off: the ALG's pinholes hid a plain-NAT problem; fix it on the "
                         "server side before turning the ALG off: " + ServerSideFix(name);
    }
    out.push_back(advice);
  }
  return out;
}

}  // namespace alglab::remediation
