#include "probes/ring-analysis.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <utility>

namespace alglab::probes {

const char* ToString(LegVerdict verdict) {
  switch (verdict) {
    case LegVerdict::Rang:
      return "rang";
    case LegVerdict::NotRang:
      return "not_rang";
    case LegVerdict::Unreachable:
      return "unreachable";
    case LegVerdict::NotJudged:
      break;
  }
  return "not_judged";
}

const char* ToString(RingOutcome outcome) {
  switch (outcome) {
    case RingOutcome::AllRang:
      return "all_rang";
    case RingOutcome::Partial:
      return "partial";
    case RingOutcome::NoneRang:
      return "none_rang";
    case RingOutcome::RebootGrace:
      return "reboot_grace";
    case RingOutcome::NotJudged:
      break;
  }
  return "not_judged";
}

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

/// Earliest time per Call-ID of the given call-event kind, at any device.
std::map<std::string, double> EarliestByCallId(const ObservationLog& log, CallEventKind kind) {
  std::map<std::string, double> earliest;
  for (const CallEventRecord& e : log.CallEvents()) {
    if (e.kind != kind) {
      continue;
    }
    auto it = earliest.find(e.callId);
    if (it == earliest.end() || e.t < it->second) {
      earliest[e.callId] = e.t;
    }
  }
  return earliest;
}

double Lookup(const std::map<std::string, double>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? kNever : it->second;
}

struct Alert {
  double t;
  std::string device;
};

/// Handset alerts per Call-ID, each device once (its first alert), in time order.
std::map<std::string, std::vector<Alert>> HandsetAlerts(const ObservationLog& log) {
  std::map<std::string, std::map<std::string, double>> firstByCall;
  for (const AlertRecord& a : log.Alerts()) {
    if (!log.IsHandset(a.device)) {
      continue;
    }
    auto& byDevice = firstByCall[a.callId];
    auto it = byDevice.find(a.device);
    if (it == byDevice.end() || a.t < it->second) {
      byDevice[a.device] = a.t;
    }
  }
  std::map<std::string, std::vector<Alert>> result;
  for (const auto& [callId, byDevice] : firstByCall) {
    std::vector<Alert>& alerts = result[callId];
    for (const auto& [device, t] : byDevice) {
      alerts.push_back({t, device});
    }
    std::stable_sort(alerts.begin(), alerts.end(),
                     [](const Alert& a, const Alert& b) { return a.t < b.t; });
  }
  return result;
}

/// Gives each fork leg the handset that alerted on it. Usually every leg has its own Call-ID
/// (a B2BUA PBX); a forking proxy reuses one Call-ID for all members, so alerts on a shared
/// Call-ID are handed out: first to the fork whose extension names the device, then in order.
void AssignAlerts(std::vector<ForkLeg>& legs,
                  const std::map<std::string, std::vector<Alert>>& alertsByCall) {
  std::map<std::string, std::vector<ForkLeg*>> legsByCallId;
  for (ForkLeg& leg : legs) {
    if (!leg.legCallId.empty()) {
      legsByCallId[leg.legCallId].push_back(&leg);
    }
  }
  for (auto& [callId, sharing] : legsByCallId) {
    auto found = alertsByCall.find(callId);
    if (found == alertsByCall.end()) {
      continue;
    }
    std::vector<const Alert*> unassigned;
    for (const Alert& a : found->second) {
      auto named = std::find_if(sharing.begin(), sharing.end(), [&](ForkLeg* leg) {
        return leg->ringDevice.empty() && leg->extension == a.device;
      });
      if (named != sharing.end()) {
        (*named)->ringDevice = a.device;
        (*named)->alertT = a.t;
      } else {
        unassigned.push_back(&a);
      }
    }
    std::size_t next = 0;
    for (ForkLeg* leg : sharing) {
      if (leg->ringDevice.empty() && next < unassigned.size()) {
        leg->ringDevice = unassigned[next]->device;
        leg->alertT = unassigned[next]->t;
        ++next;
      }
    }
  }
}

void JudgeForkedCall(InboundCallAnalysis& call, double callEnd,
                     const std::map<std::string, double>& endedAt,
                     const std::map<std::string, double>& establishedAt, const Thresholds& th) {
  // The ring group is over for everyone once a member answers.
  double answeredAt = kNever;
  for (const ForkLeg& leg : call.legs) {
    if (!leg.legCallId.empty() && !leg.ringDevice.empty()) {
      answeredAt = std::min(answeredAt, Lookup(establishedAt, leg.legCallId));
    }
  }
  for (ForkLeg& leg : call.legs) {
    if (leg.legCallId.empty()) {
      leg.verdict = LegVerdict::Unreachable;
      continue;
    }
    if (!leg.ringDevice.empty()) {
      leg.verdict = LegVerdict::Rang;
      continue;
    }
    double legEnd = std::min(callEnd, Lookup(endedAt, leg.legCallId));
    double answered = answeredAt;
    double deadline = leg.t + th.ringDeadlineSeconds;
    if (answered < deadline && answered <= legEnd) {
      leg.verdict = LegVerdict::NotJudged;
      leg.reason = "answered_elsewhere_before_deadline";
    } else if (legEnd < deadline) {
      leg.verdict = LegVerdict::NotJudged;
      leg.reason = "ended_before_deadline";
    } else {
      leg.verdict = LegVerdict::NotRang;
    }
  }
  for (const ForkLeg& leg : call.legs) {
    if (leg.verdict == LegVerdict::NotJudged) {
      continue;
    }
    ++call.expected;
    if (leg.verdict == LegVerdict::Rang) {
      ++call.rang;
    }
  }
}

void JudgeForklessCall(InboundCallAnalysis& call, double callEnd,
                       const std::map<std::string, std::vector<Alert>>& alertsByCall,
                       const std::set<std::string>& answeredByPbx, const Thresholds& th) {
  auto found = alertsByCall.find(call.callId);
  if (found != alertsByCall.end()) {
    for (const Alert& a : found->second) {
      call.directAlerts.push_back(a.device);
    }
  }
  if (!call.directAlerts.empty()) {
    call.expected = 1;
    call.rang = 1;
    return;
  }
  // Answered by the PBX itself (auto attendant, voicemail) with no ring group: not a ringing
  // question at all.
  if (answeredByPbx.count(call.callId) > 0) {
    call.reason = "answered_by_pbx";
    return;
  }
  if (callEnd - call.t < th.ringDeadlineSeconds) {
    call.reason = "ended_before_deadline";
    return;
  }
  call.expected = 1;
}

}  // namespace

