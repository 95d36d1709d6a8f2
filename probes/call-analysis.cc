#include "probes/call-analysis.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace alglab::probes {

const char* ToString(CallOutcome outcome) {
  switch (outcome) {
    case CallOutcome::Connected:
      return "connected";
    case CallOutcome::Failed:
      return "failed";
    case CallOutcome::TimedOut:
      return "timed_out";
    case CallOutcome::AnsweredIntoSilence:
      return "answered_into_silence";
    case CallOutcome::Declined:
      return "declined";
    case CallOutcome::NotJudged:
      return "not_judged";
    case CallOutcome::RebootGrace:
      return "reboot_grace";
  }
  return "not_judged";
}

namespace {

using DeviceCall = std::pair<std::string, std::string>;  // (device, Call-ID)

/// Final responses that are the callee's decision, not the network's (RFC 3261 21.4.25,
/// 21.6.1, 21.6.2): busy here, busy everywhere, decline.
bool CalleeDeclined(const std::string& reason) {
  return reason == "486" || reason == "600" || reason == "603";
}

/// The first Established and the first Ended event of each (device, Call-ID).
struct CallEvents {
  std::map<DeviceCall, double> established;
  std::map<DeviceCall, std::pair<double, std::string>> ended;
};

CallEvents FirstCallEvents(const ObservationLog& log) {
  CallEvents out;
  for (const CallEventRecord& e : log.CallEvents()) {
    const DeviceCall key{e.device, e.callId};
    if (e.kind == CallEventKind::Established) {
      auto [it, fresh] = out.established.emplace(key, e.t);
      if (!fresh) it->second = std::min(it->second, e.t);
    } else {
      auto [it, fresh] = out.ended.emplace(key, std::make_pair(e.t, e.detail));
      if (!fresh && e.t < it->second.first) it->second = {e.t, e.detail};
    }
  }
  return out;
}

/// How `device` heard the call on `callId`: its media analysis verdict.
AudioVerdict Hears(const std::map<DeviceCall, const StreamAnalysis*>& media,
                   const std::string& device, const std::string& callId) {
  const auto it = media.find({device, callId});
  return it == media.end() ? AudioVerdict::NotJudged : it->second->verdict;
}

/// The device at the far end of `callId` from `near` and from any PBX: the callee.
std::string FarDevice(const ObservationLog& log, const std::vector<StreamAnalysis>& media,
                      const std::string& callId, const std::string& near) {
  for (const StreamAnalysis& s : media) {
    if (s.callId == callId && s.device != near && log.KindOf(s.device) != DeviceKind::Pbx) {
      return s.device;
    }
  }
  return {};
}

/// The outcome of a call that ended (at `failedAt`) or was still unanswered then without an
/// answer, judged against the reboots.
CallOutcome Unanswered(CallAnalysis& call, double failedAt, CallOutcome what,
                       const RebootWindows& reboots) {
  if (reboots.ExcusesEpisode(call.attempted, failedAt) ||
      reboots.ExcusesSilence(call.attempted, failedAt)) {
    call.reason = std::string(ToString(what)) + " while the router rebooted";
    return CallOutcome::RebootGrace;
  }
  return what;
}

}  // namespace

std::vector<CallAnalysis> AnalyzeCalls(const ObservationLog& log, const Thresholds& thresholds,
                                       const RebootWindows& reboots,
                                       const std::vector<StreamAnalysis>& media) {
  const CallEvents events = FirstCallEvents(log);
  std::map<DeviceCall, const StreamAnalysis*> byStream;
  for (const StreamAnalysis& s : media) byStream.emplace(DeviceCall{s.device, s.callId}, &s);
  // Caller leg -> the callee leg the PBX connected it to (the first, should it report twice).
  std::map<std::string, std::string> bridged;
  for (const BridgeRecord& b : log.Bridges()) bridged.emplace(b.callerCallId, b.calleeCallId);
  const double logEnd = log.EndTime();

  std::vector<CallAnalysis> calls;
  for (const CallAttemptRecord& a : log.CallAttempts()) {
    if (!log.IsHandset(a.device)) continue;  // the PBX's and provider's legs serve others' calls
    CallAnalysis c;
    c.device = a.device;
    c.callId = a.callId;
    c.target = a.target;
    c.attempted = a.t;
    if (const auto it = events.established.find({a.device, a.callId}); it != events.established.end()) {
      c.established = it->second;
    }
    if (const auto it = events.ended.find({a.device, a.callId}); it != events.ended.end()) {
      c.ended = it->second.first;
      c.endReason = it->second.second;
    }

    if (!c.established) {
      if (c.ended) {
        if (CalleeDeclined(c.endReason)) {
          c.outcome = CallOutcome::Declined;
          c.reason = "the callee declined (" + c.endReason + ")";
        } else {
          const CallOutcome what = c.endReason == "408" ? CallOutcome::TimedOut : CallOutcome::Failed;
          c.reason = "ended before an answer: " + c.endReason;
          c.outcome = Unanswered(c, *c.ended, what, reboots);
        }
      } else if (logEnd - a.t >= thresholds.callSetupSeconds) {
        c.reason = "no answer and no final response within the setup time";
        c.outcome = Unanswered(c, a.t + thresholds.callSetupSeconds, CallOutcome::TimedOut, reboots);
      } else {
        c.outcome = CallOutcome::NotJudged;
        c.reason = "still setting up when the run ended";
      }
      calls.push_back(std::move(c));
      continue;
    }

    // Answered: the caller's experience on its own leg, the callee's on the bridged leg.
    const auto bridge = bridged.find(a.callId);
    c.calleeCallId = bridge != bridged.end() ? bridge->second : a.callId;
    c.calleeDevice = FarDevice(log, media, c.calleeCallId, a.device);
    c.callerHears = Hears(byStream, a.device, a.callId);
    c.calleeHears = Hears(byStream, c.calleeDevice, c.calleeCallId);
    const auto judged = [](AudioVerdict v) {
      return v == AudioVerdict::TwoWay || v == AudioVerdict::OneWay;
    };
    if (c.callerHears == AudioVerdict::TwoWay || c.calleeHears == AudioVerdict::TwoWay) {
      c.outcome = CallOutcome::Connected;
    } else if (judged(c.callerHears) || judged(c.calleeHears)) {
      // Every judged party heard (almost) nothing; an unjudged one sent too little to tell.
      c.outcome = CallOutcome::AnsweredIntoSilence;
      c.reason = "answered, but neither party heard the other";
    } else if (c.callerHears == AudioVerdict::RebootGrace || c.calleeHears == AudioVerdict::RebootGrace) {
      c.outcome = CallOutcome::RebootGrace;
      c.reason = "answered inside a reboot's grace window";
    } else {
      c.outcome = CallOutcome::NotJudged;
      c.reason = "too little audio on either side to judge";
    }
    calls.push_back(std::move(c));
  }
  std::stable_sort(calls.begin(), calls.end(), [](const CallAnalysis& x, const CallAnalysis& y) {
    return std::tie(x.attempted, x.device, x.callId) < std::tie(y.attempted, y.device, y.callId);
  });
  return calls;
}

}  // namespace alglab::probes
