#include "sim/detect/detect-diagnosis.h"

#include "alg-models/contract/runbook.h"
#include "probes/symptom-detectors.h"
#include "sim/remediation/runbook-json.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <sstream>

namespace alglab::detect {

namespace {

bool Contains(const nlohmann::json& list, const std::string& value) {
  return list.is_array() && std::find(list.begin(), list.end(), value) != list.end();
}

/// A number at `pointer`, or nullopt when absent or null.
std::optional<double> NumberAt(const nlohmann::json& j, const char* pointer) {
  const nlohmann::json::json_pointer p(pointer);
  if (!j.contains(p) || !j.at(p).is_number()) return std::nullopt;
  return j.at(p).get<double>();
}

std::optional<bool> BoolAt(const nlohmann::json& j, const char* pointer) {
  const nlohmann::json::json_pointer p(pointer);
  if (!j.contains(p) || !j.at(p).is_boolean()) return std::nullopt;
  return j.at(p).get<bool>();
}

/// The server's tested request from `from` of `method` ("" for any; INVITE first).
const nlohmann::json* InboundFrom(const nlohmann::json& verdict, const std::string& from,
                                  const std::string& method = "INVITE") {
  const auto it = verdict.find("inbound");
  if (it == verdict.end() || !it->is_array()) return nullptr;
  const nlohmann::json* any = nullptr;
  for (const auto& i : *it) {
    if (i.value("from", "") != from || !i.value("tested", false)) continue;
    if (i.value("method", method) == method) return &i;
    if (!any) any = &i;
  }
  return method == "INVITE" ? any : nullptr;
}

}  // namespace

nlohmann::ordered_json PredictSymptoms(const nlohmann::json& v) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  if (!v.value("alg_present", false)) return out;
  const auto add = [&out](const char* symptom, const std::string& why, std::vector<std::string> evidence) {
    out.push_back({{"symptom", symptom}, {"why", why}, {"evidence", evidence}});
  };
  const nlohmann::json fields = v.value("rewritten_fields", nlohmann::json::array());

