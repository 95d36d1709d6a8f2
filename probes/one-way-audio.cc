// one_way_audio: a device in an established call sent audio normally but received less than
// minReceivedRatio of the packets it should have (see media-analysis.h for "should have").
// A call in which neither party heard the other is dead air, an experience of its own that
// calls_not_connecting reports: its streams are listed here as dead_air_streams only.

#include "probes/call-analysis.h"
#include "probes/evidence-format.h"
#include "probes/media-analysis.h"
#include "probes/reboot-windows.h"
#include "probes/symptom-detectors.h"

#include <map>
#include <set>
#include <string>

namespace alglab::probes {

namespace {

nlohmann::json StreamJson(const StreamAnalysis& s, const RebootWindows& reboots) {
  nlohmann::json j = {{"device", s.device},
                      {"call_id", s.callId},
                      {"established", EvidenceTime(s.established)},
                      {"ended", EvidenceTime(s.ended)},
                      {"open_at_end", s.open},
                      {"sent", s.sent},
                      {"received", s.received},
                      {"peer_sent", s.peerSent},
                      {"expected", s.expected},
                      {"received_ratio", EvidenceRatio(s.ratio)},
                      {"peers", s.peers},
                      {"verdict", ToString(s.verdict)},
                      {"quality", ReceptionJson(s.reception)},
                      {"phase", ToString(reboots.PhaseOf(s.established))}};
  if (!s.reason.empty()) {
    j["reason"] = s.reason;
  }
  return j;
}

}  // namespace

SymptomResult DetectOneWayAudio(const ObservationLog& log, const Thresholds& thresholds) {
  ValidateThresholds(thresholds);
  RebootWindows reboots(log, thresholds);
  PhaseTally tally(reboots);
  std::map<std::string, std::size_t> verdicts;
  for (AudioVerdict v : {AudioVerdict::TwoWay, AudioVerdict::OneWay, AudioVerdict::NotJudged,
                         AudioVerdict::RebootGrace}) {
    verdicts[ToString(v)] = 0;
  }
  // Per Call-ID: how many judged directions failed and how many were judged.
  std::map<std::string, std::pair<std::size_t, std::size_t>> perCall;
  EvidenceList streams;
  EvidenceList oneWay;
  EvidenceList deadAir;

  const std::vector<StreamAnalysis> media = AnalyzeMedia(log, thresholds, reboots);
  // Both legs of every call answered into silence.
  std::set<std::string> deadAirCalls;
  for (const CallAnalysis& c : AnalyzeCalls(log, thresholds, reboots, media)) {
    if (c.outcome != CallOutcome::AnsweredIntoSilence) continue;
    deadAirCalls.insert(c.callId);
    deadAirCalls.insert(c.calleeCallId);
  }
  for (const StreamAnalysis& s : media) {
    ++verdicts[ToString(s.verdict)];
    nlohmann::json j = StreamJson(s, reboots);
    streams.Add(j);
    if (s.verdict == AudioVerdict::OneWay && deadAirCalls.count(s.callId) != 0) {
      deadAir.Add(std::move(j));
      continue;
    }
    if (s.verdict == AudioVerdict::OneWay || s.verdict == AudioVerdict::TwoWay) {
      auto& [failedDirections, judgedDirections] = perCall[s.callId];
      ++judgedDirections;
      if (s.verdict == AudioVerdict::OneWay) {
        ++failedDirections;
        tally.Add(s.established);
        oneWay.Add(std::move(j));
      }
    }
  }

  // A call is "one_way" when some judged direction failed and another worked, "no_audio" when
  // every judged direction failed (each side still experienced missing incoming audio).
  nlohmann::json affectedCalls = nlohmann::json::object();
  for (const auto& [callId, counts] : perCall) {
    if (counts.first > 0) {
      affectedCalls[callId] = counts.first < counts.second ? "one_way" : "no_audio";
    }
  }

  SymptomResult result{kOneWayAudio, oneWay.Total() > 0, nlohmann::json::object()};
  oneWay.WriteTo(result.evidence, "one_way_streams");
  deadAir.WriteTo(result.evidence, "dead_air_streams");
  result.evidence["affected_calls"] = affectedCalls;
  streams.WriteTo(result.evidence, "streams");
  result.evidence["summary"] = verdicts;
  result.evidence["by_reboot"] = tally.ToJson();
  return result;
}

}  // namespace alglab::probes
