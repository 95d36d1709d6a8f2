#ifndef ALGLAB_PROBES_RECOVERY_ANALYSIS_H
#define ALGLAB_PROBES_RECOVERY_ANALYSIS_H

// How long each handset took to work again after each router reboot, and what its user lost
// meanwhile: the figure routers differ in (stale ALG state holding a port, pinholes that
// vanish, configuration that reverts), which a verdict with a grace window hides.
//
// For reboot R (until the next reboot or the end of the log), per handset:
// - registered: its first successful REGISTER at or after R;
// - rang: its first alert for an inbound call the PBX offered it after R;
// - audio: the first RTP it received after R in an established call (in a call spanning R,
//   the end of the silence the reboot caused).
// A category the handset had no chance to show after R (no inbound call offered, no call) is
// "not observed" and does not count; one it had a chance at but never recovered in makes the
// handset "not recovered". Otherwise it recovered when the last of its categories did. Each
// time is when the category was next seen working, so it is bounded by when the scenario next
// used it (a registration refresh, the next inbound call): compare routers on one scenario.
// Lost meanwhile: inbound calls offered to it that did not ring and calls it placed that did
// not connect, from R until it recovered (or the window's end).

#include "probes/call-analysis.h"
#include "probes/media-analysis.h"
#include "probes/observation-log.h"
#include "probes/reboot-windows.h"
#include "probes/ring-analysis.h"
#include "probes/thresholds.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace alglab::probes {

/// One category's recovery: when it worked again; `chance` is false when nothing after the
/// reboot gave it an opportunity to.
struct RecoveryMark {
  bool chance = false;
  std::optional<double> at;
};

struct HandsetRecovery {
  double reboot = 0.0;
  double windowEnd = 0.0;  ///< next reboot or the log's end
  std::string device;
  RecoveryMark registered;
  RecoveryMark rang;
  RecoveryMark audio;
  /// Every category with a chance recovered; `recoveredAt` is then the latest of them.
  bool recovered = false;
  std::optional<double> recoveredAt;
  std::size_t inboundCallsLost = 0;   ///< offered after the reboot, did not ring, before recovery
  std::size_t outboundCallsLost = 0;  ///< placed after the reboot, did not connect, before recovery
};

/// One entry per reboot and handset, by reboot time then device.
std::vector<HandsetRecovery> AnalyzeRecovery(const ObservationLog& log, const Thresholds& thresholds,
                                             const RebootWindows& reboots);

}  // namespace alglab::probes

#endif
