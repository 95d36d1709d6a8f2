#ifndef ALGLAB_PROBES_REBOOT_WINDOWS_H
#define ALGLAB_PROBES_REBOOT_WINDOWS_H

// Router reboots as the detectors see them. While a router reboots, everything behind it
// breaks; that outage is the reboot's doing, not the ALG's. Each reboot R opens a grace window
// [R, R + rebootGraceSeconds): trouble that begins inside it and is over by its end is
// attributed to the reboot. "Before" and "after" always refer to the first reboot.

#include "probes/observation-log.h"
#include "probes/thresholds.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <vector>

namespace alglab::probes {

/// Where a time lies relative to the first reboot.
enum class RebootPhase { NoReboot, Before, Grace, After };

/// "no_reboot", "before_reboot", "reboot_grace", "after_reboot".
const char* ToString(RebootPhase phase);

class RebootWindows {
 public:
  RebootWindows(const ObservationLog& log, const Thresholds& thresholds);

  bool Any() const { return !m_times.empty(); }
  /// First reboot time; only meaningful when Any().
  double First() const { return m_times.empty() ? 0.0 : m_times.front(); }
  const std::vector<double>& Times() const { return m_times; }
  double Grace() const { return m_grace; }

  /// Phase of `t` relative to the first reboot.
  RebootPhase PhaseOf(double t) const;
  /// True when `t` lies in some reboot's grace window.
  bool InGrace(double t) const;
  /// A failure episode that began at `start` and was over at `end` is the reboot's: it began
  /// inside a grace window and was over by that window's end.
  bool ExcusesEpisode(double start, double end) const;
  /// An episode that began inside a grace window still open when the log ends at `logEnd`,
  /// before the window closed: it cannot be judged yet.
  bool EpisodeStillInGrace(double start, double logEnd) const;
  /// A silence (no RTP) from `start` to `end` is the reboot's: it covers a reboot instant or
  /// began inside its grace window, and was over by the window's end. A silence begins with the
  /// last packet before it, a moment before the router went down, hence the different rule.
  bool ExcusesSilence(double start, double end) const;

 private:
  std::vector<double> m_times;  // sorted
  double m_grace;
};

/// Counts findings by phase relative to the first reboot, for the "by_reboot" evidence.
class PhaseTally {
 public:
  explicit PhaseTally(const RebootWindows& reboots) : m_reboots(reboots) {}
  void Add(double t);
  /// {"first_reboot": R, "before": n, "during_grace": g, "after": m}; null without a reboot.
  nlohmann::json ToJson() const;

 private:
  const RebootWindows& m_reboots;
  std::size_t m_before = 0;
  std::size_t m_grace = 0;
  std::size_t m_after = 0;
};

}  // namespace alglab::probes

#endif
