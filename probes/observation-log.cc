#include "probes/observation-log.h"

#include "probes/probe-errors.h"

#include <algorithm>
#include <cmath>

namespace alglab::probes {

const char* ToString(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::Phone:
      return "phone";
    case DeviceKind::Pbx:
      return "pbx";
    case DeviceKind::Provider:
      return "provider";
    case DeviceKind::Router:
      return "router";
    case DeviceKind::Unknown:
      break;
  }
  return "unknown";
}

ObservationLog::ObservationLog(double gapRecordSeconds) : m_gapRecordSeconds(gapRecordSeconds) {
  if (!std::isfinite(gapRecordSeconds) || gapRecordSeconds <= 0.0) {
    throw ObservationError("ObservationLog: gap-record threshold must be finite and > 0");
  }
}

void ObservationLog::SetDeviceKind(const std::string& device, DeviceKind kind) {
  if (kind == DeviceKind::Unknown) {
    return;
  }
  // First known kind wins: a device's role does not change during a run, and a second,
  // different claim is a wiring mistake we would rather not let flip the metrics.
  m_kinds.emplace(device, kind);
}

DeviceKind ObservationLog::KindOf(const std::string& device) const {
  auto it = m_kinds.find(device);
  return it == m_kinds.end() ? DeviceKind::Unknown : it->second;
}

bool ObservationLog::IsHandset(const std::string& device) const {
  DeviceKind kind = KindOf(device);
  return kind == DeviceKind::Phone || kind == DeviceKind::Unknown;
}

void ObservationLog::Note(double t) {
  if (!std::isfinite(t)) {
    throw ObservationError("ObservationLog: event time is not finite");
  }
  m_latest = std::max(m_latest, t);
}

void ObservationLog::OnRegistrationOutcome(double t, const std::string& device,
                                           const std::string& registrar, bool success,
                                           std::uint16_t status) {
  Note(t);
  m_registrations.push_back({t, device, registrar, success, status});
}

void ObservationLog::OnCallAttempt(double t, const std::string& device, const std::string& callId,
                                   const std::string& target) {
  Note(t);
  m_callAttempts.push_back({t, device, callId, target});
}

void ObservationLog::OnIncomingCall(double t, const std::string& device,
                                    const std::string& callId, const std::string& from) {
  Note(t);
  m_alerts.push_back({t, device, callId, from});
}

void ObservationLog::OnCallEstablished(double t, const std::string& device,
                                       const std::string& callId, const std::string& peer) {
  Note(t);
  m_callEvents.push_back({t, device, callId, CallEventKind::Established, peer});
}

void ObservationLog::OnCallEnded(double t, const std::string& device, const std::string& callId,
                                 const std::string& reason) {
  Note(t);
  m_callEvents.push_back({t, device, callId, CallEventKind::Ended, reason});
}

void ObservationLog::OnInboundCallPlaced(double t, const std::string& provider,
                                         const std::string& callId, const std::string& did) {
  Note(t);
  m_inboundPlaced.push_back({t, provider, callId, did});
}

void ObservationLog::OnInboundCallReceived(double t, const std::string& pbx,
                                           const std::string& callId, const std::string& did) {
  Note(t);
  m_inboundReceived.push_back({t, pbx, callId, did});
}

void ObservationLog::OnCallForked(double t, const std::string& pbx,
                                  const std::string& inboundCallId, const std::string& extension,
                                  const std::string& legCallId) {
  Note(t);
  m_forks.push_back({t, pbx, inboundCallId, extension, legCallId});
}

void ObservationLog::OnCallBridged(double t, const std::string& pbx,
                                   const std::string& callerCallId,
                                   const std::string& calleeCallId) {
  Note(t);
  m_bridges.push_back({t, pbx, callerCallId, calleeCallId});
}

void ObservationLog::OnDialogState(double t, const std::string& pbx, const std::string& extension,
                                   const std::string& state) {
  Note(t);
  m_blfTruth.push_back({t, pbx, extension, state});
}

void ObservationLog::OnBlfNotify(double t, const std::string& watcher,
                                 const std::string& extension, const std::string& state) {
  Note(t);
  m_blfLamps.push_back({t, watcher, extension, state});
}

void ObservationLog::OnReboot(double t) {
  Note(t);
  m_reboots.push_back({t});
}

void ObservationLog::OnQueueDrop(double t, const std::string& queue) {
  Note(t);
  QueueDropStats& q = m_queueDrops[queue];
  if (q.dropped == 0) {
    q.first = t;
  }
  ++q.dropped;
  q.last = t;
}

MediaStreamStats& ObservationLog::StreamFor(const std::string& device, const std::string& callId) {
  if (m_lastStream != kNoStream) {
    MediaStreamStats& last = m_streams[m_lastStream];
    if (last.callId == callId && last.device == device) {
      return last;
    }
  }
  auto& byCall = m_streamIndex[device];
  auto it = byCall.find(callId);
  if (it == byCall.end()) {
    it = byCall.emplace(callId, m_streams.size()).first;
    MediaStreamStats fresh;
    fresh.device = device;
    fresh.callId = callId;
    m_streams.push_back(std::move(fresh));
  }
  m_lastStream = it->second;
  return m_streams[m_lastStream];
}

void ObservationLog::OnRtpSent(double t, const std::string& device, const std::string& callId,
                               std::uint16_t /*sequence: counts and timing suffice*/) {
  Note(t);
  MediaStreamStats& s = StreamFor(device, callId);
  if (s.packetsSent == 0) {
    s.firstTx = t;
  } else if (t - s.lastTx > m_gapRecordSeconds) {
    s.sendGaps.push_back({s.lastTx, t});
  }
  ++s.packetsSent;
  s.lastTx = t;
  s.sentPerSecond.Add(t);
  if (!m_reboots.empty()) {
    ++m_rtpSentAfterReboot;
  }
}

void ObservationLog::OnRtpReceived(double t, const std::string& device, const std::string& callId,
                                   std::uint16_t sequence, std::uint32_t timestamp) {
  Note(t);
  MediaStreamStats& s = StreamFor(device, callId);
  if (s.packetsReceived == 0) {
    s.firstRx = t;
  } else if (t - s.lastRx > m_gapRecordSeconds) {
    s.gaps.push_back({s.lastRx, t});
  }
  ++s.packetsReceived;
  s.lastRx = t;
  s.receivedPerSecond.Add(t);
  s.reception.Add(t, sequence, timestamp);
  if (!m_reboots.empty()) {
    ++m_rtpReceivedAfterReboot;
  }
}

void ObservationLog::ExpectBlfWatch(const std::string& watcher, const std::string& extension) {
  m_expectedWatches.emplace(watcher, extension);
}

void ObservationLog::MarkEnd(double t) {
  Note(t);
  m_markedEnd = std::max(m_markedEnd, t);
}

const MediaStreamStats* ObservationLog::FindStream(const std::string& device,
                                                   const std::string& callId) const {
  auto byDevice = m_streamIndex.find(device);
  if (byDevice == m_streamIndex.end()) {
    return nullptr;
  }
  auto it = byDevice->second.find(callId);
  return it == byDevice->second.end() ? nullptr : &m_streams[it->second];
}

double ObservationLog::EndTime() const { return std::max(m_latest, m_markedEnd); }

}  // namespace alglab::probes
