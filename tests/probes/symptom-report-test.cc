#include "office-log-builder.h"
#include "probes/symptom-detectors.h"
#include "probes/symptom-report.h"

#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>
#include <vector>

using namespace alglab::probes;
using namespace alglab::probes::testing;

BOOST_AUTO_TEST_SUITE(symptom_report)

BOOST_AUTO_TEST_CASE(catalog_lists_the_seven_symptoms_in_report_order) {
  const std::vector<std::string> expected = {
      "registration_failure", "incoming_calls_not_ringing", "blf_not_updating",
      "one_way_audio",        "audio_drop_midcall",         "fails_after_reboot",
      "calls_not_connecting"};
  const auto& catalog = SymptomCatalog();
  BOOST_REQUIRE(catalog.size() == expected.size());
  std::vector<SymptomResult> results = DetectAllSymptoms(CleanOffice());
  BOOST_REQUIRE(results.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST(catalog[i].name == expected[i]);
    BOOST_TEST(std::string(catalog[i].description).size() > 10u);
    BOOST_TEST(results[i].name == expected[i]);
  }
}

BOOST_AUTO_TEST_CASE(clean_office_has_no_symptom) {
  for (const SymptomResult& r : DetectAllSymptoms(CleanOffice())) {
    BOOST_TEST(!r.present, r.name << " should be absent");
  }
}

BOOST_AUTO_TEST_CASE(metrics_count_what_happened) {
  Metrics m = ComputeMetrics(CleanOffice());
  BOOST_TEST(m.registrationsSucceeded == 16u);
  BOOST_TEST(m.registrationsFailed == 0u);
  BOOST_TEST(m.inboundCalls == 1u);
  BOOST_TEST(m.handsetsRang == 3u);       // the PBX's own alert is not a handset
  BOOST_TEST(m.callsEstablished == 2u);   // provider<->PBX dialog and PBX<->phone2 dialog
  BOOST_TEST(m.rtpPacketsSent == 4u * 2995u);
  BOOST_TEST(m.rtpPacketsReceived == 4u * 2995u);
  BOOST_TEST(m.blfNotifiesReceived == 6u + 7u * 2u);  // initial + 7 state changes x 2 watchers
  BOOST_TEST(m.reboots == 0u);

  ObservationLog log = CleanOffice();
  log.OnRegistrationOutcome(150.0, "phone3", "pbx", false, 408);
  log.OnReboot(160.0);
  log.OnReboot(170.0);
  Metrics n = ComputeMetrics(log);
  BOOST_TEST(n.registrationsFailed == 1u);
  BOOST_TEST(n.reboots == 2u);
}

BOOST_AUTO_TEST_CASE(metrics_after_reboot_count_only_what_followed_the_first_reboot) {
  ObservationLog log = EmptyOffice();
  RegisterEveryone(log, 1.0);
  AddInboundCall(log, InboundCallSpec{});  // before the reboot: t = 10 .. 75
  BOOST_TEST(ComputeMetrics(log).rtpPacketsReceivedAfterReboot == 0u);
  log.OnReboot(100.0);
  Metrics quiet = ComputeMetrics(log);
  BOOST_TEST(quiet.registrationsSucceededAfterReboot == 0u);
  BOOST_TEST(quiet.handsetsRangAfterReboot == 0u);
  BOOST_TEST(quiet.rtpPacketsReceivedAfterReboot == 0u);

  RegisterEveryone(log, 140.0);
  InboundCallSpec after;
  after.callId = "in2";
  after.t = 200.0;
  after.silent = {"103"};
  AddInboundCall(log, after);
  Metrics m = ComputeMetrics(log);
  const Metrics all = ComputeMetrics(log);
  BOOST_TEST(m.registrationsSucceededAfterReboot == all.registrationsSucceeded / 2);
  BOOST_TEST(m.handsetsRangAfterReboot == 2u);  // 103 stayed silent
  BOOST_TEST(m.callsEstablishedAfterReboot == 2u);
  BOOST_TEST(m.rtpPacketsReceivedAfterReboot > 0u);
  BOOST_TEST(m.rtpPacketsReceivedAfterReboot < all.rtpPacketsReceived);
  BOOST_TEST(m.rtpPacketsSentAfterReboot == m.rtpPacketsReceivedAfterReboot);
  BOOST_TEST(m.blfNotifiesReceivedAfterReboot > 0u);
  BOOST_TEST(ToJson(m).contains("rtp_packets_received_after_reboot"));
}

