// The kernel library routines the helper's byte-exactness rests on.

#include "alg-models/linux-netfilter/kernel-text.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::linuxnf;

namespace {
DottedQuad Quad(std::string_view text) { return ParseDottedQuad(text, 0, text.size()); }
}  // namespace

BOOST_AUTO_TEST_SUITE(kernel_text)

BOOST_AUTO_TEST_CASE(dotted_quad_ends_at_any_non_hex_byte) {
  const DottedQuad q = Quad("10.0.0.2;rport");
  BOOST_TEST(q.ok);
  BOOST_TEST(q.address == 0x0A000002u);
  BOOST_TEST(q.end == 8u);
  BOOST_TEST(Quad("10.0.0.2:5060").end == 8u);
  BOOST_TEST(Quad("10.0.0.2>").ok);
  BOOST_TEST(Quad("10.0.0.2").ok);  // the limit ends it too
}

BOOST_AUTO_TEST_CASE(dotted_quad_quirks) {
  BOOST_TEST(Quad("010.000.000.002").address == 0x0A000002u);  // leading zeros are decimal
  BOOST_TEST(!Quad("10.0.0.2a").ok);   // a hex letter spoils it
  BOOST_TEST(Quad("10.0.0.2x").ok);    // any other letter ends it
  BOOST_TEST(!Quad("10.0.0.2.").ok);   // a fifth dot
  BOOST_TEST(!Quad("10.0.0").ok);      // three octets
  BOOST_TEST(!Quad("10.0.256.1").ok);  // octet out of range
  BOOST_TEST(!Quad("10..0.1").ok);     // empty octet
  BOOST_TEST(!Quad("").ok);
  BOOST_TEST(!Quad("example.com").ok);
}

BOOST_AUTO_TEST_CASE(dotted_quad_respects_the_limit) {
  const std::string text = "10.0.0.25";
  const DottedQuad q = ParseDottedQuad(text, 0, 8);
  BOOST_TEST(q.ok);
  BOOST_TEST(q.address == 0x0A000002u);
}

BOOST_AUTO_TEST_CASE(unsigned_long_like_simple_strtoul) {
  BOOST_TEST(ParseUnsignedLong("5060;x", 0, 10).value == 5060u);
  BOOST_TEST(ParseUnsignedLong("5060;x", 0, 10).end == 4u);
  BOOST_TEST(ParseUnsignedLong(" 12", 0, 10).end == 0u);  // no blank skipping
  BOOST_TEST(ParseUnsignedLong("0x20", 0, 0).value == 32u);
  BOOST_TEST(ParseUnsignedLong("010", 0, 0).value == 8u);
  BOOST_TEST(ParseUnsignedLong("08", 0, 0).value == 0u);
  BOOST_TEST(ParseUnsignedLong("08", 0, 0).end == 1u);
  BOOST_TEST(static_cast<std::uint32_t>(ParseUnsignedLong("4294972356", 0, 10).value) == 5060u);
}

BOOST_AUTO_TEST_CASE(bounded_uint_like_the_2026_parser) {
  BOOST_TEST(ParseBoundedUint("3600\r\n", 0, 6).value == 3600u);
  BOOST_TEST(ParseBoundedUint("00000000001", 0, 11).value == 1u);  // 11 digits: fine
  const ParsedNumber twelve = ParseBoundedUint("000000000001", 0, 12);
  BOOST_TEST(twelve.value == 0u);
  BOOST_TEST(twelve.end == 0u);
  BOOST_TEST(ParseBoundedUint("4294967295", 0, 10).value == 4294967295u);
  BOOST_TEST(ParseBoundedUint("4294967296", 0, 10).end == 0u);
  BOOST_TEST(ParseBoundedUint("123", 0, 2).value == 12u);  // stops at the limit
}

BOOST_AUTO_TEST_CASE(letters_include_latin1) {
  BOOST_TEST(KernelIsAlpha('a'));
  BOOST_TEST(KernelIsAlpha('\xE9'));
  BOOST_TEST(!KernelIsAlpha('\xD7'));
  BOOST_TEST(!KernelIsAlpha('\xF7'));
  BOOST_TEST(!KernelIsAlpha('\xA0'));
  BOOST_TEST(!KernelIsAlpha('-'));
}

BOOST_AUTO_TEST_CASE(case_insensitive_compare_reads_nul_past_the_end) {
  BOOST_TEST(EqualsNoCaseAt("x SIP:", 2, "sip:"));
  BOOST_TEST(!EqualsNoCaseAt("sip", 0, "sip:"));
  BOOST_TEST(!EqualsAt("IN ip4 ", 0, "IN IP4 "));
}

BOOST_AUTO_TEST_CASE(formatting) {
  BOOST_TEST(FormatIpv4(0xCB007101u) == "203.0.113.1");
  BOOST_TEST(FormatIpv4Port(0x0A000002u, 5060) == "10.0.0.2:5060");
}

BOOST_AUTO_TEST_SUITE_END()
