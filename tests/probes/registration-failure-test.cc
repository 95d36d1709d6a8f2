#include "office-log-builder.h"
#include "probes/symptom-detectors.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::probes;
using namespace alglab::probes::testing;

namespace {

SymptomResult Detect(const ObservationLog& log) { return DetectRegistrationFailure(log, {}); }

/// The evidence entry of `device` (registering with its only registrar).
nlohmann::json Entry(const SymptomResult& r, const std::string& device) {
  for (const nlohmann::json& d : r.evidence["devices"]) {
    if (d["device"] == device) {
      return d;
    }
  }
  BOOST_FAIL("no evidence entry for " + device);
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(registration_failure)

BOOST_AUTO_TEST_CASE(clean_office_with_refreshes_is_not_a_symptom) {
  SymptomResult r = Detect(CleanOffice());
  BOOST_TEST(r.name == "registration_failure");
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["succeeded"] == 16);  // 4 devices x 4 registrations
  BOOST_TEST(r.evidence["summary"]["failed"] == 0);
  BOOST_TEST(r.evidence["devices"].size() == 4u);
  BOOST_TEST(r.evidence["by_reboot"].is_null());
}

BOOST_AUTO_TEST_CASE(answered_digest_challenge_is_normal) {
  ObservationLog log = CleanOffice();
  log.OnRegistrationOutcome(240.0, "phone1", "pbx", false, 401);
  log.OnRegistrationOutcome(240.02, "phone1", "pbx", true, 200);
  log.OnRegistrationOutcome(241.0, "phone2", "pbx", false, 423);
  log.OnRegistrationOutcome(241.5, "phone2", "pbx", true, 200);
  log.MarkEnd(300.0);
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["failed"] == 2);
  BOOST_TEST(r.evidence["summary"]["tolerated_episodes"] == 2);
}

BOOST_AUTO_TEST_CASE(one_handset_that_never_registers_is_a_symptom) {
  ObservationLog log = EmptyOffice();
  for (double t : {33.0, 95.0, 157.0}) {
    log.OnRegistrationOutcome(t - 32.0, "phone1", "pbx", true, 200);
    log.OnRegistrationOutcome(t - 32.0, "phone2", "pbx", true, 200);
    log.OnRegistrationOutcome(t, "phone3", "pbx", false, 408);
  }
  log.MarkEnd(200.0);
  SymptomResult r = Detect(log);
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["failing_devices"] == nlohmann::json({"phone3"}));
  const nlohmann::json phone3 = Entry(r, "phone3");
  BOOST_TEST(phone3["device"] == "phone3");
  BOOST_TEST(phone3["failed"] == 3);
  BOOST_TEST(phone3["last_state"] == "failed");
  BOOST_TEST(phone3["episodes"][0]["verdict"] == "failure");
  BOOST_TEST(phone3["episodes"][0]["statuses"] == nlohmann::json({408, 408, 408}));
  BOOST_TEST(phone3["episodes"][0]["recovered_at"].is_null());
  BOOST_TEST(Entry(r, "phone1")["last_state"] == "registered");
}

BOOST_AUTO_TEST_CASE(a_refresh_that_fails_then_recovers_is_still_a_failure) {
  ObservationLog log = CleanOffice();
  log.OnRegistrationOutcome(93.0, "phone2", "pbx", false, 408);  // refresh at 61 s timed out
  SymptomResult r = Detect(log);
  BOOST_TEST(r.present);
  BOOST_TEST(Entry(r, "phone2")["episodes"][0]["recovered_at"] == 121.0);
}

BOOST_AUTO_TEST_CASE(unanswered_challenge_only_counts_once_the_retry_window_passed) {
  ObservationLog log = CleanOffice();
  log.OnRegistrationOutcome(199.0, "phone1", "pbx", false, 401);  // 1 s before the end
  BOOST_TEST(!Detect(log).present);
  log.MarkEnd(210.0);  // the retry never came
  BOOST_TEST(Detect(log).present);
}

BOOST_AUTO_TEST_CASE(failures_of_a_reboot_outage_recovered_in_grace_are_excused) {
  ObservationLog log = CleanOffice();
  log.OnReboot(100.0);
  log.OnRegistrationOutcome(120.0, "phone1", "pbx", false, 408);
  log.OnRegistrationOutcome(130.0, "phone1", "pbx", true, 200);
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(Entry(r, "phone1")["episodes"][0]["verdict"] == "reboot_outage");
  BOOST_TEST(r.evidence["by_reboot"]["first_reboot"] == 100.0);

  // The same failure not recovered by the end of the grace window is a symptom.
  ObservationLog stuck = EmptyOffice();
  stuck.OnRegistrationOutcome(1.0, "phone1", "pbx", true, 200);
  stuck.OnReboot(100.0);
  stuck.OnRegistrationOutcome(132.0, "phone1", "pbx", false, 408);
  stuck.OnRegistrationOutcome(196.0, "phone1", "pbx", false, 408);
  stuck.MarkEnd(200.0);
  SymptomResult s = Detect(stuck);
  BOOST_TEST(s.present);
  BOOST_TEST(s.evidence["by_reboot"]["during_grace"] == 1);
}

BOOST_AUTO_TEST_CASE(failure_still_inside_an_open_grace_window_is_pending) {
  ObservationLog log = EmptyOffice();
  log.OnRegistrationOutcome(1.0, "phone1", "pbx", true, 200);
  log.OnReboot(100.0);
  log.OnRegistrationOutcome(132.0, "phone1", "pbx", false, 408);
  log.MarkEnd(150.0);
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(Entry(r, "phone1")["episodes"][0]["verdict"] == "pending");
}

BOOST_AUTO_TEST_CASE(bad_thresholds_are_a_typed_error) {
  Thresholds t;
  t.rebootGraceSeconds = -1.0;
  BOOST_CHECK_THROW(DetectRegistrationFailure(CleanOffice(), t), ThresholdError);
}

BOOST_AUTO_TEST_SUITE_END()
