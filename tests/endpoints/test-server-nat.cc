// Server-side NAT traversal knobs, exercised without a NAT: a phone whose LocalAddress is a
// "private" address nobody can route to behaves, as seen from the PBX, exactly like a phone
// behind a NAT (Via, Contact and SDP name an address that is not where packets come from).

#include "tests/endpoints/endpoint-test-fixture.h"

#include "sim/sip/sip-message.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::test;

namespace {
const ns3::Ipv4Address kPrivate("192.168.77.7");

void MakeNated(ns3::Ptr<SipPhone> phone) {
  phone->SetAttribute("LocalAddress", ns3::Ipv4AddressValue(kPrivate));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(server_nat)

BOOST_AUTO_TEST_CASE(fix_contact_stores_the_packet_source) {
  Office office(1, false);
  MakeNated(office.Phone(0));
  office.Run(3);
  BOOST_CHECK(office.Phone(0)->IsRegistered());
  const auto bindings = office.Pbx()->Bindings("101");
  BOOST_REQUIRE_EQUAL(bindings.size(), 1u);
  const auto& b = bindings[0];
  BOOST_CHECK_EQUAL(b.contact.host, "192.168.77.7");  // what the Contact header said
  BOOST_CHECK(b.behindNat);
  BOOST_REQUIRE(b.target.has_value());
  BOOST_CHECK(*b.target == (TransportAddress{office.PhoneAddress(0), 5060}));
  BOOST_CHECK_EQUAL(b.requestUri.host, Ipv4ToString(office.PhoneAddress(0)));
  // The phone learned where it really is from received/rport.
  BOOST_REQUIRE(office.Phone(0)->PublicAddress().has_value());
  BOOST_CHECK(*office.Phone(0)->PublicAddress() == (TransportAddress{office.PhoneAddress(0), 5060}));
}

BOOST_AUTO_TEST_CASE(without_fix_contact_the_contact_header_is_trusted) {
  Office office(2, false);
  office.Pbx()->SetAttribute("FixContact", ns3::BooleanValue(false));
  MakeNated(office.Phone(1));
  CallAt(office.Phone(0), 1, "102", 5);
  office.Run(40);
  const auto bindings = office.Pbx()->Bindings("102");
  BOOST_REQUIRE_EQUAL(bindings.size(), 1u);
  BOOST_CHECK(*bindings[0].target == (TransportAddress{kPrivate, 5060}));
  // The INVITE goes to an address that does not exist: Timer B, 408 back to the caller.
  BOOST_CHECK_EQUAL(office.Recorder().Count("IncomingCall", "phone102"), 0u);
  const auto ended = office.Recorder().Events("CallEnded", "phone101");
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_CHECK_EQUAL(ended[0].b, "408");
}

BOOST_AUTO_TEST_CASE(honour_rport_answers_to_the_source_port) {
  for (const bool honour : {true, false}) {
    BOOST_TEST_CONTEXT("HonourRport=" << honour) {
      Office office(0, false);
      office.Pbx()->SetAttribute("HonourRport", ns3::BooleanValue(honour));
      RawUdp source(office.RouterNode(), 6000);
      RawUdp sentBy(office.RouterNode(), 5999);
      const std::string me = Ipv4ToString(office.RouterAddress());
      // Sent from port 6000 but naming 5999 in Via: where the answer goes tells the knob.
      const std::string reg = RawRegister(me, 5999, "raw1");
      const auto pbxIp = office.PbxAddress();
      ns3::Simulator::Schedule(ns3::Seconds(1), [&] { source.Send(reg, pbxIp, 5060); });
      office.Run(2);
      const auto& hit = honour ? source.Received() : sentBy.Received();
      const auto& miss = honour ? sentBy.Received() : source.Received();
      BOOST_REQUIRE_EQUAL(hit.size(), 1u);
      BOOST_CHECK(miss.empty());
      auto parsed = sip::ParseMessage(hit[0]);
      BOOST_REQUIRE(parsed.Ok());
      BOOST_CHECK_EQUAL(parsed.Value().StatusCode(), 401);
      const auto via = parsed.Value().TopVia();
      BOOST_REQUIRE(via.has_value());
      BOOST_CHECK_EQUAL(via->params.Get("rport").value_or("?"), honour ? "6000" : "");
    }
  }
}

BOOST_AUTO_TEST_CASE(latching_sends_rtp_to_the_observed_source) {
  for (const bool latch : {true, false}) {
    BOOST_TEST_CONTEXT("LatchMedia=" << latch) {
      Office office(2, false);
      office.Pbx()->SetAttribute("LatchMedia", ns3::BooleanValue(latch));
      MakeNated(office.Phone(0));  // its SDP says 192.168.77.7
      auto caller = office.Phone(0);
      CallAt(caller, 1, "102", 6);
      const PbxCall* call = nullptr;
      std::optional<TransportAddress> target;
      bool latched = false;
      auto pbx = office.Pbx();
      ns3::Simulator::Schedule(ns3::Seconds(5), [&, pbx, caller] {
        call = pbx->FindCall(caller->CurrentCallId());
        if (call && call->InboundMedia()) {
          target = call->InboundMedia()->Target();
          latched = call->InboundMedia()->IsLatched();
        }
      });
      office.Run(10);
      BOOST_REQUIRE(call != nullptr);
      BOOST_CHECK_EQUAL(latched, latch);
      BOOST_REQUIRE(target.has_value());
      BOOST_CHECK_EQUAL(target->ip == office.PhoneAddress(0), latch);
      BOOST_CHECK_EQUAL(target->ip == kPrivate, !latch);
      // Phone 102 hears 101 either way; 101 hears 102 only if the PBX latched.
      BOOST_CHECK_GT(office.Recorder().Received("phone102").count, 200u);
      if (latch) {
        BOOST_CHECK_GT(office.Recorder().Received("phone101").count, 200u);
      } else {
        BOOST_CHECK_EQUAL(office.Recorder().Received("phone101").count, 0u);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(asymmetric_rtp_defeats_latching) {
  Office office(2, false);
  MakeNated(office.Phone(0));
  office.Phone(0)->SetAttribute("SymmetricRtp", ns3::BooleanValue(false));
  auto caller = office.Phone(0);
  CallAt(caller, 1, "102", 5);
  std::uint16_t sendPort = 0;
  std::uint16_t rtpPort = 0;
  ns3::Simulator::Schedule(ns3::Seconds(4), [&, caller] {
    if (auto* m = caller->GetMedia()) {
      sendPort = m->SendPort();
      rtpPort = m->LocalPort();
    }
  });
  office.Run(9);
  BOOST_CHECK_NE(sendPort, rtpPort);
  BOOST_CHECK_NE(sendPort, 0);
  // The PBX latched onto the send port, where the phone does not listen.
  BOOST_CHECK_EQUAL(office.Recorder().Received("phone101").count, 0u);
  BOOST_CHECK_GT(office.Recorder().Received("phone102").count, 150u);
}

BOOST_AUTO_TEST_CASE(nat_keepalive_options_are_sent_at_the_interval) {
  Office office(2, false);
  office.Pbx()->SetAttribute("NatKeepaliveInterval", ns3::TimeValue(ns3::Seconds(5)));
  MakeNated(office.Phone(0));  // looks NATed: gets pings; phone 102 does not
  office.Run(31);
  const auto& c = office.Pbx()->GetRegistrar()->GetCounters();
  BOOST_CHECK_EQUAL(c.keepalivesSent, 6u);  // 5, 10, ..., 30 s
  BOOST_CHECK_EQUAL(c.keepalivesAnswered, 6u);
}

BOOST_AUTO_TEST_CASE(nat_keepalive_zero_disables_pings) {
  Office office(1, false);
  office.Pbx()->SetAttribute("NatKeepaliveInterval", ns3::TimeValue(ns3::Seconds(0)));
  MakeNated(office.Phone(0));
  office.Run(31);
  BOOST_CHECK_EQUAL(office.Pbx()->GetRegistrar()->GetCounters().keepalivesSent, 0u);
}

BOOST_AUTO_TEST_CASE(phone_keepalives_follow_kind_and_interval) {
  for (const std::string kind : {"options", "crlf", "none"}) {
    BOOST_TEST_CONTEXT(kind) {
      Office office(1, false);
      office.Phone(0)->SetAttribute("KeepaliveKind", ns3::StringValue(kind));
      office.Phone(0)->SetAttribute("KeepaliveInterval", ns3::TimeValue(ns3::Seconds(10)));
      office.Run(45);
      const auto* k = office.Phone(0)->GetKeepalive();
      const auto& pbxTransport = office.Pbx()->GetStack()->Transport().GetCounters();
      if (kind == "none") {
        BOOST_CHECK_EQUAL(k->GetCounters().sent, 0u);
        BOOST_CHECK_EQUAL(pbxTransport.keepalivesReceived, 0u);
      } else {
        BOOST_CHECK_EQUAL(k->GetCounters().sent, 4u);  // 10.1, 20.1, 30.1, 40.1 s
        BOOST_CHECK_EQUAL(k->GetCounters().answered, kind == "options" ? 4u : 0u);
        BOOST_CHECK_EQUAL(pbxTransport.keepalivesReceived, kind == "crlf" ? 4u : 0u);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
