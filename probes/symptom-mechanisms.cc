#include "probes/symptom-mechanisms.h"

#include "probes/symptom-detectors.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

namespace alglab::probes {

namespace {

struct Relevance {
  std::set<std::string> methods;
  bool media = false;
};

/// The SIP methods (requests and the responses to them) and whether RTP a symptom is about.
Relevance RelevanceOf(const std::string& symptom) {
  if (symptom == kRegistrationFailure) return {{"REGISTER"}, false};
  if (symptom == kIncomingCallsNotRinging) return {{"INVITE", "REGISTER", "OPTIONS", "CANCEL"}, false};
  if (symptom == kBlfNotUpdating) return {{"SUBSCRIBE", "NOTIFY"}, false};
  if (symptom == kOneWayAudio) return {{"INVITE", "ACK", "UPDATE", "PRACK"}, true};
  if (symptom == kAudioDropMidcall) return {{"INVITE", "ACK", "UPDATE", "BYE"}, true};
  if (symptom == kCallsNotConnecting) return {{"INVITE", "ACK", "PRACK", "CANCEL"}, true};
  // After a reboot anything may be what stopped working.
  return {{"REGISTER", "INVITE", "ACK", "OPTIONS", "SUBSCRIBE", "NOTIFY", "BYE"}, true};
}

/// "outbound 200 INVITE" -> "INVITE"; "inbound RTP" -> "RTP".
std::string MethodOf(const std::string& kind) {
  const std::size_t space = kind.rfind(' ');
  return space == std::string::npos ? kind : kind.substr(space + 1);
}

bool Relevant(const Relevance& r, const std::string& kind) {
  const std::string method = MethodOf(kind);
  return r.methods.count(method) != 0 || (r.media && method == "RTP");
}

/// Lower is stronger: a drop explains more than a rewrite, and of rewrites the media-bearing
/// SDP lines and the addresses requests are routed by more than Via.
int Strength(const std::string& action, const std::string& field) {
  if (action == "dropped") return 0;
  if (field == "c=" || field == "m=" || field == "o=" || field == "a=") return 1;
  if (field == "Contact" || field == "Request-URI" || field == "body") return 2;
  if (field == "Content-Length" || field == "Via") return 4;
  return 3;
}

}  // namespace

nlohmann::json SymptomMechanisms(const std::string& symptom, const nlohmann::json& alg,
                                 const nlohmann::json& natDrops, std::size_t limit) {
  const Relevance r = RelevanceOf(symptom);
  struct Entry {
    int strength;
    std::uint64_t count;
    nlohmann::json json;
  };
  std::vector<Entry> entries;
  if (alg.is_object() && alg.contains("mechanisms")) {
    for (const auto& [mechanism, kinds] : alg["mechanisms"].items()) {
      for (const auto& [kind, k] : kinds.items()) {
        if (!Relevant(r, kind)) continue;
        const nlohmann::json reasons = k.value("drop_reasons", nlohmann::json::object());
        const nlohmann::json fields = k.value("fields", nlohmann::json::object());
        for (const auto& [reason, n] : reasons.items())
          entries.push_back({0, n.get<std::uint64_t>(),
                             {{"mechanism", mechanism}, {"action", "dropped"}, {"message", kind},
                              {"reason", reason}, {"count", n}}});
        for (const auto& [field, n] : fields.items())
          entries.push_back({Strength("rewrote", field), n.get<std::uint64_t>(),
                             {{"mechanism", mechanism}, {"action", "rewrote"}, {"message", kind},
                              {"field", field}, {"count", n}}});
      }
    }
  }
  if (natDrops.is_object()) {
    for (const auto& [reason, kinds] : natDrops.items()) {
      for (const auto& [kind, n] : kinds.items()) {
        if (!Relevant(r, kind)) continue;
        // Drops while the router is down are the reboot itself, the least telling of all.
        entries.push_back({reason == "rebooting" ? 5 : 0, n.get<std::uint64_t>(),
                           {{"mechanism", "nat:" + reason}, {"action", "dropped"}, {"message", kind},
                            {"reason", reason}, {"count", n}}});
      }
    }
  }
  // Stable and total: equal strength and count fall back to the entry's text.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::make_tuple(a.strength, -static_cast<double>(a.count), a.json.dump()) <
           std::make_tuple(b.strength, -static_cast<double>(b.count), b.json.dump());
  });
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < entries.size() && i < limit; ++i) out.push_back(entries[i].json);
  return out;
}

std::string DescribeMechanisms(const nlohmann::json& entries, std::size_t limit) {
  std::string out;
  std::size_t n = 0;
  for (const auto& e : entries) {
    if (n++ == limit) break;
    if (!out.empty()) out += "; ";
    out += e.value("mechanism", "") + " " + e.value("action", "") + " " + e.value("message", "");
    if (e.contains("field")) out += " " + e.value("field", "");
    if (e.contains("reason")) out += " (" + e.value("reason", "") + ")";
  }
  return out;
}

}  // namespace alglab::probes
