#include "sim/sip/uri.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::sip;

BOOST_AUTO_TEST_SUITE(uri)

BOOST_AUTO_TEST_CASE(parses_all_parts_of_a_sip_uri) {
  auto r = Uri::Parse("sip:alice:secret@pbx.example.com:5070;transport=udp;lr?subject=hi&x=y");
  BOOST_REQUIRE(r.Ok());
  const Uri& u = r.Value();
  BOOST_TEST(u.scheme == "sip");
  BOOST_TEST(u.user == "alice");
  BOOST_TEST(u.password == "secret");
  BOOST_TEST(u.host == "pbx.example.com");
  BOOST_REQUIRE(u.port.has_value());
  BOOST_TEST(*u.port == 5070);
  BOOST_TEST(u.params.Get("transport").value_or("") == "udp");
  BOOST_TEST(u.params.Has("LR"));  // names compare case-insensitively
  BOOST_TEST(!u.params.Items()[1].hasValue);
  BOOST_TEST(u.headers == "subject=hi&x=y");
  BOOST_TEST(u.HostPort() == "pbx.example.com:5070");
  BOOST_TEST(u.ToString() ==
             "sip:alice:secret@pbx.example.com:5070;transport=udp;lr?subject=hi&x=y");
}

BOOST_AUTO_TEST_CASE(ipv6_reference_keeps_brackets) {
  auto r = Uri::Parse("sips:bob@[2001:db8::1]:5061;maddr=[2001:db8::2]");
  BOOST_REQUIRE(r.Ok());
  BOOST_TEST(r.Value().scheme == "sips");
  BOOST_TEST(r.Value().host == "[2001:db8::1]");
  BOOST_TEST(*r.Value().port == 5061);
  BOOST_TEST(r.Value().params.Get("maddr").value_or("") == "[2001:db8::2]");
  BOOST_TEST(r.Value().HostPort() == "[2001:db8::1]:5061");

  auto noUser = Uri::Parse("sip:[::1]");
  BOOST_REQUIRE(noUser.Ok());
  BOOST_TEST(noUser.Value().host == "[::1]");
  BOOST_TEST(!noUser.Value().port.has_value());
}

BOOST_AUTO_TEST_CASE(user_part_may_hold_escapes_and_semicolons) {
  auto r = Uri::Parse("SIP:%61lice;day=tuesday@example.com");
  BOOST_REQUIRE(r.Ok());
  BOOST_TEST(r.Value().scheme == "sip");  // scheme is case-insensitive, stored lower
  BOOST_TEST(r.Value().user == "%61lice;day=tuesday");
  BOOST_TEST(r.Value().host == "example.com");
  BOOST_TEST(r.Value().params.Items().empty());
}

BOOST_AUTO_TEST_CASE(tel_and_other_schemes) {
  auto tel = Uri::Parse("tel:+1-201-555-0123;phone-context=example.com");
  BOOST_REQUIRE(tel.Ok());
  BOOST_TEST(tel.Value().user == "+1-201-555-0123");
  BOOST_TEST(tel.Value().params.Get("phone-context").value_or("") == "example.com");
  BOOST_TEST(tel.Value().ToString() == "tel:+1-201-555-0123;phone-context=example.com");

  auto urn = Uri::Parse("urn:service:sos");
  BOOST_REQUIRE(urn.Ok());
  BOOST_TEST(urn.Value().opaque == "service:sos");
  BOOST_TEST(urn.Value().ToString() == "urn:service:sos");
}

BOOST_AUTO_TEST_CASE(rejects_bad_uris_with_columns) {
  struct Case {
    const char* text;
    std::size_t column;
  };
  const Case cases[] = {
      {"", 1},                        // empty
      {"alice@example.com", 1},       // no scheme
      {"sip:", 5},                    // nothing after the scheme
      {"sip:@example.com", 5},        // empty user
      {"sip:al ice@example.com", 7},  // space
      {"sip:alice@", 11},             // no host
      {"sip:alice@host:", 16},        // empty port
      {"sip:alice@host:99999", 16},   // port out of range
      {"sip:alice@[2001:db8::1", 11}, // unterminated IPv6
      {"sip:a%zzb@host", 6},          // bad escape
      {"sip:alice@host;;lr", 16},     // empty parameter name
      {"sip:alice@host#frag", 15},    // junk after host
      {"1sip:host", 1},               // bad scheme
      {"tel:;x=1", 5},                // empty number
      {"tel:+1;;x", 8},               // bad tel parameter
  };
  for (const auto& c : cases) {
    auto r = Uri::Parse(c.text);
    BOOST_TEST_CONTEXT(c.text) {
      BOOST_REQUIRE(!r.Ok());
      BOOST_TEST(r.Error().kind == ParseErrorKind::BadUri);
      BOOST_TEST(r.Error().line == 1u);
      BOOST_TEST(r.Error().column == c.column);
    }
  }
}

BOOST_AUTO_TEST_CASE(parameter_list_editing) {
  auto r = ParameterList::Parse(";branch=z9hG4bK1 ; rport;received=\"a;b\"");
  BOOST_REQUIRE(r.Ok());
  ParameterList p = r.Value();
  BOOST_TEST(p.Items().size() == 3u);
  BOOST_TEST(p.Get("received").value_or("") == "\"a;b\"");  // quoted values keep their quotes
  BOOST_TEST(!p.Items()[1].hasValue);
  p.Set("rport", "5060");  // a flag gains a value in place
  p.Set("new", "1");
  p.SetFlag("branch");
  p.Remove("RECEIVED");
  BOOST_TEST(p.ToString() == ";branch;rport=5060;new=1");
  BOOST_TEST(ParameterList::Parse("").Value().ToString() == "");
  BOOST_TEST(ParameterList::Parse("a=b;c").Value().ToString() == ";a=b;c");
  BOOST_TEST(!ParameterList::Parse(";a=\"open").Ok());
  BOOST_TEST(!ParameterList::Parse(";a=").Ok());
}

BOOST_AUTO_TEST_CASE(round_trips) {
  for (const char* text : {"sip:example.com", "sip:alice@example.com", "sip:alice@192.0.2.1:5060",
                           "sips:x@[fe80::1]:5061;transport=tls", "sip:a@b;lr;ob",
                           "sip:*72%23@pbx?Replaces=abc%40host"}) {
    auto r = Uri::Parse(text);
    BOOST_TEST_CONTEXT(text) {
      BOOST_REQUIRE(r.Ok());
      BOOST_TEST(r.Value().ToString() == text);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
