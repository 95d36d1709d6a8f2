#include "office-log-builder.h"
#include "probes/symptom-detectors.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::probes;
using namespace alglab::probes::testing;

namespace {

SymptomResult Detect(const ObservationLog& log) { return DetectFailsAfterReboot(log, {}); }

/// The office through a reboot at 100 s (grace until 164 s), observed until 300 s: everyone
/// registers at 1, 61, 121, 181 and 241 s; ring-group calls at 10 s and 180 s; lamps follow.
ObservationLog RebootDay(const InboundCallSpec& before, const InboundCallSpec& after) {
  ObservationLog log = EmptyOffice();
  ExpectOfficeBlfWatches(log);
  for (double t : {1.0, 61.0, 121.0, 181.0, 241.0}) {
    RegisterEveryone(log, t);
  }
  AddInboundCall(log, before);
  log.OnReboot(100.0);
  AddInboundCall(log, after);
  log.MarkEnd(300.0);
  return log;
}

InboundCallSpec AfterCall() {
  InboundCallSpec spec;
  spec.callId = "in2";
  spec.t = 180.0;
  spec.talkSeconds = 30.0;
  return spec;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fails_after_reboot)

BOOST_AUTO_TEST_CASE(no_reboot_means_absent) {
  SymptomResult r = Detect(CleanOffice());
  BOOST_TEST(r.name == "fails_after_reboot");
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["reason"] == "no_reboot");
}

BOOST_AUTO_TEST_CASE(everything_recovering_within_the_grace_window_is_absent) {
  ObservationLog log = RebootDay({}, AfterCall());
  log.OnRegistrationOutcome(132.0, "phone1", "pbx", false, 408);  // REGISTER sent into the outage
  log.OnRegistrationOutcome(150.0, "phone1", "pbx", true, 200);
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["reboot"]["first"] == 100.0);
  BOOST_TEST(r.evidence["reboot"]["observed_after_grace"] == 136.0);
  BOOST_TEST(r.evidence["registration"]["worked_before"].size() == 4u);
  BOOST_TEST(r.evidence["inbound_ringing"]["worked_before"] ==
             nlohmann::json({"101", "102", "103"}));
  BOOST_TEST(r.evidence["audio"]["worked_before"] == nlohmann::json({"pbx", "phone2", "provider"}));
  BOOST_TEST(r.evidence["failed_categories"].empty());
}

BOOST_AUTO_TEST_CASE(registration_that_stays_failed_after_the_reboot) {
  ObservationLog log = EmptyOffice();
  log.OnRegistrationOutcome(1.0, "phone1", "pbx", true, 200);
  log.OnRegistrationOutcome(61.0, "phone1", "pbx", true, 200);
  log.OnReboot(100.0);
  for (double t : {132.0, 196.0, 260.0}) {
    log.OnRegistrationOutcome(t, "phone1", "pbx", false, 408);
  }
  log.MarkEnd(300.0);
  SymptomResult r = Detect(log);
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["failed_categories"] == nlohmann::json({"registration"}));
  const nlohmann::json& f = r.evidence["registration"]["failed_after"][0];
  BOOST_TEST(f["device"] == "phone1");
  BOOST_TEST(f["failed_from"] == 132.0);
  BOOST_TEST(f["recovered_at"].is_null());
}

BOOST_AUTO_TEST_CASE(handset_that_rang_before_but_not_after) {
  InboundCallSpec after = AfterCall();
  after.unreachable = {"103"};
  SymptomResult r = Detect(RebootDay({}, after));
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["failed_categories"] == nlohmann::json({"inbound_ringing"}));
  const nlohmann::json& f = r.evidence["inbound_ringing"]["failed_after"][0];
  BOOST_TEST(f["extension"] == "103");
  BOOST_TEST(f["verdict"] == "unreachable");
  BOOST_TEST(f["call_id"] == "in2");
}

BOOST_AUTO_TEST_CASE(handset_already_broken_before_is_not_blamed_on_the_reboot) {
  InboundCallSpec before;
  before.unreachable = {"103"};
  InboundCallSpec after = AfterCall();
  after.unreachable = {"103"};
  ObservationLog log = RebootDay(before, after);
  BOOST_TEST(!Detect(log).present);
  BOOST_TEST(DetectIncomingCallsNotRinging(log, {}).present);  // it is still a symptom
}

