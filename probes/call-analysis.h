#ifndef ALGLAB_PROBES_CALL_ANALYSIS_H
#define ALGLAB_PROBES_CALL_ANALYSIS_H

// Every call a handset placed (its CallAttempt), followed to what the two people experienced:
// did it get answered, and once answered, did each party hear the other? Shared by
// calls_not_connecting (failed, timed out, answered into silence) and one_way_audio (which
// leaves calls where nobody hears anything to calls_not_connecting).
//
// The callee side of a call through the PBX is another dialog: the PBX reports which callee
// leg answered ("CallBridged"), and the callee's experience is that leg's media at the device
// on its far end (a handset, or the provider for a trunk call). A call with no bridge report
// (straight to its peer) has its callee on the same Call-ID.

#include "probes/media-analysis.h"
#include "probes/observation-log.h"
#include "probes/reboot-windows.h"
#include "probes/thresholds.h"

#include <optional>
#include <string>
#include <vector>

namespace alglab::probes {

enum class CallOutcome {
  Connected,            ///< answered, and at least one party heard the other
  Failed,               ///< ended before an answer with a failure response or event
  TimedOut,             ///< no answer and no final response within callSetupSeconds (or 408)
  AnsweredIntoSilence,  ///< answered, but neither party heard the other (dead air)
  Declined,             ///< the callee's own choice (486 busy, 600, 603): not judged
  NotJudged,            ///< still setting up at the end, or too little audio to judge
  RebootGrace,          ///< the failure fell inside a router reboot's grace window
};

/// "connected", "failed", "timed_out", "answered_into_silence", "declined", "not_judged",
/// "reboot_grace".
const char* ToString(CallOutcome outcome);

/// True for the outcomes calls_not_connecting reports.
inline bool NotConnecting(CallOutcome o) {
  return o == CallOutcome::Failed || o == CallOutcome::TimedOut ||
         o == CallOutcome::AnsweredIntoSilence;
}

struct CallAnalysis {
  std::string device;  ///< the handset that placed the call
  std::string callId;
  std::string target;
  double attempted = 0.0;
  std::optional<double> established;  ///< at the caller
  std::optional<double> ended;        ///< at the caller
  std::string endReason;              ///< the caller's CallEnded reason (a status, "bye", ...)
  /// The callee's leg and device: from the PBX's bridge report, or the caller's own Call-ID.
  std::string calleeCallId;
  std::string calleeDevice;
  AudioVerdict callerHears = AudioVerdict::NotJudged;
  AudioVerdict calleeHears = AudioVerdict::NotJudged;
  CallOutcome outcome = CallOutcome::NotJudged;
  std::string reason;  ///< one line: why this outcome
};

/// One analysis per handset call attempt, in attempt order (ties: device, then Call-ID).
/// `media` is AnalyzeMedia's result for the same log.
std::vector<CallAnalysis> AnalyzeCalls(const ObservationLog& log, const Thresholds& thresholds,
                                       const RebootWindows& reboots,
                                       const std::vector<StreamAnalysis>& media);

}  // namespace alglab::probes

#endif
