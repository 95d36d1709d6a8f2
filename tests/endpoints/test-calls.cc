// Calls through the PBX: extension to extension with media relay, ring-group forking.

#include "tests/endpoints/endpoint-test-fixture.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::test;

BOOST_AUTO_TEST_SUITE(calls)

BOOST_AUTO_TEST_CASE(internal_call_establishes_carries_rtp_and_ends_with_bye) {
  Office office(2, false);
  auto caller = office.Phone(0);
  CallAt(caller, 2, "102", 10);
  office.Run(20);
  auto& rec = office.Recorder();

  const auto attempt = OnlyEvent(rec, "CallAttempt", "phone101");
  // Deterministic identifiers: the registration took Call-ID #1, this call is #2.
  BOOST_CHECK_EQUAL(attempt.a, caller->PredictCallId(2));
  BOOST_CHECK_EQUAL(attempt.a, "phone101-2@10.1.0.1");
  BOOST_CHECK_EQUAL(attempt.b, "sip:102@office.test");
  const std::string callerCallId = attempt.a;

  const auto ring = OnlyEvent(rec, "IncomingCall", "phone102");
  BOOST_CHECK_EQUAL(ring.b, "sip:101@office.test");
  const std::string calleeCallId = ring.a;  // the PBX's B leg: a different dialog
  BOOST_CHECK_NE(calleeCallId, callerCallId);
  BOOST_CHECK_EQUAL(calleeCallId.rfind("pbx-", 0), 0u);

  const auto est101 = OnlyEvent(rec, "CallEstablished", "phone101");
  OnlyEvent(rec, "CallEstablished", "phone102");
  BOOST_CHECK_CLOSE(est101.time, 4.0, 2.0);  // AnswerAfter 2 s
  const auto end101 = OnlyEvent(rec, "CallEnded", "phone101");
  BOOST_CHECK_EQUAL(end101.b, "bye");
  BOOST_CHECK_EQUAL(OnlyEvent(rec, "CallEnded", "phone102").b, "bye");
  BOOST_CHECK_CLOSE(end101.time - est101.time, 10.0, 0.1);

  // RTP both ways, consecutive sequence numbers, ~50 packets/s for ~10 s.
  for (const std::string dev : {"phone101", "phone102"}) {
    const auto rx = rec.Received(dev);
    const auto tx = rec.Sent(dev);
    BOOST_TEST_CONTEXT(dev) {
      BOOST_CHECK_EQUAL(rx.gaps, 0u);
      BOOST_CHECK_EQUAL(tx.gaps, 0u);
      const double rate = rx.count / (rx.lastTime - rx.first);
      BOOST_CHECK_CLOSE(rate, 50.0, 2.0);
      BOOST_CHECK_GT(rx.count, 480u);
      BOOST_CHECK_LT(rx.count, 530u);
    }
  }
  // RTP events carry the Call-ID as this endpoint sees it.
  BOOST_CHECK_EQUAL(rec.ReceivedByCall().count({"phone101", callerCallId}), 1u);
  BOOST_CHECK_EQUAL(rec.ReceivedByCall().count({"phone102", calleeCallId}), 1u);
  // The PBX relayed both directions and cleaned up.
  BOOST_CHECK_GT(rec.Received("pbx").count, 960u);
  BOOST_CHECK_EQUAL(office.Pbx()->ActiveCallCount(), 0u);
  BOOST_CHECK(!caller->InCall());
  BOOST_CHECK(!office.Phone(1)->InCall());
  BOOST_CHECK_EQUAL(rec.Count("CallEnded", "pbx"), 2u);
}

BOOST_AUTO_TEST_CASE(busy_callee_gets_486) {
  Office office(3, false);
  auto a = office.Phone(0);
  auto c = office.Phone(2);
  CallAt(a, 1, "102", 20);
  CallAt(c, 5, "102", 20);
  office.Run(10);
  BOOST_CHECK_EQUAL(OnlyEvent(office.Recorder(), "CallEnded", "phone103").b, "486");
  BOOST_CHECK(a->InCall());
}