  // The ALG's own SIP timer.
  const auto sipExpired = NumberAt(v, "/nat/timeouts/sip/first_expired");
  const auto udpExpired = NumberAt(v, "/nat/timeouts/udp/first_expired");
  if (sipExpired && (!udpExpired || *sipExpired < *udpExpired) && *sipExpired < kRegisterIntervalSeconds) {
    add(probes::kIncomingCallsNotRinging,
        fmt::format("the SIP binding expires after {:g} s idle, before a phone re-registers ({:g} s)", *sipExpired,
                    kRegisterIntervalSeconds),
        {fmt::format("nat.timeouts.sip.first_expired={:g}", *sipExpired),
         udpExpired ? fmt::format("nat.timeouts.udp.first_expired={:g}", *udpExpired)
                    : std::string("nat.timeouts.udp.first_expired=null (plain UDP outlived every interval)")});
  }
  // Contact rewritten to where nothing comes back.
  if (Contains(fields, "contact")) {
    if (const nlohmann::json* primary = InboundFrom(v, "primary"); primary && !primary->value("arrived", true))
      add(probes::kIncomingCallsNotRinging,
          "the Contact was rewritten, and a request sent to the registered binding did not arrive",
          {"rewritten_fields contains contact", "inbound[from=primary].arrived=false"});
  }
  // SDP rewritten without a pinhole.
  const bool sdpRewritten = Contains(fields, "sdp-connection") || Contains(fields, "sdp-media-port");
  if (sdpRewritten && BoolAt(v, "/media/tested").value_or(false) && !BoolAt(v, "/media/pinhole").value_or(true))
    add(probes::kOneWayAudio, "the SDP was rewritten but no pinhole let the peer's RTP in",
        {"rewritten_fields contains sdp-connection/sdp-media-port", "media.pinhole=false"});
  if (BoolAt(v, "/media/source_restricted").value_or(false))
    add(probes::kOneWayAudio,
        "the media pinhole admits only the SDP peer: RTP from a separate media server is dropped",
        {"media.source_restricted=true", "media.from_other=false"});
  // Methods dropped.
  const nlohmann::json dropped = v.value("dropped", nlohmann::json::array());
  const auto droppedMethod = [&dropped](const std::string& method) {
    std::vector<std::string> ids;
    for (const auto& d : dropped)
      if (d.is_string() && d.get<std::string>().find(method) != std::string::npos) ids.push_back(d.get<std::string>());
    return ids;
  };
  const auto addDrop = [&](const char* symptom, const std::string& method, const std::string& why) {
    const auto ids = droppedMethod(method);
    if (ids.empty()) return;
    std::vector<std::string> evidence;
    for (const auto& id : ids) evidence.push_back("dropped contains " + id);
    add(symptom, why, evidence);
  };
  addDrop(probes::kBlfNotUpdating, "subscribe", "SUBSCRIBE requests are dropped: busy lamps never subscribe");
  addDrop(probes::kBlfNotUpdating, "notify", "NOTIFY requests are dropped: busy lamps stop updating");
  addDrop(probes::kCallsNotConnecting, "invite", "INVITE requests are dropped: calls do not set up");
  addDrop(probes::kRegistrationFailure, "register", "REGISTER requests are dropped: phones cannot register");
  // Signalling admitted from the registrar's address only.
  const nlohmann::json* primary = InboundFrom(v, "primary");
  const nlohmann::json* alt = InboundFrom(v, "alt");
  if (primary && alt && primary->value("arrived", false) && !alt->value("arrived", true))
    add(probes::kIncomingCallsNotRinging,
        "requests from the server's second address are blocked: a provider's other proxies cannot ring the phone",
        {"inbound[from=primary].arrived=true", "inbound[from=alt].arrived=false"});
  // A dialog-state NOTIFY (a busy lamp's update) blocked where an INVITE got in.
  const nlohmann::json* notify = InboundFrom(v, "primary", "NOTIFY");
  if (primary && notify && primary->value("arrived", false) && !notify->value("arrived", true))
    add(probes::kBlfNotUpdating, "a NOTIFY sent to the registered binding did not arrive, though an INVITE did",
        {"inbound[from=primary,method=NOTIFY].arrived=false", "inbound[from=primary,method=INVITE].arrived=true"});
  return out;
}

std::vector<FamilyScore> RankVerdict(const nlohmann::json& verdict, const std::vector<FamilyReference>& references) {
  const bool alg = verdict.value("alg_present", false);
  std::vector<FamilyReference> candidates;
  for (const FamilyReference& r : references)
    if ((r.family != "none") == alg) candidates.push_back(r);
  return RankFamilies(FeaturesOf(verdict), candidates);
}

void CompleteVerdict(nlohmann::ordered_json& verdict, const std::vector<FamilyReference>& references) {
  const auto ranking = RankVerdict(verdict, references);
  verdict["vendor_family"] = FamilyRankingToJson(ranking);
  verdict["predicted_symptoms"] = PredictSymptoms(verdict);
  verdict["runbook"] = nullptr;
  if (!ranking.empty() && ranking.front().family != "none") {
    if (const alg::Runbook* book = alg::FindRunbook(ranking.front().vendor))
      verdict["runbook"] = remediation::RunbookToJson(*book);
  }
}

std::string FormatVerdictMeaning(const nlohmann::json& v) {
  std::ostringstream out;
  out << "  vendor family:  ";
  bool first = true;
  for (const auto& f : v.value("vendor_family", nlohmann::json::array())) {
    if (f.value("confidence", 0.0) < 0.01 && !first) continue;
    out << (first ? "" : ", ") << f.value("family", "?") << fmt::format(" {:.0f}%", 100.0 * f.value("confidence", 0.0));
    first = false;
  }
  out << "\n";
  for (const auto& p : v.value("predicted_symptoms", nlohmann::json::array()))
    out << "  predicted:      " << p.value("symptom", "?") << ": " << p.value("why", "") << "\n";
  if (v.contains("runbook") && v["runbook"].is_object())
    out << "  fix:            alglab remediate --vendor " << v["runbook"].value("vendor", "?") << "\n";
  return out.str();
}

}  // namespace alglab::detect
