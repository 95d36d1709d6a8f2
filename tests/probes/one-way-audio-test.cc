#include "office-log-builder.h"
#include "probes/symptom-detectors.h"

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace alglab::probes;
using namespace alglab::probes::testing;

namespace {

SymptomResult Detect(const ObservationLog& log) { return DetectOneWayAudio(log, {}); }

/// phone1 calls the provider directly (one dialog, Call-ID "c1") from `t0` to `t1`.
ObservationLog DirectCall(double t0, double t1, bool phoneHears, bool providerHears) {
  ObservationLog log = EmptyOffice();
  RegisterEveryone(log, 1.0);
  log.OnCallAttempt(t0 - 2.0, "phone1", "c1", "sip:5552000@provider");
  log.OnCallEstablished(t0, "phone1", "c1", "provider");
  log.OnCallEstablished(t0, "provider", "c1", "phone1");
  std::vector<Silence> all = {{0.0, 1e9}};
  AddMedia(log, "phone1", "provider", "c1", t0, t1, providerHears ? std::vector<Silence>{} : all);
  AddMedia(log, "provider", "phone1", "c1", t0, t1, phoneHears ? std::vector<Silence>{} : all);
  log.OnCallEnded(t1, "phone1", "c1", "bye");
  log.OnCallEnded(t1, "provider", "c1", "bye");
  log.MarkEnd(t1 + 30.0);
  return log;
}

nlohmann::json Stream(const SymptomResult& r, const std::string& device) {
  for (const nlohmann::json& s : r.evidence["streams"]) {
    if (s["device"] == device) {
      return s;
    }
  }
  BOOST_FAIL("no stream at " + device);
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(one_way_audio)

BOOST_AUTO_TEST_CASE(clean_office_has_two_way_audio) {
  SymptomResult r = Detect(CleanOffice());
  BOOST_TEST(r.name == "one_way_audio");
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["two_way"] == 4);  // phone2, PBX (two legs), provider
  BOOST_TEST(r.evidence["one_way_streams"].empty());
}

BOOST_AUTO_TEST_CASE(sent_3000_received_0_on_one_side_is_a_symptom) {
  SymptomResult r = Detect(DirectCall(10.0, 70.0, false, true));
  BOOST_TEST(r.present);
  BOOST_REQUIRE(r.evidence["one_way_streams"].size() == 1u);
  const nlohmann::json& s = r.evidence["one_way_streams"][0];
  BOOST_TEST(s["device"] == "phone1");
  BOOST_TEST(s["sent"] == 3000);
  BOOST_TEST(s["received"] == 0);
  BOOST_TEST(s["peer_sent"] == 3000);
  BOOST_TEST(s["peers"] == nlohmann::json({"provider"}));
  BOOST_TEST(Stream(r, "provider")["verdict"] == "two_way");
  BOOST_TEST(r.evidence["affected_calls"]["c1"] == "one_way");
}

BOOST_AUTO_TEST_CASE(no_audio_either_way_is_dead_air_left_to_calls_not_connecting) {
  SymptomResult r = Detect(DirectCall(10.0, 70.0, false, false));
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["one_way_streams"].empty());
  BOOST_TEST(r.evidence["dead_air_streams"].size() == 2u);
  BOOST_TEST(DetectCallsNotConnecting(DirectCall(10.0, 70.0, false, false), {}).present);
}

BOOST_AUTO_TEST_CASE(a_call_hung_up_right_after_answering_is_not_judged) {
  SymptomResult r = Detect(DirectCall(10.0, 10.5, false, false));  // 25 packets each way
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["not_judged"] == 2);
  BOOST_TEST(Stream(r, "phone1")["reason"] == "device_sent_too_little");
}

BOOST_AUTO_TEST_CASE(threshold_is_a_ratio_of_the_expected_packets) {
  // Only phone1 is observed (no peer stream): it expects as many packets as it sent.
  auto callWithReceived = [](double receivedSeconds) {
    ObservationLog log = EmptyOffice();
    log.OnCallEstablished(10.0, "phone1", "c1", "far-end");
    for (int i = 0; i < 3000; ++i) {
      log.OnRtpSent(10.0 + 0.02 * i, "phone1", "c1", static_cast<std::uint16_t>(i));
    }
    int received = static_cast<int>(std::lround(receivedSeconds / 0.02));
    for (int i = 0; i < received; ++i) {
      log.OnRtpReceived(10.0 + 0.02 * i, "phone1", "c1", static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(160 * i));
    }
    log.OnCallEnded(70.0, "phone1", "c1", "bye");
    return log;
  };
  BOOST_TEST(Detect(callWithReceived(58.0)).present == false);  // 2900 of 3000
  BOOST_TEST(Detect(callWithReceived(7.0)).present == false);   // 350: 11.7%
  BOOST_TEST(Detect(callWithReceived(4.0)).present == true);    // 200: 6.7%
}

BOOST_AUTO_TEST_CASE(expectation_follows_the_peer_when_it_sent_more) {
  // phone1 sent only 2 s of audio (100 packets); the provider talked for 60 s, of which 200
  // packets arrived. Judged against its own sending it would look fine; it heard 6.7%.
  ObservationLog log = EmptyOffice();
  log.OnCallEstablished(10.0, "phone1", "c1", "provider");
  log.OnCallEstablished(10.0, "provider", "c1", "phone1");
  AddMedia(log, "phone1", "provider", "c1", 10.0, 12.0);
  AddMedia(log, "provider", "phone1", "c1", 10.0, 70.0, {{14.0, 1e9}});
  log.OnCallEnded(70.0, "phone1", "c1", "bye");
  log.OnCallEnded(70.0, "provider", "c1", "bye");
  SymptomResult r = Detect(log);
  BOOST_TEST(r.present);
  BOOST_TEST(Stream(r, "phone1")["expected"] == 3000);
  BOOST_TEST(Stream(r, "phone1")["received"] == 200);
}

BOOST_AUTO_TEST_CASE(calls_established_during_a_reboot_outage_are_excused) {
  ObservationLog log = DirectCall(10.0, 70.0, false, true);
  log.OnReboot(5.0);
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["reboot_grace"] == 2);
}

BOOST_AUTO_TEST_SUITE_END()
