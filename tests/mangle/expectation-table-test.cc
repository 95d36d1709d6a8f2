// The kernel expectation table's admission, caps, eviction, timers and flushes.

#include "alg-models/linux-netfilter/expectation-table.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::linuxnf;

namespace {

KernelExpectation Media(std::uint64_t master, ExpectClass klass, std::uint16_t port,
                        Ipv4 source = 0xCB007102u) {
  KernelExpectation e;
  e.master = master;
  e.klass = klass;
  e.sourceMasked = source != 0;
  e.source.address = source;
  e.destination = L4Endpoint{0xCB007101u, port};
  return e;
}

const ns3::Time kT0 = ns3::Seconds(10);

}  // namespace

BOOST_AUTO_TEST_SUITE(expectation_table)

BOOST_AUTO_TEST_CASE(identical_pinhole_of_same_class_and_master_is_replaced) {
  ExpectationTable table;
  KernelExpectation a = Media(1, ExpectClass::Audio, 4000);
  BOOST_TEST((table.Insert(a, true, kT0) == ExpectResult::Inserted));
  KernelExpectation b = Media(1, ExpectClass::Audio, 4000);
  BOOST_TEST((table.Insert(b, true, kT0) == ExpectResult::Inserted));
  BOOST_TEST(table.Size() == 1u);
  BOOST_TEST(table.Find(a.id) == nullptr);
  BOOST_TEST(table.Find(b.id) != nullptr);
}

BOOST_AUTO_TEST_CASE(identical_pinhole_of_other_class_or_master_is_already_there) {
  ExpectationTable table;
  KernelExpectation a = Media(1, ExpectClass::Audio, 4000);
  table.Insert(a, true, kT0);
  KernelExpectation video = Media(1, ExpectClass::Video, 4000);
  BOOST_TEST((table.Insert(video, true, kT0) == ExpectResult::Already));
  KernelExpectation other = Media(2, ExpectClass::Audio, 4000);
  BOOST_TEST((table.Insert(other, true, kT0) == ExpectResult::Already));
  // Without the media rule, another master's identical pinhole merely clashes.
  BOOST_TEST((table.Insert(other, false, kT0) == ExpectResult::Busy));
}

BOOST_AUTO_TEST_CASE(overlapping_sources_clash) {
  ExpectationTable table;
  KernelExpectation any = Media(1, ExpectClass::Signalling, 4000, 0);
  table.Insert(any, false, kT0);
  KernelExpectation masked = Media(1, ExpectClass::Audio, 4000);
  BOOST_TEST((table.Insert(masked, true, kT0) == ExpectResult::Busy));
  KernelExpectation elsewhere = Media(1, ExpectClass::Audio, 4002);
  BOOST_TEST((table.Insert(elsewhere, true, kT0) == ExpectResult::Inserted));
  KernelExpectation otherSource = Media(3, ExpectClass::Audio, 4002, 0x01020304u);
  BOOST_TEST((table.Insert(otherSource, true, kT0) == ExpectResult::Inserted));
}

BOOST_AUTO_TEST_CASE(caps_evict_the_oldest_of_the_class) {
  ExpectationTable table;
  std::vector<std::uint64_t> ids;
  for (std::uint16_t port = 4000; port < 4010; port += 2) {
    KernelExpectation e = Media(1, ExpectClass::Audio, port);
    BOOST_TEST((table.Insert(e, true, kT0) == ExpectResult::Inserted));
    ids.push_back(e.id);
  }
  BOOST_TEST(table.Count(1, ExpectClass::Audio) == 4u);
  BOOST_TEST(table.Find(ids[0]) == nullptr);  // the fifth evicted the first
  BOOST_TEST(table.Find(ids[1]) != nullptr);
  for (std::uint16_t port = 5000; port < 5006; port += 2) {
    KernelExpectation e = Media(1, ExpectClass::Image, port);
    table.Insert(e, true, kT0);
  }
  BOOST_TEST(table.Count(1, ExpectClass::Image) == 2u);
  KernelExpectation s1 = Media(1, ExpectClass::Signalling, 5060);
  KernelExpectation s2 = Media(1, ExpectClass::Signalling, 5062);
  table.Insert(s1, false, kT0);
  table.Insert(s2, false, kT0);
  BOOST_TEST(table.Count(1, ExpectClass::Signalling) == 1u);
  BOOST_TEST(table.Find(s2.id) != nullptr);
  BOOST_TEST(table.Count(2, ExpectClass::Audio) == 0u);  // caps are per master
}

