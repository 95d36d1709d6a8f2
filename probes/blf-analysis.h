#ifndef ALGLAB_PROBES_BLF_ANALYSIS_H
#define ALGLAB_PROBES_BLF_ANALYSIS_H

// BLF lamps against the PBX's truth. For each (watching handset, monitored extension) both
// timelines are step functions that start at "terminated" (idle: a dark lamp, an idle line).
// A mismatch run is a stretch during which the truth stays in one state and the lamp shows
// something else; it ends when the lamp catches up or the truth changes again (the lamp is
// then judged against the new state afresh). Runs up to blfToleranceSeconds are normal NOTIFY
// latency; longer ones are a lamp that did not update.

#include "probes/observation-log.h"
#include "probes/reboot-windows.h"
#include "probes/thresholds.h"

#include <cstddef>
#include <string>
#include <vector>

namespace alglab::probes {

/// The BLF state everything starts in: no dialog.
inline constexpr const char* kBlfIdleState = "terminated";

enum class MismatchVerdict {
  Stale,          ///< longer than the tolerance: the lamp did not follow
  RebootExcused,  ///< began in a reboot's grace window and was over by its end
  Pending,        ///< open at the end of the log, not yet longer than the tolerance
};

/// "stale", "reboot_outage", "pending".
const char* ToString(MismatchVerdict verdict);

struct BlfMismatch {
  double start = 0.0;
  double end = 0.0;        ///< log end for an open run
  bool open = false;       ///< still mismatched when the log ended
  std::string truthState;
  std::string lampState;   ///< lamp state when the run began
  MismatchVerdict verdict = MismatchVerdict::Stale;
};

struct BlfWatchAnalysis {
  std::string watcher;
  std::string extension;
  bool configured = false;       ///< declared with ExpectBlfWatch
  /// False when the PBX never reported the extension's state: without truth there is nothing
  /// to compare the lamp with.
  bool judged = false;
  std::size_t truthChanges = 0;  ///< changes of the PBX's state for the extension
  std::size_t lampUpdates = 0;   ///< NOTIFYs the watcher received for it
  double firstLampUpdate = -1.0; ///< -1 when none
  std::string finalTruth;
  std::string finalLamp;
  std::size_t shortMismatches = 0;  ///< runs within the tolerance (normal latency)
  double longestShortMismatch = 0.0;
  std::vector<BlfMismatch> mismatches;  ///< runs beyond the tolerance, excused or pending ones
};

/// One analysis per watch, ordered by watcher then extension. Watches are the configured ones
/// (ExpectBlfWatch) plus every (watcher, extension) that received a NOTIFY.
std::vector<BlfWatchAnalysis> AnalyzeBlf(const ObservationLog& log, const Thresholds& thresholds,
                                         const RebootWindows& reboots);

}  // namespace alglab::probes

#endif