BOOST_AUTO_TEST_CASE(ring_group_forks_first_answer_wins_others_cancelled) {
  Office office(4, false);
  office.Pbx()->AddRingGroup("600", {"101", "102", "103"});
  office.Phone(1)->SetAttribute("AnswerAfter", ns3::TimeValue(ns3::Seconds(1)));
  office.Phone(0)->SetAttribute("AnswerAfter", ns3::TimeValue(ns3::Seconds(8)));
  office.Phone(2)->SetAttribute("AnswerAfter", ns3::TimeValue(ns3::Seconds(8)));
  CallAt(office.Phone(3), 2, "600", 5);
  office.Run(15);
  auto& rec = office.Recorder();

  const auto forks = rec.Events("CallForked", "pbx");
  BOOST_REQUIRE_EQUAL(forks.size(), 3u);
  const std::string inbound = forks[0].a;
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_CHECK_EQUAL(forks[i].a, inbound);
    BOOST_CHECK_EQUAL(forks[i].b, std::to_string(101 + i));
    BOOST_CHECK(!forks[i].c.empty());
  }
  for (const std::string dev : {"phone101", "phone102", "phone103"}) {
    BOOST_TEST_CONTEXT(dev) { BOOST_CHECK_EQUAL(rec.Count("IncomingCall", dev), 1u); }
  }
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "phone102"), 1u);
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "phone101"), 0u);
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "phone103"), 0u);
  for (const std::string dev : {"phone101", "phone103"}) {
    BOOST_TEST_CONTEXT(dev) {
      const auto ended = OnlyEvent(rec, "CallEnded", dev);
      BOOST_CHECK_EQUAL(ended.b, "cancel");
      BOOST_CHECK_LT(ended.time, 4.0);  // cancelled right after 102 answered
    }
  }
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "phone104"), 1u);
  BOOST_CHECK_GT(rec.Received("phone102").count, 200u);
  BOOST_CHECK_GT(rec.Received("phone104").count, 200u);
  BOOST_CHECK_EQUAL(rec.Received("phone101").count, 0u);
}

BOOST_AUTO_TEST_CASE(ring_group_member_without_registration_gets_empty_leg) {
  Office office(3, false);
  office.Pbx()->AddRingGroup("600", {"101", "102", "999"});
  office.Pbx()->AddExtension("999", "pw999");  // exists, but nothing registers it
  CallAt(office.Phone(2), 2, "600", 3);
  office.Run(12);
  const auto forks = office.Recorder().Events("CallForked", "pbx");
  BOOST_REQUIRE_EQUAL(forks.size(), 3u);
  BOOST_CHECK_EQUAL(forks[2].b, "999");
  BOOST_CHECK(forks[2].c.empty());
  BOOST_CHECK_EQUAL(office.Recorder().Count("CallEstablished", "phone103"), 1u);
}

BOOST_AUTO_TEST_CASE(unanswered_call_is_cancelled_after_timeout) {
  Office office(2, false);
  office.Phone(1)->SetAttribute("AutoAnswer", ns3::BooleanValue(false));
  office.Phone(0)->SetAttribute("NoAnswerTimeout", ns3::TimeValue(ns3::Seconds(6)));
  office.Phone(0)->SetAttribute("CallSetupJitter", ns3::TimeValue(ns3::Time(0)));  // exact timing
  CallAt(office.Phone(0), 1, "102", 3);
  office.Run(12);
  auto& rec = office.Recorder();
  BOOST_CHECK_EQUAL(rec.Count("IncomingCall", "phone102"), 1u);
  const auto e101 = OnlyEvent(rec, "CallEnded", "phone101");
  BOOST_CHECK_EQUAL(e101.b, "cancel");
  BOOST_CHECK_EQUAL(OnlyEvent(rec, "CallEnded", "phone102").b, "cancel");
  BOOST_CHECK_CLOSE(e101.time, 7.0, 1.0);
  BOOST_CHECK_EQUAL(office.Pbx()->ActiveCallCount(), 0u);
}

BOOST_AUTO_TEST_SUITE_END()
