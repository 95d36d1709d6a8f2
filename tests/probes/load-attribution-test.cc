#include "office-log-builder.h"
#include "probes/load-attribution.h"
#include "probes/symptom-detectors.h"
#include "probes/symptom-report.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace alglab::probes;
using namespace alglab::probes::testing;

namespace {

/// The clean office, except that phone1 heard nothing of the provider's audio on a direct call.
ObservationLog OfficeWithOneWayCall() {
  ObservationLog log = CleanOffice();
  log.OnCallAttempt(98.0, "phone1", "c9", "sip:5552000@provider");
  log.OnCallEstablished(100.0, "phone1", "c9", "provider");
  log.OnCallEstablished(100.0, "provider", "c9", "phone1");
  AddMedia(log, "phone1", "provider", "c9", 100.0, 150.0);
  AddMedia(log, "provider", "phone1", "c9", 100.0, 150.0, {{0.0, 1e9}});
  log.OnCallEnded(150.0, "phone1", "c9", "bye");
  log.OnCallEnded(150.0, "provider", "c9", "bye");
  return log;
}

const SymptomResult& Find(const std::vector<SymptomResult>& all, const std::string& name) {
  for (const SymptomResult& s : all) {
    if (s.name == name) {
      return s;
    }
  }
  BOOST_FAIL("no symptom " + name);
  return all.front();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(load_attribution)

BOOST_AUTO_TEST_CASE(queue_drops_fold_per_queue_in_name_order) {
  ObservationLog log = EmptyOffice();
  log.OnQueueDrop(12.5, "switch-to-router");
  log.OnQueueDrop(10.0, "router-wan");
  log.OnQueueDrop(11.0, "router-wan");
  BOOST_REQUIRE(log.QueueDrops().size() == 2u);
  const QueueDropStats& wan = log.QueueDrops().begin()->second;
  BOOST_TEST(log.QueueDrops().begin()->first == "router-wan");
  BOOST_TEST(wan.dropped == 2u);
  BOOST_TEST(wan.first == 10.0);
  BOOST_TEST(wan.last == 11.0);
  BOOST_TEST(log.EndTime() == 12.5);
  const nlohmann::json j = QueueDropsJson(log);
  BOOST_TEST(j["switch-to-router"]["dropped"] == 1);
  BOOST_TEST(ComputeMetrics(log).queueDrops == 3u);
}

BOOST_AUTO_TEST_CASE(a_symptom_during_queue_drops_is_load) {
  ObservationLog log = OfficeWithOneWayCall();
  for (int i = 0; i < 40; ++i) {
    log.OnQueueDrop(100.0 + i, "router-wan");
  }
  const auto all = DetectAllSymptoms(log);
  const SymptomResult& oneWay = Find(all, kOneWayAudio);
  BOOST_REQUIRE(oneWay.present);
  BOOST_TEST(oneWay.evidence["cause"] == kCauseLoad);
  BOOST_TEST(oneWay.evidence["load"]["dropped_total"] == 40);
  BOOST_TEST(oneWay.evidence["load"]["queue_drops"]["router-wan"]["first"] == 100.0);
  BOOST_TEST(oneWay.evidence["load"]["queue_drops"]["router-wan"]["last"] == 139.0);
  // Absent symptoms carry no cause at all.
  BOOST_TEST(!Find(all, kRegistrationFailure).present);
  BOOST_TEST(!Find(all, kRegistrationFailure).evidence.contains("cause"));
}

BOOST_AUTO_TEST_CASE(the_same_symptom_without_queue_drops_is_not_load) {
  const auto all = DetectAllSymptoms(OfficeWithOneWayCall());
  const SymptomResult& oneWay = Find(all, kOneWayAudio);
  BOOST_REQUIRE(oneWay.present);
  BOOST_TEST(oneWay.evidence["cause"] == kCauseNotLoad);
  BOOST_TEST(!oneWay.evidence.contains("load"));
}

BOOST_AUTO_TEST_SUITE_END()
