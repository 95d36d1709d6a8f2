#include "sim/report/run-evidence.h"

#include <set>

namespace alglab::report {

namespace {

/// Every string in `j`, at any depth: the candidates for Call-IDs a symptom names.
void CollectStrings(const nlohmann::ordered_json& j, std::vector<std::string>& out) {
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
  } else if (j.is_structured()) {
    for (const auto& item : j) CollectStrings(item, out);
  }
}

nlohmann::ordered_json Series(const probes::PerSecondCounts& counts) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (std::uint32_t c : counts.Counts()) out.push_back(c);
  return out;
}

}  // namespace

nlohmann::ordered_json BuildRunEvidence(const probes::ObservationLog& log, const probes::SipLadder& ladder,
                                        const nlohmann::ordered_json& symptoms,
                                        const std::map<std::string, std::string>& hosts,
                                        const EvidenceLimits& limits) {
  nlohmann::ordered_json e;
  e["end"] = log.EndTime();
  e["hosts"] = nlohmann::ordered_json::object();
  for (const auto& [address, name] : hosts) e["hosts"][address] = name;

  e["rtp"] = nlohmann::ordered_json::array();
  std::size_t omitted = 0;
  for (const probes::MediaStreamStats& s : log.Streams()) {
    if (e["rtp"].size() >= limits.streams) {
      ++omitted;
      continue;
    }
    e["rtp"].push_back({{"device", s.device},
                        {"call_id", s.callId},
                        {"sent", Series(s.sentPerSecond)},
                        {"received", Series(s.receivedPerSecond)}});
  }
  e["rtp_omitted"] = omitted;

  e["registrations"] = nlohmann::ordered_json::array();
  for (const auto& r : log.Registrations()) {
    if (e["registrations"].size() >= limits.records) break;
    e["registrations"].push_back({{"t", r.t}, {"device", r.device}, {"success", r.success}, {"status", r.status}});
  }

  // Calls as the devices saw them, to name the RTP plots' calls and mark their ends.
  e["calls"] = nlohmann::ordered_json::array();
  for (const auto& a : log.CallAttempts()) {
    if (e["calls"].size() >= limits.records) break;
    e["calls"].push_back({{"t", a.t}, {"device", a.device}, {"call_id", a.callId}, {"event", "attempt"},
                          {"detail", a.target}});
  }
  for (const auto& c : log.CallEvents()) {
    if (e["calls"].size() >= 2 * limits.records) break;
    e["calls"].push_back({{"t", c.t},
                          {"device", c.device},
                          {"call_id", c.callId},
                          {"event", c.kind == probes::CallEventKind::Established ? "established" : "ended"},
                          {"detail", c.detail}});
  }

  nlohmann::ordered_json truth = nlohmann::ordered_json::array();
  for (const auto& b : log.BlfTruth()) {
    if (truth.size() >= limits.records) break;
    truth.push_back({{"t", b.t}, {"extension", b.extension}, {"state", b.state}});
  }
  nlohmann::ordered_json lamps = nlohmann::ordered_json::array();
  for (const auto& b : log.BlfLamps()) {
    if (lamps.size() >= limits.records) break;
    lamps.push_back({{"t", b.t}, {"watcher", b.watcher}, {"extension", b.extension}, {"state", b.state}});
  }
  nlohmann::ordered_json watches = nlohmann::ordered_json::array();
  for (const auto& [watcher, extension] : log.ExpectedBlfWatches())
    watches.push_back({{"watcher", watcher}, {"extension", extension}});
  e["blf"] = {{"truth", truth}, {"lamps", lamps}, {"watches", watches}};

  e["reboots"] = nlohmann::ordered_json::array();
  for (const auto& r : log.Reboots()) e["reboots"].push_back(r.t);

  std::vector<std::string> named;
  if (symptoms.is_object())
    for (const auto& [name, s] : symptoms.items())
      if (s.is_object() && s.value("present", false)) CollectStrings(s, named);
  e["ladder"] = ladder.Select(named, limits.dialogs, limits.messagesPerDialog);
  return e;
}

}  // namespace alglab::report
