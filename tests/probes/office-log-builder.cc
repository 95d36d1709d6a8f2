#include "office-log-builder.h"

#include <algorithm>
#include <cmath>

namespace alglab::probes::testing {

const std::vector<Handset>& OfficeHandsets() {
  static const std::vector<Handset> kHandsets = {
      {"phone1", "101"}, {"phone2", "102"}, {"phone3", "103"}};
  return kHandsets;
}

std::string DeviceOf(const std::string& extension) {
  for (const Handset& h : OfficeHandsets()) {
    if (h.extension == extension) {
      return h.device;
    }
  }
  return "";
}

ObservationLog EmptyOffice() {
  ObservationLog log;
  log.SetDeviceKind("provider", DeviceKind::Provider);
  log.SetDeviceKind("pbx", DeviceKind::Pbx);
  for (const Handset& h : OfficeHandsets()) {
    log.SetDeviceKind(h.device, DeviceKind::Phone);
  }
  return log;
}

void AddMedia(ObservationLog& log, const std::string& sender, const std::string& receiver,
              const std::string& callId, double t0, double t1,
              const std::vector<Silence>& silences) {
  const int packets = static_cast<int>(std::lround((t1 - t0) / 0.02));
  for (int i = 0; i < packets; ++i) {
    double sentAt = t0 + 0.02 * i;
    double arrivesAt = sentAt + 0.015;
    auto seq = static_cast<std::uint16_t>(i);
    log.OnRtpSent(sentAt, sender, callId, seq);
    bool lost = std::any_of(silences.begin(), silences.end(), [&](const Silence& s) {
      return arrivesAt >= s.first && arrivesAt < s.second;
    });
    if (!lost) {
      log.OnRtpReceived(arrivesAt, receiver, callId, seq, static_cast<std::uint32_t>(160 * i));
    }
  }
}

void AddTwoWayMedia(ObservationLog& log, const std::string& a, const std::string& b,
                    const std::string& callId, double t0, double t1) {
  AddMedia(log, a, b, callId, t0, t1);
  AddMedia(log, b, a, callId, t0, t1);
}

void RegisterEveryone(ObservationLog& log, double t) {
  for (const Handset& h : OfficeHandsets()) {
    log.OnRegistrationOutcome(t, h.device, "pbx", true, 200);
  }
  log.OnRegistrationOutcome(t, "pbx", "provider", true, 200);
}

namespace {

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

void Blf(ObservationLog& log, double t, const std::string& extension, const std::string& state,
         double lampLag) {
  log.OnDialogState(t, "pbx", extension, state);
  for (const Handset& watcher : OfficeHandsets()) {
    if (watcher.extension != extension) {
      log.OnBlfNotify(t + lampLag, watcher.device, extension, state);
    }
  }
}

}  // namespace

void AddInboundCall(ObservationLog& log, const InboundCallSpec& s) {
  const double forkAt = s.t + 0.02;
  log.OnInboundCallPlaced(s.t, "provider", s.callId, "5551000");
  log.OnCallAttempt(s.t, "provider", s.callId, "sip:5551000@office");
  log.OnInboundCallReceived(s.t + 0.01, "pbx", s.callId, "5551000");
  log.OnIncomingCall(s.t + 0.01, "pbx", s.callId, "sip:caller@provider");
  for (const Handset& h : OfficeHandsets()) {
    if (Contains(s.unreachable, h.extension)) {
      log.OnCallForked(forkAt, "pbx", s.callId, h.extension, "");
      continue;
    }
    std::string leg = s.callId + "-" + h.extension;
    log.OnCallForked(forkAt, "pbx", s.callId, h.extension, leg);
    log.OnCallAttempt(forkAt, "pbx", leg, "sip:" + h.extension + "@pbx");
    if (!Contains(s.silent, h.extension)) {
      log.OnIncomingCall(forkAt + 0.01, h.device, leg, "sip:caller@provider");
      Blf(log, forkAt + 0.01, h.extension, "early", s.lampLag);
    }
  }

  const bool answered = !s.answerer.empty();
  const double answerAt = s.t + 5.0;
  const double endAt = answered ? answerAt + s.talkSeconds : s.t + 20.0;
  for (const Handset& h : OfficeHandsets()) {
    if (Contains(s.unreachable, h.extension)) {
      continue;
    }
    std::string leg = s.callId + "-" + h.extension;
    bool silent = Contains(s.silent, h.extension);
    if (answered && h.device == s.answerer) {
      log.OnCallEstablished(answerAt, h.device, leg, "pbx");
      log.OnCallEstablished(answerAt, "pbx", leg, h.device);
      Blf(log, answerAt, h.extension, "confirmed", s.lampLag);
      AddTwoWayMedia(log, h.device, "pbx", leg, answerAt + 0.1, endAt);
      log.OnCallEnded(endAt, h.device, leg, "bye");
      log.OnCallEnded(endAt, "pbx", leg, "bye");
      Blf(log, endAt, h.extension, "terminated", s.lampLag);
    } else {
      double cancelAt = answered ? answerAt : endAt;
      log.OnCallEnded(cancelAt, "pbx", leg, "cancel");
      if (!silent) {
        log.OnCallEnded(cancelAt + 0.01, h.device, leg, "cancel");
        Blf(log, cancelAt, h.extension, "terminated", s.lampLag);
      }
    }
  }
  if (answered) {
    log.OnCallEstablished(answerAt, "pbx", s.callId, "provider");
    log.OnCallEstablished(answerAt, "provider", s.callId, "pbx");
    AddTwoWayMedia(log, "provider", "pbx", s.callId, answerAt + 0.1, endAt);
    log.OnCallEnded(endAt, "pbx", s.callId, "bye");
    log.OnCallEnded(endAt, "provider", s.callId, "bye");
  } else {
    log.OnCallEnded(endAt, "provider", s.callId, "cancel");
    log.OnCallEnded(endAt, "pbx", s.callId, "cancel");
  }
}

void ExpectOfficeBlfWatches(ObservationLog& log) {
  for (const Handset& watcher : OfficeHandsets()) {
    for (const Handset& watched : OfficeHandsets()) {
      if (watcher.device != watched.device) {
        log.ExpectBlfWatch(watcher.device, watched.extension);
      }
    }
  }
}

ObservationLog CleanOffice() {
  ObservationLog log = EmptyOffice();
  ExpectOfficeBlfWatches(log);
  for (double t : {1.0, 61.0, 121.0, 181.0}) {
    RegisterEveryone(log, t);
  }
  // Initial NOTIFYs after subscribing: every lamp dark.
  for (const Handset& watcher : OfficeHandsets()) {
    for (const Handset& watched : OfficeHandsets()) {
      if (watcher.device != watched.device) {
        log.OnBlfNotify(1.5, watcher.device, watched.extension, "terminated");
      }
    }
  }
  AddInboundCall(log, InboundCallSpec{});
  log.MarkEnd(200.0);
  return log;
}

}  // namespace alglab::probes::testing
