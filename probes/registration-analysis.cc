#include "probes/registration-analysis.h"

#include <algorithm>
#include <map>
#include <utility>

namespace alglab::probes {

const char* ToString(EpisodeVerdict verdict) {
  switch (verdict) {
    case EpisodeVerdict::Challenge:
      return "challenge_answered";
    case EpisodeVerdict::RebootExcused:
      return "reboot_outage";
    case EpisodeVerdict::Pending:
      return "pending";
    case EpisodeVerdict::Failure:
      break;
  }
  return "failure";
}

bool IsRetryableRegisterStatus(std::uint16_t status) {
  return status == 401 || status == 407 || status == 423;
}

bool RegistrationHistory::RegisteredJustBefore(double t) const {
  const RegistrationRecord* latest = nullptr;
  for (const RegistrationRecord& r : outcomes) {
    if (r.t < t) {
      latest = &r;
    }
  }
  return latest != nullptr && latest->success;
}

namespace {

EpisodeVerdict Judge(const RegistrationEpisode& e, double logEnd, const Thresholds& th,
                     const RebootWindows& reboots) {
  bool onlyRetryable = std::all_of(e.statuses.begin(), e.statuses.end(),
                                   [](std::uint16_t s) { return IsRetryableRegisterStatus(s); });
  if (e.recovered) {
    if (onlyRetryable && e.recoveredAt - e.start <= th.registrationRetrySeconds) {
      return EpisodeVerdict::Challenge;
    }
    if (reboots.ExcusesEpisode(e.start, e.recoveredAt)) {
      return EpisodeVerdict::RebootExcused;
    }
    return EpisodeVerdict::Failure;
  }
  if (onlyRetryable && logEnd - e.start < th.registrationRetrySeconds) {
    return EpisodeVerdict::Pending;
  }
  if (reboots.EpisodeStillInGrace(e.start, logEnd)) {
    return EpisodeVerdict::Pending;
  }
  return EpisodeVerdict::Failure;
}

}  // namespace

std::vector<RegistrationHistory> AnalyzeRegistrations(const ObservationLog& log,
                                                      const Thresholds& thresholds,
                                                      const RebootWindows& reboots) {
  std::map<std::pair<std::string, std::string>, RegistrationHistory> byPair;
  for (const RegistrationRecord& r : log.Registrations()) {
    RegistrationHistory& h = byPair[{r.device, r.registrar}];
    h.device = r.device;
    h.registrar = r.registrar;
    h.outcomes.push_back(r);
  }

  const double logEnd = log.EndTime();
  std::vector<RegistrationHistory> result;
  result.reserve(byPair.size());
  for (auto& entry : byPair) {
    RegistrationHistory& h = entry.second;
    std::stable_sort(h.outcomes.begin(), h.outcomes.end(),
                     [](const RegistrationRecord& a, const RegistrationRecord& b) {
                       return a.t < b.t;
                     });
    RegistrationEpisode* open = nullptr;
    for (const RegistrationRecord& r : h.outcomes) {
      if (r.success) {
        ++h.succeeded;
        if (open != nullptr) {
          open->recovered = true;
          open->recoveredAt = r.t;
          open = nullptr;
        }
        continue;
      }
      ++h.failed;
      if (open == nullptr) {
        h.episodes.emplace_back();
        open = &h.episodes.back();
        open->start = r.t;
      }
      open->times.push_back(r.t);
      open->statuses.push_back(r.status);
    }
    for (RegistrationEpisode& e : h.episodes) {
      e.verdict = Judge(e, logEnd, thresholds, reboots);
    }
    result.push_back(std::move(h));
  }
  return result;
}

}  // namespace alglab::probes
