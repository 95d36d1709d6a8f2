// SIP over TCP (RFC 3261 section 18): handsets set to TCP register and call over one connection
// each, which the PBX reuses toward them; a dropped connection makes the handset register again
// on a new one; CRLF pings are answered with pongs.

#include "tests/endpoints/endpoint-test-fixture.h"

#include <ns3/simulator.h>
#include <ns3/string.h>

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::test;

BOOST_AUTO_TEST_SUITE(tcp_transport)

namespace {

void UseTcp(Office& office, std::size_t phones) {
  for (std::size_t i = 0; i < phones; ++i) {
    office.Phone(i)->SetAttribute("Transport", ns3::StringValue("tcp"));
  }
}

const SipTransport& TransportOf(const ns3::Ptr<SipEndpoint>& endpoint) {
  BOOST_REQUIRE(endpoint->GetStack() != nullptr);
  return const_cast<SipEndpoint&>(*endpoint).GetStack()->Transport();
}

}  // namespace

BOOST_AUTO_TEST_CASE(handsets_register_and_call_over_one_connection_each) {
  Office office(2, false);
  UseTcp(office, 2);
  CallAt(office.Phone(0), 2, "102", 5);
  office.Run(12);
  auto& rec = office.Recorder();
  for (const std::string dev : {"phone101", "phone102"}) {
    const auto outcomes = rec.Events("RegistrationOutcome", dev);
    BOOST_REQUIRE_EQUAL(outcomes.size(), 1u);
    BOOST_CHECK(outcomes[0].ok);
  }
  OnlyEvent(rec, "CallEstablished", "phone101");
  OnlyEvent(rec, "CallEstablished", "phone102");
  BOOST_CHECK_EQUAL(OnlyEvent(rec, "CallEnded", "phone101").b, "bye");
  BOOST_CHECK_GT(rec.Received("phone102").count, 200u);

  // Each handset opened exactly one connection, and everything went over it: the PBX's INVITE
  // to 102 too (it reused the connection 102 registered on; it never connected to 5060).
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& c = TransportOf(office.Phone(i)).GetCounters();
    BOOST_TEST_CONTEXT("phone " << i) {
      BOOST_CHECK_EQUAL(c.connectionsOpened, 1u);
      BOOST_CHECK_EQUAL(c.connectionsAccepted, 0u);
      BOOST_CHECK_EQUAL(c.sentTcp, c.sent);
      BOOST_CHECK_GT(c.received, 3u);
      BOOST_CHECK_EQUAL(c.malformed, 0u);
    }
  }
  const auto& pbx = TransportOf(office.Pbx()).GetCounters();
  BOOST_CHECK_EQUAL(pbx.connectionsAccepted, 2u);
  BOOST_CHECK_EQUAL(pbx.connectionsOpened, 0u);
  BOOST_CHECK_EQUAL(pbx.connectionsLost, 0u);
  // The binding is the connection's source: the handset's address and its ephemeral port.
  const auto bindings = office.Pbx()->Bindings("102");
  BOOST_REQUIRE_EQUAL(bindings.size(), 1u);
  BOOST_REQUIRE(bindings[0].target.has_value());
  BOOST_CHECK(bindings[0].target->ip == office.PhoneAddress(1));
  BOOST_CHECK_NE(bindings[0].target->port, 5060);
}

BOOST_AUTO_TEST_CASE(a_handset_registers_again_when_its_connection_drops) {
  Office office(1, false);
  UseTcp(office, 1);
  // At 10 s the PBX drops the handset's connection (a server restart, a NAT losing it).
  ns3::Simulator::Schedule(ns3::Seconds(10), [&office] {
    SipTransport& pbx = office.Pbx()->GetStack()->Transport();
    BOOST_REQUIRE_EQUAL(pbx.ConnectionCount(), 1u);
    const auto bindings = office.Pbx()->Bindings("101");
    BOOST_REQUIRE(!bindings.empty() && bindings[0].target);
    pbx.FailConnection(*bindings[0].target);
  });
  office.Run(15);
  const auto outcomes = office.Recorder().Events("RegistrationOutcome", "phone101");
  // The new connection has a new source port, which the 200's Via shows: the handset's NAT
  // rebind registers once more right away (as pjsip does), so two REGISTERs, both accepted.
  BOOST_REQUIRE_EQUAL(outcomes.size(), 3u);
  BOOST_CHECK(outcomes[1].ok && outcomes[2].ok);
  BOOST_CHECK_LT(outcomes[2].time, 10.5);
  // At once (one round trip after the FIN), not at the refresh time an hour later.
  BOOST_CHECK_GT(outcomes[1].time, 10.0);
  BOOST_CHECK_LT(outcomes[1].time, 10.5);
  const auto& phone = TransportOf(office.Phone(0)).GetCounters();
  BOOST_CHECK_EQUAL(phone.connectionsOpened, 2u);
  BOOST_CHECK_EQUAL(phone.connectionsLost, 1u);
  BOOST_CHECK(office.Phone(0)->IsRegistered());
}

BOOST_AUTO_TEST_CASE(crlf_pings_over_tcp_get_pongs_and_keep_the_connection) {
  Office office(1, false);
  UseTcp(office, 1);
  office.Phone(0)->SetAttribute("KeepaliveKind", ns3::StringValue("crlf"));
  office.Phone(0)->SetAttribute("KeepaliveInterval", ns3::TimeValue(ns3::Seconds(5)));
  office.Run(40);
  const auto& phone = TransportOf(office.Phone(0)).GetCounters();
  const auto& pbx = TransportOf(office.Pbx()).GetCounters();
  BOOST_CHECK_GE(phone.keepalivesSent, 6u);
  // Every ping arrived and was answered; the answers kept the connection (no pong timeout).
  BOOST_CHECK_EQUAL(pbx.keepalivesReceived, phone.keepalivesSent);
  BOOST_CHECK_EQUAL(phone.keepalivesReceived, phone.keepalivesSent);
  BOOST_CHECK_EQUAL(phone.connectionsLost, 0u);
  BOOST_CHECK_EQUAL(phone.connectionsOpened, 1u);
}

BOOST_AUTO_TEST_SUITE_END()
