#include "office-log-builder.h"
#include "probes/recovery-analysis.h"
#include "probes/symptom-detectors.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::probes;
using namespace alglab::probes::testing;

namespace {

/// Everyone rings for an inbound call at 10 s; the router reboots at 100 s; phone1's REGISTER
/// times out at 110 s and succeeds at 140 s; an inbound call at 150 s rings every handset but
/// phone3 and is answered by phone2.
ObservationLog RebootedOffice() {
  ObservationLog log = EmptyOffice();
  RegisterEveryone(log, 1.0);
  InboundCallSpec before;
  before.callId = "in0";
  before.t = 10.0;
  before.talkSeconds = 20.0;
  AddInboundCall(log, before);
  log.OnReboot(100.0);
  log.OnRegistrationOutcome(110.0, "phone1", "pbx", false, 408);
  log.OnRegistrationOutcome(140.0, "phone1", "pbx", true, 200);
  InboundCallSpec after;
  after.callId = "in1";
  after.t = 150.0;
  after.silent = {"103"};
  after.talkSeconds = 30.0;
  AddInboundCall(log, after);
  log.MarkEnd(300.0);
  return log;
}

const HandsetRecovery& Of(const std::vector<HandsetRecovery>& all, const std::string& device) {
  for (const HandsetRecovery& h : all) {
    if (h.device == device) return h;
  }
  BOOST_FAIL("no recovery for " + device);
  return all.front();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(recovery_analysis)

BOOST_AUTO_TEST_CASE(each_handset_recovers_when_its_last_function_works_again) {
  const ObservationLog log = RebootedOffice();
  const RebootWindows reboots(log, {});
  const std::vector<HandsetRecovery> all = AnalyzeRecovery(log, {}, reboots);
  BOOST_REQUIRE(all.size() == 3u);
  const HandsetRecovery& p1 = Of(all, "phone1");
  BOOST_REQUIRE(p1.registered.at.has_value());
  BOOST_TEST(*p1.registered.at == 140.0);  // the 408 at 110 s was not working again
  BOOST_REQUIRE(p1.rang.at.has_value());
  BOOST_TEST(*p1.rang.at > 150.0);
  BOOST_TEST(*p1.rang.at < 150.1);
  BOOST_TEST(!p1.audio.chance);  // no call of its own after the reboot
  BOOST_TEST(p1.recovered);
  BOOST_TEST(*p1.recoveredAt == *p1.rang.at);
  const HandsetRecovery& p2 = Of(all, "phone2");
  BOOST_TEST(!p2.registered.chance);  // nothing registered after the reboot: not observed
  BOOST_REQUIRE(p2.audio.at.has_value());
  BOOST_TEST(*p2.audio.at > 155.0);
  BOOST_TEST(*p2.recoveredAt == *p2.audio.at);
  // phone3 was offered the call and never rang: not recovered, one inbound call lost.
  const HandsetRecovery& p3 = Of(all, "phone3");
  BOOST_TEST(p3.rang.chance);
  BOOST_TEST(!p3.rang.at.has_value());
  BOOST_TEST(!p3.recovered);
  BOOST_TEST(p3.inboundCallsLost == 1u);
  BOOST_TEST(p1.inboundCallsLost == 0u);
}

BOOST_AUTO_TEST_CASE(fails_after_reboot_reports_the_recovery_measured) {
  const SymptomResult r = DetectFailsAfterReboot(RebootedOffice(), {});
  const nlohmann::json& recovery = r.evidence["recovery"];
  BOOST_REQUIRE(recovery["reboots"].size() == 1u);
  BOOST_TEST(recovery["reboots"][0]["not_recovered"] == nlohmann::json({"phone3"}));
  BOOST_TEST(recovery["reboots"][0]["slowest_recovery"].get<double>() > 55.0);
  BOOST_REQUIRE(recovery["handsets"].size() == 3u);
  for (const nlohmann::json& h : recovery["handsets"]) {
    if (h["device"] == "phone1") {
      BOOST_TEST(h["registered_after"] == 40.0);
      BOOST_TEST(h["audio_after"] == "not_observed");
    }
    if (h["device"] == "phone3") {
      BOOST_TEST(h["rang_after"] == "not_recovered");
      BOOST_TEST(h["recovered_after"].is_null());
      BOOST_TEST(h["inbound_calls_lost"] == 1);
    }
  }
  // No reboot, nothing to measure.
  BOOST_TEST(!DetectFailsAfterReboot(CleanOffice(), {}).evidence.contains("recovery"));
}

BOOST_AUTO_TEST_SUITE_END()
