#include "probes/media-analysis.h"

#include "probes/e-model.h"
#include "probes/evidence-format.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace alglab::probes {

const char* ToString(AudioVerdict verdict) {
  switch (verdict) {
    case AudioVerdict::TwoWay:
      return "two_way";
    case AudioVerdict::OneWay:
      return "one_way";
    case AudioVerdict::RebootGrace:
      return "reboot_grace";
    case AudioVerdict::NotJudged:
      break;
  }
  return "not_judged";
}

nlohmann::json ReceptionJson(const RtpReception& r) {
  if (r.Received() == 0) return nullptr;
  // The delay impairment is left out (Id = 0): the probes see when packets arrive, not when the
  // far end's microphone captured them, and the simulated paths add tens of milliseconds, where
  // G.107's Id stays under 2.5. So R and MOS here rate loss.
  EModelInputs in;
  in.lossRatio = r.LossRatio();
  const double rating = RFactor(in);
  return {{"expected", r.Expected()},
          {"lost", r.Lost()},
          {"loss_ratio", EvidenceRatio(r.LossRatio())},
          {"jitter_ms", std::round(r.JitterMs() * 1000.0) / 1000.0},
          {"max_jitter_ms", std::round(r.MaxJitterMs() * 1000.0) / 1000.0},
          {"mean_jitter_ms", std::round(r.MeanJitterMs() * 1000.0) / 1000.0},
          {"longest_gap_ms", std::round(r.LongestGapMs() * 1000.0) / 1000.0},
          {"r_factor", std::round(rating * 100.0) / 100.0},
          {"mos", std::round(MosFromR(rating) * 100.0) / 100.0}};
}

namespace {

struct CallInterval {
  double established = 0.0;
  bool hasEnd = false;
  double ended = 0.0;
};

/// First establishment per (device, Call-ID) and the first end at or after it.
std::map<std::pair<std::string, std::string>, CallInterval> CallIntervals(
    const ObservationLog& log) {
  std::vector<CallEventRecord> events = log.CallEvents();
  std::stable_sort(events.begin(), events.end(),
                   [](const CallEventRecord& a, const CallEventRecord& b) { return a.t < b.t; });
  std::map<std::pair<std::string, std::string>, CallInterval> intervals;
  for (const CallEventRecord& e : events) {
    auto key = std::make_pair(e.device, e.callId);
    if (e.kind == CallEventKind::Established) {
      intervals.try_emplace(key, CallInterval{e.t, false, 0.0});
      continue;
    }
    auto it = intervals.find(key);
    if (it != intervals.end() && !it->second.hasEnd) {
      it->second.hasEnd = true;
      it->second.ended = e.t;
    }
  }
  return intervals;
}

void JudgeDirection(StreamAnalysis& s, const Thresholds& th, const RebootWindows& reboots) {
  s.expected = std::max(s.sent, s.peerSent);
  s.ratio = s.expected == 0 ? 0.0
                            : static_cast<double>(s.received) / static_cast<double>(s.expected);
  if (reboots.InGrace(s.established)) {
    s.verdict = AudioVerdict::RebootGrace;
  } else if (s.sent < th.minPacketsToJudge) {
    s.verdict = AudioVerdict::NotJudged;
    s.reason = "device_sent_too_little";
  } else if (s.ratio < th.minReceivedRatio) {
    s.verdict = AudioVerdict::OneWay;
  } else {
    s.verdict = AudioVerdict::TwoWay;
  }
}

/// Whether `peer` sent nothing from `start` to `end`, within the slack of a path's delay.
bool PeerSilentOver(const MediaStreamStats& peer, double start, double end, double slack) {
  if (peer.packetsSent == 0 || peer.lastTx <= start + slack || peer.firstTx >= end - slack) {
    return true;
  }
  return std::any_of(peer.sendGaps.begin(), peer.sendGaps.end(),
                     [&](const RtpGap& g) { return g.start <= start + slack && g.end >= end - slack; });
}

/// Whether every observed peer was silent over the gap (false when no peer is observed: then
/// nothing shows the silence was chosen).
bool SendersSilentOver(const StreamAnalysis& s, double start, double end, double slack) {
  return !s.peerStreams.empty() &&
         std::all_of(s.peerStreams.begin(), s.peerStreams.end(),
                     [&](const MediaStreamStats* p) { return PeerSilentOver(*p, start, end, slack); });
}

void FindDrops(StreamAnalysis& s, const Thresholds& th, const RebootWindows& reboots) {
  s.windowStart = s.established + th.callSettleStartSeconds;
  s.windowEnd = s.ended - th.callSettleEndSeconds;
  if (s.received < th.minPacketsToJudge) {
    s.dropReason = "too_little_audio_received";
    return;
  }
  if (s.windowEnd - s.windowStart <= th.rtpGapSeconds) {
    s.dropReason = "call_too_short";
    return;
  }
  s.dropJudged = true;
  auto consider = [&](double start, double end, bool stopped) {
    double clippedStart = std::max(start, s.windowStart);
    double clippedEnd = std::min(end, s.windowEnd);
    if (clippedEnd - clippedStart > th.rtpGapSeconds) {
      s.drops.push_back({start, stopped ? clippedEnd : end, stopped, reboots.ExcusesSilence(start, end),
                         SendersSilentOver(s, start, stopped ? clippedEnd : end, th.senderSilenceSlackSeconds)});
    }
  };
  for (const RtpGap& g : s.gaps) {
    consider(g.start, g.end, false);
  }
  // Silence from the last packet to the end of the call: audio stopped and never came back.
  if (s.lastRx < s.windowEnd) {
    consider(s.lastRx, s.windowEnd, true);
  }
}

}  // namespace

std::vector<StreamAnalysis> AnalyzeMedia(const ObservationLog& log, const Thresholds& thresholds,
                                         const RebootWindows& reboots) {
  std::map<std::string, std::vector<const MediaStreamStats*>> streamsByCall;
  for (const MediaStreamStats& m : log.Streams()) {
    streamsByCall[m.callId].push_back(&m);
  }

  const double logEnd = log.EndTime();
  std::vector<StreamAnalysis> result;
  for (const auto& [key, interval] : CallIntervals(log)) {
    StreamAnalysis s;
    s.device = key.first;
    s.callId = key.second;
    s.established = interval.established;
    s.open = !interval.hasEnd;
    s.ended = interval.hasEnd ? interval.ended : std::max(logEnd, interval.established);
    if (const MediaStreamStats* own = log.FindStream(s.device, s.callId)) {
      s.sent = own->packetsSent;
      s.received = own->packetsReceived;
      s.hasRx = own->packetsReceived > 0;
      s.reception = own->reception;
      s.firstRx = own->firstRx;
      s.lastRx = own->lastRx;
      s.gaps = own->gaps;
    }
    auto peers = streamsByCall.find(s.callId);
    if (peers != streamsByCall.end()) {
      for (const MediaStreamStats* p : peers->second) {
        if (p->device != s.device) {
          s.peers.push_back(p->device);
          s.peerStreams.push_back(p);
          s.peerSent = std::max(s.peerSent, p->packetsSent);
        }
      }
      std::sort(s.peers.begin(), s.peers.end());
    }
    JudgeDirection(s, thresholds, reboots);
    FindDrops(s, thresholds, reboots);
    result.push_back(std::move(s));
  }
  return result;
}

}  // namespace alglab::probes