std::vector<InboundCallAnalysis> AnalyzeInboundCalls(const ObservationLog& log,
                                                     const Thresholds& thresholds,
                                                     const RebootWindows& reboots) {
  std::map<std::string, InboundCallAnalysis> byCallId;
  auto sight = [&](const InboundCallRecord& r, bool provider) {
    auto [it, fresh] = byCallId.try_emplace(r.callId);
    InboundCallAnalysis& c = it->second;
    if (fresh || r.t < c.t) {
      c.t = r.t;
    }
    c.callId = r.callId;
    if (c.did.empty()) {
      c.did = r.did;
    }
    (provider ? c.placedByProvider : c.reachedPbx) = true;
  };
  for (const InboundCallRecord& r : log.InboundPlaced()) {
    sight(r, true);
  }
  for (const InboundCallRecord& r : log.InboundReceived()) {
    sight(r, false);
  }

  std::vector<ForkRecord> forks = log.Forks();
  std::stable_sort(forks.begin(), forks.end(),
                   [](const ForkRecord& a, const ForkRecord& b) { return a.t < b.t; });
  for (const ForkRecord& f : forks) {
    auto it = byCallId.find(f.inboundCallId);
    if (it == byCallId.end()) {
      // A fork for a call nobody saw arrive: the PBX's InboundCall trace is the evidence.
      InboundCallRecord implied{f.t, f.pbx, f.inboundCallId, ""};
      sight(implied, false);
      it = byCallId.find(f.inboundCallId);
    }
    ForkLeg leg;
    leg.t = f.t;
    leg.extension = f.extension;
    leg.legCallId = f.legCallId;
    it->second.legs.push_back(std::move(leg));
  }

  const auto alertsByCall = HandsetAlerts(log);
  const auto endedAt = EarliestByCallId(log, CallEventKind::Ended);
  const auto establishedAt = EarliestByCallId(log, CallEventKind::Established);
  std::set<std::string> answeredByPbx;
  for (const CallEventRecord& e : log.CallEvents()) {
    if (e.kind == CallEventKind::Established && log.KindOf(e.device) == DeviceKind::Pbx) {
      answeredByPbx.insert(e.callId);
    }
  }
  const double logEnd = log.EndTime();

  std::vector<InboundCallAnalysis> result;
  for (auto& entry : byCallId) {
    InboundCallAnalysis& call = entry.second;
    double callEnd = std::min(logEnd, Lookup(endedAt, call.callId));
    if (!call.legs.empty()) {
      AssignAlerts(call.legs, alertsByCall);
      JudgeForkedCall(call, callEnd, endedAt, establishedAt, thresholds);
    } else {
      JudgeForklessCall(call, callEnd, alertsByCall, answeredByPbx, thresholds);
    }
    if (reboots.InGrace(call.t)) {
      call.outcome = RingOutcome::RebootGrace;
    } else if (call.expected == 0) {
      call.outcome = RingOutcome::NotJudged;
      if (call.reason.empty()) {
        call.reason = "no_leg_could_be_judged";
      }
    } else if (call.rang == call.expected) {
      call.outcome = RingOutcome::AllRang;
    } else if (call.rang == 0) {
      call.outcome = RingOutcome::NoneRang;
    } else {
      call.outcome = RingOutcome::Partial;
    }
    result.push_back(std::move(call));
  }
  std::stable_sort(result.begin(), result.end(),
                   [](const InboundCallAnalysis& a, const InboundCallAnalysis& b) {
                     return a.t < b.t;  // ties keep Call-ID order from the map
                   });
  return result;
}

}  // namespace alglab::probes
