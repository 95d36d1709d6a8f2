// blf_not_updating: a watching handset's lamp disagreed with the PBX's truth for longer than
// blfToleranceSeconds.

#include "probes/blf-analysis.h"
#include "probes/evidence-format.h"
#include "probes/reboot-windows.h"
#include "probes/symptom-detectors.h"

#include <set>
#include <string>

namespace alglab::probes {

SymptomResult DetectBlfNotUpdating(const ObservationLog& log, const Thresholds& thresholds) {
  ValidateThresholds(thresholds);
  RebootWindows reboots(log, thresholds);
  PhaseTally tally(reboots);
  std::set<std::string> staleWatches;
  EvidenceList watches;
  std::size_t staleRuns = 0;
  std::size_t notJudged = 0;

  for (const BlfWatchAnalysis& w : AnalyzeBlf(log, thresholds, reboots)) {
    EvidenceList stale;
    std::size_t excused = 0;
    std::size_t pending = 0;
    for (const BlfMismatch& m : w.mismatches) {
      if (m.verdict == MismatchVerdict::RebootExcused) {
        ++excused;
        continue;
      }
      if (m.verdict == MismatchVerdict::Pending) {
        ++pending;
        continue;
      }
      ++staleRuns;
      tally.Add(m.start);
      staleWatches.insert(w.watcher + " -> " + w.extension);
      stale.Add({{"start", EvidenceTime(m.start)},
                 {"end", EvidenceTime(m.end)},
                 {"duration", EvidenceTime(m.end - m.start)},
                 {"open_at_end", m.open},
                 {"pbx_state", m.truthState},
                 {"lamp_state", m.lampState},
                 {"phase", ToString(reboots.PhaseOf(m.start))}});
    }
    if (!w.judged) {
      ++notJudged;
    }
    nlohmann::json entry = {{"watcher", w.watcher},
                            {"extension", w.extension},
                            {"configured", w.configured},
                            {"judged", w.judged},
                            {"pbx_changes", w.truthChanges},
                            {"lamp_updates", w.lampUpdates},
                            {"final_pbx_state", w.finalTruth},
                            {"final_lamp_state", w.finalLamp},
                            {"lagged_updates", w.shortMismatches},
                            {"longest_lag", EvidenceTime(w.longestShortMismatch)},
                            {"reboot_excused", excused},
                            {"pending_at_end", pending}};
    stale.WriteTo(entry, "stale_intervals");
    watches.Add(std::move(entry));
  }

  SymptomResult result{kBlfNotUpdating, staleRuns > 0, nlohmann::json::object()};
  result.evidence["stale_watches"] = staleWatches;
  watches.WriteTo(result.evidence, "watches");
  result.evidence["summary"] = {{"watches", watches.Total()},
                                {"not_judged", notJudged},
                                {"stale_intervals", staleRuns},
                                {"pbx_state_changes", log.BlfTruth().size()},
                                {"lamp_updates", log.BlfLamps().size()}};
  result.evidence["by_reboot"] = tally.ToJson();
  return result;
}

}  // namespace alglab::probes
