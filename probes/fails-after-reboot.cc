// fails_after_reboot: something that was working when the router first rebooted failed after
// the reboot, beyond the grace window (registrations, inbound ringing, BLF, audio). Absent when
// the router never rebooted. Per category, "working" is judged per item (device/registrar
// pair, ring-group member, BLF watch, device's audio) from its last observation before the
// reboot, so an item that was already broken is not blamed on the reboot.

#include "probes/blf-analysis.h"
#include "probes/evidence-format.h"
#include "probes/media-analysis.h"
#include "probes/reboot-windows.h"
#include "probes/recovery-analysis.h"
#include "probes/registration-analysis.h"
#include "probes/ring-analysis.h"
#include "probes/symptom-detectors.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace alglab::probes {

namespace {

nlohmann::json MarkJson(const RecoveryMark& m, double reboot) {
  if (!m.chance) return "not_observed";
  if (!m.at) return "not_recovered";
  return EvidenceTime(*m.at - reboot);
}

/// Per reboot and handset: seconds until each category and the handset as a whole worked
/// again, and the calls its user lost meanwhile; plus the slowest recovery of each reboot.
nlohmann::json RecoveryJson(const ObservationLog& log, const Thresholds& th, const RebootWindows& reboots) {
  EvidenceList handsets;
  std::map<double, double> slowest;  // reboot -> slowest recovery (s); absent: none recovered
  std::map<double, std::vector<std::string>> notRecovered;
  for (const HandsetRecovery& h : AnalyzeRecovery(log, th, reboots)) {
    handsets.Add({{"reboot", EvidenceTime(h.reboot)},
                  {"device", h.device},
                  {"registered_after", MarkJson(h.registered, h.reboot)},
                  {"rang_after", MarkJson(h.rang, h.reboot)},
                  {"audio_after", MarkJson(h.audio, h.reboot)},
                  {"recovered_after", h.recoveredAt ? nlohmann::json(EvidenceTime(*h.recoveredAt - h.reboot))
                                                    : nlohmann::json(nullptr)},
                  {"inbound_calls_lost", h.inboundCallsLost},
                  {"outbound_calls_lost", h.outboundCallsLost}});
    if (!h.recovered) {
      notRecovered[h.reboot].push_back(h.device);
    } else if (h.recoveredAt) {
      slowest[h.reboot] = std::max(slowest[h.reboot], *h.recoveredAt - h.reboot);
    }
  }
  nlohmann::json perReboot = nlohmann::json::array();
  for (double r : reboots.Times()) {
    perReboot.push_back({{"reboot", EvidenceTime(r)},
                         {"slowest_recovery", slowest.count(r) ? nlohmann::json(EvidenceTime(slowest[r])) : nullptr},
                         {"not_recovered", notRecovered[r]}});
  }
  nlohmann::json j = {{"reboots", perReboot}};
  handsets.WriteTo(j, "handsets");
  return j;
}

/// Items that worked when the router rebooted, and the failures of those items after it.
struct Category {
  std::set<std::string> workedBefore;
  EvidenceList failedAfter;

