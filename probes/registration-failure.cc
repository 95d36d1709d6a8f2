// registration_failure: a device experienced a failed registration that was neither the normal
// challenge/retry exchange nor a reboot outage it recovered from within the grace window.

#include "probes/evidence-format.h"
#include "probes/reboot-windows.h"
#include "probes/registration-analysis.h"
#include "probes/symptom-detectors.h"

#include <set>
#include <string>

namespace alglab::probes {

namespace {

nlohmann::json EpisodeJson(const RegistrationEpisode& e, const RebootWindows& reboots) {
  nlohmann::json times = nlohmann::json::array();
  nlohmann::json statuses = nlohmann::json::array();
  for (std::size_t i = 0; i < e.times.size() && i < kMaxListedItems; ++i) {
    times.push_back(EvidenceTime(e.times[i]));
    statuses.push_back(e.statuses[i]);
  }
  return {{"start", EvidenceTime(e.start)},
          {"recovered_at", e.recovered ? nlohmann::json(EvidenceTime(e.recoveredAt)) : nullptr},
          {"failures", e.times.size()},
          {"times", times},
          {"statuses", statuses},
          {"verdict", ToString(e.verdict)},
          {"phase", ToString(reboots.PhaseOf(e.start))}};
}

}  // namespace

SymptomResult DetectRegistrationFailure(const ObservationLog& log, const Thresholds& thresholds) {
  ValidateThresholds(thresholds);
  RebootWindows reboots(log, thresholds);
  PhaseTally tally(reboots);
  std::set<std::string> failingDevices;
  std::size_t succeeded = 0;
  std::size_t failed = 0;
  std::size_t failureEpisodes = 0;
  std::size_t otherEpisodes = 0;
  EvidenceList devices;

  for (const RegistrationHistory& h : AnalyzeRegistrations(log, thresholds, reboots)) {
    succeeded += h.succeeded;
    failed += h.failed;
    EvidenceList episodes;
    for (const RegistrationEpisode& e : h.episodes) {
      if (e.verdict == EpisodeVerdict::Failure) {
        ++failureEpisodes;
        failingDevices.insert(h.device);
        tally.Add(e.start);
      } else {
        ++otherEpisodes;
      }
      episodes.Add(EpisodeJson(e, reboots));
    }
    const RegistrationRecord& last = h.outcomes.back();
    nlohmann::json entry = {{"device", h.device},
                            {"registrar", h.registrar},
                            {"succeeded", h.succeeded},
                            {"failed", h.failed},
                            {"last_state", last.success ? "registered" : "failed"},
                            {"last_status", last.status},
                            {"last_time", EvidenceTime(last.t)}};
    episodes.WriteTo(entry, "episodes");
    devices.Add(std::move(entry));
  }

  SymptomResult result{kRegistrationFailure, !failingDevices.empty(), nlohmann::json::object()};
  result.evidence["failing_devices"] = failingDevices;
  devices.WriteTo(result.evidence, "devices");
  result.evidence["summary"] = {{"succeeded", succeeded},
                                {"failed", failed},
                                {"failure_episodes", failureEpisodes},
                                {"tolerated_episodes", otherEpisodes}};
  result.evidence["by_reboot"] = tally.ToJson();
  return result;
}

}  // namespace alglab::probes
