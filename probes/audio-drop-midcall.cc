// audio_drop_midcall: audio that was flowing into a device during an established call went
// silent for longer than rtpGapSeconds inside the settled part of the call, or stopped for good;
// or it kept breaking up: the loss scattered outside those silences rates below minMos; or a
// device cut the established call itself because the dialog broke (its re-INVITE timed out or
// was refused with 481, or the ACK for its 200 OK never came: the "drops after 32 seconds").

#include "probes/e-model.h"
#include "probes/evidence-format.h"
#include "probes/media-analysis.h"
#include "probes/reboot-windows.h"
#include "probes/symptom-detectors.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

namespace alglab::probes {

namespace {

/// Every endpoint here sends one packet per 20 ms frame.
constexpr double kFrameSeconds = 0.02;

/// Packets lost outside the stream's recorded silences: the scattered loss a listener hears as
/// audio breaking up (a silence is a drop of its own, or a reboot's, or the sender's choice).
std::uint64_t ScatteredLoss(const StreamAnalysis& s) {
  double inGaps = 0.0;
  for (const RtpGap& g : s.gaps) inGaps += std::max(0.0, std::round((g.end - g.start) / kFrameSeconds) - 1.0);
  const double lost = static_cast<double>(s.reception.Lost());
  return lost > inGaps ? static_cast<std::uint64_t>(lost - inGaps) : 0;
}

/// The reasons a device gives for ending a call it did not mean to end (InviteSession): a
/// user's hangup is "hangup", the far end's BYE "bye".
bool CutByTheDialog(const std::string& reason) {
  return reason == "ack-timeout" || reason == "reinvite-408" || reason == "reinvite-481";
}

}  // namespace

SymptomResult DetectAudioDropMidcall(const ObservationLog& log, const Thresholds& thresholds) {
  ValidateThresholds(thresholds);
  RebootWindows reboots(log, thresholds);
  PhaseTally tally(reboots);
  EvidenceList drops;
  EvidenceList excused;
  EvidenceList senderSilent;
  EvidenceList degraded;
  std::set<std::string> affectedCalls;
  std::size_t judged = 0;
  std::map<std::string, std::size_t> notJudged;
  double longest = 0.0;

  for (const StreamAnalysis& s : AnalyzeMedia(log, thresholds, reboots)) {
    if (!s.dropJudged) {
      ++notJudged[s.dropReason];
      continue;
    }
    ++judged;
    if (const std::uint64_t expected = s.reception.Expected(); expected > 0) {
      const std::uint64_t scattered = ScatteredLoss(s);
      EModelInputs in;
      in.lossRatio = static_cast<double>(scattered) / static_cast<double>(expected);
      const double r = RFactor(in);
      if (MosFromR(r) < thresholds.minMos && !reboots.InGrace(s.established)) {
        tally.Add(s.established);
        affectedCalls.insert(s.callId);
        degraded.Add({{"device", s.device},
                      {"call_id", s.callId},
                      {"scattered_lost", scattered},
                      {"expected", expected},
                      {"scattered_loss_ratio", EvidenceRatio(in.lossRatio)},
                      {"r_factor", std::round(r * 100.0) / 100.0},
                      {"mos", std::round(MosFromR(r) * 100.0) / 100.0},
                      {"phase", ToString(reboots.PhaseOf(s.established))}});
      }
    }
    for (const AudioDrop& d : s.drops) {
      nlohmann::json j = {{"device", s.device},
                          {"call_id", s.callId},
                          {"start", EvidenceTime(d.start)},
                          {"end", EvidenceTime(d.end)},
                          {"duration", EvidenceTime(d.end - d.start)},
                          {"stopped_for_good", d.stopped},
                          {"phase", ToString(reboots.PhaseOf(d.start))}};
      if (d.excused) {
        excused.Add(std::move(j));
        continue;
      }
      if (d.senderSilent) {
        senderSilent.Add(std::move(j));
        continue;
      }
      tally.Add(d.start);
      affectedCalls.insert(s.callId);
      longest = std::max(longest, d.end - d.start);
      drops.Add(std::move(j));
    }
  }

  // Calls a device cut because the dialog broke: the audio stops with them.
  EvidenceList cut;
  EvidenceList cutExcused;
  for (const CallEventRecord& e : log.CallEvents()) {
    if (e.kind != CallEventKind::Ended || !CutByTheDialog(e.detail) || log.KindOf(e.device) == DeviceKind::Router)
      continue;
    nlohmann::json j = {{"device", e.device}, {"call_id", e.callId}, {"at", EvidenceTime(e.t)},
                        {"reason", e.detail}, {"phase", ToString(reboots.PhaseOf(e.t))}};
    if (reboots.InGrace(e.t)) {
      cutExcused.Add(std::move(j));
      continue;
    }
    tally.Add(e.t);
    affectedCalls.insert(e.callId);
    cut.Add(std::move(j));
  }

  SymptomResult result{kAudioDropMidcall, drops.Total() + degraded.Total() + cut.Total() > 0,
                       nlohmann::json::object()};
  drops.WriteTo(result.evidence, "drops");
  // Audio that kept flowing but broke up: loss scattered through the call.
  degraded.WriteTo(result.evidence, "degraded_streams");
  // Calls a device ended because the dialog broke, not because someone hung up.
  cut.WriteTo(result.evidence, "cut_calls");
  excused.WriteTo(result.evidence, "reboot_outage_drops");
  cutExcused.WriteTo(result.evidence, "reboot_cut_calls");
  // Silences every sender chose (hold, mute): what the listener heard, named, but no drop.
  senderSilent.WriteTo(result.evidence, "sender_silent_gaps");
  result.evidence["affected_calls"] = affectedCalls;
  result.evidence["summary"] = {{"streams_judged", judged},
                                {"streams_not_judged", notJudged},
                                {"drops", drops.Total()},
                                {"degraded_streams", degraded.Total()},
                                {"cut_calls", cut.Total()},
                                {"min_mos", thresholds.minMos},
                                {"longest_drop", EvidenceTime(longest)},
                                {"gap_threshold", thresholds.rtpGapSeconds},
                                {"gap_recorded_above", log.GapRecordSeconds()}};
  if (log.GapRecordSeconds() > thresholds.rtpGapSeconds) {
    // Gaps between the two thresholds were never recorded, so they cannot be reported.
    result.evidence["warning"] = "log recorded only gaps above gap_recorded_above";
  }
  result.evidence["by_reboot"] = tally.ToJson();
  return result;
}

}  // namespace alglab::probes
