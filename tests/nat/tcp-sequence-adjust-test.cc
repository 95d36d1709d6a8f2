// TCP sequence bookkeeping after length-changing rewrites (part of alglab_nat_table_test): the
// arithmetic on its own, and its place in the table (one per TCP connection, reset by a new SYN).
#include <boost/test/unit_test.hpp>

#include "sim/nat/nat-table.h"

#include <cstdint>
#include <string>
#include <vector>

using alglab::nat::Direction;
using alglab::nat::Endpoint;
using alglab::nat::L4Protocol;
using alglab::nat::NatTable;
using alglab::nat::TcpSequenceAdjust;
namespace tcp_flags = alglab::nat::tcp_flags;

namespace {

constexpr auto kOut = Direction::Outbound;
constexpr auto kIn = Direction::Inbound;

/// A sender's stream cut into segments whose payloads an ALG resizes: replays it through the
/// adjuster and checks that the receiver sees a gap-free stream and that every acknowledgement
/// the receiver could send maps back to a byte boundary the sender really sent.
struct ResizedStream {
  std::uint32_t isn;
  std::vector<std::pair<std::uint32_t, std::int32_t>> segments;  // (original length, delta)
};

void CheckContiguous(const ResizedStream& stream, Direction direction) {
  TcpSequenceAdjust adjust;
  std::uint32_t sent = stream.isn;      // sender's next sequence number
  std::uint32_t received = stream.isn;  // receiver's next expected (translated) number
  for (const auto& [length, delta] : stream.segments) {
    adjust.RecordResize(direction, sent, delta);
    BOOST_TEST(adjust.Sequence(direction, sent) == received);
    const std::uint32_t newLength = static_cast<std::uint32_t>(static_cast<std::int32_t>(length) + delta);
    received += newLength;
    sent += length;
    // The receiver acknowledges everything so far; the sender must read it as "all sent".
    const Direction back = direction == kOut ? kIn : kOut;
    BOOST_TEST(adjust.Acknowledgement(back, received) == sent);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tcp_sequence_adjust)

BOOST_AUTO_TEST_CASE(nothing_recorded_changes_nothing) {
  TcpSequenceAdjust a;
  BOOST_TEST(!a.Active());
  a.RecordResize(kOut, 1000, 0);
  BOOST_TEST(!a.Active());
  BOOST_TEST(a.Sequence(kOut, 1234) == 1234U);
  BOOST_TEST(a.Acknowledgement(kIn, 1234) == 1234U);
}

BOOST_AUTO_TEST_CASE(growth_moves_later_sequence_numbers_and_earlier_ones_stay) {
  TcpSequenceAdjust a;
  // A 100-byte segment at 1000 grew by 12: the segment itself keeps its number, the next one
  // (at 1100 as the phone numbers it) is sent as 1112.
  a.RecordResize(kOut, 1000, 12);
  BOOST_TEST(a.Active());
  BOOST_TEST(a.Sequence(kOut, 1000) == 1000U);
  BOOST_TEST(a.Sequence(kOut, 1100) == 1112U);
  BOOST_TEST(a.Sequence(kOut, 900) == 900U);
  // The remote acknowledges 1112 (all 112 bytes it got): the phone must see 1100.
  BOOST_TEST(a.Acknowledgement(kIn, 1112) == 1100U);
  // An ack inside the resized segment or before it is not shifted.
  BOOST_TEST(a.Acknowledgement(kIn, 1000) == 1000U);
  // The other direction is untouched.
  BOOST_TEST(a.Sequence(kIn, 5000) == 5000U);
  BOOST_TEST(a.Acknowledgement(kOut, 5000) == 5000U);
}

BOOST_AUTO_TEST_CASE(retransmission_of_the_resized_segment_is_not_counted_twice) {
  TcpSequenceAdjust a;
  a.RecordResize(kOut, 1000, 12);
  a.RecordResize(kOut, 1000, 12);  // the same segment again, rewritten again by the ALG
  BOOST_TEST(a.WayOf(kOut).offsetAfter == 12);
  BOOST_TEST(a.Sequence(kOut, 1100) == 1112U);
}

BOOST_AUTO_TEST_CASE(grow_and_shrink_across_several_messages) {
  // SIP messages on one connection: the ALG grows some, shrinks others, leaves some alone.
  CheckContiguous({1000, {{600, 14}, {580, -7}, {400, 0}, {900, 30}, {120, -40}, {700, 2}}}, kOut);
  CheckContiguous({77, {{350, -3}, {350, -3}, {1200, 25}, {10, 0}, {600, -100}}}, kIn);
}

BOOST_AUTO_TEST_CASE(sequence_space_wraps) {
  // The connection's numbers cross 2^32 in the middle of the resized stream.
  CheckContiguous({0xFFFFF000U, {{1500, 20}, {1500, -9}, {1500, 40}, {1500, 0}, {900, -11}}}, kOut);
  TcpSequenceAdjust a;
  a.RecordResize(kOut, 0xFFFFFFF0U, 16);
  BOOST_TEST(a.Sequence(kOut, 0x10U) == 0x20U);  // after the point, across the wrap
  BOOST_TEST(a.Sequence(kOut, 0xFFFFFF00U) == 0xFFFFFF00U);
}

BOOST_AUTO_TEST_CASE(both_directions_at_once) {
  TcpSequenceAdjust a;
  a.RecordResize(kOut, 100, 10);   // outbound segment [100, 200) grew to 110 bytes
  a.RecordResize(kIn, 9000, -5);   // inbound segment [9000, 9300) shrank to 295 bytes
  // An outbound segment after both: its own number +10, its ack of inbound bytes
  // (phone saw 9000 + 295) maps back to the remote's 9300.
  BOOST_TEST(a.Sequence(kOut, 200) == 210U);
  BOOST_TEST(a.Acknowledgement(kOut, 9295) == 9300U);
  BOOST_TEST(a.Sequence(kIn, 9300) == 9295U);
  BOOST_TEST(a.Acknowledgement(kIn, 210) == 200U);
}

BOOST_AUTO_TEST_CASE(reset_forgets_the_offsets) {
  TcpSequenceAdjust a;
  a.RecordResize(kOut, 100, 10);
  a.Reset();
  BOOST_TEST(!a.Active());
  BOOST_TEST(a.Sequence(kOut, 500) == 500U);
}

BOOST_AUTO_TEST_CASE(table_keeps_one_per_tcp_connection_and_a_new_syn_resets_it) {
  NatTable nat;
  nat.SetExternalAddress(ns3::Ipv4Address("203.0.113.1"));
  const Endpoint phone{ns3::Ipv4Address("10.0.0.2"), 5060};
  const Endpoint proxyA{ns3::Ipv4Address("198.51.100.1"), 5060};
  const Endpoint proxyB{ns3::Ipv4Address("198.51.100.2"), 5060};
  const ns3::Time t = ns3::Seconds(1);
  const auto out = nat.TranslateOutbound(L4Protocol::Tcp, phone, proxyA, 0, t, tcp_flags::kSyn);
  BOOST_REQUIRE(out.mapping != nullptr);
  const std::uint64_t id = out.mapping->id;
  nat.TranslateOutbound(L4Protocol::Tcp, phone, proxyB, 0, t, tcp_flags::kSyn);

  TcpSequenceAdjust* a = nat.SequenceAdjust(id, proxyA, t);
  BOOST_REQUIRE(a != nullptr);
  a->RecordResize(kOut, 1, 20);
  // The connection to the other proxy shares the mapping (endpoint-independent) but not the
  // offsets.
  TcpSequenceAdjust* b = nat.SequenceAdjust(id, proxyB, t);
  BOOST_REQUIRE(b != nullptr);
  BOOST_TEST(!b->Active());
  BOOST_TEST(nat.SequenceAdjust(id, proxyA, t)->Active());
  // Data and ACKs keep it; a fresh SYN on the same 4-tuple (a new connection) starts clean.
  nat.TranslateOutbound(L4Protocol::Tcp, phone, proxyA, 100, t, tcp_flags::kAck);
  BOOST_TEST(nat.SequenceAdjust(id, proxyA, t)->Active());
  nat.TranslateOutbound(L4Protocol::Tcp, phone, proxyA, 0, t, tcp_flags::kSyn);
  BOOST_TEST(!nat.SequenceAdjust(id, proxyA, t)->Active());
  // Unknown remote, unknown mapping, and UDP: none.
  BOOST_TEST(nat.SequenceAdjust(id, Endpoint{ns3::Ipv4Address("192.0.2.9"), 1}, t) == nullptr);
  BOOST_TEST(nat.SequenceAdjust(id + 100, proxyA, t) == nullptr);
  const auto udp = nat.TranslateOutbound(L4Protocol::Udp, phone, proxyA, 10, t);
  BOOST_TEST(nat.SequenceAdjust(udp.mapping->id, proxyA, t) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
