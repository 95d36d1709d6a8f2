// audio_drop_midcall: audio that was flowing into a device during an established call went
// silent for longer than rtpGapSeconds inside the settled part of the call, or stopped for good.

#include "probes/evidence-format.h"
#include "probes/media-analysis.h"
#include "probes/reboot-windows.h"
#include "probes/symptom-detectors.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace alglab::probes {

SymptomResult DetectAudioDropMidcall(const ObservationLog& log, const Thresholds& thresholds) {
  ValidateThresholds(thresholds);
  RebootWindows reboots(log, thresholds);
  PhaseTally tally(reboots);
  EvidenceList drops;
  EvidenceList excused;
  EvidenceList senderSilent;
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

  SymptomResult result{kAudioDropMidcall, drops.Total() > 0, nlohmann::json::object()};
  drops.WriteTo(result.evidence, "drops");
  excused.WriteTo(result.evidence, "reboot_outage_drops");
  // Silences every sender chose (hold, mute): what the listener heard, named, but no drop.
  senderSilent.WriteTo(result.evidence, "sender_silent_gaps");
  result.evidence["affected_calls"] = affectedCalls;
  result.evidence["summary"] = {{"streams_judged", judged},
                                {"streams_not_judged", notJudged},
                                {"drops", drops.Total()},
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
