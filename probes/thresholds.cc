#include "probes/thresholds.h"

#include <cmath>
#include <string>

namespace alglab::probes {

namespace {

void RequireNonNegative(const char* name, double value) {
  if (!std::isfinite(value) || value < 0.0) {
    throw ThresholdError(std::string("threshold ") + name + " must be a finite value >= 0, got " +
                         std::to_string(value));
  }
}

}  // namespace

void ValidateThresholds(const Thresholds& t) {
  RequireNonNegative("rtpGapSeconds", t.rtpGapSeconds);
  RequireNonNegative("minReceivedRatio", t.minReceivedRatio);
  RequireNonNegative("callSettleStartSeconds", t.callSettleStartSeconds);
  RequireNonNegative("callSettleEndSeconds", t.callSettleEndSeconds);
  RequireNonNegative("blfToleranceSeconds", t.blfToleranceSeconds);
  RequireNonNegative("ringDeadlineSeconds", t.ringDeadlineSeconds);
  RequireNonNegative("registrationRetrySeconds", t.registrationRetrySeconds);
  RequireNonNegative("rebootGraceSeconds", t.rebootGraceSeconds);
  RequireNonNegative("senderSilenceSlackSeconds", t.senderSilenceSlackSeconds);
  RequireNonNegative("callSetupSeconds", t.callSetupSeconds);
  RequireNonNegative("minMos", t.minMos);
  if (t.minReceivedRatio > 1.0) {
    throw ThresholdError("threshold minReceivedRatio must lie in [0, 1], got " +
                         std::to_string(t.minReceivedRatio));
  }
  if (t.rtpGapSeconds == 0.0) {
    // A zero gap threshold would call every pair of packets a drop.
    throw ThresholdError("threshold rtpGapSeconds must be > 0");
  }
}

}  // namespace alglab::probes
