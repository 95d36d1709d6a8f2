#include "sim/sip/rtp-packet.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::sip;

BOOST_AUTO_TEST_SUITE(rtp_packet)

BOOST_AUTO_TEST_CASE(serialize_layout_is_rfc3550) {
  RtpHeader h;
  h.payloadType = 8;
  h.marker = true;
  h.sequence = 0x1234;
  h.timestamp = 0xA0B0C0D0;
  h.ssrc = 0x01020304;
  const std::vector<std::uint8_t> payload(kG711FrameBytes, 0xD5);
  const auto bytes = h.Serialize(payload);
  BOOST_REQUIRE(bytes.size() == RtpHeader::kSize + kG711FrameBytes);
  const std::vector<std::uint8_t> head(bytes.begin(), bytes.begin() + 12);
  const std::vector<std::uint8_t> expected = {0x80, 0x88, 0x12, 0x34, 0xA0, 0xB0,
                                              0xC0, 0xD0, 0x01, 0x02, 0x03, 0x04};
  BOOST_TEST(head == expected, boost::test_tools::per_element());
  BOOST_TEST(bytes.back() == 0xD5);
}

BOOST_AUTO_TEST_CASE(parse_round_trip) {
  RtpHeader h;
  h.payloadType = 0;
  h.sequence = 65535;
  h.timestamp = 160 * 1000;
  h.ssrc = 0xDEADBEEF;
  const auto bytes = h.Serialize({});
  const auto back = RtpHeader::Parse(bytes.data(), bytes.size());
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(back->payloadType == 0);
  BOOST_TEST(!back->marker);
  BOOST_TEST(back->sequence == 65535);
  BOOST_TEST(back->timestamp == 160000u);
  BOOST_TEST(back->ssrc == 0xDEADBEEFu);
}

BOOST_AUTO_TEST_CASE(rejects_short_or_wrong_version) {
  const auto bytes = RtpHeader{}.Serialize({1, 2, 3});
  BOOST_TEST(!RtpHeader::Parse(bytes.data(), 11).has_value());
  BOOST_TEST(!RtpHeader::Parse(nullptr, 0).has_value());
  auto v1 = bytes;
  v1[0] = 0x40;  // version 1
  BOOST_TEST(!RtpHeader::Parse(v1.data(), v1.size()).has_value());
  BOOST_TEST(kG711TimestampStep == 160u);
}

BOOST_AUTO_TEST_SUITE_END()