BOOST_AUTO_TEST_CASE(report_json_has_the_documented_shape) {
  nlohmann::json j = ToJson(BuildSymptomReport(CleanOffice()));
  BOOST_REQUIRE(j.contains("symptoms"));
  BOOST_REQUIRE(j.contains("metrics"));
  BOOST_TEST(j["symptoms"].size() == 7u);
  for (const SymptomInfo& info : SymptomCatalog()) {
    BOOST_REQUIRE(j["symptoms"].contains(info.name));
    BOOST_TEST(j["symptoms"][info.name]["present"].is_boolean());
  }
  BOOST_TEST(j["symptoms"]["one_way_audio"].contains("summary"));  // evidence sits beside present
  for (const char* key : {"registrations_succeeded", "registrations_failed", "inbound_calls",
                          "handsets_rang", "calls_established", "rtp_packets_sent",
                          "rtp_packets_received", "blf_notifies_received", "reboots"}) {
    BOOST_TEST(j["metrics"].contains(key), key);
  }
  BOOST_TEST(j["metrics"]["handsets_rang"] == 3);
  BOOST_TEST(ToJson(Thresholds{}).size() == 9u);
}

BOOST_AUTO_TEST_CASE(report_is_deterministic) {
  ObservationLog log = CleanOffice();
  log.OnReboot(100.0);
  log.OnRegistrationOutcome(170.0, "phone3", "pbx", false, 408);
  std::string first = ToJson(BuildSymptomReport(log)).dump();
  std::string second = ToJson(BuildSymptomReport(log)).dump();
  std::string rebuilt = [] {
    ObservationLog again = CleanOffice();
    again.OnReboot(100.0);
    again.OnRegistrationOutcome(170.0, "phone3", "pbx", false, 408);
    return ToJson(BuildSymptomReport(again)).dump();
  }();
  BOOST_TEST(first == second);
  BOOST_TEST(first == rebuilt);
}

BOOST_AUTO_TEST_CASE(detectors_do_not_cross_fire) {
  // Only phone3's audio is broken: exactly one symptom.
  ObservationLog log = CleanOffice();
  log.OnCallEstablished(100.0, "phone3", "c9", "provider");
  log.OnCallEstablished(100.0, "provider", "c9", "phone3");
  AddMedia(log, "phone3", "provider", "c9", 100.0, 160.0);
  AddMedia(log, "provider", "phone3", "c9", 100.0, 160.0, {{0.0, 1e9}});
  log.OnCallEnded(160.0, "phone3", "c9", "bye");
  log.OnCallEnded(160.0, "provider", "c9", "bye");
  std::vector<std::string> present;
  for (const SymptomResult& r : DetectAllSymptoms(log)) {
    if (r.present) {
      present.push_back(r.name);
    }
  }
  BOOST_TEST(present == std::vector<std::string>({"one_way_audio"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(invalid_thresholds_are_rejected) {
  BOOST_CHECK_NO_THROW(ValidateThresholds(Thresholds{}));
  Thresholds ratio;
  ratio.minReceivedRatio = 1.5;
  BOOST_CHECK_THROW(ValidateThresholds(ratio), ThresholdError);
  Thresholds gap;
  gap.rtpGapSeconds = 0.0;
  BOOST_CHECK_THROW(DetectAllSymptoms(CleanOffice(), gap), ThresholdError);
  Thresholds nan;
  nan.blfToleranceSeconds = std::numeric_limits<double>::quiet_NaN();
  BOOST_CHECK_THROW(BuildSymptomReport(CleanOffice(), nan), ThresholdError);
}

BOOST_AUTO_TEST_CASE(empty_log_yields_a_quiet_report) {
  ObservationLog empty;
  SymptomReport report = BuildSymptomReport(empty);
  for (const SymptomResult& r : report.symptoms) {
    BOOST_TEST(!r.present, r.name);
  }
  BOOST_TEST(ToJson(report)["metrics"]["rtp_packets_sent"] == 0);
}

BOOST_AUTO_TEST_SUITE_END()
