// Deterministic identifiers, RFC 3261/3581 response routing, malformed-input robustness and
// server transaction retransmission handling.

#include "tests/endpoints/endpoint-test-fixture.h"

#include "sim/endpoints/sip-id-generator.h"
#include "sim/endpoints/sip-message-helpers.h"
#include "sim/endpoints/sip-transport.h"
#include "sim/endpoints/transport-address.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::test;

namespace {
sip::Via ParseVia(const std::string& text) {
  auto v = sip::Via::Parse(text);
  BOOST_REQUIRE_MESSAGE(v.Ok(), text);
  return v.Value();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ids_and_transport)

BOOST_AUTO_TEST_CASE(identifiers_derive_from_the_name) {
  SipIdGenerator a("phone 101");
  SipIdGenerator b("phone 101");
  BOOST_CHECK_EQUAL(a.Token(), "phone_101");
  BOOST_CHECK_EQUAL(a.NewCallId("10.0.0.1"), "phone_101-1@10.0.0.1");
  BOOST_CHECK_EQUAL(a.NewCallId("10.0.0.1"), "phone_101-2@10.0.0.1");
  BOOST_CHECK_EQUAL(a.CallIdAt(7, "h"), "phone_101-7@h");
  const auto branch = a.NewBranch();
  BOOST_CHECK_EQUAL(branch.rfind("z9hG4bK", 0), 0u);
  BOOST_CHECK_EQUAL(branch, b.NewBranch());
  const auto t1 = a.NewTag();
  BOOST_CHECK_NE(t1, a.NewTag());
  BOOST_CHECK_EQUAL(t1, b.NewTag());
  BOOST_CHECK_EQUAL(a.NewMediaSeed(), b.NewMediaSeed());
  BOOST_CHECK_NE(SipIdGenerator("x").NewMediaSeed(), SipIdGenerator("y").NewMediaSeed());
  BOOST_CHECK_EQUAL(a.NewNonce().size(), 16u);
}

BOOST_AUTO_TEST_CASE(ipv4_parsing_is_strict) {
  BOOST_CHECK(ParseIpv4("10.0.0.1").has_value());
  BOOST_CHECK(ParseIpv4("255.255.255.255").has_value());
  for (const char* bad : {"", "10.0.0", "10.0.0.1.", "256.1.1.1", "a.b.c.d", "pbx.example",
                          "10.0.0.1:5060", "1..2.3", "1234.1.1.1"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_CHECK(!ParseIpv4(bad).has_value()); }
  }
  BOOST_CHECK(!MakeTransportAddress("host.test", 5060).has_value());
  BOOST_CHECK((*MakeTransportAddress("10.0.0.1", std::nullopt) ==
               TransportAddress{ns3::Ipv4Address("10.0.0.1"), 5060}));
}

BOOST_AUTO_TEST_CASE(response_destination_follows_rfc3261_and_rfc3581) {
  const auto dest = [](const std::string& via) {
    return SipTransport::ResponseDestination(ParseVia(via));
  };
  // received + rport value: back to the NAT binding.
  auto d = dest("SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1;received=198.51.100.7;rport=40000");
  BOOST_REQUIRE(d);
  BOOST_CHECK_EQUAL(d->ToString(), "198.51.100.7:40000");
  // received without rport value (server ignores rport): received address, sent-by port.
  d = dest("SIP/2.0/UDP 192.168.1.10:5062;branch=z9hG4bK1;received=198.51.100.7;rport");
  BOOST_REQUIRE(d);
  BOOST_CHECK_EQUAL(d->ToString(), "198.51.100.7:5062");
  // neither: the sent-by, default port 5060.
  d = dest("SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1");
  BOOST_REQUIRE(d);
  BOOST_CHECK_EQUAL(d->ToString(), "10.0.0.1:5060");
  BOOST_CHECK(!dest("SIP/2.0/UDP phone.example:5060;branch=z9hG4bK1").has_value());
}

BOOST_AUTO_TEST_CASE(received_and_rport_stamping) {
  const TransportAddress source{ns3::Ipv4Address("198.51.100.7"), 40000};
  const auto stamp = [&](const std::string& via, bool honour) {
    auto m = sip::SipMessage::Request("OPTIONS", MakeSipUri("x", "y"));
    m.Add("Via", via);
    SipTransport::StampReceived(m, source, honour);
    return *m.TopVia();
  };
  auto v = stamp("SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1;rport", true);
  BOOST_CHECK_EQUAL(v.params.Get("received").value_or(""), "198.51.100.7");
  BOOST_CHECK_EQUAL(v.params.Get("rport").value_or(""), "40000");
  v = stamp("SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1;rport", false);
  BOOST_CHECK_EQUAL(v.params.Get("received").value_or(""), "198.51.100.7");
  BOOST_CHECK_EQUAL(v.params.Get("rport").value_or("?"), "");
  // Same host, no rport: nothing to add (RFC 3261 section 18.2.1).
  v = stamp("SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK1", true);
  BOOST_CHECK(!v.params.Has("received"));
}

BOOST_AUTO_TEST_CASE(malformed_datagrams_are_counted_and_ignored) {
  Office office(1, false);
  RawUdp raw(office.RouterNode(), 7000);
  const auto pbxIp = office.PbxAddress();
  const std::vector<std::string> junk = {
      "hello world",
      "INVITE sip:102@office.test SIP/2.0\r\n\r\n",               // no mandatory headers
      "SIP/2.0 999999 Huh\r\nVia: x\r\n\r\n",                      // bad status line
      std::string("\x80\x00\x01\x02\xff\xfe", 6),                  // RTP-ish binary
      "REGISTER sip:office.test SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKx\r\n"
      "Content-Length: 999\r\n\r\nshort",                           // truncated body
      "\r\n\r\n",                                                   // keepalive, not junk
  };
  for (std::size_t i = 0; i < junk.size(); ++i) {
    ns3::Simulator::Schedule(ns3::MilliSeconds(500 + 10 * i),
                             [&raw, pbxIp, msg = junk[i]] { raw.Send(msg, pbxIp, 5060); });
  }
  office.Run(3);
  const auto& c = office.Pbx()->GetStack()->Transport().GetCounters();
  BOOST_CHECK_EQUAL(c.malformed, 5u);
  BOOST_CHECK_EQUAL(c.keepalivesReceived, 1u);
  BOOST_CHECK(raw.Received().empty());  // nothing answered garbage
  BOOST_CHECK(office.Phone(0)->IsRegistered());  // and the PBX kept working
}

BOOST_AUTO_TEST_CASE(retransmitted_request_gets_the_same_response_once_processed) {
  Office office(0, false);
  RawUdp raw(office.RouterNode(), 6000);
  const std::string me = Ipv4ToString(office.RouterAddress());
  const std::string reg = RawRegister(me, 6000, "retx");
  const auto pbxIp = office.PbxAddress();
  ns3::Simulator::Schedule(ns3::Seconds(1), [&] { raw.Send(reg, pbxIp, 5060); });
  ns3::Simulator::Schedule(ns3::Seconds(1.5), [&] { raw.Send(reg, pbxIp, 5060); });
  office.Run(3);
  BOOST_REQUIRE_EQUAL(raw.Received().size(), 2u);
  BOOST_CHECK_EQUAL(raw.Received()[0], raw.Received()[1]);  // same nonce: resent, not redone
  BOOST_CHECK_EQUAL(office.Pbx()->GetRegistrar()->GetCounters().challenges, 1u);
  BOOST_CHECK_EQUAL(office.Pbx()->GetStack()->Transactions().GetCounters().absorbed, 1u);
}

BOOST_AUTO_TEST_SUITE_END()
