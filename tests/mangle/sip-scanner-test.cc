// The helper's way of finding headers, URIs and parameters in raw SIP bytes.

#include "alg-models/linux-netfilter/sip-scanner.h"
#include "tests/mangle/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::linuxnf;
using alglab::test::Msg;

namespace {
std::string_view At(const std::string& msg, const ScanResult& r) {
  return std::string_view(msg).substr(r.offset, r.length);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(sip_scanner)

BOOST_AUTO_TEST_CASE(compact_and_long_names) {
  const std::string msg = Msg({"OPTIONS sip:a SIP/2.0", "m : <sip:10.0.0.2:5062>", "l: 12"});
  const ScanResult contact = FindSipHeader(msg, 0, msg.size(), SipHeaderKind::Contact);
  BOOST_TEST(contact.status == 1);
  BOOST_TEST(At(msg, contact) == "10.0.0.2:5062");
  const ScanResult length = FindSipHeader(msg, 0, msg.size(), SipHeaderKind::ContentLength);
  BOOST_TEST(At(msg, length) == "12");
}

BOOST_AUTO_TEST_CASE(compact_form_needs_a_non_letter_after_it) {
  const std::string msg = Msg({"OPTIONS sip:a SIP/2.0", "Max-Forwards: 70", "mx: <sip:10.0.0.2>"});
  BOOST_TEST(FindSipHeader(msg, 0, msg.size(), SipHeaderKind::Contact).status == 0);
}

BOOST_AUTO_TEST_CASE(name_prefix_without_colon_ends_the_search) {
  const std::string msg = Msg({"REGISTER sip:a SIP/2.0", "Expires-Foo: 1", "Expires: 60"});
  BOOST_TEST(FindSipHeader(msg, 0, msg.size(), SipHeaderKind::Expires).status == 0);
  const std::string plain = Msg({"REGISTER sip:a SIP/2.0", "Expires: 60"});
  BOOST_TEST(At(plain, FindSipHeader(plain, 0, plain.size(), SipHeaderKind::Expires)) == "60");
}

BOOST_AUTO_TEST_CASE(request_line_is_never_a_header) {
  const std::string msg = Msg({"To: sip:10.0.0.2 SIP/2.0"});
  BOOST_TEST(FindSipHeader(msg, 0, msg.size(), SipHeaderKind::To).status == 0);
}

BOOST_AUTO_TEST_CASE(value_search_follows_continuations_but_skips_their_first_byte) {
  const std::string folded = Msg({"X sip:a SIP/2.0", "Contact:", "  xsip:10.0.0.2"});
  BOOST_TEST(FindSipHeader(folded, 0, folded.size(), SipHeaderKind::Contact).status == 1);
  const std::string first = Msg({"X sip:a SIP/2.0", "Contact: a", "  sip:10.0.0.2"});
  // "sip:" starts the continuation line: its first byte is never a match start.
  BOOST_TEST(FindSipHeader(first, 0, first.size(), SipHeaderKind::Contact).status == -1);
}

BOOST_AUTO_TEST_CASE(user_part_is_skipped_up_to_an_at_sign_on_the_line) {
  const std::string msg = Msg({"X sip:a SIP/2.0", "From: <sip:10.0.0.2>;tag=a@b"});
  const UriResult uri = ParseSipHeaderUri(msg, nullptr, msg.size(), SipHeaderKind::From, nullptr);
  BOOST_TEST(uri.status == 0);  // "b" after the tag's '@' is no address
}

BOOST_AUTO_TEST_CASE(uri_port_rules) {
  const std::string good = Msg({"X sip:a SIP/2.0", "Contact: <sip:u@10.0.0.2:5062>"});
  UriResult uri = ParseSipHeaderUri(good, nullptr, good.size(), SipHeaderKind::Contact, nullptr);
  BOOST_TEST(uri.status == 1);
  BOOST_TEST(uri.port == 5062);
  BOOST_TEST(good.substr(uri.offset, uri.length) == "10.0.0.2:5062");
  const std::string none = Msg({"X sip:a SIP/2.0", "Contact: <sip:u@10.0.0.2>"});
  uri = ParseSipHeaderUri(none, nullptr, none.size(), SipHeaderKind::Contact, nullptr);
  BOOST_TEST(uri.port == kSipPort);
  BOOST_TEST(uri.length == 8u);

  const std::string low = Msg({"X sip:a SIP/2.0", "Contact: <sip:u@10.0.0.2:80>"});
  BOOST_TEST(ParseSipHeaderUri(low, nullptr, low.size(), SipHeaderKind::Contact, nullptr).status ==
             0);  // 2026 kernels: skipped
  BOOST_TEST(ParseSipHeaderUri(low, nullptr, low.size(), SipHeaderKind::Contact, nullptr,
                               NumberRules::Legacy)
                 .status == -1);  // older kernels: unparsable
  const std::string wrap = Msg({"X sip:a SIP/2.0", "Contact: <sip:u@10.0.0.2:4294972356>"});
  BOOST_TEST(ParseSipHeaderUri(wrap, nullptr, wrap.size(), SipHeaderKind::Contact, nullptr,
                               NumberRules::Legacy)
                 .port == 5060);
}

BOOST_AUTO_TEST_CASE(comma_lists_are_walked_with_a_cursor) {
  const std::string msg =
      Msg({"X sip:a SIP/2.0", "Contact: <sip:10.0.0.2:5060>, <sip:10.0.0.3:5062>", "m: <sip:10.0.0.4>"});
  std::size_t cursor = 0;
  bool inList = false;
  std::vector<std::uint16_t> ports;
  while (true) {
    const UriResult uri =
        ParseSipHeaderUri(msg, &cursor, msg.size(), SipHeaderKind::Contact, &inList);
    if (uri.status <= 0) break;
    ports.push_back(uri.port);
  }
  BOOST_TEST(ports == (std::vector<std::uint16_t>{5060, 5062, 5060}));
}

BOOST_AUTO_TEST_CASE(request_uri) {
  const std::string msg = Msg({"INVITE sip:bob@203.0.113.1:5070;user=phone SIP/2.0"});
  const UriResult uri = ParseRequestUri(msg, msg.size());
  BOOST_TEST(uri.status == 1);
  BOOST_TEST(uri.port == 5070);
  BOOST_TEST(msg.substr(uri.offset, uri.length) == "203.0.113.1:5070");
  const std::string lineBreak = Msg({"INVITE tel:123 SIP/2.0", "Via: sip:x"});
  BOOST_TEST(ParseRequestUri(lineBreak, lineBreak.size()).status == -1);
}

BOOST_AUTO_TEST_CASE(parameters_stop_at_the_list_comma) {
  const std::string msg = Msg({"X", "Via: SIP/2.0/UDP 10.0.0.2;rport=5062;received=1.2.3.4, x;rport=9"});
  const std::size_t from = msg.find("10.0.0.2");
  const ParamResult rport = FindNumericParam(msg, from, msg.size(), "rport=");
  BOOST_TEST(rport.status == 1);
  BOOST_TEST(rport.number == 5062u);
  const ParamResult received = FindAddressParam(msg, from, msg.size(), "received=");
  BOOST_TEST(received.address == 0x01020304u);
  BOOST_TEST(FindAddressParam(msg, from, msg.size(), "maddr=").status == 0);
  const std::string empty = Msg({"X", "Contact: <sip:10.0.0.2>;expires=;q=1"});
  BOOST_TEST(FindNumericParam(empty, empty.find("10.0.0.2"), empty.size(), "expires=").status == -1);
  const std::string hex = Msg({"X", "Contact: <sip:10.0.0.2>;expires=0x20"});
  const std::size_t at = hex.find("10.0.0.2");
  BOOST_TEST(FindNumericParam(hex, at, hex.size(), "expires=", NumberRules::Legacy).number == 32u);
  BOOST_TEST(FindNumericParam(hex, at, hex.size(), "expires=").number == 0u);
  // A search never leaves the header it starts in.
  BOOST_TEST(FindNumericParam(hex, 0, hex.size(), "expires=").status == 0);
}

BOOST_AUTO_TEST_SUITE_END()
