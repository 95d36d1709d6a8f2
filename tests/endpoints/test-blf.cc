// BLF: a handset watches another extension through the PBX's dialog-event notifier.

#include "tests/endpoints/endpoint-test-fixture.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace alglab;
using namespace alglab::test;

BOOST_AUTO_TEST_SUITE(blf)

BOOST_AUTO_TEST_CASE(lamp_follows_watched_extension_through_a_call) {
  Office office(3, false);
  office.Phone(0)->Watch("102");
  CallAt(office.Phone(2), 3, "102", 4);
  office.Run(12);
  auto& rec = office.Recorder();

  const auto notifies = rec.Events("BlfNotify", "phone101");
  BOOST_REQUIRE_GE(notifies.size(), 4u);
  BOOST_CHECK_EQUAL(notifies.front().b, "terminated");  // initial NOTIFY: idle
  BOOST_CHECK_LT(notifies.front().time, 1.0);
  std::vector<std::string> lamp;
  for (const auto& n : notifies) {
    BOOST_CHECK_EQUAL(n.a, "102");
    if (lamp.empty() || lamp.back() != n.b) {
      lamp.push_back(n.b);
    }
  }
  // Order of distinct lamp states as 102 rings, answers and hangs up.
  const auto find = [&](const std::string& s) {
    return std::find(lamp.begin(), lamp.end(), s) - lamp.begin();
  };
  BOOST_REQUIRE_LT(static_cast<std::size_t>(find("early")), lamp.size());
  BOOST_REQUIRE_LT(static_cast<std::size_t>(find("confirmed")), lamp.size());
  BOOST_CHECK_LT(find("early"), find("confirmed"));
  BOOST_CHECK_EQUAL(lamp.back(), "terminated");
  BOOST_CHECK_EQUAL(office.Phone(0)->LampState("102"), "terminated");

  // The PBX's own view (the truth) went the same way, and the handset agrees with it.
  const auto truth = rec.Events("DialogState", "pbx");
  std::vector<std::string> truth102;
  for (const auto& t : truth) {
    if (t.a == "102") {
      truth102.push_back(t.b);
    }
  }
  BOOST_REQUIRE_GE(truth102.size(), 3u);
  BOOST_CHECK_EQUAL(truth102.back(), "terminated");
  BOOST_CHECK(std::find(truth102.begin(), truth102.end(), "early") != truth102.end());
  BOOST_CHECK(std::find(truth102.begin(), truth102.end(), "confirmed") != truth102.end());
  BOOST_CHECK_EQUAL(office.Pbx()->ExtensionState("102"), "terminated");
  BOOST_CHECK_EQUAL(office.Pbx()->GetNotifier()->SubscriptionCount(), 1u);
}

BOOST_AUTO_TEST_CASE(subscription_is_refreshed_and_survives) {
  Office office(2, false);
  office.Phone(0)->SetAttribute("SubscribeExpiry", ns3::UintegerValue(60));
  office.Phone(0)->Watch("102");
  office.Run(130);
  // Initial NOTIFY plus one per refresh (at 48 s and 96 s): the subscription never lapsed.
  const auto notifies = office.Recorder().Events("BlfNotify", "phone101");
  BOOST_CHECK_EQUAL(notifies.size(), 3u);
  BOOST_CHECK_EQUAL(office.Pbx()->GetNotifier()->GetCounters().subscribes, 3u);
  BOOST_CHECK_EQUAL(office.Pbx()->GetNotifier()->SubscriptionCount(), 1u);
}

BOOST_AUTO_TEST_SUITE_END()
