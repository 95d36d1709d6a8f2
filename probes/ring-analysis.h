#ifndef ALGLAB_PROBES_RING_ANALYSIS_H
#define ALGLAB_PROBES_RING_ANALYSIS_H

// For every inbound call: which handsets the PBX offered it to (CallForked) and which of them
// actually alerted (IncomingCall on the fork's leg Call-ID). Shared by
// incoming_calls_not_ringing and fails_after_reboot.

#include "probes/observation-log.h"
#include "probes/reboot-windows.h"
#include "probes/thresholds.h"

#include <cstddef>
#include <string>
#include <vector>

namespace alglab::probes {

/// What became of one offered ring-group member.
enum class LegVerdict {
  Rang,         ///< a handset alerted on the leg
  NotRang,      ///< no alert although the leg lived ringDeadlineSeconds
  Unreachable,  ///< the PBX had no usable contact (empty leg Call-ID)
  NotJudged,    ///< the leg was cancelled / answered elsewhere / the log ended before the deadline
};

/// "rang", "not_rang", "unreachable", "not_judged".
const char* ToString(LegVerdict verdict);

/// The overall ringing outcome of one inbound call.
enum class RingOutcome {
  AllRang,      ///< every judged expected handset alerted
  Partial,      ///< some alerted, some did not
  NoneRang,     ///< no expected handset alerted
  NotJudged,    ///< nothing could be judged (too short, answered by the PBX itself, ...)
  RebootGrace,  ///< placed inside a reboot's grace window: the outage's doing
};

/// "all_rang", "partial", "none_rang", "not_judged", "reboot_grace".
const char* ToString(RingOutcome outcome);

struct ForkLeg {
  double t = 0.0;               ///< when the PBX offered the call
  std::string extension;
  std::string legCallId;        ///< empty: no usable contact
  LegVerdict verdict = LegVerdict::NotJudged;
  std::string ringDevice;       ///< the handset that alerted (Rang)
  double alertT = 0.0;          ///< when it alerted (Rang)
  std::string reason;           ///< why NotJudged
};

struct InboundCallAnalysis {
  std::string callId;
  std::string did;
  double t = 0.0;               ///< earliest sighting (placed by provider / received by PBX)
  bool placedByProvider = false;
  bool reachedPbx = false;
  std::vector<ForkLeg> legs;    ///< fork order
  /// Without forks: handsets that alerted on the inbound Call-ID itself (no PBX in between).
  std::vector<std::string> directAlerts;
  std::size_t expected = 0;     ///< judged expected handsets (1 for a fork-less call)
  std::size_t rang = 0;
  RingOutcome outcome = RingOutcome::NotJudged;
  std::string reason;           ///< why NotJudged
};

/// Inbound calls ordered by first sighting time, then Call-ID.
std::vector<InboundCallAnalysis> AnalyzeInboundCalls(const ObservationLog& log,
                                                     const Thresholds& thresholds,
                                                     const RebootWindows& reboots);

}  // namespace alglab::probes

#endif
