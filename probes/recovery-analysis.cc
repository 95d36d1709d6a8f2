#include "probes/recovery-analysis.h"

#include <algorithm>
#include <map>

namespace alglab::probes {

namespace {

void Earliest(RecoveryMark& mark, double t) {
  mark.chance = true;
  if (!mark.at || t < *mark.at) mark.at = t;
}

/// The first packet `s` received at or after `from` (before `to`), if any.
std::optional<double> FirstRxFrom(const MediaStreamStats& s, double from, double to) {
  if (s.packetsReceived == 0 || s.lastRx < from) return std::nullopt;
  double at = from;  // packets kept arriving through `from`: the first one is right there
  if (s.firstRx >= from) {
    at = s.firstRx;
  } else {
    for (const RtpGap& g : s.gaps) {
      if (g.start < from && g.end >= from) at = g.end;  // the silence the reboot caused
    }
  }
  return at < to ? std::optional<double>(at) : std::nullopt;
}

}  // namespace

std::vector<HandsetRecovery> AnalyzeRecovery(const ObservationLog& log, const Thresholds& thresholds,
                                             const RebootWindows& reboots) {
  std::vector<HandsetRecovery> out;
  if (!reboots.Any()) return out;
  const std::vector<StreamAnalysis> media = AnalyzeMedia(log, thresholds, reboots);
  const std::vector<InboundCallAnalysis> inbound = AnalyzeInboundCalls(log, thresholds, reboots);
  const std::vector<CallAnalysis> calls = AnalyzeCalls(log, thresholds, reboots, media);
  // Which handset an extension is: any leg of it that ever rang says so.
  std::map<std::string, std::string> deviceOf;
  for (const InboundCallAnalysis& c : inbound) {
    for (const ForkLeg& leg : c.legs) {
      if (leg.verdict == LegVerdict::Rang) deviceOf.emplace(leg.extension, leg.ringDevice);
    }
  }
  const std::vector<double>& times = reboots.Times();
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double r = times[i];
    const double end = i + 1 < times.size() ? times[i + 1] : log.EndTime();
    for (const auto& [device, kind] : log.DeviceKinds()) {
      if (kind != DeviceKind::Phone) continue;
      HandsetRecovery h;
      h.reboot = r;
      h.windowEnd = end;
      h.device = device;
      for (const RegistrationRecord& reg : log.Registrations()) {
        if (reg.device != device || reg.t < r || reg.t >= end) continue;
        h.registered.chance = true;
        if (reg.success) Earliest(h.registered, reg.t);
      }
      for (const InboundCallAnalysis& c : inbound) {
        for (const ForkLeg& leg : c.legs) {
          const auto owner = deviceOf.find(leg.extension);
          if (owner == deviceOf.end() || owner->second != device || leg.t < r || leg.t >= end) continue;
          if (leg.verdict == LegVerdict::Rang) Earliest(h.rang, leg.alertT);
          if (leg.verdict == LegVerdict::NotRang || leg.verdict == LegVerdict::Unreachable) h.rang.chance = true;
        }
      }
      for (const StreamAnalysis& s : media) {
        // Only legs long enough to judge: a ring-group leg cancelled at once carries no audio.
        const bool judged = s.verdict != AudioVerdict::NotJudged;
        if (s.device != device || !judged || s.ended < r || s.established >= end) continue;
        h.audio.chance = true;
        if (const MediaStreamStats* stats = log.FindStream(device, s.callId)) {
          if (const std::optional<double> at = FirstRxFrom(*stats, std::max(r, s.established), end)) {
            Earliest(h.audio, *at);
          }
        }
      }
      h.recovered = true;
      for (const RecoveryMark* m : {&h.registered, &h.rang, &h.audio}) {
        if (!m->chance) continue;
        if (!m->at) {
          h.recovered = false;
          continue;
        }
        if (!h.recoveredAt || *m->at > *h.recoveredAt) h.recoveredAt = m->at;
      }
      if (!h.recovered) h.recoveredAt.reset();
      const double lostUntil = h.recoveredAt.value_or(end);
      for (const InboundCallAnalysis& c : inbound) {
        for (const ForkLeg& leg : c.legs) {
          const auto owner = deviceOf.find(leg.extension);
          const bool lost = leg.verdict == LegVerdict::NotRang || leg.verdict == LegVerdict::Unreachable;
          if (lost && owner != deviceOf.end() && owner->second == device && leg.t >= r && leg.t < lostUntil) {
            ++h.inboundCallsLost;
          }
        }
      }
      for (const CallAnalysis& c : calls) {
        const bool lost = NotConnecting(c.outcome) || c.outcome == CallOutcome::RebootGrace;
        if (lost && c.device == device && c.attempted >= r && c.attempted < lostUntil) ++h.outboundCallsLost;
      }
      out.push_back(std::move(h));
    }
  }
  return out;
}

}  // namespace alglab::probes