BOOST_AUTO_TEST_CASE(table_limit) {
  ExpectPolicy policy;
  policy.tableMax = 2;
  ExpectationTable table(policy);
  KernelExpectation a = Media(1, ExpectClass::Audio, 4000);
  KernelExpectation b = Media(2, ExpectClass::Audio, 4000, 0x01010101u);
  KernelExpectation c = Media(3, ExpectClass::Audio, 4000, 0x02020202u);
  table.Insert(a, true, kT0);
  table.Insert(b, true, kT0);
  BOOST_TEST((table.Insert(c, true, kT0) == ExpectResult::Full));
}

BOOST_AUTO_TEST_CASE(pinholes_expire_after_the_policy_timeout) {
  ExpectationTable table;
  KernelExpectation a = Media(1, ExpectClass::Audio, 4000);
  table.Insert(a, true, kT0);
  table.Expire(kT0 + ns3::Seconds(179));
  BOOST_TEST(table.Size() == 1u);
  table.Expire(kT0 + ns3::Seconds(180));
  BOOST_TEST(table.Size() == 0u);
}

BOOST_AUTO_TEST_CASE(flush_media_or_one_signalling) {
  ExpectationTable table;
  KernelExpectation a = Media(1, ExpectClass::Audio, 4000);
  KernelExpectation v = Media(1, ExpectClass::Video, 4002);
  KernelExpectation s = Media(1, ExpectClass::Signalling, 5060);
  KernelExpectation o = Media(2, ExpectClass::Audio, 4004);
  for (KernelExpectation* e : {&a, &v, &s, &o}) table.Insert(*e, true, kT0);
  table.Flush(1, true, kT0);
  BOOST_TEST(table.Size() == 2u);
  BOOST_TEST(table.Find(s.id) != nullptr);
  BOOST_TEST(table.Find(o.id) != nullptr);
  table.Flush(1, false, kT0);
  BOOST_TEST(table.Find(s.id) == nullptr);
  BOOST_TEST(table.RemoveMaster(2) == 1u);
}

BOOST_AUTO_TEST_CASE(refresh_activates_and_retimes_signalling) {
  ExpectationTable table;
  KernelExpectation s = Media(1, ExpectClass::Signalling, 5060);
  s.inactive = true;
  s.permanent = true;
  table.Insert(s, false, kT0);
  BOOST_TEST(!table.RefreshSignalling(1, {0xCB007101u, 5062}, kProtoUdp, ns3::Seconds(600), kT0));
  BOOST_TEST(table.RefreshSignalling(1, {0xCB007101u, 5060}, kProtoUdp, ns3::Seconds(600), kT0));
  BOOST_TEST(!table.Find(s.id)->inactive);
  table.Expire(kT0 + ns3::Seconds(599));
  BOOST_TEST(table.Size() == 1u);
  table.Expire(kT0 + ns3::Seconds(600));
  BOOST_TEST(table.Size() == 0u);
}

BOOST_AUTO_TEST_CASE(find_admitting_honours_the_source_mask) {
  ExpectationTable table;
  KernelExpectation a = Media(1, ExpectClass::Audio, 4000);
  table.Insert(a, true, kT0);
  BOOST_TEST(table.FindAdmitting(0xCB007102u, {0xCB007101u, 4000}, kProtoUdp, kT0) != nullptr);
  BOOST_TEST(table.FindAdmitting(0x01020304u, {0xCB007101u, 4000}, kProtoUdp, kT0) == nullptr);
  BOOST_TEST(table.FindAdmitting(0xCB007102u, {0xCB007101u, 4000}, kProtoTcp, kT0) == nullptr);
}

BOOST_AUTO_TEST_CASE(listener_hears_every_change_in_order) {
  ExpectationTable table;
  std::vector<std::pair<std::uint64_t, ExpectEvent>> events;
  table.SetListener([&](const KernelExpectation& e, ExpectEvent ev) { events.emplace_back(e.id, ev); });
  KernelExpectation a = Media(1, ExpectClass::Signalling, 5060);
  table.Insert(a, false, kT0);
  table.RefreshSignalling(1, {0xCB007101u, 5060}, kProtoUdp, ns3::Seconds(60), kT0);
  table.Clear();
  BOOST_REQUIRE_EQUAL(events.size(), 3u);
  BOOST_TEST((events[0].second == ExpectEvent::Added));
  BOOST_TEST((events[1].second == ExpectEvent::Updated));
  BOOST_TEST((events[2].second == ExpectEvent::Removed));
}

BOOST_AUTO_TEST_SUITE_END()
