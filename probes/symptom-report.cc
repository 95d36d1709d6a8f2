#include "probes/symptom-report.h"

#include "probes/load-attribution.h"
#include "probes/symptom-detectors.h"

#include <limits>
#include <set>
#include <string>

namespace alglab::probes {

const std::vector<SymptomInfo>& SymptomCatalog() {
  static const std::vector<SymptomInfo> kCatalog = {
      {kRegistrationFailure, "a device failed to register (beyond normal auth retries)"},
      {kIncomingCallsNotRinging, "an inbound call did not ring some or all handsets offered it"},
      {kBlfNotUpdating, "a BLF lamp disagreed with the PBX's extension state for too long"},
      {kOneWayAudio, "a device in a call sent audio but received (almost) none"},
      {kAudioDropMidcall, "audio in an established call went silent mid-call"},
      {kFailsAfterReboot, "something that worked before a router reboot failed after it"},
      {kCallsNotConnecting,
       "a call a handset placed failed, timed out, or was answered into silence"},
  };
  return kCatalog;
}

namespace {

/// Counts of the events at or after `since` that the totals and the after-reboot figures share.
struct EventCounts {
  std::uint64_t registrationsSucceeded = 0;
  std::uint64_t registrationsFailed = 0;
  std::uint64_t handsetsRang = 0;
  std::uint64_t callsEstablished = 0;
  std::uint64_t blfNotifiesReceived = 0;
};

EventCounts CountFrom(const ObservationLog& log, double since) {
  EventCounts c;
  for (const RegistrationRecord& r : log.Registrations()) {
    if (r.t >= since) ++(r.success ? c.registrationsSucceeded : c.registrationsFailed);
  }
  for (const AlertRecord& a : log.Alerts()) {
    if (a.t >= since && log.IsHandset(a.device)) ++c.handsetsRang;
  }
  // A dialog confirmed at both of its ends (same Call-ID) is one call; PBX-side records add
  // nothing because every PBX dialog ends at a phone or the provider, which already count it.
  // A call the PBX bridges (provider -> PBX -> phone) has two dialogs and counts twice.
  std::set<std::string> established;
  for (const CallEventRecord& e : log.CallEvents()) {
    const DeviceKind kind = log.KindOf(e.device);
    if (e.t >= since && e.kind == CallEventKind::Established && kind != DeviceKind::Pbx &&
        kind != DeviceKind::Router) {
      established.insert(e.callId);
    }
  }
  c.callsEstablished = established.size();
  for (const BlfLampRecord& b : log.BlfLamps()) {
    if (b.t >= since) ++c.blfNotifiesReceived;
  }
  return c;
}

}  // namespace

Metrics ComputeMetrics(const ObservationLog& log) {
  Metrics m;
  const EventCounts all = CountFrom(log, -std::numeric_limits<double>::infinity());
  m.registrationsSucceeded = all.registrationsSucceeded;
  m.registrationsFailed = all.registrationsFailed;
  m.inboundCalls = log.InboundPlaced().size();
  m.handsetsRang = all.handsetsRang;
  m.callsEstablished = all.callsEstablished;
  for (const MediaStreamStats& s : log.Streams()) {
    m.rtpPacketsSent += s.packetsSent;
    m.rtpPacketsReceived += s.packetsReceived;
  }
  m.blfNotifiesReceived = all.blfNotifiesReceived;
  m.reboots = log.Reboots().size();
  for (const auto& entry : log.QueueDrops()) {
    m.queueDrops += entry.second.dropped;
  }

  if (!log.Reboots().empty()) {
    const EventCounts after = CountFrom(log, log.Reboots().front().t);
    m.registrationsSucceededAfterReboot = after.registrationsSucceeded;
    m.handsetsRangAfterReboot = after.handsetsRang;
    m.callsEstablishedAfterReboot = after.callsEstablished;
    // Streams keep no per-packet history, so the log counts these as they happen.
    m.rtpPacketsSentAfterReboot = log.RtpSentAfterFirstReboot();
    m.rtpPacketsReceivedAfterReboot = log.RtpReceivedAfterFirstReboot();
    m.blfNotifiesReceivedAfterReboot = after.blfNotifiesReceived;
  }
  return m;
}

std::vector<SymptomResult> DetectAllSymptoms(const ObservationLog& log,
                                             const Thresholds& thresholds) {
  ValidateThresholds(thresholds);
  std::vector<SymptomResult> symptoms{
      DetectRegistrationFailure(log, thresholds),
      DetectIncomingCallsNotRinging(log, thresholds),
      DetectBlfNotUpdating(log, thresholds),
      DetectOneWayAudio(log, thresholds),
      DetectAudioDropMidcall(log, thresholds),
      DetectFailsAfterReboot(log, thresholds),
      DetectCallsNotConnecting(log, thresholds),
  };
  AttributeLoad(log, symptoms);
  return symptoms;
}

SymptomReport BuildSymptomReport(const ObservationLog& log, const Thresholds& thresholds) {
  return {DetectAllSymptoms(log, thresholds), ComputeMetrics(log)};
}

nlohmann::json ToJson(const Metrics& m) {
  return {{"registrations_succeeded", m.registrationsSucceeded},
          {"registrations_failed", m.registrationsFailed},
          {"inbound_calls", m.inboundCalls},
          {"handsets_rang", m.handsetsRang},
          {"calls_established", m.callsEstablished},
          {"rtp_packets_sent", m.rtpPacketsSent},
          {"rtp_packets_received", m.rtpPacketsReceived},
          {"blf_notifies_received", m.blfNotifiesReceived},
          {"reboots", m.reboots},
          {"registrations_succeeded_after_reboot", m.registrationsSucceededAfterReboot},
          {"handsets_rang_after_reboot", m.handsetsRangAfterReboot},
          {"calls_established_after_reboot", m.callsEstablishedAfterReboot},
          {"rtp_packets_sent_after_reboot", m.rtpPacketsSentAfterReboot},
          {"rtp_packets_received_after_reboot", m.rtpPacketsReceivedAfterReboot},
          {"blf_notifies_received_after_reboot", m.blfNotifiesReceivedAfterReboot},
          {"queue_drops", m.queueDrops}};
}

nlohmann::json ToJson(const std::vector<SymptomResult>& symptoms) {
  nlohmann::json out = nlohmann::json::object();
  for (const SymptomResult& s : symptoms) {
    nlohmann::json entry = s.evidence.is_object() ? s.evidence : nlohmann::json::object();
    if (!s.evidence.is_object() && !s.evidence.is_null()) {
      entry["evidence"] = s.evidence;
    }
    entry["present"] = s.present;
    out[s.name] = std::move(entry);
  }
  return out;
}

nlohmann::json ToJson(const std::vector<SymptomResult>& symptoms, const Metrics& metrics) {
  return {{"symptoms", ToJson(symptoms)}, {"metrics", ToJson(metrics)}};
}

nlohmann::json ToJson(const SymptomReport& report) {
  return ToJson(report.symptoms, report.metrics);
}

nlohmann::json ToJson(const Thresholds& t) {
  return {{"rtpGapSeconds", t.rtpGapSeconds},
          {"minReceivedRatio", t.minReceivedRatio},
          {"minPacketsToJudge", t.minPacketsToJudge},
          {"callSettleStartSeconds", t.callSettleStartSeconds},
          {"callSettleEndSeconds", t.callSettleEndSeconds},
          {"blfToleranceSeconds", t.blfToleranceSeconds},
          {"ringDeadlineSeconds", t.ringDeadlineSeconds},
          {"registrationRetrySeconds", t.registrationRetrySeconds},
          {"rebootGraceSeconds", t.rebootGraceSeconds}};
}

}  // namespace alglab::probes
