#include "probes/reboot-windows.h"

#include "probes/evidence-format.h"

#include <algorithm>

namespace alglab::probes {

const char* ToString(RebootPhase phase) {
  switch (phase) {
    case RebootPhase::Before:
      return "before_reboot";
    case RebootPhase::Grace:
      return "reboot_grace";
    case RebootPhase::After:
      return "after_reboot";
    case RebootPhase::NoReboot:
      break;
  }
  return "no_reboot";
}

RebootWindows::RebootWindows(const ObservationLog& log, const Thresholds& thresholds)
    : m_grace(thresholds.rebootGraceSeconds) {
  for (const RebootRecord& r : log.Reboots()) {
    m_times.push_back(r.t);
  }
  std::sort(m_times.begin(), m_times.end());
}

RebootPhase RebootWindows::PhaseOf(double t) const {
  if (m_times.empty()) {
    return RebootPhase::NoReboot;
  }
  if (t < m_times.front()) {
    return RebootPhase::Before;
  }
  return t < m_times.front() + m_grace ? RebootPhase::Grace : RebootPhase::After;
}

bool RebootWindows::InGrace(double t) const {
  return std::any_of(m_times.begin(), m_times.end(),
                     [&](double r) { return t >= r && t < r + m_grace; });
}

bool RebootWindows::ExcusesEpisode(double start, double end) const {
  return std::any_of(m_times.begin(), m_times.end(), [&](double r) {
    return start >= r && start < r + m_grace && end <= r + m_grace;
  });
}

bool RebootWindows::EpisodeStillInGrace(double start, double logEnd) const {
  return std::any_of(m_times.begin(), m_times.end(), [&](double r) {
    return start >= r && start < r + m_grace && logEnd < r + m_grace;
  });
}

bool RebootWindows::ExcusesSilence(double start, double end) const {
  return std::any_of(m_times.begin(), m_times.end(), [&](double r) {
    return end > r && start < r + m_grace && end <= r + m_grace;
  });
}

void PhaseTally::Add(double t) {
  switch (m_reboots.PhaseOf(t)) {
    case RebootPhase::Before:
      ++m_before;
      break;
    case RebootPhase::Grace:
      ++m_grace;
      break;
    case RebootPhase::After:
      ++m_after;
      break;
    case RebootPhase::NoReboot:
      break;
  }
}

nlohmann::json PhaseTally::ToJson() const {
  if (!m_reboots.Any()) {
    return nullptr;
  }
  return {{"first_reboot", EvidenceTime(m_reboots.First())},
          {"before", m_before},
          {"during_grace", m_grace},
          {"after", m_after}};
}

}  // namespace alglab::probes
