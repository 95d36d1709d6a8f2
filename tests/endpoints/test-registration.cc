// Registration: digest auth against the PBX registrar, failure and retry, refresh timing.

#include "tests/endpoints/endpoint-test-fixture.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::test;

BOOST_AUTO_TEST_SUITE(registration)

BOOST_AUTO_TEST_CASE(digest_registration_succeeds_with_right_password) {
  Office office(1, false);
  office.Run(5);
  auto& rec = office.Recorder();
  const auto outcomes = rec.Events("RegistrationOutcome", "phone101");
  BOOST_REQUIRE_EQUAL(outcomes.size(), 1u);
  BOOST_CHECK(outcomes[0].ok);
  BOOST_CHECK_EQUAL(outcomes[0].status, 200);
  BOOST_CHECK_EQUAL(outcomes[0].a, "pbx");
  BOOST_CHECK_LT(outcomes[0].time, 0.2);
  BOOST_CHECK(office.Phone(0)->IsRegistered());
  // One challenge, then success: the phone answered the 401 with correct credentials.
  const auto* registrar = office.Pbx()->GetRegistrar();
  BOOST_CHECK_EQUAL(registrar->GetCounters().challenges, 1u);
  BOOST_CHECK_EQUAL(registrar->GetCounters().registrations, 1u);
  const auto bindings = office.Pbx()->Bindings("101");
  BOOST_REQUIRE_EQUAL(bindings.size(), 1u);
  BOOST_CHECK(bindings[0].target.has_value());
  BOOST_CHECK(*bindings[0].target == (TransportAddress{office.PhoneAddress(0), 5060}));
  BOOST_CHECK(!bindings[0].behindNat);
  // Without a NAT the public address the phone learned is its own.
  const auto pub = office.Phone(0)->PublicAddress();
  BOOST_REQUIRE(pub.has_value());
  BOOST_CHECK(*pub == (TransportAddress{office.PhoneAddress(0), 5060}));
}

BOOST_AUTO_TEST_CASE(wrong_password_fails_and_retries_after_backoff) {
  Office office(1, false);
  office.Phone(0)->SetAttribute("Password", ns3::StringValue("wrong"));
  office.Phone(0)->SetAttribute("RegisterRetryInterval", ns3::TimeValue(ns3::Seconds(30)));
  office.Run(40);
  const auto outcomes = office.Recorder().Events("RegistrationOutcome", "phone101");
  BOOST_REQUIRE_EQUAL(outcomes.size(), 2u);
  for (const auto& o : outcomes) {
    BOOST_CHECK(!o.ok);
    BOOST_CHECK(o.status == 403 || o.status == 401);
  }
  BOOST_CHECK_CLOSE(outcomes[1].time - outcomes[0].time, 30.0, 1.0);
  BOOST_CHECK(!office.Phone(0)->IsRegistered());
  BOOST_CHECK(office.Pbx()->Bindings("101").empty());
  BOOST_CHECK_EQUAL(office.Pbx()->GetRegistrar()->GetCounters().rejected, 2u);
}

BOOST_AUTO_TEST_CASE(refresh_happens_before_expiry) {
  Office office(1, false);
  office.Phone(0)->SetAttribute("RegisterExpiry", ns3::UintegerValue(60));
  office.Run(130);
  const auto outcomes = office.Recorder().Events("RegistrationOutcome", "phone101");
  // 0.1 s, then every 48 s (80 % of 60): 48.1, 96.1
  BOOST_REQUIRE_EQUAL(outcomes.size(), 3u);
  for (std::size_t i = 1; i < outcomes.size(); ++i) {
    BOOST_CHECK(outcomes[i].ok);
    const double gap = outcomes[i].time - outcomes[i - 1].time;
    BOOST_CHECK_LT(gap, 60.0);  // before the previous binding expired
    BOOST_CHECK_GT(gap, 30.0);  // but not absurdly early
  }
  BOOST_CHECK(office.Phone(0)->IsRegistered());
  BOOST_CHECK_EQUAL(office.Phone(0)->GetRegistrationClient()->GrantedExpiry(), 60u);
  // Refreshes reuse the cached challenge (nc=2, 3): no new 401 per refresh.
  BOOST_CHECK_EQUAL(office.Pbx()->GetRegistrar()->GetCounters().challenges, 1u);
  BOOST_CHECK_EQUAL(office.Pbx()->Bindings("101").size(), 1u);
}

BOOST_AUTO_TEST_CASE(registrar_timeout_reports_408_after_timer_f) {
  Office office(1, false);
  // Point the phone at an address where nothing answers.
  office.Phone(0)->SetAttribute("RegistrarAddress", ns3::Ipv4AddressValue("10.1.0.250"));
  office.Run(40);
  const auto outcomes = office.Recorder().Events("RegistrationOutcome", "phone101");
  BOOST_REQUIRE_GE(outcomes.size(), 1u);
  BOOST_CHECK(!outcomes[0].ok);
  BOOST_CHECK_EQUAL(outcomes[0].status, 408);
  BOOST_CHECK_CLOSE(outcomes[0].time, 0.1 + 32.0, 0.5);
  // Timer E: 0.5, 1, 2, 4, 4, ... (capped at T2) until Timer F: 10 retransmissions in 32 s.
  BOOST_CHECK_EQUAL(office.Phone(0)->GetStack()->Transactions().GetCounters().retransmissions, 10u);
}

BOOST_AUTO_TEST_CASE(rebooted_phone_registers_again_with_fresh_identifiers) {
  Office office(2, false);
  office.Phone(0)->SetAttribute("KeepaliveInterval", ns3::TimeValue(ns3::Seconds(10)));
  auto phone = office.Phone(0);
  CallAt(phone, 5, "102", 60);
  ns3::Simulator::Schedule(ns3::Seconds(15), [phone] { phone->Reboot(ns3::Seconds(20)); });
  office.Run(60);
  auto& rec = office.Recorder();
  const auto outcomes = rec.Events("RegistrationOutcome", "phone101");
  BOOST_REQUIRE_EQUAL(outcomes.size(), 2u);
  BOOST_CHECK_CLOSE(outcomes[1].time, 35.0, 1.0);
  BOOST_CHECK(phone->IsRegistered());
  // The call died with the power: no BYE from the phone (the callee still thinks it is up).
  BOOST_CHECK_EQUAL(rec.Count("CallEnded", "phone101"), 0u);
  BOOST_CHECK(!phone->InCall());
  // Keepalives restarted after the new registration (45 s, 55 s).
  BOOST_CHECK_EQUAL(phone->GetKeepalive()->GetCounters().sent, 2u);
  // Identifiers continue: registration #1, call #2, first keepalive #3, new registration #4.
  BOOST_CHECK_EQUAL(phone->GetRegistrationClient()->CallId(), phone->PredictCallId(4));
}

BOOST_AUTO_TEST_SUITE_END()
