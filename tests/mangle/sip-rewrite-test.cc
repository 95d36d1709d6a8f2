// Which SIP header bytes the model rewrites, and which it leaves alone, in both directions.

#include "tests/mangle/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::linuxnf;
using test::Msg;

namespace {

std::string Inbound(linuxnf::NetfilterSipEngine& engine, std::string msg) {
  const Verdict v = test::Run(engine, msg, CtDirection::Reply);
  return v.accept ? msg : "<dropped>";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sip_rewrite)

BOOST_AUTO_TEST_CASE(outbound_request_maps_every_header_naming_the_phone) {
  const std::string in = Msg({"OPTIONS sip:100@10.0.0.2:5060 SIP/2.0",
                              "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1",
                              "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK0",
                              "From: <sip:100@10.0.0.2:5060>;tag=1", "To: <sip:200@10.0.0.2>",
                              "Call-ID: abc@10.0.0.2:5060", "Record-Route: <sip:10.0.0.2:5060;lr>",
                              "Route: <sip:10.0.0.2:5060;lr>", "Contact: <sip:100@10.0.0.2:5060>",
                              "P-Asserted-Identity: <sip:100@10.0.0.2:5060>", "Content-Length: 0", ""});
  const std::string want = Msg({"OPTIONS sip:100@203.0.113.1:5060 SIP/2.0",
                                "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK1",
                                "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK0",
                                "From: <sip:100@203.0.113.1:5060>;tag=1",
                                "To: <sip:200@203.0.113.1:5060>", "Call-ID: abc@10.0.0.2:5060",
                                "Record-Route: <sip:10.0.0.2:5060;lr>",
                                "Route: <sip:10.0.0.2:5060;lr>", "Contact: <sip:100@203.0.113.1:5060>",
                                "P-Asserted-Identity: <sip:100@10.0.0.2:5060>", "Content-Length: 0",
                                ""});
  BOOST_TEST(test::Outbound(in) == want);
}

BOOST_AUTO_TEST_CASE(only_exact_address_and_port_matches_are_rewritten) {
  const std::string in = Msg({"OPTIONS sip:200@203.0.113.2 SIP/2.0",
                              "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1",
                              "From: <sip:100@10.0.0.2:5070>;tag=1", "To: <sip:200@203.0.113.2>",
                              "Contact: <sip:100@10.0.0.2:5070>", "Content-Length: 0", ""});
  // From and Contact name the phone on another port than the connection's: they stay private
  // (the classic "non-REGISTER Contact with a mismatched port" symptom).
  const std::string want = Msg({"OPTIONS sip:200@203.0.113.2 SIP/2.0",
                                "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK1",
                                "From: <sip:100@10.0.0.2:5070>;tag=1", "To: <sip:200@203.0.113.2>",
                                "Contact: <sip:100@10.0.0.2:5070>", "Content-Length: 0", ""});
  BOOST_TEST(test::Outbound(in) == want);
}

BOOST_AUTO_TEST_CASE(all_contact_values_are_mapped_until_one_fails) {
  const std::string in = Msg({"OPTIONS sip:200@203.0.113.2 SIP/2.0",
                              "Contact: <sip:a@10.0.0.2>, <sip:b@10.0.0.2:5060>;q=0.1",
                              "m: <sip:c@10.0.0.2:80>, <sip:d@10.0.0.2>", "Content-Length: 0", ""});
  const std::string want = Msg({"OPTIONS sip:200@203.0.113.2 SIP/2.0",
                                "Contact: <sip:a@203.0.113.1:5060>, <sip:b@203.0.113.1:5060>;q=0.1",
                                "m: <sip:c@10.0.0.2:80>, <sip:d@10.0.0.2>", "Content-Length: 0",
                                ""});
  BOOST_TEST(test::Outbound(in) == want);
}

BOOST_AUTO_TEST_CASE(inbound_response_gets_via_received_and_rport_translated_back) {
  NetfilterSipEngine engine;
  const std::string in = Msg({"SIP/2.0 200 OK",
                              "Via: SIP/2.0/UDP 203.0.113.1:5060;received=203.0.113.1;rport=5060",
                              "From: <sip:100@203.0.113.1>;tag=1", "To: <sip:200@203.0.113.2>;tag=2",
                              "CSeq: 1 OPTIONS", "Contact: <sip:200@203.0.113.2:5060>",
                              "Content-Length: 0", ""});
  const std::string want = Msg({"SIP/2.0 200 OK",
                                "Via: SIP/2.0/UDP 10.0.0.2:5060;received=10.0.0.2;rport=5060",
                                "From: <sip:100@10.0.0.2:5060>;tag=1",
                                "To: <sip:200@203.0.113.2>;tag=2", "CSeq: 1 OPTIONS",
                                "Contact: <sip:200@203.0.113.2:5060>", "Content-Length: 0", ""});
  BOOST_TEST(Inbound(engine, in) == want);
}

BOOST_AUTO_TEST_CASE(rport_is_rewritten_only_when_the_ports_differ) {
  // Public port 5070 (the source port was taken): rport=5070 becomes the inside 5060.
  NetfilterSipEngine engine;
  MasterState& m = engine.Connection(
      7, ConntrackTuples::Outbound({test::Ip("10.0.0.2"), 5060}, {test::Ip("203.0.113.1"), 5070},
                                   {test::Ip("203.0.113.2"), 5060}),
      false);
  std::string msg = Msg({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 203.0.113.1:5070;rport=5070",
                         "CSeq: 1 OPTIONS", "Content-Length: 0", ""});
  BOOST_TEST(engine.Process(m, CtDirection::Reply, msg, ns3::Seconds(1)).accept);
  BOOST_TEST(msg == Msg({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 10.0.0.2:5060;rport=5060",
                         "CSeq: 1 OPTIONS", "Content-Length: 0", ""}));
}

BOOST_AUTO_TEST_CASE(maddr_naming_the_phone_is_rewritten_in_requests) {
  const std::string in = Msg({"OPTIONS sip:200@203.0.113.2 SIP/2.0",
                              "Via: SIP/2.0/UDP 10.0.0.2:5060;maddr=10.0.0.2;branch=z9hG4bK1",
                              "Content-Length: 0", ""});
  BOOST_TEST(test::Outbound(in) ==
             Msg({"OPTIONS sip:200@203.0.113.2 SIP/2.0",
                  "Via: SIP/2.0/UDP 203.0.113.1:5060;maddr=203.0.113.1;branch=z9hG4bK1",
                  "Content-Length: 0", ""}));
}

BOOST_AUTO_TEST_CASE(forced_port_redirects_replies_and_rewrites_peer_addresses) {
  NetfilterSipEngine engine;
  std::string request = Msg({"OPTIONS sip:200@203.0.113.2:5060 SIP/2.0",
                             "Via: SIP/2.0/UDP 10.0.0.2:5070", "CSeq: 1 OPTIONS", ""});
  BOOST_TEST(test::Run(engine, request).accept);
  // The R-URI named the peer on 5060: it now gets the forced port, a long-standing quirk.
  BOOST_TEST(request.find("sip:200@203.0.113.2:5070") != std::string::npos);
  std::string reply = Msg({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 10.0.0.2:5070", "CSeq: 1 OPTIONS", ""});
  const Verdict v = test::Run(engine, reply, CtDirection::Reply);
  BOOST_TEST(v.accept);
  BOOST_TEST(v.redirectPort == 5070);
}

BOOST_AUTO_TEST_CASE(advertised_address_knob_replaces_the_public_address_in_text) {
  HelperConfig config;
  config.advertisedAddress = test::Ip("100.64.0.9");
  const std::string in = Msg({"OPTIONS sip:200@203.0.113.2 SIP/2.0",
                              "Contact: <sip:100@10.0.0.2:5060>", "Content-Length: 0", ""});
  BOOST_TEST(test::Outbound(in, config).find("Contact: <sip:100@100.64.0.9:5060>") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(connections_without_nat_are_never_rewritten) {
  NetfilterSipEngine engine;
  MasterState& m = engine.Connection(
      3, ConntrackTuples::Outbound({test::Ip("10.0.0.2"), 5060}, {test::Ip("10.0.0.2"), 5060},
                                   {test::Ip("203.0.113.2"), 5060}),
      false);
  std::string msg = Msg({"OPTIONS sip:a@10.0.0.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060", ""});
  const std::string before = msg;
  BOOST_TEST(engine.Process(m, CtDirection::Original, msg, ns3::Seconds(1)).accept);
  BOOST_TEST(msg == before);
}

BOOST_AUTO_TEST_SUITE_END()
