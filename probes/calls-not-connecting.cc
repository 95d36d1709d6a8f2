// calls_not_connecting: a call a handset placed never became a call in which the two parties
// hear each other. It failed (a final error response, an ACK that never came), timed out (no
// answer and no final response within callSetupSeconds), or was answered into silence (dead
// air: neither party heard the other). A callee's own "busy" or "decline" is not a failure; a
// call that one party could hear is one_way_audio's, not this symptom's. See call-analysis.h.

#include "probes/call-analysis.h"
#include "probes/evidence-format.h"
#include "probes/media-analysis.h"
#include "probes/reboot-windows.h"
#include "probes/symptom-detectors.h"

#include <map>
#include <string>

namespace alglab::probes {

namespace {

nlohmann::json CallJson(const CallAnalysis& c, const RebootWindows& reboots) {
  nlohmann::json j = {{"device", c.device},
                      {"call_id", c.callId},
                      {"target", c.target},
                      {"attempted", EvidenceTime(c.attempted)},
                      {"outcome", ToString(c.outcome)},
                      {"phase", ToString(reboots.PhaseOf(c.attempted))}};
  if (c.established) j["established"] = EvidenceTime(*c.established);
  if (c.ended) {
    j["ended"] = EvidenceTime(*c.ended);
    j["end_reason"] = c.endReason;
  }
  if (c.established) {
    j["callee"] = {{"device", c.calleeDevice}, {"call_id", c.calleeCallId}};
    j["caller_hears"] = ToString(c.callerHears);
    j["callee_hears"] = ToString(c.calleeHears);
  }
  if (!c.reason.empty()) j["reason"] = c.reason;
  return j;
}

}  // namespace

SymptomResult DetectCallsNotConnecting(const ObservationLog& log, const Thresholds& thresholds) {
  ValidateThresholds(thresholds);
  const RebootWindows reboots(log, thresholds);
  PhaseTally tally(reboots);
  std::map<std::string, std::size_t> outcomes;
  for (CallOutcome o : {CallOutcome::Connected, CallOutcome::Failed, CallOutcome::TimedOut,
                        CallOutcome::AnsweredIntoSilence, CallOutcome::Declined,
                        CallOutcome::NotJudged, CallOutcome::RebootGrace}) {
    outcomes[ToString(o)] = 0;
  }
  EvidenceList failed;
  for (const CallAnalysis& c :
       AnalyzeCalls(log, thresholds, reboots, AnalyzeMedia(log, thresholds, reboots))) {
    ++outcomes[ToString(c.outcome)];
    if (NotConnecting(c.outcome)) {
      tally.Add(c.attempted);
      failed.Add(CallJson(c, reboots));
    }
  }
  SymptomResult result{kCallsNotConnecting, failed.Total() > 0, nlohmann::json::object()};
  failed.WriteTo(result.evidence, "calls");
  result.evidence["summary"] = outcomes;
  result.evidence["by_reboot"] = tally.ToJson();
  return result;
}

}  // namespace alglab::probes
