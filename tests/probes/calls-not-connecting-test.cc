#include "office-log-builder.h"
#include "probes/symptom-detectors.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::probes;
using namespace alglab::probes::testing;

namespace {

SymptomResult Detect(const ObservationLog& log) { return DetectCallsNotConnecting(log, {}); }

const std::vector<Silence> kNothing = {{0.0, 1e9}};

/// phone1 calls phone2 through the PBX at t0: leg "a" to the PBX, which bridges it to leg "b"
/// towards phone2 when phone2 answers 3 s later; they talk 60 s. Each party hears or not.
ObservationLog InternalCall(double t0, bool callerHears, bool calleeHears, bool bridgeReported = true) {
  ObservationLog log = EmptyOffice();
  RegisterEveryone(log, 1.0);
  const double answer = t0 + 3.0;
  const double end = answer + 60.0;
  log.OnCallAttempt(t0, "phone1", "a", "sip:102@pbx");
  log.OnIncomingCall(t0 + 0.01, "pbx", "a", "sip:101@pbx");
  log.OnCallAttempt(t0 + 0.02, "pbx", "b", "sip:102@10.0.0.12");
  log.OnIncomingCall(t0 + 0.03, "phone2", "b", "sip:101@pbx");
  log.OnCallEstablished(answer, "phone2", "b", "pbx");
  log.OnCallEstablished(answer, "pbx", "b", "phone2");
  if (bridgeReported) log.OnCallBridged(answer, "pbx", "a", "b");
  log.OnCallEstablished(answer + 0.01, "pbx", "a", "phone1");
  log.OnCallEstablished(answer + 0.01, "phone1", "a", "pbx");
  // The PBX relays: what phone2 sends reaches phone1 only if phone1 can hear, and so on.
  AddMedia(log, "phone1", "pbx", "a", answer, end, calleeHears ? std::vector<Silence>{} : kNothing);
  AddMedia(log, "pbx", "phone1", "a", answer, end, callerHears ? std::vector<Silence>{} : kNothing);
  AddMedia(log, "phone2", "pbx", "b", answer, end, callerHears ? std::vector<Silence>{} : kNothing);
  AddMedia(log, "pbx", "phone2", "b", answer, end, calleeHears ? std::vector<Silence>{} : kNothing);
  for (const char* d : {"phone1", "pbx"}) log.OnCallEnded(end, d, "a", "bye");
  for (const char* d : {"phone2", "pbx"}) log.OnCallEnded(end, d, "b", "bye");
  log.MarkEnd(end + 30.0);
  return log;
}

/// phone1's call "a" to the PSTN that ends unanswered with `reason` at t0 + `after` (or never
/// ends when `reason` is empty); the log ends at t0 + `logLength`.
ObservationLog UnansweredCall(double t0, const std::string& reason, double after, double logLength) {
  ObservationLog log = EmptyOffice();
  RegisterEveryone(log, 1.0);
  log.OnCallAttempt(t0, "phone1", "a", "sip:5552000@pbx");
  if (!reason.empty()) log.OnCallEnded(t0 + after, "phone1", "a", reason);
  log.MarkEnd(t0 + logLength);
  return log;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(calls_not_connecting)

BOOST_AUTO_TEST_CASE(clean_office_and_a_call_both_parties_hear_are_connected) {
  SymptomResult clean = Detect(CleanOffice());
  BOOST_TEST(clean.name == "calls_not_connecting");
  BOOST_TEST(!clean.present);
  SymptomResult r = Detect(InternalCall(10.0, true, true));
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["connected"] == 1);
  BOOST_TEST(r.evidence["calls"].empty());
}

BOOST_AUTO_TEST_CASE(answered_into_silence_both_ways_is_dead_air_across_the_pbx_bridge) {
  SymptomResult r = Detect(InternalCall(10.0, false, false));
  BOOST_TEST(r.present);
  BOOST_REQUIRE(r.evidence["calls"].size() == 1u);
  const nlohmann::json& c = r.evidence["calls"][0];
  BOOST_TEST(c["outcome"] == "answered_into_silence");
  BOOST_TEST(c["device"] == "phone1");
  BOOST_TEST(c["callee"]["device"] == "phone2");
  BOOST_TEST(c["callee"]["call_id"] == "b");
  BOOST_TEST(c["caller_hears"] == "one_way");
  BOOST_TEST(c["callee_hears"] == "one_way");
  // The same call is no longer one-way audio: its streams are listed as dead air there.
  SymptomResult oneWay = DetectOneWayAudio(InternalCall(10.0, false, false), {});
  BOOST_TEST(!oneWay.present);
  BOOST_TEST(oneWay.evidence["dead_air_streams"].size() == 4u);
}

BOOST_AUTO_TEST_CASE(one_party_hearing_is_one_way_audio_not_this) {
  for (bool callerHears : {true, false}) {
    const ObservationLog log = InternalCall(10.0, callerHears, !callerHears);
    BOOST_TEST(!Detect(log).present);
    BOOST_TEST(DetectOneWayAudio(log, {}).present);
  }
  // Without the PBX's bridge report the callee is unknown: only the caller's ear counts.
  BOOST_TEST(Detect(InternalCall(10.0, false, false, false)).present);
  BOOST_TEST(!Detect(InternalCall(10.0, true, false, false)).present);
}

BOOST_AUTO_TEST_CASE(failures_timeouts_and_a_callee_s_own_choice) {
  SymptomResult failed = Detect(UnansweredCall(10.0, "480", 34.0, 100.0));
  BOOST_TEST(failed.present);
  BOOST_TEST(failed.evidence["calls"][0]["outcome"] == "failed");
  BOOST_TEST(failed.evidence["calls"][0]["end_reason"] == "480");
  BOOST_TEST(Detect(UnansweredCall(10.0, "408", 32.0, 100.0)).evidence["calls"][0]["outcome"] == "timed_out");
  BOOST_TEST(Detect(UnansweredCall(10.0, "ack-timeout", 32.0, 100.0)).evidence["calls"][0]["outcome"] == "failed");
  // Nothing at all for callSetupSeconds (32 s): timed out; less than that at the end: too soon.
  SymptomResult silent = Detect(UnansweredCall(10.0, "", 0.0, 40.0));
  BOOST_TEST(silent.present);
  BOOST_TEST(silent.evidence["calls"][0]["outcome"] == "timed_out");
  SymptomResult pending = Detect(UnansweredCall(10.0, "", 0.0, 20.0));
  BOOST_TEST(!pending.present);
  BOOST_TEST(pending.evidence["summary"]["not_judged"] == 1);
  for (const char* busy : {"486", "600", "603"}) {
    SymptomResult declined = Detect(UnansweredCall(10.0, busy, 2.0, 100.0));
    BOOST_TEST(!declined.present);
    BOOST_TEST(declined.evidence["summary"]["declined"] == 1);
  }
}

BOOST_AUTO_TEST_CASE(a_call_the_reboot_broke_is_excused_one_after_the_grace_is_not) {
  ObservationLog log = UnansweredCall(100.0, "408", 32.0, 400.0);
  log.OnReboot(90.0);  // grace until 154 s: the call failed at 132 s
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["reboot_grace"] == 1);
  ObservationLog late = UnansweredCall(200.0, "408", 32.0, 400.0);
  late.OnReboot(90.0);
  SymptomResult after = Detect(late);
  BOOST_TEST(after.present);
  BOOST_TEST(after.evidence["calls"][0]["phase"] == "after_reboot");
  BOOST_TEST(after.evidence["by_reboot"]["after"] == 1);
}

BOOST_AUTO_TEST_SUITE_END()
