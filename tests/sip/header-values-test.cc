#include "sim/sip/header-values.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::sip;

BOOST_AUTO_TEST_SUITE(header_values)

BOOST_AUTO_TEST_CASE(via_with_params_and_odd_spacing) {
  auto r = Via::Parse(
      "SIP / 2.0 / udp   192.0.2.10 : 5062 ; branch=z9hG4bKabc ;rport;received=198.51.100.7");
  BOOST_REQUIRE(r.Ok());
  const Via& v = r.Value();
  BOOST_TEST(v.transport == "UDP");
  BOOST_TEST(v.host == "192.0.2.10");
  BOOST_TEST(*v.port == 5062);
  BOOST_TEST(v.Branch().value_or("") == "z9hG4bKabc");
  BOOST_TEST(v.params.Has("rport"));
  BOOST_TEST(v.params.Get("received").value_or("") == "198.51.100.7");
  BOOST_TEST(v.ToString() ==
             "SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKabc;rport;received=198.51.100.7");
}

BOOST_AUTO_TEST_CASE(via_ipv6_and_errors) {
  auto r = Via::Parse("SIP/2.0/TCP [2001:db8::9]:5060;branch=z9hG4bK1;received=2001:db8::1");
  BOOST_REQUIRE(r.Ok());
  BOOST_TEST(r.Value().host == "[2001:db8::9]");
  BOOST_TEST(r.Value().params.Get("received").value_or("") == "2001:db8::1");

  auto noHost = Via::Parse("SIP/2.0/UDP");
  BOOST_REQUIRE(!noHost.Ok());
  BOOST_TEST(noHost.Error().kind == ParseErrorKind::BadHeaderValue);
  BOOST_TEST(noHost.Error().column == 12u);

  auto badProto = Via::Parse("SIP/3.0/UDP host");
  BOOST_REQUIRE(!badProto.Ok());
  BOOST_TEST(badProto.Error().column == 1u);

  auto badPort = Via::Parse("SIP/2.0/UDP host:70000");
  BOOST_REQUIRE(!badPort.Ok());
  BOOST_TEST(badPort.Error().column == 18u);

  auto junk = Via::Parse("SIP/2.0/UDP host junk");
  BOOST_REQUIRE(!junk.Ok());
  BOOST_TEST(junk.Error().column == 18u);
}

BOOST_AUTO_TEST_CASE(name_address_forms) {
  auto quoted =
      NameAddress::Parse("\"Smith, \\\"Bob\\\"\" <sip:bob@example.com;transport=tcp>;tag=88a");
  BOOST_REQUIRE(quoted.Ok());
  BOOST_TEST(quoted.Value().displayName == "Smith, \"Bob\"");
  BOOST_TEST(quoted.Value().uri.params.Get("transport").value_or("") == "tcp");
  BOOST_TEST(quoted.Value().Tag().value_or("") == "88a");
  BOOST_TEST(quoted.Value().ToString() ==
             "\"Smith, \\\"Bob\\\"\" <sip:bob@example.com;transport=tcp>;tag=88a");

  auto tokens = NameAddress::Parse("Alice  Liddell<sip:alice@example.com>");
  BOOST_REQUIRE(tokens.Ok());
  BOOST_TEST(tokens.Value().displayName == "Alice  Liddell");

  // addr-spec: parameters after the URI belong to the header, not the URI
  auto bare = NameAddress::Parse("sip:carol@example.com;tag=xyz;expires=60");
  BOOST_REQUIRE(bare.Ok());
  BOOST_TEST(bare.Value().uri.params.Items().empty());
  BOOST_TEST(bare.Value().Tag().value_or("") == "xyz");
  BOOST_TEST(bare.Value().params.Get("expires").value_or("") == "60");
  BOOST_TEST(bare.Value().ToString() == "<sip:carol@example.com>;tag=xyz;expires=60");

  auto instance = NameAddress::Parse(
      "<sip:200@10.0.0.5:5060>;+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"");
  BOOST_REQUIRE(instance.Ok());
  BOOST_TEST(instance.Value().params.Get("+sip.instance").value_or("") ==
             "\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"");

  auto addrSpecWithQuotedParam = NameAddress::Parse("sip:d@h;x=\"<y>\"");
  BOOST_REQUIRE(addrSpecWithQuotedParam.Ok());
  BOOST_TEST(addrSpecWithQuotedParam.Value().params.Get("x").value_or("") == "\"<y>\"");

  auto star = NameAddress::Parse(" * ");
  BOOST_REQUIRE(star.Ok());
  BOOST_TEST(star.Value().isWildcard);
  BOOST_TEST(star.Value().ToString() == "*");
}

BOOST_AUTO_TEST_CASE(name_address_errors) {
  auto unterminatedQuote = NameAddress::Parse("\"Bob <sip:bob@example.com>");
  BOOST_REQUIRE(!unterminatedQuote.Ok());
  BOOST_TEST(unterminatedQuote.Error().kind == ParseErrorKind::BadHeaderValue);
  BOOST_TEST(unterminatedQuote.Error().column == 1u);

  auto unterminatedAngle = NameAddress::Parse("Bob <sip:bob@example.com");
  BOOST_REQUIRE(!unterminatedAngle.Ok());
  BOOST_TEST(unterminatedAngle.Error().column == 5u);

  auto badUri = NameAddress::Parse("<sip:bob@exa mple.com>");
  BOOST_REQUIRE(!badUri.Ok());
  BOOST_TEST(badUri.Error().kind == ParseErrorKind::BadUri);
  BOOST_TEST(badUri.Error().column == 13u);  // the space, counted in the header value

  auto trailing = NameAddress::Parse("<sip:bob@example.com> junk");
  BOOST_REQUIRE(!trailing.Ok());
  BOOST_TEST(trailing.Error().column == 23u);

  BOOST_TEST(!NameAddress::Parse("").Ok());
}

BOOST_AUTO_TEST_CASE(cseq) {
  auto r = CSeq::Parse("  4711   INVITE ");
  BOOST_REQUIRE(r.Ok());
  BOOST_TEST(r.Value().sequence == 4711u);
  BOOST_TEST(r.Value().method == "INVITE");
  BOOST_TEST(r.Value().ToString() == "4711 INVITE");
  BOOST_TEST(CSeq::Parse("4294967295 ACK").Ok());
  BOOST_TEST(!CSeq::Parse("4294967296 ACK").Ok());
  BOOST_TEST(!CSeq::Parse("INVITE").Ok());
  BOOST_TEST(!CSeq::Parse("1").Ok());
  BOOST_TEST(!CSeq::Parse("1INVITE").Ok());
  BOOST_TEST(!CSeq::Parse("1 INVITE extra").Ok());
}

BOOST_AUTO_TEST_CASE(split_only_at_top_level_commas) {
  const auto parts = SplitHeaderList(
      "\"Doe, John\" <sip:j@a.com;x=1,2>;q=0.5 ,<sip:k@b.com>,, sip:l@c.com;p=\"a,b\"");
  BOOST_REQUIRE(parts.size() == 3u);
  BOOST_TEST(parts[0] == "\"Doe, John\" <sip:j@a.com;x=1,2>;q=0.5");
  BOOST_TEST(parts[1] == "<sip:k@b.com>");
  BOOST_TEST(parts[2] == "sip:l@c.com;p=\"a,b\"");
  BOOST_TEST(SplitHeaderList("").empty());
  // an unterminated quote swallows the rest instead of splitting inside it
  BOOST_TEST(SplitHeaderList("a, \"b, c").size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