  nlohmann::json ToJson() const {
    nlohmann::json j = {{"worked_before", workedBefore}};
    failedAfter.WriteTo(j, "failed_after");
    return j;
  }
};

/// Ring-group member key for calls that reached handsets without PBX forking.
constexpr const char* kAnyHandset = "(any handset)";

Category Registrations(const ObservationLog& log, const Thresholds& th,
                       const RebootWindows& reboots) {
  const double r = reboots.First();
  Category c;
  for (const RegistrationHistory& h : AnalyzeRegistrations(log, th, reboots)) {
    if (!h.RegisteredJustBefore(r)) {
      continue;
    }
    c.workedBefore.insert(h.device + "@" + h.registrar);
    for (const RegistrationEpisode& e : h.episodes) {
      if (e.verdict != EpisodeVerdict::Failure || e.start < r) {
        continue;
      }
      std::vector<std::uint16_t> statuses(
          e.statuses.begin(),
          e.statuses.begin() + static_cast<long>(std::min(e.statuses.size(), kMaxListedItems)));
      c.failedAfter.Add(
          {{"device", h.device},
           {"registrar", h.registrar},
           {"failed_from", EvidenceTime(e.start)},
           {"recovered_at", e.recovered ? nlohmann::json(EvidenceTime(e.recoveredAt)) : nullptr},
           {"statuses", statuses}});
    }
  }
  return c;
}

bool Judged(const InboundCallAnalysis& call) {
  return call.outcome != RingOutcome::NotJudged && call.outcome != RingOutcome::RebootGrace;
}

Category InboundRinging(const ObservationLog& log, const Thresholds& th,
                        const RebootWindows& reboots) {
  const double r = reboots.First();
  const std::vector<InboundCallAnalysis> calls = AnalyzeInboundCalls(log, th, reboots);
  std::map<std::string, bool> rangLastBefore;
  for (const InboundCallAnalysis& call : calls) {
    if (call.t >= r || !Judged(call)) {
      continue;
    }
    if (call.legs.empty()) {
      rangLastBefore[kAnyHandset] = call.rang > 0;
    }
    for (const ForkLeg& leg : call.legs) {
      if (leg.verdict != LegVerdict::NotJudged) {
        rangLastBefore[leg.extension] = leg.verdict == LegVerdict::Rang;
      }
    }
  }
  Category c;
  for (const auto& [member, rang] : rangLastBefore) {
    if (rang) {
      c.workedBefore.insert(member);
    }
  }
  for (const InboundCallAnalysis& call : calls) {
    if (call.t < r || !Judged(call)) {
      continue;
    }
    if (call.legs.empty() && call.rang == 0 && c.workedBefore.count(kAnyHandset) > 0) {
      c.failedAfter.Add({{"call_id", call.callId},
                         {"t", EvidenceTime(call.t)},
                         {"extension", kAnyHandset},
                         {"verdict", ToString(call.outcome)}});
    }
    for (const ForkLeg& leg : call.legs) {
      bool silent = leg.verdict == LegVerdict::NotRang || leg.verdict == LegVerdict::Unreachable;
      if (silent && c.workedBefore.count(leg.extension) > 0) {
        c.failedAfter.Add({{"call_id", call.callId},
                           {"t", EvidenceTime(call.t)},
                           {"extension", leg.extension},
                           {"verdict", ToString(leg.verdict)}});
      }
    }
  }
  return c;
}

Category Blf(const ObservationLog& log, const Thresholds& th, const RebootWindows& reboots) {
  const double r = reboots.First();
  Category c;
  for (const BlfWatchAnalysis& w : AnalyzeBlf(log, th, reboots)) {
    if (!w.judged || w.firstLampUpdate < 0.0 || w.firstLampUpdate >= r) {
      continue;  // no working subscription before the reboot
    }
    bool staleAtReboot = std::any_of(w.mismatches.begin(), w.mismatches.end(), [&](const auto& m) {
      return m.verdict == MismatchVerdict::Stale && m.start < r && m.end >= r;
    });
    if (staleAtReboot) {
      continue;
    }
    std::string key = w.watcher + " -> " + w.extension;
    c.workedBefore.insert(key);
    for (const BlfMismatch& m : w.mismatches) {
      if (m.verdict == MismatchVerdict::Stale && m.start >= r) {
        c.failedAfter.Add({{"watch", key},
                           {"start", EvidenceTime(m.start)},
                           {"end", EvidenceTime(m.end)},
                           {"pbx_state", m.truthState},
                           {"lamp_state", m.lampState}});
      }
    }
  }
  return c;
}

/// Was the stream already in a (counted) drop when the router went down at `r`? The silence a
/// reboot causes starts with the last packet before it, a moment before `r`, so only a silence
/// already longer than the gap threshold at `r` counts.
bool AlreadyDroppedAt(const StreamAnalysis& s, double r, const Thresholds& th) {
  return std::any_of(s.drops.begin(), s.drops.end(), [&](const AudioDrop& d) {
    return !d.excused && !d.senderSilent && d.start + th.rtpGapSeconds < r;
  });
}

/// Was audio flowing into this device when the router rebooted at `r`?
bool AudioWorkedAt(const StreamAnalysis& s, double r, const Thresholds& th) {
  bool spansReboot = s.ended > r;
  if (!spansReboot) {
    return s.verdict == AudioVerdict::TwoWay && !AlreadyDroppedAt(s, r, th);
  }
  // The whole-call verdict of a call that spans the reboot is coloured by what happened after;
  // judge it by whether audio had arrived before the reboot.
  return s.hasRx && s.firstRx < r && s.received >= th.minPacketsToJudge &&
         !AlreadyDroppedAt(s, r, th);
}

Category Audio(const ObservationLog& log, const Thresholds& th, const RebootWindows& reboots) {
  const double r = reboots.First();
  std::map<std::string, std::vector<StreamAnalysis>> byDevice;
  for (StreamAnalysis& s : AnalyzeMedia(log, th, reboots)) {
    byDevice[s.device].push_back(std::move(s));
  }
  Category c;
  for (auto& [device, streams] : byDevice) {
    std::stable_sort(streams.begin(), streams.end(), [](const auto& a, const auto& b) {
      return a.established < b.established;
    });
    const StreamAnalysis* lastBefore = nullptr;
    for (const StreamAnalysis& s : streams) {
      bool judged = s.verdict == AudioVerdict::TwoWay || s.verdict == AudioVerdict::OneWay;
      if (s.established < r && judged) {
        lastBefore = &s;
      }
    }
    if (lastBefore == nullptr || !AudioWorkedAt(*lastBefore, r, th)) {
      continue;
    }
    c.workedBefore.insert(device);
    for (const StreamAnalysis& s : streams) {
      // The binding is captured by an init-capture: C++17 lets no lambda capture a structured
      // binding itself (g++ accepts it as an extension, clang rejects it).
      auto add = [&, &device = device](const char* kind, double t) {
        c.failedAfter.Add(
            {{"device", device}, {"call_id", s.callId}, {"kind", kind}, {"t", EvidenceTime(t)}});
      };
      if (s.established >= r && s.verdict == AudioVerdict::OneWay) {
        add("one_way", s.established);
      }
      for (const AudioDrop& d : s.drops) {
        if (!d.excused && !d.senderSilent && d.start >= r) {
          add("audio_drop", d.start);
        }
      }
      if (s.established < r && s.ended > r && s.hasRx && s.firstRx < r) {
        // The silence the reboot caused in a call that spans it: did audio return in time?
        double silenceEnd = -1.0;
        for (const RtpGap& g : s.gaps) {
          if (g.start <= r && g.end > r) {
            silenceEnd = g.end;
          }
        }
        if (s.lastRx <= r) {
          silenceEnd = s.windowEnd;  // never came back before the call ended
        }
        if (silenceEnd > r + reboots.Grace()) {
          add("audio_not_restored", r);
        }
      }
    }
  }
  return c;
}

}  // namespace