namespace {

/// phone1 calls at 10-70 s (audio heard unless `brokenBefore`), the router reboots at 100 s,
/// and phone1 calls again at 200-260 s hearing nothing.
ObservationLog AudioAcrossReboot(bool brokenBefore) {
  ObservationLog log = EmptyOffice();
  log.OnCallEstablished(10.0, "phone1", "c1", "provider");
  AddMedia(log, "phone1", "provider", "c1", 10.0, 70.0);
  AddMedia(log, "provider", "phone1", "c1", 10.0, 70.0,
           brokenBefore ? std::vector<Silence>{{0.0, 1e9}} : std::vector<Silence>{});
  log.OnCallEnded(70.0, "phone1", "c1", "bye");
  log.OnReboot(100.0);
  log.OnCallEstablished(200.0, "phone1", "c2", "provider");
  AddMedia(log, "phone1", "provider", "c2", 200.0, 260.0);
  AddMedia(log, "provider", "phone1", "c2", 200.0, 260.0, {{0.0, 1e9}});
  log.OnCallEnded(260.0, "phone1", "c2", "bye");
  log.MarkEnd(300.0);
  return log;
}

}  // namespace

BOOST_AUTO_TEST_CASE(one_way_audio_before_and_after_is_not_the_reboots_doing) {
  SymptomResult r = Detect(AudioAcrossReboot(true));
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["audio"]["worked_before"].empty());
}

BOOST_AUTO_TEST_CASE(two_way_audio_before_one_way_after) {
  SymptomResult r = Detect(AudioAcrossReboot(false));
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["audio"]["worked_before"] == nlohmann::json({"phone1"}));
  const nlohmann::json& f = r.evidence["audio"]["failed_after"][0];
  BOOST_TEST(f["kind"] == "one_way");
  BOOST_TEST(f["call_id"] == "c2");
}

BOOST_AUTO_TEST_CASE(audio_of_a_call_spanning_the_reboot_must_come_back) {
  auto spanning = [](double silenceEnd) {
    ObservationLog log = EmptyOffice();
    log.OnCallEstablished(10.0, "phone1", "c1", "provider");
    AddMedia(log, "phone1", "provider", "c1", 10.0, 300.0);
    AddMedia(log, "provider", "phone1", "c1", 10.0, 300.0, {{100.0, silenceEnd}});
    log.OnCallEnded(300.0, "phone1", "c1", "bye");
    log.OnReboot(100.0);
    log.MarkEnd(310.0);
    return log;
  };
  SymptomResult restored = Detect(spanning(120.0));
  BOOST_TEST(!restored.present);
  BOOST_TEST(!DetectAudioDropMidcall(spanning(120.0), {}).present);

  SymptomResult lost = Detect(spanning(1e9));
  BOOST_TEST(lost.present);
  BOOST_TEST(lost.evidence["audio"]["failed_after"][0]["kind"] == "audio_not_restored");
}

BOOST_AUTO_TEST_CASE(lamps_that_stop_following_after_the_reboot) {
  ObservationLog log = RebootDay({}, AfterCall());
  log.OnDialogState(250.0, "pbx", "101", "confirmed");  // no lamp follows any more
  log.OnDialogState(280.0, "pbx", "101", "terminated");
  SymptomResult r = Detect(log);
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["failed_categories"] == nlohmann::json({"blf"}));
  BOOST_TEST(r.evidence["blf"]["failed_after"].size() == 2u);  // phone2 and phone3 watch 101
  BOOST_TEST(r.evidence["blf"]["failed_after"][0]["pbx_state"] == "confirmed");
}

BOOST_AUTO_TEST_CASE(reboot_too_close_to_the_end_cannot_be_judged) {
  ObservationLog log = CleanOffice();  // ends at 200 s
  log.OnReboot(190.0);
  log.OnRegistrationOutcome(195.0, "phone1", "pbx", false, 408);
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["reboot"]["observed_after_grace"] == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
