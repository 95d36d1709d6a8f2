// The PBX's trunk to the provider: registration, inbound DID calls to a ring group, outbound
// calls to external numbers, media end to end.

#include "tests/endpoints/endpoint-test-fixture.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::test;

BOOST_AUTO_TEST_SUITE(trunk)

BOOST_AUTO_TEST_CASE(pbx_trunk_registers_with_digest) {
  Office office(1, true);
  office.EnableTrunk({"4930555000"});
  office.Run(3);
  const auto outcomes = office.Recorder().Events("RegistrationOutcome", "pbx");
  BOOST_REQUIRE_EQUAL(outcomes.size(), 1u);
  BOOST_CHECK(outcomes[0].ok);
  BOOST_CHECK_EQUAL(outcomes[0].a, "provider");
  BOOST_CHECK(office.Pbx()->IsTrunkRegistered());
  BOOST_CHECK(office.Provider()->IsRegistered("trunk1"));
  const auto bindings = office.Provider()->Bindings("trunk1");
  BOOST_REQUIRE_EQUAL(bindings.size(), 1u);
  BOOST_CHECK(*bindings[0].target == (TransportAddress{office.PbxAddress(), 5060}));
}

BOOST_AUTO_TEST_CASE(inbound_did_call_rings_group_and_carries_rtp_both_ways) {
  Office office(3, true);
  office.EnableTrunk({"4930555000"});
  office.Pbx()->AddRingGroup("4930555000", {"101", "102", "103"});
  office.Phone(2)->SetAttribute("AnswerAfter", ns3::TimeValue(ns3::Seconds(1)));
  InboundCallAt(office.Provider(), 2, "4930555000", 8);
  office.Run(16);
  auto& rec = office.Recorder();

  const auto placed = rec.Events("InboundCallPlaced", "provider");
  BOOST_REQUIRE_EQUAL(placed.size(), 1u);
  BOOST_CHECK_EQUAL(placed[0].b, "4930555000");
  const auto inbound = rec.Events("InboundCall", "pbx");
  BOOST_REQUIRE_EQUAL(inbound.size(), 1u);
  BOOST_CHECK_EQUAL(inbound[0].a, placed[0].a);  // same Call-ID across the (NAT-free) trunk
  BOOST_CHECK_EQUAL(inbound[0].b, "4930555000");
  BOOST_CHECK_EQUAL(rec.Count("CallForked", "pbx"), 3u);
  for (const std::string dev : {"phone101", "phone102", "phone103"}) {
    BOOST_TEST_CONTEXT(dev) { BOOST_CHECK_EQUAL(rec.Count("IncomingCall", dev), 1u); }
  }
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "phone103"), 1u);
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "provider"), 1u);

  // Provider -> PBX -> phone and back.
  const auto phoneRx = rec.Received("phone103");
  const auto providerRx = rec.Received("provider");
  BOOST_CHECK_GT(phoneRx.count, 350u);
  BOOST_CHECK_GT(providerRx.count, 350u);
  BOOST_CHECK_EQUAL(phoneRx.gaps, 0u);
  BOOST_CHECK_EQUAL(providerRx.gaps, 0u);
  const auto ended = rec.Events("CallEnded", "provider");
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_CHECK_EQUAL(ended[0].b, "bye");
  BOOST_CHECK_EQUAL(rec.Events("CallEnded", "phone103").at(0).b, "bye");
  BOOST_CHECK_EQUAL(office.Pbx()->ActiveCallCount(), 0u);
  BOOST_CHECK_EQUAL(office.Provider()->ActiveCallCount(), 0u);
}

BOOST_AUTO_TEST_CASE(outbound_call_to_external_number_reaches_provider) {
  Office office(1, true);
  office.EnableTrunk({"4930555000"});
  CallAt(office.Phone(0), 2, "0015551234", 6);
  office.Run(14);
  auto& rec = office.Recorder();
  const auto rang = rec.Events("IncomingCall", "provider");
  BOOST_REQUIRE_EQUAL(rang.size(), 1u);
  BOOST_CHECK_EQUAL(rang[0].b, "sip:trunk1@itsp.test");  // From is the trunk account
  const auto pbxAttempts = rec.Events("CallAttempt", "pbx");
  BOOST_REQUIRE_EQUAL(pbxAttempts.size(), 1u);
  BOOST_CHECK_EQUAL(pbxAttempts[0].b, "sip:0015551234@itsp.test");
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "provider"), 1u);
  BOOST_CHECK_EQUAL(rec.Count("CallEstablished", "phone101"), 1u);
  BOOST_CHECK_GT(rec.Received("provider").count, 250u);
  BOOST_CHECK_GT(rec.Received("phone101").count, 250u);
  const auto ended = rec.Events("CallEnded", "provider");
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_CHECK_EQUAL(ended[0].b, "bye");  // the phone hung up
}

BOOST_AUTO_TEST_CASE(inbound_call_without_trunk_registration_fails_at_once) {
  Office office(1, true);
  office.Provider()->AddAccount("trunk1", "trunkpw", {"4930555000"});  // PBX never registers
  InboundCallAt(office.Provider(), 1, "4930555000", 5);
  office.Run(3);
  const auto ended = office.Recorder().Events("CallEnded", "provider");
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_CHECK_EQUAL(ended[0].b, "480");
  BOOST_CHECK_EQUAL(office.Recorder().Count("InboundCallPlaced", "provider"), 1u);
}

BOOST_AUTO_TEST_SUITE_END()
