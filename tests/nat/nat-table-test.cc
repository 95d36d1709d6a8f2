// Unit tests of the NAT translation state: no simulation, times are made up.
#define BOOST_TEST_MODULE nat_table
#include <boost/test/unit_test.hpp>

#include "sim/nat/nat-table.h"

#include "ns3/random-variable-stream.h"
#include "ns3/rng-seed-manager.h"

#include <set>
#include <string>
#include <vector>

using namespace alglab::nat;

namespace {

Endpoint Ep(const char* address, std::uint16_t port) { return {ns3::Ipv4Address(address), port}; }
ns3::Time S(double seconds) { return ns3::Seconds(seconds); }

const Endpoint kPhone = Ep("10.0.0.2", 5060);
const Endpoint kProvider = Ep("198.51.100.1", 5060);
const Endpoint kProviderOtherPort = Ep("198.51.100.1", 5080);
const Endpoint kStranger = Ep("198.51.100.9", 5060);
const ns3::Ipv4Address kPublic("203.0.113.1");

NatConfig Config(MappingBehaviour mapping, FilteringBehaviour filtering) {
  NatConfig c;
  c.mapping = mapping;
  c.filtering = filtering;
  return c;
}

struct Table {
  explicit Table(NatConfig config = NatConfig{}) : nat(config) { nat.SetExternalAddress(kPublic); }
  std::uint16_t Out(const Endpoint& internal, const Endpoint& remote, double t) {
    const OutboundResult r = nat.TranslateOutbound(L4Protocol::Udp, internal, remote, 100, S(t));
    BOOST_REQUIRE(r.status == OutboundStatus::Translated);
    BOOST_CHECK(r.external.address == kPublic);
    return r.external.port;
  }
  InboundResult In(const Endpoint& remote, std::uint16_t port, double t) {
    return nat.TranslateInbound(L4Protocol::Udp, remote, port, 100, S(t));
  }
  NatTable nat;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(mapping_behaviour)

BOOST_AUTO_TEST_CASE(endpoint_independent_reuses_the_external_port) {
  Table t(Config(MappingBehaviour::EndpointIndependent, FilteringBehaviour::AddressAndPortDependent));
  const std::uint16_t a = t.Out(kPhone, kProvider, 0);
  const std::uint16_t b = t.Out(kPhone, kStranger, 1);
  BOOST_TEST(a == b);
  BOOST_TEST(t.nat.MappingCount() == 1U);
  BOOST_TEST(t.nat.Mappings().front()->sessions.size() == 2U);
}

BOOST_AUTO_TEST_CASE(address_port_dependent_uses_one_port_per_remote) {
  Table t(Config(MappingBehaviour::AddressAndPortDependent,
                 FilteringBehaviour::AddressAndPortDependent));
  const std::uint16_t a = t.Out(kPhone, kProvider, 0);
  const std::uint16_t b = t.Out(kPhone, kStranger, 1);
  const std::uint16_t c = t.Out(kPhone, kProviderOtherPort, 2);
  BOOST_TEST(a == 5060);  // the first keeps the internal port
  BOOST_TEST(a != b);
  BOOST_TEST(a != c);
  BOOST_TEST(b != c);
  BOOST_TEST(t.nat.MappingCount() == 3U);
  BOOST_TEST(t.Out(kPhone, kProvider, 3) == a);  // and stays stable per remote
}

BOOST_AUTO_TEST_CASE(address_dependent_separates_addresses_not_ports) {
  Table t(Config(MappingBehaviour::AddressDependent, FilteringBehaviour::AddressAndPortDependent));
  const std::uint16_t a = t.Out(kPhone, kProvider, 0);
  BOOST_TEST(t.Out(kPhone, kProviderOtherPort, 1) == a);
  BOOST_TEST(t.Out(kPhone, kStranger, 2) != a);
  BOOST_TEST(t.nat.MappingCount() == 2U);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(filtering_behaviour)

// One mapping phone -> provider:5060, then probes from three sources.
struct Probe {
  InboundStatus exact, samePortOtherAddr, sameAddrOtherPort;
};

Probe Run(FilteringBehaviour filtering) {
  Table t(Config(MappingBehaviour::EndpointIndependent, filtering));
  const std::uint16_t port = t.Out(kPhone, kProvider, 0);
  Probe p{};
  p.sameAddrOtherPort = t.In(kProviderOtherPort, port, 1).status;
  p.samePortOtherAddr = t.In(kStranger, port, 1).status;
  p.exact = t.In(kProvider, port, 1).status;
  BOOST_TEST(static_cast<int>(t.In(kProvider, port + 1, 1).status) ==
             static_cast<int>(InboundStatus::NoMapping));
  return p;
}

BOOST_AUTO_TEST_CASE(endpoint_independent_admits_anyone) {
  const Probe p = Run(FilteringBehaviour::EndpointIndependent);
  BOOST_CHECK(p.exact == InboundStatus::Admitted);
  BOOST_CHECK(p.sameAddrOtherPort == InboundStatus::Admitted);
  BOOST_CHECK(p.samePortOtherAddr == InboundStatus::Admitted);
}

BOOST_AUTO_TEST_CASE(address_dependent_admits_the_known_address_only) {
  const Probe p = Run(FilteringBehaviour::AddressDependent);
  BOOST_CHECK(p.exact == InboundStatus::Admitted);
  BOOST_CHECK(p.sameAddrOtherPort == InboundStatus::Admitted);
  BOOST_CHECK(p.samePortOtherAddr == InboundStatus::Filtered);
}

BOOST_AUTO_TEST_CASE(address_port_dependent_admits_the_known_endpoint_only) {
  const Probe p = Run(FilteringBehaviour::AddressAndPortDependent);
  BOOST_CHECK(p.exact == InboundStatus::Admitted);
  BOOST_CHECK(p.sameAddrOtherPort == InboundStatus::Filtered);
  BOOST_CHECK(p.samePortOtherAddr == InboundStatus::Filtered);
}

BOOST_AUTO_TEST_CASE(admitted_packet_reports_the_internal_endpoint) {
  Table t;
  const std::uint16_t port = t.Out(kPhone, kProvider, 0);
  const InboundResult r = t.In(kProvider, port, 1);
  BOOST_REQUIRE(r.status == InboundStatus::Admitted);
  BOOST_CHECK(r.internal == kPhone);
  BOOST_TEST(!r.viaExpectation);
  BOOST_TEST(r.mapping->replied);
  BOOST_TEST(r.mapping->FindSession(kProvider)->packetsIn == 1U);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(port_allocation)

BOOST_AUTO_TEST_CASE(three_phones_on_5060_get_distinct_ports) {
  Table t;
  const std::uint16_t a = t.Out(Ep("10.0.0.2", 5060), kProvider, 0);
  const std::uint16_t b = t.Out(Ep("10.0.0.3", 5060), kProvider, 0);
  const std::uint16_t c = t.Out(Ep("10.0.0.4", 5060), kProvider, 0);
  BOOST_TEST(a == 5060);
  BOOST_TEST(b == 1024);  // sequential fallback starts at the bottom of the default range
  BOOST_TEST(c == 1025);
  // Replies reach the right phone.
  BOOST_CHECK(t.In(kProvider, b, 1).internal == Ep("10.0.0.3", 5060));
  BOOST_CHECK(t.In(kProvider, c, 1).internal == Ep("10.0.0.4", 5060));
}

BOOST_AUTO_TEST_CASE(preservation_off_and_range_bounds) {
  NatConfig c;
  c.portPreservation = false;
  c.portRangeMin = 30000;
  c.portRangeMax = 30009;
  Table t(c);
  BOOST_TEST(t.Out(kPhone, kProvider, 0) == 30000);
  c.portPreservation = true;  // 5060 lies outside the range: preservation cannot apply
  t.nat.SetConfig(c);
  BOOST_TEST(t.Out(Ep("10.0.0.3", 5060), kProvider, 0) == 30001);
  BOOST_TEST(t.Out(Ep("10.0.0.4", 30005), kProvider, 0) == 30005);
}

BOOST_AUTO_TEST_CASE(parity_is_kept_when_asked) {
  NatConfig c;
  c.portParity = true;
  c.portRangeMin = 4000;
  c.portRangeMax = 4010;
  Table t(c);
  BOOST_TEST(t.Out(Ep("10.0.0.2", 4000), kProvider, 0) == 4000);
  BOOST_TEST(t.Out(Ep("10.0.0.3", 4000), kProvider, 0) == 4002);  // 4001 is odd
  BOOST_TEST(t.Out(Ep("10.0.0.3", 4001), kProvider, 0) == 4001);
  BOOST_TEST(t.Out(Ep("10.0.0.4", 4001), kProvider, 0) == 4003);
}

BOOST_AUTO_TEST_CASE(exhaustion_is_reported_not_fatal) {
  NatConfig c;
  c.portRangeMin = 2000;
  c.portRangeMax = 2001;
  Table t(c);
  t.Out(Ep("10.0.0.2", 5060), kProvider, 0);
  t.Out(Ep("10.0.0.3", 5060), kProvider, 0);
  const OutboundResult r =
      t.nat.TranslateOutbound(L4Protocol::Udp, Ep("10.0.0.4", 5060), kProvider, 1, S(0));
  BOOST_CHECK(r.status == OutboundStatus::PortExhausted);
  BOOST_TEST(r.mapping == nullptr);
  BOOST_TEST(t.nat.GetStats().allocationFailures == 1U);
  // UDP and TCP port spaces are separate.
  BOOST_CHECK(t.nat.TranslateOutbound(L4Protocol::Tcp, Ep("10.0.0.4", 5060), kProvider, 1, S(0))
                  .status == OutboundStatus::Translated);

  NatConfig empty;
  empty.portRangeMin = 9000;
  empty.portRangeMax = 8000;
  BOOST_TEST(empty.Validate().has_value());
  BOOST_TEST(!NatConfig{}.Validate().has_value());
  Table broken(empty);
  BOOST_CHECK(broken.nat.TranslateOutbound(L4Protocol::Udp, kPhone, kProvider, 1, S(0)).status ==
              OutboundStatus::PortExhausted);
}

std::vector<std::uint16_t> RandomPorts(std::int64_t stream) {
  NatConfig c;
  c.allocation = PortAllocation::Random;
  Table t(c);
  auto rng = ns3::CreateObject<ns3::UniformRandomVariable>();
  rng->SetStream(stream);
  t.nat.SetPortPicker([rng](std::uint32_t lo, std::uint32_t hi) { return rng->GetInteger(lo, hi); });
  std::vector<std::uint16_t> ports;
  for (int i = 0; i < 20; ++i) {
    const std::string host = "10.0.1." + std::to_string(i + 1);
    ports.push_back(t.Out(Ep(host.c_str(), 5060), kProvider, 0));
  }
  return ports;
}

BOOST_AUTO_TEST_CASE(random_allocation_is_deterministic_per_stream) {
  ns3::RngSeedManager::SetSeed(7);
  ns3::RngSeedManager::SetRun(1);
  const auto first = RandomPorts(11);
  const auto again = RandomPorts(11);
  const auto other = RandomPorts(12);
  BOOST_TEST(first == again, boost::test_tools::per_element());
  BOOST_TEST(first != other);
  BOOST_TEST(first.front() == 5060);  // preservation still comes first
  const std::set<std::uint16_t> unique(first.begin(), first.end());
  BOOST_TEST(unique.size() == first.size());
  for (std::uint16_t p : first) BOOST_TEST(p >= 1024);
  // Not simply sequential.
  BOOST_TEST(!(first[1] + 1 == first[2] && first[2] + 1 == first[3]));
}

BOOST_AUTO_TEST_CASE(random_allocation_without_picker_is_still_deterministic) {
  NatConfig c;
  c.allocation = PortAllocation::Random;
  c.portPreservation = false;
  Table a(c);
  Table b(c);
  for (int i = 0; i < 5; ++i) {
    const std::string host = "10.0.2." + std::to_string(i + 1);
    BOOST_TEST(a.Out(Ep(host.c_str(), 5060), kProvider, 0) ==
               b.Out(Ep(host.c_str(), 5060), kProvider, 0));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(timeouts)

BOOST_AUTO_TEST_CASE(binding_expires_after_udp_timeout) {
  Table t;
  const std::uint16_t port = t.Out(kPhone, kProvider, 0);
  BOOST_CHECK(t.In(kProvider, port, 119).status == InboundStatus::Admitted);
  BOOST_CHECK(t.In(kProvider, port, 121).status == InboundStatus::NoMapping);
  BOOST_TEST(t.nat.MappingCount() == 0U);  // removed lazily by the lookup
  BOOST_TEST(t.nat.GetStats().mappingsExpired == 1U);
}

BOOST_AUTO_TEST_CASE(outbound_traffic_keeps_the_binding_alive) {
  Table t;
  const std::uint16_t port = t.Out(kPhone, kProvider, 0);
  BOOST_TEST(t.Out(kPhone, kProvider, 100) == port);
  BOOST_TEST(t.Out(kPhone, kProvider, 200) == port);
  BOOST_CHECK(t.In(kProvider, port, 319).status == InboundStatus::Admitted);
  BOOST_CHECK(t.In(kProvider, port, 321).status == InboundStatus::NoMapping);
}

BOOST_AUTO_TEST_CASE(inbound_refresh_is_a_knob) {
  for (bool refresh : {false, true}) {
    NatConfig c;
    c.refreshOnInbound = refresh;
    Table t(c);
    const std::uint16_t port = t.Out(kPhone, kProvider, 0);
    BOOST_CHECK(t.In(kProvider, port, 100).status == InboundStatus::Admitted);
    const InboundStatus later = t.In(kProvider, port, 150).status;
    BOOST_TEST_CONTEXT("refreshOnInbound=" << refresh) {
      BOOST_CHECK(later == (refresh ? InboundStatus::Admitted : InboundStatus::NoMapping));
    }
  }
}

BOOST_AUTO_TEST_CASE(unreplied_bindings_use_their_own_timeout) {
  NatConfig c;
  c.udpUnrepliedTimeout = S(30);
  Table t(c);
  const std::uint16_t port = t.Out(kPhone, kProvider, 0);
  BOOST_CHECK(t.In(kProvider, port, 31).status == InboundStatus::NoMapping);
  const std::uint16_t again = t.Out(kPhone, kProvider, 40);
  BOOST_CHECK(t.In(kProvider, again, 50).status == InboundStatus::Admitted);  // now replied
  t.Out(kPhone, kProvider, 60);  // refresh with the full 120 s
  BOOST_CHECK(t.In(kProvider, again, 170).status == InboundStatus::Admitted);
}

BOOST_AUTO_TEST_CASE(tcp_uses_established_and_transitory_timeouts) {
  Table t;
  auto out = [&](std::uint8_t flags, double at) {
    return t.nat.TranslateOutbound(L4Protocol::Tcp, kPhone, kProvider, 0, S(at), flags);
  };
  auto in = [&](std::uint16_t port, std::uint8_t flags, double at) {
    return t.nat.TranslateInbound(L4Protocol::Tcp, kProvider, port, 0, S(at), flags);
  };
  const std::uint16_t port = out(tcp_flags::kSyn, 0).external.port;
  BOOST_CHECK(t.nat.Mappings().front()->FindSession(kProvider)->tcpState == TcpState::Opening);
  BOOST_CHECK(in(port, tcp_flags::kSyn | tcp_flags::kAck, 1).status == InboundStatus::Admitted);
  out(tcp_flags::kAck, 2);
  BOOST_CHECK(t.nat.Mappings().front()->FindSession(kProvider)->tcpState == TcpState::Established);
  // Established: survives far beyond the transitory 240 s.
  BOOST_CHECK(in(port, tcp_flags::kAck, 3000).status == InboundStatus::Admitted);
  out(tcp_flags::kFin | tcp_flags::kAck, 3001);
  BOOST_CHECK(t.nat.Mappings().front()->FindSession(kProvider)->tcpState == TcpState::Closing);
  BOOST_CHECK(in(port, tcp_flags::kAck, 3001 + 241).status == InboundStatus::NoMapping);
}

BOOST_AUTO_TEST_CASE(tcp_state_and_timeout_belong_to_each_connection) {
  // One endpoint-independent mapping carries two connections (the phone's SIP port to a
  // registrar and to a second proxy). The proxy's connection closes; the registrar's stays
  // established: the mapping lives on for it, while the closed connection's remote is filtered
  // once its transitory timeout passed (RFC 5382 REQ-5 per connection).
  Table t;
  const Endpoint proxy = kStranger;
  auto out = [&](const Endpoint& to, std::uint8_t flags, double at) {
    return t.nat.TranslateOutbound(L4Protocol::Tcp, kPhone, to, 0, S(at), flags);
  };
  auto in = [&](const Endpoint& from, std::uint16_t port, std::uint8_t flags, double at) {
    return t.nat.TranslateInbound(L4Protocol::Tcp, from, port, 0, S(at), flags);
  };
  const std::uint16_t port = out(kProvider, tcp_flags::kSyn, 0).external.port;
  BOOST_TEST(out(proxy, tcp_flags::kSyn, 0).external.port == port);
  for (const Endpoint& remote : {kProvider, proxy}) {
    BOOST_CHECK(in(remote, port, tcp_flags::kSyn | tcp_flags::kAck, 1).status == InboundStatus::Admitted);
    out(remote, tcp_flags::kAck, 2);
  }
  const Mapping* m = t.nat.Mappings().front();
  BOOST_CHECK(m->FindSession(kProvider)->tcpState == TcpState::Established);
  BOOST_CHECK(m->FindSession(proxy)->tcpState == TcpState::Established);
  out(proxy, tcp_flags::kFin | tcp_flags::kAck, 10);
  BOOST_CHECK(t.nat.Mappings().front()->FindSession(proxy)->tcpState == TcpState::Closing);
  BOOST_CHECK(t.nat.Mappings().front()->FindSession(kProvider)->tcpState == TcpState::Established);
  // 1,000 s later (past 240 s): the registrar's connection still passes, the proxy's is gone.
  BOOST_CHECK(in(kProvider, port, tcp_flags::kAck, 1010).status == InboundStatus::Admitted);
  BOOST_CHECK(in(proxy, port, tcp_flags::kAck, 1011).status == InboundStatus::Filtered);
  // Once the established one closes too, the mapping ends with the transitory timeout.
  out(kProvider, tcp_flags::kFin | tcp_flags::kAck, 1020);
  BOOST_CHECK(in(kProvider, port, tcp_flags::kAck, 1020 + 239).status == InboundStatus::Admitted);
  BOOST_CHECK(in(kProvider, port, tcp_flags::kAck, 1259 + 241).status == InboundStatus::NoMapping);
}

BOOST_AUTO_TEST_CASE(sweep_removes_expired_in_id_order) {
  Table t;
  std::vector<std::uint64_t> removed;
  t.nat.SetMappingRemovedCallback([&](const Mapping& m, RemovalReason reason) {
    BOOST_CHECK(reason == RemovalReason::Expired);
    removed.push_back(m.id);
  });
  for (int i = 0; i < 50; ++i) {
    const std::string host = "10.0.3." + std::to_string(i + 1);
    t.Out(Ep(host.c_str(), static_cast<std::uint16_t>(6000 + i)), kProvider, i < 25 ? 0 : 50);
  }
  const SweepResult early = t.nat.Sweep(S(100));
  BOOST_TEST(early.mappingsRemoved == 0U);
  BOOST_REQUIRE(early.nextExpiry.has_value());
  BOOST_TEST(early.nextExpiry->GetSeconds() == 120.0);
  const SweepResult r = t.nat.Sweep(S(130));
  BOOST_TEST(r.mappingsRemoved == 25U);
  BOOST_TEST(removed.size() == 25U);
  BOOST_TEST(std::is_sorted(removed.begin(), removed.end()));
  BOOST_TEST(r.nextExpiry->GetSeconds() == 170.0);
  BOOST_TEST(t.nat.Sweep(S(200)).mappingsRemoved == 25U);
  BOOST_TEST(!t.nat.Sweep(S(200)).nextExpiry.has_value());
  BOOST_TEST(t.nat.Empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(state)

BOOST_AUTO_TEST_CASE(clear_drops_everything) {
  Table t;
  std::vector<std::uint64_t> cleared;
  t.nat.SetMappingRemovedCallback([&](const Mapping& m, RemovalReason reason) {
    BOOST_CHECK(reason == RemovalReason::Cleared);
    cleared.push_back(m.id);
  });
  const std::uint16_t a = t.Out(Ep("10.0.0.2", 5060), kProvider, 0);
  const std::uint16_t b = t.Out(Ep("10.0.0.3", 5060), kProvider, 0);
  Expectation e;
  e.internal = Ep("10.0.0.2", 4000);
  t.nat.AddExpectation(e, S(0));
  t.nat.Clear();
  BOOST_TEST(t.nat.Empty());
  BOOST_TEST(cleared == (std::vector<std::uint64_t>{1, 2}), boost::test_tools::per_element());
  BOOST_CHECK(t.In(kProvider, a, 1).status == InboundStatus::NoMapping);
  BOOST_CHECK(t.In(kProvider, b, 1).status == InboundStatus::NoMapping);
  BOOST_CHECK(t.In(kProvider, 4000, 1).status == InboundStatus::NoMapping);
  // After the "reboot" the second phone may win 5060: the state really is gone.
  BOOST_TEST(t.Out(Ep("10.0.0.3", 5060), kProvider, 2) == 5060);
  BOOST_TEST(t.Out(Ep("10.0.0.2", 5060), kProvider, 2) == 1024);  // cursor restarted
}

BOOST_AUTO_TEST_CASE(lookups_for_the_alg) {
  Table t;
  const std::uint16_t port = t.Out(kPhone, kProvider, 0);
  const Mapping* m = t.nat.FindMapping(L4Protocol::Udp, kPhone, kStranger, S(1));  // EIM
  BOOST_REQUIRE(m != nullptr);
  BOOST_TEST(m->external.port == port);
  BOOST_CHECK(t.nat.FindInternalEndpoint(L4Protocol::Udp, port, S(1)) == kPhone);
  BOOST_TEST(!t.nat.FindInternalEndpoint(L4Protocol::Tcp, port, S(1)).has_value());
  BOOST_TEST(t.nat.FindMappingById(m->id, S(1)) == m);

  // Reserve an RTP port before the phone sends: preserved, no sessions, still filtered.
  const Endpoint rtp = Ep("10.0.0.2", 4000);
  const OutboundResult r = t.nat.ReserveMapping(L4Protocol::Udp, rtp, Endpoint{}, S(1));
  BOOST_REQUIRE(r.status == OutboundStatus::Translated);
  BOOST_TEST(r.created);
  BOOST_TEST(r.external.port == 4000);
  BOOST_CHECK(r.mapping->origin == MappingOrigin::Reserved);
  BOOST_CHECK(t.In(kProvider, 4000, 2).status == InboundStatus::Filtered);
  // The phone's own RTP then uses the reserved mapping.
  BOOST_TEST(t.Out(rtp, kProvider, 3) == 4000);
  BOOST_TEST(!t.nat.ReserveMapping(L4Protocol::Udp, rtp, Endpoint{}, S(4)).created);

  // The id outlives the mapping: `m` dangles once RemoveMapping has erased it.
  const std::uint64_t id = m->id;
  BOOST_TEST(t.nat.SetMappingTimeout(id, S(3600), S(10)));
  BOOST_CHECK(t.In(kProvider, port, 3000).status == InboundStatus::Admitted);
  BOOST_TEST(t.nat.RemoveMapping(id));
  BOOST_TEST(!t.nat.RemoveMapping(id));
  BOOST_TEST(!t.nat.SetMappingTimeout(id, S(1), S(10)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(expectations)

BOOST_AUTO_TEST_CASE(admits_once_then_the_session_takes_over) {
  Table t;
  Expectation e;
  e.externalPort = 40000;
  e.internal = Ep("10.0.0.2", 4000);
  e.timeout = S(30);
  e.owner = 7;
  t.nat.AddExpectation(e, S(0));
  const InboundResult first = t.In(kProvider, 40000, 1);
  BOOST_REQUIRE(first.status == InboundStatus::Admitted);
  BOOST_TEST(first.viaExpectation);
  BOOST_CHECK(first.internal == e.internal);
  BOOST_CHECK(first.mapping->origin == MappingOrigin::Expectation);
  BOOST_TEST(first.mapping->external.port == 40000);
  BOOST_TEST(t.nat.ExpectationCount() == 0U);  // consumed
  // The same remote continues through the session; a different one is filtered (APDF).
  const InboundResult again = t.In(kProvider, 40000, 2);
  BOOST_CHECK(again.status == InboundStatus::Admitted);
  BOOST_TEST(!again.viaExpectation);
  BOOST_CHECK(t.In(kStranger, 40000, 2).status == InboundStatus::Filtered);
  // Outbound from the target reuses the mapping (symmetric RTP).
  BOOST_TEST(t.Out(e.internal, kProvider, 3) == 40000);
  BOOST_TEST(t.nat.GetStats().expectationsMatched == 1U);
}

BOOST_AUTO_TEST_CASE(expire_and_respect_remote_patterns) {
  Table t;
  Expectation e;
  e.externalPort = 0;  // any port
  e.remote = Endpoint{ns3::Ipv4Address("198.51.100.1"), 0};
  e.internal = Ep("10.0.0.2", 5060);
  e.timeout = S(10);
  t.nat.AddExpectation(e, S(0));
  BOOST_CHECK(t.In(kStranger, 5060, 1).status == InboundStatus::NoMapping);  // wrong address
  BOOST_CHECK(t.In(kProvider, 5060, 11).status == InboundStatus::NoMapping);  // expired
  BOOST_TEST(t.nat.ExpectationCount() == 0U);
  BOOST_TEST(t.nat.GetStats().expectationsExpired == 1U);

  t.nat.AddExpectation(e, S(20));
  const InboundResult r = t.In(kProviderOtherPort, 6000, 21);  // any port, any remote port
  BOOST_CHECK(r.status == InboundStatus::Admitted);
  BOOST_TEST(r.mapping->external.port == 6000);
}

BOOST_AUTO_TEST_CASE(opens_a_pinhole_in_an_existing_mapping_only_for_its_target) {
  Table t;
  const std::uint16_t port = t.Out(kPhone, kProvider, 0);
  Expectation wrongTarget;
  wrongTarget.externalPort = port;
  wrongTarget.internal = Ep("10.0.0.9", 5060);
  t.nat.AddExpectation(wrongTarget, S(0));
  BOOST_CHECK(t.In(kStranger, port, 1).status == InboundStatus::Filtered);
  Expectation right = wrongTarget;
  right.internal = kPhone;
  t.nat.AddExpectation(right, S(0));
  const InboundResult r = t.In(kStranger, port, 1);
  BOOST_CHECK(r.status == InboundStatus::Admitted);
  BOOST_TEST(r.viaExpectation);
  BOOST_TEST(t.nat.MappingCount() == 1U);
  BOOST_TEST(r.mapping->sessions.size() == 2U);
}

BOOST_AUTO_TEST_CASE(persistent_and_owner_removal) {
  Table t;
  Expectation e;
  e.externalPort = 5062;
  e.internal = Ep("10.0.0.2", 5062);
  e.persistent = true;
  e.owner = 42;
  t.nat.AddExpectation(e, S(0));
  Expectation other = e;
  other.externalPort = 5064;
  other.owner = 43;
  const std::uint64_t otherId = t.nat.AddExpectation(other, S(0));
  BOOST_CHECK(t.In(kProvider, 5062, 1).status == InboundStatus::Admitted);
  BOOST_CHECK(t.In(kStranger, 5062, 1).status == InboundStatus::Admitted);  // still open
  BOOST_TEST(t.nat.ExpectationCount(42) == 1U);
  BOOST_TEST(t.nat.RemoveExpectations(42) == 1U);
  BOOST_CHECK(t.In(Ep("198.51.100.77", 1), 5062, 2).status == InboundStatus::Filtered);
  BOOST_TEST(t.nat.RemoveExpectation(otherId));
  BOOST_TEST(!t.nat.RemoveExpectation(otherId));
  BOOST_CHECK(t.In(kProvider, 5064, 2).status == InboundStatus::NoMapping);
}

BOOST_AUTO_TEST_CASE(has_expectation_tells_when_a_pinhole_is_used_up) {
  Table t;
  Expectation oneShot;
  oneShot.externalPort = 40000;
  oneShot.internal = Ep("10.0.0.2", 4000);
  oneShot.timeout = S(30);
  const std::uint64_t oneShotId = t.nat.AddExpectation(oneShot, S(0));
  Expectation persistent = oneShot;
  persistent.externalPort = 40002;
  persistent.internal = Ep("10.0.0.2", 4002);
  persistent.persistent = true;
  const std::uint64_t persistentId = t.nat.AddExpectation(persistent, S(0));
  Expectation expiring = oneShot;
  expiring.externalPort = 40004;
  expiring.timeout = S(5);
  const std::uint64_t expiringId = t.nat.AddExpectation(expiring, S(0));
  BOOST_TEST(t.nat.HasExpectation(oneShotId, S(1)));
  BOOST_TEST(!t.nat.HasExpectation(0, S(1)));        // ids start at 1
  BOOST_TEST(!t.nat.HasExpectation(999, S(1)));      // never added

  // A packet through the one-shot pinhole consumes it; the persistent one stays.
  BOOST_CHECK(t.In(kProvider, 40000, 1).status == InboundStatus::Admitted);
  BOOST_TEST(!t.nat.HasExpectation(oneShotId, S(1)));
  BOOST_CHECK(t.In(kProvider, 40002, 1).status == InboundStatus::Admitted);
  BOOST_TEST(t.nat.HasExpectation(persistentId, S(1)));
  // Expired means gone even while the entry still waits for a sweep.
  BOOST_TEST(t.nat.HasExpectation(expiringId, S(4.9)));
  BOOST_TEST(!t.nat.HasExpectation(expiringId, S(5)));
  BOOST_TEST(t.nat.ExpectationCount() == 2U);  // not swept yet
  BOOST_TEST(t.nat.RemoveExpectation(persistentId));
  BOOST_TEST(!t.nat.HasExpectation(persistentId, S(2)));
  const std::uint64_t again = t.nat.AddExpectation(persistent, S(2));
  t.nat.Clear();
  BOOST_TEST(!t.nat.HasExpectation(again, S(2)));
}

BOOST_AUTO_TEST_CASE(forever_timeout_does_not_overflow) {
  Table t;
  Expectation e;
  e.externalPort = 7000;
  e.internal = kPhone;
  e.timeout = ns3::Time::Max();
  t.nat.AddExpectation(e, S(5));
  const SweepResult r = t.nat.Sweep(S(1e6));
  BOOST_TEST(r.expectationsRemoved == 0U);
  BOOST_TEST(!r.nextExpiry.has_value());
  BOOST_CHECK(t.In(kProvider, 7000, 1e6).status == InboundStatus::Admitted);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(names_round_trip) {
  for (auto m : {MappingBehaviour::EndpointIndependent, MappingBehaviour::AddressDependent,
                 MappingBehaviour::AddressAndPortDependent}) {
    BOOST_CHECK(ParseMappingBehaviour(ToString(m)) == m);
  }
  for (auto f : {FilteringBehaviour::EndpointIndependent, FilteringBehaviour::AddressDependent,
                 FilteringBehaviour::AddressAndPortDependent}) {
    BOOST_CHECK(ParseFilteringBehaviour(ToString(f)) == f);
  }
  BOOST_CHECK(ParsePortAllocation("random") == PortAllocation::Random);
  BOOST_TEST(!ParseMappingBehaviour("full-cone").has_value());
  BOOST_TEST(!ParsePortAllocation("").has_value());
}

BOOST_AUTO_TEST_SUITE(limits_and_eviction)

namespace {
NatConfig Limited(std::uint32_t maxMappings, EvictionPolicy policy) {
  NatConfig c;
  c.maxMappings = maxMappings;
  c.eviction = policy;
  return c;
}
std::vector<std::string> Removals(std::vector<std::pair<std::uint16_t, RemovalReason>>& log) {
  std::vector<std::string> out;
  for (const auto& [port, reason] : log) out.push_back(std::to_string(port) + ":" + ToString(reason));
  return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_full_mapping_table_refuses_new_bindings_but_serves_old_ones) {
  Table t(Limited(2, EvictionPolicy::RefuseNew));
  t.Out(Ep("10.0.0.2", 5060), kProvider, 1);
  t.Out(Ep("10.0.0.3", 5060), kProvider, 2);
  const OutboundResult refused =
      t.nat.TranslateOutbound(L4Protocol::Udp, Ep("10.0.0.4", 5060), kProvider, 100, S(3));
  BOOST_CHECK(refused.status == OutboundStatus::TableFull);
  BOOST_TEST(t.nat.MappingCount() == 2U);
  BOOST_TEST(t.nat.GetStats().mappingsRefused == 1U);
  t.Out(Ep("10.0.0.2", 5060), kProvider, 4);  // existing binding: still served
  // An expired binding is not a full table.
  const OutboundResult later =
      t.nat.TranslateOutbound(L4Protocol::Udp, Ep("10.0.0.4", 5060), kProvider, 100, S(200));
  BOOST_CHECK(later.status == OutboundStatus::Translated);
}

BOOST_AUTO_TEST_CASE(evict_oldest_and_least_recently_used_pick_different_victims) {
  for (EvictionPolicy policy : {EvictionPolicy::EvictOldest, EvictionPolicy::EvictLeastRecentlyUsed}) {
    BOOST_TEST_CONTEXT(ToString(policy)) {
      Table t(Limited(2, policy));
      std::vector<std::pair<std::uint16_t, RemovalReason>> log;
      t.nat.SetMappingRemovedCallback(
          [&](const Mapping& m, RemovalReason r) { log.emplace_back(m.internal.port, r); });
      t.Out(Ep("10.0.0.2", 1001), kProvider, 1);  // oldest
      t.Out(Ep("10.0.0.2", 1002), kProvider, 2);
      t.Out(Ep("10.0.0.2", 1001), kProvider, 3);  // ... but the most recently used
      t.Out(Ep("10.0.0.2", 1003), kProvider, 4);  // needs room
      const std::string victim =
          policy == EvictionPolicy::EvictOldest ? "1001:evicted" : "1002:evicted";
      BOOST_TEST(Removals(log) == (std::vector<std::string>{victim}), boost::test_tools::per_element());
      BOOST_TEST(t.nat.MappingCount() == 2U);
      BOOST_TEST(t.nat.GetStats().mappingsEvicted == 1U);
    }
  }
}

BOOST_AUTO_TEST_CASE(expectation_limits_global_and_per_master_mapping) {
  NatConfig c;
  c.maxExpectations = 3;
  c.maxExpectationsPerMapping = 2;
  Table t(c);
  Expectation e;
  e.internal = Ep("10.0.0.2", 4000);
  e.masterMapping = 7;
  e.externalPort = 4000;
  BOOST_TEST(t.nat.AddExpectation(e, S(1)) != 0U);
  e.externalPort = 4002;
  BOOST_TEST(t.nat.AddExpectation(e, S(1)) != 0U);
  e.externalPort = 4004;
  BOOST_TEST(t.nat.AddExpectation(e, S(1)) == 0U);  // master 7 holds two already
  e.masterMapping = 8;
  BOOST_TEST(t.nat.AddExpectation(e, S(1)) != 0U);
  e.masterMapping = 9;
  BOOST_TEST(t.nat.AddExpectation(e, S(1)) == 0U);  // the table holds three
  BOOST_TEST(t.nat.ExpectationCount() == 3U);
  BOOST_TEST(t.nat.GetStats().expectationsRefused == 2U);

  // Evicting: the oldest of the same master makes room, then the oldest overall.
  NatConfig ev = c;
  ev.eviction = EvictionPolicy::EvictOldest;
  t.nat.SetConfig(ev);
  e.masterMapping = 7;
  e.externalPort = 4006;
  const std::uint64_t newest = t.nat.AddExpectation(e, S(2));
  BOOST_TEST(newest != 0U);
  BOOST_TEST(t.nat.ExpectationCount() == 3U);
  BOOST_TEST(t.nat.GetStats().expectationsEvicted == 1U);
  BOOST_TEST(!t.nat.HasExpectation(1, S(2)));  // master 7's first one went
  BOOST_TEST(t.nat.HasExpectation(newest, S(2)));
}

BOOST_AUTO_TEST_CASE(expectations_of_a_master_mapping_die_with_it) {
  Table t;
  t.Out(kPhone, kProvider, 1);
  const Mapping* m = t.nat.FindMapping(L4Protocol::Udp, kPhone, kProvider, S(1));
  BOOST_REQUIRE(m != nullptr);
  Expectation e;
  e.internal = Ep("10.0.0.2", 4000);
  e.masterMapping = m->id;
  t.nat.AddExpectation(e, S(1));
  Expectation free = e;
  free.masterMapping = 0;
  t.nat.AddExpectation(free, S(1));
  BOOST_TEST(t.nat.RemoveMapping(m->id));
  BOOST_TEST(t.nat.ExpectationCount() == 1U);
}

BOOST_AUTO_TEST_CASE(the_admitting_expectation_is_reported) {
  Table t;
  Expectation e;
  e.externalPort = 40000;
  e.internal = Ep("10.0.0.2", 4000);
  e.owner = 42;
  const std::uint64_t id = t.nat.AddExpectation(e, S(1));
  const InboundResult r = t.In(kStranger, 40000, 2);
  BOOST_REQUIRE(r.status == InboundStatus::Admitted);
  BOOST_TEST(r.viaExpectation);
  BOOST_TEST(r.expectationId == id);
  BOOST_TEST(r.expectation.owner == 42U);
}

BOOST_AUTO_TEST_SUITE_END()
