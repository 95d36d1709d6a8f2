#include "sim/sip/message-framer.h"
#include "sim/sip/opaque-tls.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::sip;
using alglab::sip::test::MinimalInvite;

BOOST_AUTO_TEST_SUITE(opaque_tls)

BOOST_AUTO_TEST_CASE(records_carry_application_data_and_no_sip_text) {
  const std::string invite = MinimalInvite();
  OpaqueTlsWriter writer;
  const std::string wire = writer.Seal(invite);
  BOOST_REQUIRE_EQUAL(wire.size(), invite.size() + kTlsHeaderBytes);
  BOOST_TEST(static_cast<unsigned>(static_cast<std::uint8_t>(wire[0])) == 23u);
  BOOST_TEST(static_cast<unsigned>(static_cast<std::uint8_t>(wire[1])) == 3u);
  BOOST_TEST(static_cast<unsigned>(static_cast<std::uint8_t>(wire[2])) == 3u);
  BOOST_TEST(((static_cast<std::uint8_t>(wire[3]) << 8) | static_cast<std::uint8_t>(wire[4])) ==
             static_cast<int>(invite.size()));
  // What an ALG looks for is not there, and a SIP parser refuses the bytes.
  for (const char* word : {"INVITE", "SIP/2.0", "Via", "192.0.2", "Contact"})
    BOOST_TEST(wire.find(word) == std::string::npos, word);
  BOOST_TEST(!ParseMessage(wire).Ok());
  BOOST_TEST(!ParseMessage(wire.substr(kTlsHeaderBytes)).Ok());
}

BOOST_AUTO_TEST_CASE(reader_decodes_records_split_anywhere) {
  const std::string a = MinimalInvite(), b = "\r\n\r\n", c = MinimalInvite("Subject: x\r\n");
  OpaqueTlsWriter writer;
  std::string wire = writer.Seal(a);  // one call per statement: the order is the stream's
  wire += writer.Seal(b);
  wire += writer.Seal(c);
  for (std::size_t cut : {std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{200}}) {
    OpaqueTlsReader reader;
    std::string plain;
    for (std::size_t at = 0; at < wire.size(); at += cut) plain += reader.Feed(wire.substr(at, cut));
    BOOST_TEST(plain == a + b + c, "segments of " << cut);
    BOOST_TEST(reader.Buffered() == 0u);
    BOOST_TEST(!reader.Failed());
    MessageFramer framer;
    framer.Feed(plain);
    auto first = framer.Next();
    BOOST_REQUIRE(first.has_value());
    BOOST_TEST(first->Ok());
  }
}

BOOST_AUTO_TEST_CASE(the_mask_follows_the_stream_offset) {
  // The same text sealed twice on one direction gives different bytes; a second connection's
  // writer starts over and gives the first bytes again.
  OpaqueTlsWriter one, two;
  const std::string first = one.Seal("REGISTER");
  const std::string second = one.Seal("REGISTER");
  BOOST_TEST(first.substr(kTlsHeaderBytes) != second.substr(kTlsHeaderBytes));
  BOOST_TEST(two.Seal("REGISTER") == first);
  BOOST_TEST(one.Offset() == 16u);
}

BOOST_AUTO_TEST_CASE(large_input_is_cut_into_records_of_at_most_16384_bytes) {
  const std::string big(40000, 'x');
  OpaqueTlsWriter writer;
  const std::string wire = writer.Seal(big);
  BOOST_TEST(wire.size() == big.size() + 3 * kTlsHeaderBytes);
  OpaqueTlsReader reader;
  BOOST_TEST(reader.Feed(wire) == big);
}

BOOST_AUTO_TEST_CASE(plain_sip_on_a_tls_connection_fails_the_stream) {
  OpaqueTlsReader reader;
  BOOST_TEST(reader.Feed(MinimalInvite()).empty());
  BOOST_TEST(reader.Failed());
  OpaqueTlsWriter writer;
  BOOST_TEST(reader.Feed(writer.Seal("OPTIONS")).empty());  // nothing after a failure
  OpaqueTlsReader versioned;
  std::string record = writer.Seal("x");
  record[2] = 0x01;  // TLS 1.0
  BOOST_TEST(versioned.Feed(record).empty());
  BOOST_TEST(versioned.Failed());
}

BOOST_AUTO_TEST_SUITE_END()
