#include "office-log-builder.h"
#include "probes/symptom-detectors.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::probes;
using namespace alglab::probes::testing;

namespace {

SymptomResult Detect(const ObservationLog& log) { return DetectBlfNotUpdating(log, {}); }

nlohmann::json Watch(const SymptomResult& r, const std::string& watcher,
                     const std::string& extension) {
  for (const nlohmann::json& w : r.evidence["watches"]) {
    if (w["watcher"] == watcher && w["extension"] == extension) {
      return w;
    }
  }
  BOOST_FAIL("no watch " + watcher + " -> " + extension);
  return {};
}

/// The clean office plus a fourth handset watching 102 that got only the initial NOTIFY.
ObservationLog OfficeWithPhone4() {
  ObservationLog log = CleanOffice();
  log.SetDeviceKind("phone4", DeviceKind::Phone);
  log.ExpectBlfWatch("phone4", "102");
  log.OnBlfNotify(1.5, "phone4", "102", "terminated");
  return log;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(blf_not_updating)

BOOST_AUTO_TEST_CASE(lamps_following_the_pbx_are_normal) {
  SymptomResult r = Detect(CleanOffice());
  BOOST_TEST(r.name == "blf_not_updating");
  BOOST_TEST(!r.present);
  BOOST_TEST(r.evidence["summary"]["watches"] == 6);
  nlohmann::json w = Watch(r, "phone1", "102");
  BOOST_TEST(w["pbx_changes"] == 3);  // early, confirmed, terminated
  BOOST_TEST(w["lamp_updates"] == 4);  // initial NOTIFY + the three
  BOOST_TEST(w["final_lamp_state"] == "terminated");
  BOOST_TEST(w["stale_intervals"].empty());
}

BOOST_AUTO_TEST_CASE(lamp_lagging_one_second_is_normal) {
  ObservationLog log = EmptyOffice();
  ExpectOfficeBlfWatches(log);
  InboundCallSpec spec;
  spec.lampLag = 1.0;
  AddInboundCall(log, spec);
  log.MarkEnd(200.0);
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  nlohmann::json w = Watch(r, "phone1", "102");
  BOOST_TEST(w["lagged_updates"] == 3);
  BOOST_TEST(w["longest_lag"] == 1.0);
}

BOOST_AUTO_TEST_CASE(lamp_stuck_is_a_symptom) {
  ObservationLog log = OfficeWithPhone4();
  log.OnBlfNotify(10.08, "phone4", "102", "early");  // ... and nothing after that
  SymptomResult r = Detect(log);
  BOOST_TEST(r.present);
  BOOST_TEST(r.evidence["stale_watches"] == nlohmann::json({"phone4 -> 102"}));
  nlohmann::json w = Watch(r, "phone4", "102");
  BOOST_REQUIRE(w["stale_intervals"].size() == 2u);
  const nlohmann::json& first = w["stale_intervals"][0];
  BOOST_TEST(first["start"] == 15.0);
  BOOST_TEST(first["end"] == 75.0);
  BOOST_TEST(first["pbx_state"] == "confirmed");
  BOOST_TEST(first["lamp_state"] == "early");
  const nlohmann::json& second = w["stale_intervals"][1];
  BOOST_TEST(second["pbx_state"] == "terminated");
  BOOST_TEST(second["open_at_end"] == true);
  BOOST_TEST(w["final_lamp_state"] == "early");
  // The other watchers of 102 were fine.
  BOOST_TEST(Watch(r, "phone1", "102")["stale_intervals"].empty());
}

BOOST_AUTO_TEST_CASE(configured_watch_that_never_gets_a_notify_is_a_symptom) {
  ObservationLog log = CleanOffice();
  log.SetDeviceKind("phone4", DeviceKind::Phone);
  log.ExpectBlfWatch("phone4", "102");
  SymptomResult r = Detect(log);
  BOOST_TEST(r.present);
  nlohmann::json w = Watch(r, "phone4", "102");
  BOOST_TEST(w["configured"] == true);
  BOOST_TEST(w["lamp_updates"] == 0);
  BOOST_TEST(w["stale_intervals"].size() == 2u);  // early 10.03-15 and confirmed 15-75
}

BOOST_AUTO_TEST_CASE(short_or_unfinished_mismatches_are_not_symptoms) {
  ObservationLog log = CleanOffice();
  // A state that lasted 1 s without the lamps catching it: too short to demand.
  log.OnDialogState(120.0, "pbx", "101", "early");
  log.OnDialogState(121.0, "pbx", "101", "terminated");
  // A change 1.5 s before the end whose NOTIFY is still on its way.
  log.OnDialogState(198.5, "pbx", "103", "early");
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(Watch(r, "phone2", "103")["pending_at_end"] == 1);
}

BOOST_AUTO_TEST_CASE(lamps_for_extensions_the_pbx_never_reported_are_not_judged) {
  ObservationLog log = CleanOffice();
  log.OnBlfNotify(50.0, "phone1", "105", "confirmed");
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(Watch(r, "phone1", "105")["judged"] == false);
  BOOST_TEST(r.evidence["summary"]["not_judged"] == 1);
}

BOOST_AUTO_TEST_CASE(stale_lamp_inside_a_reboot_outage_is_excused) {
  ObservationLog log = OfficeWithPhone4();
  log.OnReboot(100.0);
  log.OnDialogState(110.0, "pbx", "102", "confirmed");  // NOTIFY lost in the outage
  log.OnDialogState(140.0, "pbx", "102", "terminated");
  // phone4 missed the 10-75 s call too, so give it those updates in time.
  log.OnBlfNotify(10.1, "phone4", "102", "early");
  log.OnBlfNotify(15.1, "phone4", "102", "confirmed");
  log.OnBlfNotify(75.1, "phone4", "102", "terminated");
  SymptomResult r = Detect(log);
  BOOST_TEST(!r.present);
  BOOST_TEST(Watch(r, "phone4", "102")["reboot_excused"] == 1);
}

BOOST_AUTO_TEST_SUITE_END()
