#ifndef ALGLAB_PROBES_REGISTRATION_ANALYSIS_H
#define ALGLAB_PROBES_REGISTRATION_ANALYSIS_H

// Registration outcomes per (device, registrar), grouped into failure episodes: the run of
// failed REGISTER transactions between two successes. Shared by registration_failure and
// fails_after_reboot so both judge a failure the same way.

#include "probes/observation-log.h"
#include "probes/reboot-windows.h"
#include "probes/thresholds.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace alglab::probes {

/// How a failure episode is judged.
enum class EpisodeVerdict {
  Failure,        ///< a real registration failure: counts toward the symptom
  Challenge,      ///< only 401/407/423, answered by a success within registrationRetrySeconds
  RebootExcused,  ///< began in a reboot's grace window and recovered within it
  Pending,        ///< still open at the end of the log but too young to judge
};

/// "failure", "challenge_answered", "reboot_outage", "pending".
const char* ToString(EpisodeVerdict verdict);

/// 401, 407 (credentials wanted) and 423 (interval too brief): the client is expected to retry.
bool IsRetryableRegisterStatus(std::uint16_t status);

/// Failed REGISTER transactions between two successes (or the start / end of the log).
struct RegistrationEpisode {
  double start = 0.0;           ///< time of the first failure
  bool recovered = false;       ///< a success followed
  double recoveredAt = 0.0;     ///< time of that success (when recovered)
  std::vector<double> times;    ///< each failed outcome's time
  std::vector<std::uint16_t> statuses;
  EpisodeVerdict verdict = EpisodeVerdict::Failure;
};

/// Everything one device experienced registering with one registrar.
struct RegistrationHistory {
  std::string device;
  std::string registrar;
  std::vector<RegistrationRecord> outcomes;  ///< time order
  std::size_t succeeded = 0;
  std::size_t failed = 0;                    ///< raw failed outcomes, whatever the verdict
  std::vector<RegistrationEpisode> episodes;

  /// True when the latest outcome strictly before `t` was a success.
  bool RegisteredJustBefore(double t) const;
};

/// One history per (device, registrar), ordered by device then registrar.
std::vector<RegistrationHistory> AnalyzeRegistrations(const ObservationLog& log,
                                                      const Thresholds& thresholds,
                                                      const RebootWindows& reboots);

}  // namespace alglab::probes

#endif