SymptomResult DetectFailsAfterReboot(const ObservationLog& log, const Thresholds& thresholds) {
  ValidateThresholds(thresholds);
  RebootWindows reboots(log, thresholds);
  SymptomResult result{kFailsAfterReboot, false, nlohmann::json::object()};
  if (!reboots.Any()) {
    result.evidence["reboot"] = nullptr;
    result.evidence["reason"] = "no_reboot";
    return result;
  }
  const double r = reboots.First();
  const double graceEnd = r + reboots.Grace();
  result.evidence["reboot"] = {
      {"first", EvidenceTime(r)},
      {"count", reboots.Times().size()},
      {"grace", reboots.Grace()},
      {"observed_after_grace", EvidenceTime(std::max(0.0, log.EndTime() - graceEnd))}};

  const std::vector<std::pair<const char*, Category>> categories = {
      {"registration", Registrations(log, thresholds, reboots)},
      {"inbound_ringing", InboundRinging(log, thresholds, reboots)},
      {"blf", Blf(log, thresholds, reboots)},
      {"audio", Audio(log, thresholds, reboots)},
  };
  std::vector<std::string> failed;
  for (const auto& [name, category] : categories) {
    result.evidence[name] = category.ToJson();
    if (category.failedAfter.Total() > 0) {
      failed.push_back(name);
    }
  }
  result.present = !failed.empty();
  result.evidence["failed_categories"] = failed;
  // Measured, not judged: how long each handset took to work again after each reboot.
  result.evidence["recovery"] = RecoveryJson(log, thresholds, reboots);
  return result;
}

}  // namespace alglab::probes
