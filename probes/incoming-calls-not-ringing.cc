// incoming_calls_not_ringing: an inbound call failed to alert some (partial) or all of the
// handsets it should have rung.

#include "probes/evidence-format.h"
#include "probes/reboot-windows.h"
#include "probes/ring-analysis.h"
#include "probes/symptom-detectors.h"

#include <map>
#include <set>
#include <string>

namespace alglab::probes {

namespace {

nlohmann::json LegJson(const ForkLeg& leg) {
  nlohmann::json j = {{"extension", leg.extension},
                      {"leg_call_id", leg.legCallId},
                      {"offered_at", EvidenceTime(leg.t)},
                      {"verdict", ToString(leg.verdict)}};
  if (leg.verdict == LegVerdict::Rang) {
    j["device"] = leg.ringDevice;
    j["alerted_at"] = EvidenceTime(leg.alertT);
  }
  if (!leg.reason.empty()) {
    j["reason"] = leg.reason;
  }
  return j;
}

nlohmann::json CallJson(const InboundCallAnalysis& call, const RebootWindows& reboots) {
  nlohmann::json legs = nlohmann::json::array();
  for (const ForkLeg& leg : call.legs) {
    legs.push_back(LegJson(leg));
  }
  nlohmann::json j = {{"call_id", call.callId},
                      {"did", call.did},
                      {"t", EvidenceTime(call.t)},
                      {"placed_by_provider", call.placedByProvider},
                      {"reached_pbx", call.reachedPbx},
                      {"outcome", ToString(call.outcome)},
                      {"expected", call.expected},
                      {"rang", call.rang},
                      {"offered", legs},
                      {"direct_alerts", call.directAlerts},
                      {"phase", ToString(reboots.PhaseOf(call.t))}};
  if (!call.reason.empty()) {
    j["reason"] = call.reason;
  }
  return j;
}

}  // namespace

SymptomResult DetectIncomingCallsNotRinging(const ObservationLog& log,
                                            const Thresholds& thresholds) {
  ValidateThresholds(thresholds);
  RebootWindows reboots(log, thresholds);
  PhaseTally tally(reboots);
  std::map<std::string, std::size_t> outcomes;
  for (RingOutcome o : {RingOutcome::AllRang, RingOutcome::Partial, RingOutcome::NoneRang,
                        RingOutcome::NotJudged, RingOutcome::RebootGrace}) {
    outcomes[ToString(o)] = 0;
  }
  // Per ring-group member: how often it was offered a (judged) call and what became of it.
  std::map<std::string, std::map<std::string, std::size_t>> perExtension;
  std::set<std::string> silentHandsets;
  EvidenceList affected;
  std::size_t inboundCalls = 0;

  for (const InboundCallAnalysis& call : AnalyzeInboundCalls(log, thresholds, reboots)) {
    ++inboundCalls;
    ++outcomes[ToString(call.outcome)];
    if (call.outcome == RingOutcome::RebootGrace || call.outcome == RingOutcome::NotJudged) {
      continue;
    }
    for (const ForkLeg& leg : call.legs) {
      if (leg.verdict == LegVerdict::NotJudged) {
        continue;
      }
      auto& counts = perExtension[leg.extension];
      ++counts["offered"];
      ++counts[ToString(leg.verdict)];
      if (leg.verdict != LegVerdict::Rang) {
        silentHandsets.insert(leg.extension);
      }
    }
    if (call.outcome == RingOutcome::Partial || call.outcome == RingOutcome::NoneRang) {
      tally.Add(call.t);
      affected.Add(CallJson(call, reboots));
    }
  }

  SymptomResult result{kIncomingCallsNotRinging, affected.Total() > 0,
                       nlohmann::json::object()};
  affected.WriteTo(result.evidence, "affected_calls");
  result.evidence["handsets_not_ringing"] = silentHandsets;
  result.evidence["per_extension"] = perExtension;
  result.evidence["summary"] = outcomes;
  result.evidence["summary"]["inbound_calls"] = inboundCalls;
  result.evidence["by_reboot"] = tally.ToJson();
  return result;
}

}  // namespace alglab::probes
