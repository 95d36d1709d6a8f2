#include "sim/sip/sip-message.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::sip;
using alglab::sip::test::Crlf;
using alglab::sip::test::MinimalInvite;

BOOST_AUTO_TEST_SUITE(sip_message)

BOOST_AUTO_TEST_CASE(parses_request_with_body) {
  const std::string body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n";
  const std::string bytes = Crlf(
      "INVITE sip:bob@example.com;transport=udp SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport\n"
      "Max-Forwards: 70\n"
      "To: Bob <sip:bob@example.com>\n"
      "From: \"Alice\" <sip:alice@example.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710@192.0.2.1\n"
      "CSeq: 314159 INVITE\n"
      "Contact: <sip:alice@192.0.2.1:5060>;expires=3600\n"
      "X-Custom: keep me\n"
      "Content-Type: application/sdp\n"
      "Content-Length: " + std::to_string(body.size()) + "\n\n") + body;
  auto r = ParseMessage(bytes);
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  const SipMessage& m = r.Value();
  BOOST_TEST(m.IsRequest());
  BOOST_TEST(m.Method() == "INVITE");
  BOOST_TEST(m.RequestUri().user == "bob");
  BOOST_TEST(m.RequestUri().params.Get("transport").value_or("") == "udp");
  BOOST_TEST(m.CallId().value_or("") == "a84b4c76e66710@192.0.2.1");
  BOOST_TEST(m.GetCSeq()->sequence == 314159u);
  BOOST_TEST(m.GetCSeq()->method == "INVITE");
  BOOST_TEST(m.TopVia()->Branch().value_or("") == "z9hG4bK776asdhds");
  BOOST_TEST(m.From()->Tag().value_or("") == "1928301774");
  BOOST_TEST(m.From()->displayName == "Alice");
  BOOST_TEST(!m.To()->Tag().has_value());
  BOOST_REQUIRE(m.Contacts().size() == 1u);
  BOOST_TEST(m.Contacts()[0].params.Get("expires").value_or("") == "3600");
  BOOST_TEST(m.ContentType().value_or("") == "application/sdp");
  BOOST_TEST(m.BodyIsSdp());
  BOOST_TEST(m.Body() == body);
  BOOST_TEST(m.Get("x-custom").value_or("") == "keep me");
  BOOST_TEST(m.Headers().size() == 10u);
  BOOST_TEST(m.Headers()[8].name == "Content-Type");
  // Serialize writes exactly what came in (canonical spacing, CRLF)
  BOOST_TEST(m.Serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(parses_response) {
  auto r = ParseMessage(Crlf(
      "SIP/2.0 180 Ringing Loudly\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=198.51.100.1\n"
      "To: <sip:bob@example.com>;tag=a6c85cf\n"
      "From: <sip:alice@example.com>;tag=1928301774\n"
      "Call-ID: abc\n"
      "CSeq: 1 INVITE\n"
      "Content-Length: 0\n\n"));
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  BOOST_TEST(r.Value().IsResponse());
  BOOST_TEST(r.Value().StatusCode() == 180);
  BOOST_TEST(r.Value().Reason() == "Ringing Loudly");
  BOOST_TEST(r.Value().To()->Tag().value_or("") == "a6c85cf");
  BOOST_TEST(r.Value().Body().empty());
}

BOOST_AUTO_TEST_CASE(compact_and_lowercase_names) {
  const std::string bytes =
      "OPTIONS sip:carol@chicago.com SIP/2.0\r\n"
      "v: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKnashds8\r\n"
      "t: <sip:carol@chicago.com>\r\n"
      "f: <sip:alice@atlanta.com>;tag=1928301774\r\n"
      "i: a84b4c76e66710\r\n"
      "cseq: 63104 OPTIONS\r\n"
      "m: <sip:alice@192.0.2.4>\r\n"
      "k: replaces, timer\r\n"
      "o: dialog\r\n"
      "u: dialog, presence\r\n"
      "s: Lunch\r\n"
      "CONTENT-TYPE: text/plain\r\n"
      "l: 5\r\n"
      "\r\n"
      "hello";
  auto r = ParseMessage(bytes);
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  const SipMessage& m = r.Value();
  BOOST_TEST(m.CallId().value_or("") == "a84b4c76e66710");
  BOOST_TEST(m.Vias().size() == 1u);
  BOOST_TEST(m.Get("Call-ID").value_or("") == "a84b4c76e66710");
  BOOST_TEST(m.Get("I").value_or("") == "a84b4c76e66710");
  BOOST_TEST(m.Get("Event").value_or("") == "dialog");
  BOOST_TEST(m.Get("Subject").value_or("") == "Lunch");
  BOOST_TEST(m.ContentType().value_or("") == "text/plain");
  BOOST_TEST(!m.BodyIsSdp());  // a body, but not SDP
  BOOST_TEST(m.GetAll("Supported").size() == 2u);
  BOOST_TEST(m.GetAll("Allow-Events")[1] == "presence");
  BOOST_TEST(m.Body() == "hello");
  // names stay as written on the wire
  const std::string wire = m.Serialize();
  BOOST_TEST(wire.find("\r\nv: SIP/2.0/UDP") != std::string::npos);
  BOOST_TEST(wire.find("\r\nl: 5\r\n") != std::string::npos);
  BOOST_TEST(wire.find("Content-Length") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(canonical_names) {
  BOOST_TEST(CanonicalHeaderName("v") == "Via");
  BOOST_TEST(CanonicalHeaderName("call-id") == "Call-ID");
  BOOST_TEST(CanonicalHeaderName("CSEQ") == "CSeq");
  BOOST_TEST(CanonicalHeaderName("www-authenticate") == "WWW-Authenticate");
  BOOST_TEST(CanonicalHeaderName("x-foo") == "x-foo");
  BOOST_TEST(CanonicalHeaderName("L") == "Content-Length");
  BOOST_TEST(HeaderNamesEqual("e", "content-encoding"));
  BOOST_TEST(!HeaderNamesEqual("x", "X-Foo"));
  BOOST_TEST(IsMultiValueHeader("route"));
  BOOST_TEST(!IsMultiValueHeader("WWW-Authenticate"));
}

BOOST_AUTO_TEST_CASE(folding_is_undone) {
  auto r = ParseMessage(Crlf(
      "INVITE sip:bob@example.com SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060\n"
      "  ;branch=z9hG4bK1\n"
      "To:\n"
      "\t<sip:bob@example.com>\n"
      "From: <sip:alice@example.com>;tag=1\n"
      "Subject: I know you're there,   \n"
      "         pick up the phone\n"
      "         and talk to me!\n"
      "Call-ID: f1\n"
      "CSeq: 1 INVITE\n\n"));
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  BOOST_TEST(r.Value().TopVia()->Branch().value_or("") == "z9hG4bK1");
  BOOST_TEST(r.Value().Get("To").value_or("") == "<sip:bob@example.com>");
  BOOST_TEST(r.Value().Get("Subject").value_or("") ==
             "I know you're there, pick up the phone and talk to me!");
}

BOOST_AUTO_TEST_CASE(lf_only_and_leading_blank_lines) {
  std::string lf =
      "\r\n\n"
      "BYE sip:bob@example.com SIP/2.0\n"
      "Via: SIP/2.0/UDP h\n"
      "To: <sip:bob@example.com>;tag=2\n"
      "From: <sip:alice@example.com>;tag=1\n"
      "Call-ID: lf\n"
      "CSeq: 2 BYE\n"
      "\n";
  auto r = ParseMessage(lf);
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  BOOST_TEST(r.Value().Method() == "BYE");
}

BOOST_AUTO_TEST_CASE(multi_value_via_and_contact) {
  auto r = ParseMessage(Crlf(
      "REGISTER sip:registrar.example.com SIP/2.0\n"
      "Via: SIP/2.0/UDP proxy2.example.com;branch=z9hG4bK2, "
      "SIP/2.0/UDP proxy1.example.com;branch=z9hG4bK1\n"
      "Via: SIP/2.0/UDP [2001:db8::5]:5060;branch=z9hG4bK0\n"
      "To: <sip:alice@example.com>\n"
      "From: <sip:alice@example.com>;tag=x\n"
      "Call-ID: reg1\n"
      "CSeq: 7 REGISTER\n"
      "Contact: \"Desk, 1st floor\" <sip:alice@192.0.2.7>;q=0.7, "
      "<sip:alice@[2001:db8::7]:5070>;q=0.3\n"
      "Contact: sip:alice@198.51.100.9;expires=60\n"
      "Expires: 3600\n\n"));
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  SipMessage m = r.Value();
  const auto vias = m.Vias();
  BOOST_REQUIRE(vias.size() == 3u);
  BOOST_TEST(vias[0].host == "proxy2.example.com");
  BOOST_TEST(vias[2].host == "[2001:db8::5]");
  BOOST_TEST(*vias[2].port == 5060);
  const auto contacts = m.Contacts();
  BOOST_REQUIRE(contacts.size() == 3u);
  BOOST_TEST(contacts[0].displayName == "Desk, 1st floor");
  BOOST_TEST(contacts[1].uri.host == "[2001:db8::7]");
  BOOST_TEST(contacts[2].params.Get("expires").value_or("") == "60");
  BOOST_TEST(*m.Expires() == 3600u);
  BOOST_TEST(m.GetAll("Contact").size() == 3u);
  BOOST_TEST(m.GetAll("Call-ID").size() == 1u);

  // relaying a response: drop only the top Via value, keep the rest byte for byte
  m.RemoveFirstValue("v");
  BOOST_TEST(m.Get("Via").value_or("") == "SIP/2.0/UDP proxy1.example.com;branch=z9hG4bK1");
  m.RemoveFirstValue("Via");
  BOOST_TEST(m.Vias().size() == 1u);
  BOOST_TEST(m.TopVia()->host == "[2001:db8::5]");
}

BOOST_AUTO_TEST_CASE(header_editing_and_serialize) {
  SipMessage m = SipMessage::Request("MESSAGE", Uri::Parse("sip:bob@example.com").Value());
  m.Add("Via", "SIP/2.0/UDP a;branch=z9hG4bK2");
  m.Add("To", "<sip:bob@example.com>");
  m.Add("From", "<sip:alice@example.com>;tag=9");
  m.Add("Call-ID", "m1");
  m.Add("CSeq", "1 MESSAGE");
  m.Add("l", "999");  // stale length: replaced in place on the wire
  m.Add("Content-Length", "3");  // a duplicate: dropped on the wire
  m.Prepend("Via", "SIP/2.0/UDP b;branch=z9hG4bK3");
  m.SetBody("Hi!", "text/plain");
  BOOST_TEST(m.TopVia()->host == "b");
  m.Set("Call-ID", "m2");
  BOOST_TEST(m.CallId().value_or("") == "m2");
  BOOST_TEST(m.Headers()[4].name == "Call-ID");  // kept its place
  const std::string wire = m.Serialize();
  BOOST_TEST(wire == Crlf("MESSAGE sip:bob@example.com SIP/2.0\n"
                          "Via: SIP/2.0/UDP b;branch=z9hG4bK3\n"
                          "Via: SIP/2.0/UDP a;branch=z9hG4bK2\n"
                          "To: <sip:bob@example.com>\n"
                          "From: <sip:alice@example.com>;tag=9\n"
                          "Call-ID: m2\n"
                          "CSeq: 1 MESSAGE\n"
                          "l: 3\n"
                          "Content-Type: text/plain\n"
                          "\n"
                          "Hi!"));
  auto back = ParseMessage(wire);
  BOOST_REQUIRE(back.Ok());
  BOOST_TEST(back.Value().Body() == "Hi!");
  m.Remove("Via");
  BOOST_TEST(!m.Has("v"));
  m.SetBody("", "");
  BOOST_TEST(!m.Has("Content-Type"));
  BOOST_TEST(m.Serialize().find("l: 0\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(typed_accessors_on_absent_or_bad_headers) {
  SipMessage m = SipMessage::Request("OPTIONS", Uri::Parse("sip:x").Value());
  BOOST_TEST(!m.CallId().has_value());
  BOOST_TEST(!m.GetCSeq().has_value());
  BOOST_TEST(!m.TopVia().has_value());
  BOOST_TEST(m.Vias().empty());
  BOOST_TEST(!m.From().has_value());
  BOOST_TEST(!m.To().has_value());
  BOOST_TEST(!m.Expires().has_value());
  BOOST_TEST(!m.ContentType().has_value());
  BOOST_TEST(!m.BodyIsSdp());  // no body
  m.SetBody("v=0\r\n", "");
  BOOST_TEST(m.BodyIsSdp());   // a body without a Content-Type is read as SDP
  m.SetBody("", "");
  BOOST_TEST(!m.Get("Via").has_value());
  m.Add("CSeq", "x");
  m.Add("Via", "garbage, SIP/2.0/UDP ok");
  m.Add("From", "<unterminated");
  m.Add("Contact", "<sip:a@b>, <bad");
  m.Add("Expires", "soon");
  BOOST_TEST(!m.GetCSeq().has_value());
  BOOST_TEST(!m.TopVia().has_value());
  BOOST_REQUIRE(m.Vias().size() == 1u);  // unparsable entries are skipped
  BOOST_TEST(m.Vias()[0].host == "ok");
  BOOST_TEST(!m.From().has_value());
  BOOST_TEST(m.Contacts().size() == 1u);
  BOOST_TEST(!m.Expires().has_value());
  m.RemoveFirstValue("Route");  // absent: no-op
  BOOST_TEST(m.Headers().size() == 5u);
}

BOOST_AUTO_TEST_CASE(response_construction) {
  SipMessage ok = SipMessage::Response(200, "");
  BOOST_TEST(ok.Reason() == "OK");
  BOOST_TEST(ok.Serialize() == "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n");
  BOOST_TEST(std::string(DefaultReason(486)) == "Busy Here");
  BOOST_TEST(std::string(DefaultReason(299)) == "Success");
}

BOOST_AUTO_TEST_CASE(content_length_rules_on_datagrams) {
  // extra bytes after Content-Length are ignored on a datagram
  auto longer = ParseMessage(MinimalInvite("Content-Length: 2\r\n") + "abcdef");
  BOOST_REQUIRE(longer.Ok());
  BOOST_TEST(longer.Value().Body() == "ab");
  // without Content-Length the body is everything after the blank line
  auto absent = ParseMessage(MinimalInvite() + "abcdef");
  BOOST_REQUIRE(absent.Ok());
  BOOST_TEST(absent.Value().Body() == "abcdef");
  // duplicated but equal Content-Length is accepted
  BOOST_TEST(ParseMessage(MinimalInvite("l: 0\r\nContent-Length: 0\r\n")).Ok());
}

BOOST_AUTO_TEST_CASE(unknown_headers_preserved_in_order) {
  auto r = ParseMessage(MinimalInvite("X-B: 2\r\nX-A: 1\r\nx-b: 3\r\n"));
  BOOST_REQUIRE(r.Ok());
  const auto& h = r.Value().Headers();
  BOOST_TEST(h[h.size() - 3].name == "X-B");
  BOOST_TEST(h[h.size() - 2].name == "X-A");
  BOOST_TEST(h[h.size() - 1].name == "x-b");
  BOOST_TEST(r.Value().GetAll("X-B").size() == 2u);
}

BOOST_AUTO_TEST_CASE(method_names_are_case_sensitive_tokens) {
  std::string lower = MinimalInvite();
  lower.replace(0, 6, "invite");
  // "invite" is a different (extension) method, so CSeq "INVITE" does not match it
  auto r = ParseMessage(lower);
  BOOST_REQUIRE(!r.Ok());
  BOOST_TEST(r.Error().kind == ParseErrorKind::BadHeaderValue);
  BOOST_TEST(r.Error().line == 7u);
}

BOOST_AUTO_TEST_SUITE_END()
