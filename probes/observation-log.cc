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
  if (m_window) m_window->SetDeviceKind(device, kind);
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
  if (m_window) m_window->OnRegistrationOutcome(t, device, registrar, success, status);
  Note(t);
  m_registrations.push_back({t, device, registrar, success, status});
}

void ObservationLog::OnCallAttempt(double t, const std::string& device, const std::string& callId,
                                   const std::string& target) {
  if (m_window) m_window->OnCallAttempt(t, device, callId, target);
  Note(t);
  m_callAttempts.push_back({t, device, callId, target});
}

void ObservationLog::OnIncomingCall(double t, const std::string& device,
                                    const std::string& callId, const std::string& from) {
  if (m_window) m_window->OnIncomingCall(t, device, callId, from);
  Note(t);
  m_alerts.push_back({t, device, callId, from});
}

void ObservationLog::OnCallEstablished(double t, const std::string& device,
                                       const std::string& callId, const std::string& peer) {
  if (m_window) m_window->OnCallEstablished(t, device, callId, peer);
  Note(t);
  m_callEvents.push_back({t, device, callId, CallEventKind::Established, peer});
}

void ObservationLog::OnCallEnded(double t, const std::string& device, const std::string& callId,
                                 const std::string& reason) {
  if (m_window) m_window->OnCallEnded(t, device, callId, reason);
  Note(t);
  m_callEvents.push_back({t, device, callId, CallEventKind::Ended, reason});
}

void ObservationLog::OnInboundCallPlaced(double t, const std::string& provider,
                                         const std::string& callId, const std::string& did) {
  if (m_window) m_window->OnInboundCallPlaced(t, provider, callId, did);
  Note(t);
  m_inboundPlaced.push_back({t, provider, callId, did});
}

void ObservationLog::OnInboundCallReceived(double t, const std::string& pbx,
                                           const std::string& callId, const std::string& did) {
  if (m_window) m_window->OnInboundCallReceived(t, pbx, callId, did);
  Note(t);
  m_inboundReceived.push_back({t, pbx, callId, did});
}

void ObservationLog::OnCallForked(double t, const std::string& pbx,
                                  const std::string& inboundCallId, const std::string& extension,
                                  const std::string& legCallId) {
  if (m_window) m_window->OnCallForked(t, pbx, inboundCallId, extension, legCallId);
  Note(t);
  m_forks.push_back({t, pbx, inboundCallId, extension, legCallId});
}

void ObservationLog::OnCallBridged(double t, const std::string& pbx,
                                   const std::string& callerCallId,
                                   const std::string& calleeCallId) {
  if (m_window) m_window->OnCallBridged(t, pbx, callerCallId, calleeCallId);
  Note(t);
  m_bridges.push_back({t, pbx, callerCallId, calleeCallId});
}

void ObservationLog::OnDialogState(double t, const std::string& pbx, const std::string& extension,
                                   const std::string& state) {
  if (m_window) m_window->OnDialogState(t, pbx, extension, state);
  Note(t);
  m_blfTruth.push_back({t, pbx, extension, state});
}

void ObservationLog::OnBlfNotify(double t, const std::string& watcher,
                                 const std::string& extension, const std::string& state) {
  if (m_window) m_window->OnBlfNotify(t, watcher, extension, state);
  Note(t);
  m_blfLamps.push_back({t, watcher, extension, state});
}

void ObservationLog::OnReboot(double t) {
  if (m_window) m_window->OnReboot(t);
  Note(t);
  m_reboots.push_back({t});
}

void ObservationLog::OnQueueDrop(double t, const std::string& queue) {
  if (m_window) m_window->OnQueueDrop(t, queue);
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
                               std::uint16_t sequence) {
  // The sequence number is only forwarded: counts and timing suffice here.
  if (m_window) m_window->OnRtpSent(t, device, callId, sequence);
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
  if (m_window) m_window->OnRtpReceived(t, device, callId, sequence, timestamp);
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
  if (m_window) m_window->ExpectBlfWatch(watcher, extension);
  m_expectedWatches.emplace(watcher, extension);
}

void ObservationLog::MarkEnd(double t) {
  if (m_window) m_window->MarkEnd(t);
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

void ObservationLog::OpenWindow(double t) {
  if (m_window) throw ObservationError("ObservationLog: a window is open already");
  if (!std::isfinite(t) || t < m_latest) throw ObservationError("ObservationLog: a window cannot open before the latest event");
  auto before = std::make_shared<ObservationLog>(*this);
  before->MarkEnd(t);
  auto window = std::make_shared<ObservationLog>(m_gapRecordSeconds);
  window->m_kinds = m_kinds;
  window->m_expectedWatches = m_expectedWatches;
  // What a lamp and the PBX showed last: the window judges whether they agree from `t` on.
  std::map<std::pair<std::string, std::string>, const BlfTruthRecord*> truth;
  for (const auto& r : m_blfTruth) truth[{r.pbx, r.extension}] = &r;
  for (const auto& [key, r] : truth) window->OnDialogState(t, r->pbx, r->extension, r->state);
  std::map<std::pair<std::string, std::string>, const BlfLampRecord*> lamps;
  for (const auto& r : m_blfLamps) lamps[{r.watcher, r.extension}] = &r;
  for (const auto& [key, r] : lamps) window->OnBlfNotify(t, r->watcher, r->extension, r->state);
  // Calls still up at `t`, in the order they were established.
  std::set<std::pair<std::string, std::string>> ended;
  for (const auto& e : m_callEvents)
    if (e.kind == CallEventKind::Ended) ended.emplace(e.device, e.callId);
  std::set<std::string> upCalls;
  for (const auto& e : m_callEvents) {
    if (e.kind != CallEventKind::Established || ended.count({e.device, e.callId})) continue;
    window->OnCallEstablished(t, e.device, e.callId, e.detail);
    upCalls.insert(e.callId);
  }
  for (const auto& b : m_bridges)
    if (upCalls.count(b.callerCallId) || upCalls.count(b.calleeCallId))
      window->OnCallBridged(t, b.pbx, b.callerCallId, b.calleeCallId);
  window->MarkEnd(t);
  m_window = std::move(window);
  m_beforeWindow = std::move(before);
}

}  // namespace alglab::probes
