// TcpMessageAssembler alone: when segments are held, merged, passed or given up.
#include <boost/test/unit_test.hpp>

#include "sim/nat/tcp-message-assembler.h"

#include "ns3/tcp-header.h"

using alglab::nat::Direction;
using alglab::nat::Endpoint;
using alglab::nat::TcpMessageAssembler;
using Action = TcpMessageAssembler::Decision::Action;

namespace {

const std::string kMessage = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 4\r\n\r\nbody";
const TcpMessageAssembler::Key kKey{7, Endpoint{ns3::Ipv4Address("203.0.113.2"), 5060}, Direction::Outbound};
constexpr std::uint8_t kAck = ns3::TcpHeader::ACK;

}  // namespace

BOOST_AUTO_TEST_SUITE(tcp_message_assembler)

BOOST_AUTO_TEST_CASE(a_message_in_two_segments_leaves_once_whole_from_the_first_sequence) {
  TcpMessageAssembler a;
  const std::string first = kMessage.substr(0, 30);
  const std::string rest = kMessage.substr(30) + "\r\n\r\n";  // and a keepalive behind it
  BOOST_TEST((a.Offer(kKey, 1000, first, kAck).action == Action::Hold));
  BOOST_TEST((a.Offer(kKey, 1030, "", kAck).action == Action::Pass));  // a bare ACK goes on
  const auto d = a.Offer(kKey, 1030, rest, kAck);
  BOOST_TEST((d.action == Action::Forward));
  BOOST_TEST(d.sequence == 1000U);
  BOOST_TEST(d.bytes == kMessage + "\r\n\r\n");
  BOOST_REQUIRE(d.pieces.size() == 2U);
  BOOST_TEST(d.pieces[0].message);
  BOOST_TEST(d.pieces[0].length == kMessage.size());
  BOOST_TEST(!d.pieces[1].message);
  BOOST_TEST(a.HeldConnections() == 0U);
  // Two whole messages in one segment: forwarded at once, two pieces.
  const auto two = a.Offer(kKey, 5000, kMessage + kMessage, kAck);
  BOOST_TEST((two.action == Action::Forward));
  BOOST_TEST(two.pieces.size() == 2U);
}

BOOST_AUTO_TEST_CASE(a_retransmission_fin_or_junk_ends_the_wait_and_rst_discards) {
  TcpMessageAssembler a;
  const std::string first = kMessage.substr(0, 30);
  // The sender retransmits the held segment: it gave up waiting, so the held bytes leave as
  // they are (unexamined: no whole message among them).
  BOOST_TEST((a.Offer(kKey, 1000, first, kAck).action == Action::Hold));
  const auto again = a.Offer(kKey, 1000, first, kAck);
  BOOST_TEST((again.action == Action::Forward));
  BOOST_TEST(again.bytes == first);
  BOOST_REQUIRE(again.pieces.size() == 1U);
  BOOST_TEST(!again.pieces[0].message);
  // A FIN after a partial message: everything held leaves with it.
  BOOST_TEST((a.Offer(kKey, 2000, first, kAck).action == Action::Hold));
  const auto fin = a.Offer(kKey, 2030, "x", kAck | ns3::TcpHeader::FIN);
  BOOST_TEST((fin.action == Action::Forward));
  BOOST_TEST(fin.bytes == first + "x");
  // A RST discards what is held; the connection starts afresh.
  BOOST_TEST((a.Offer(kKey, 3000, first, kAck).action == Action::Hold));
  BOOST_TEST((a.Offer(kKey, 3030, "", ns3::TcpHeader::RST).action == Action::Pass));
  BOOST_TEST(a.HeldConnections() == 0U);
  // Bytes no SIP framing can delimit are never held.
  const auto junk = a.Offer(kKey, 4000, "GET / HTTP/1.1\r\nContent-Length: many\r\n\r\n", kAck);
  BOOST_TEST((junk.action == Action::Forward));
  BOOST_TEST(!junk.pieces.front().message);
  // Held state belongs to a mapping: it goes with it.
  BOOST_TEST((a.Offer(kKey, 6000, first, kAck).action == Action::Hold));
  a.ForgetMapping(kKey.mappingId);
  BOOST_TEST(a.HeldConnections() == 0U);
}

BOOST_AUTO_TEST_CASE(at_most_64_kib_are_held) {
  TcpMessageAssembler a;
  std::string head = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 100000\r\n\r\n";
  BOOST_TEST((a.Offer(kKey, 1, head, kAck).action == Action::Hold));
  std::uint32_t seq = 1 + static_cast<std::uint32_t>(head.size());
  Action last = Action::Hold;
  for (int i = 0; i < 200 && last == Action::Hold; ++i) {
    last = a.Offer(kKey, seq, std::string(1000, 'b'), kAck).action;
    seq += 1000;
  }
  BOOST_TEST((last == Action::Forward));
  BOOST_TEST(seq - 1 - head.size() > TcpMessageAssembler::kMaxHeldBytes - 1000);
  BOOST_TEST(seq - 1 - head.size() <= TcpMessageAssembler::kMaxHeldBytes + 1000);
}

BOOST_AUTO_TEST_CASE(a_tls_record_is_never_held) {
  // SIP over TLS: a record header (application data, TLS 1.2, 40 bytes) and the start of its
  // payload. Nothing in it could ever complete a SIP message, so it leaves as it came.
  TcpMessageAssembler a;
  const std::string record = std::string("\x17\x03\x03\x00\x28", 5) + "0123456789";
  const auto d = a.Offer(kKey, 1000, record, kAck);
  BOOST_TEST((d.action == Action::Forward));
  BOOST_TEST(d.bytes == record);
  BOOST_REQUIRE(d.pieces.size() == 1U);
  BOOST_TEST(!d.pieces[0].message);
  BOOST_TEST(a.HeldConnections() == 0U);
  // A partial SIP message is still held (the check is about the first byte only).
  BOOST_TEST((a.Offer(kKey, 3000, kMessage.substr(0, 30), kAck).action == Action::Hold));
}

BOOST_AUTO_TEST_SUITE_END()
