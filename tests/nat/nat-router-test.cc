// The NAT router inside a small ns-3 office: real sockets on both sides, checksums on.
#define BOOST_TEST_MODULE nat_router
#include <boost/test/unit_test.hpp>

#include "tests/nat/nat-test-lab.h"

#include "ns3/applications-module.h"

#include <unistd.h>

#include <filesystem>

#include <sstream>

using namespace ns3;
using alglab::alg::AlgModel;
using alglab::alg::HookPoint;
using alglab::alg::Mechanism;
using alglab::alg::PacketContext;
using alglab::alg::Verdict;
using alglab::alg::VerdictKind;
using alglab::nat::Direction;
using alglab::nat::FiveTuple;
using alglab::nat::NatRoutingHelper;
using alglab::nat::test::NatTestLab;
using alglab::nat::test::UdpProbe;

namespace alglab::nat::test {

/// A mechanism for tests: grows "PING" outbound, shrinks "PONG-LONG-ORIGINAL" inbound, drops
/// "DROPME", and records every call.
class RewritingMechanism : public Mechanism {
 public:
  struct Call {
    Direction direction;
    FiveTuple original;
    FiveTuple translated;
    std::string payload;
  };
  static TypeId GetTypeId() {
    static TypeId tid = TypeId("alglab::test::RewritingMechanism")
                            .SetParent<Mechanism>()
                            .AddConstructor<RewritingMechanism>()
                            .AddAttribute("Tag", "Marks which configuration built the object.",
                                          StringValue("factory"),
                                          MakeStringAccessor(&RewritingMechanism::m_tag),
                                          MakeStringChecker());
    return tid;
  }
  Verdict Process(PacketContext& context) override {
    const std::string payload = context.Payload();
    calls.push_back(Call{context.direction, context.original, context.translated, payload});
    if (payload == "DROPME") return Verdict::Drop("test-drop");
    if (context.direction == Direction::Outbound && payload == "PING") {
      context.MutablePayload() = "PING-REWRITTEN-OUTBOUND";
    } else if (context.direction == Direction::Inbound && payload == "PONG-LONG-ORIGINAL") {
      context.MutablePayload() = "PONG";
    }
    return Verdict::Accept();
  }
  void OnRouterReboot() override { ++reboots; }
  std::string Name() const override { return "test-rewriter"; }

  std::string m_tag;
  int reboots = 0;
  std::vector<Call> calls;
};

NS_OBJECT_ENSURE_REGISTERED(RewritingMechanism);

/// The model around it: the rewriter after SNAT and after DNAT.
class RewritingAlg : public AlgModel {
 public:
  static TypeId GetTypeId() {
    static TypeId tid =
        TypeId("alglab::test::RewritingAlg").SetParent<AlgModel>().AddConstructor<RewritingAlg>();
    return tid;
  }
  RewritingAlg() : mechanism(CreateObject<RewritingMechanism>()) {
    Attach(HookPoint::OutboundPostSnat, 0, mechanism);
    Attach(HookPoint::InboundPostDnat, 0, mechanism);
  }
  std::string Name() const override { return "test-rewriter"; }
  Ptr<RewritingMechanism> mechanism;
};

NS_OBJECT_ENSURE_REGISTERED(RewritingAlg);

/// A mechanism for tests: sends "TO-<port>" payloads to that destination port (either
/// direction), records the mappings the router reports removed, and on each removal takes away
/// the expectation it was told to watch (mechanisms may do that from the callback).
class RedirectingMechanism : public Mechanism {
 public:
  static TypeId GetTypeId() {
    static TypeId tid = TypeId("alglab::test::RedirectingMechanism").SetParent<Mechanism>();
    return tid;
  }
  Verdict Process(PacketContext& context) override {
    const std::string& payload = context.Payload();
    if (payload.rfind("TO-", 0) == 0) {
      context.redirectDestinationPort = static_cast<std::uint16_t>(std::stoul(payload.substr(3)));
    }
    return Verdict::Accept();
  }
  void OnMappingRemoved(const Mapping& mapping, NatTable& nat) override {
    removed.push_back(mapping);
    removedAt.push_back(Simulator::Now().GetSeconds());
    if (watchedExpectation != 0) nat.RemoveExpectation(watchedExpectation);
  }
  std::string Name() const override { return "test-redirector"; }

  std::vector<Mapping> removed;
  std::vector<double> removedAt;
  std::uint64_t watchedExpectation = 0;
};

NS_OBJECT_ENSURE_REGISTERED(RedirectingMechanism);

class RedirectingAlg : public AlgModel {
 public:
  static TypeId GetTypeId() {
    static TypeId tid = TypeId("alglab::test::RedirectingAlg").SetParent<AlgModel>();
    return tid;
  }
  RedirectingAlg() : mechanism(CreateObject<RedirectingMechanism>()) {
    Attach(HookPoint::OutboundPostSnat, 0, mechanism);
    Attach(HookPoint::InboundPostDnat, 0, mechanism);
  }
  std::string Name() const override { return "test-redirector"; }
  Ptr<RedirectingMechanism> mechanism;
};

NS_OBJECT_ENSURE_REGISTERED(RedirectingAlg);

}  // namespace alglab::nat::test

using alglab::nat::test::RedirectingAlg;
using alglab::nat::test::RewritingAlg;

namespace {

const Ipv4Address kPublic(NatTestLab::kPublic);
const Ipv4Address kWanHost(NatTestLab::kWanHost);

std::vector<std::string> DropReasons(const NatTestLab& lab) {
  std::vector<std::string> out;
  for (const auto& d : lab.drops) out.push_back(d.reason);
  return out;
}

void CheckNoLeak(const NatTestLab& lab) {
  BOOST_TEST(lab.wanObserver.packets > 0U);
  BOOST_TEST(lab.wanObserver.privateSources == 0U);
  BOOST_TEST(lab.wanObserver.badUdpChecksums == 0U);
  BOOST_TEST(lab.lanObserver.badUdpChecksums == 0U);
}

}  // namespace

BOOST_AUTO_TEST_CASE(outbound_is_translated_and_the_reply_returns) {
  NatTestLab lab;
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  server.AutoReply();
  phone.SendAt(1.0, kWanHost, 9000, "hello");
  lab.RunUntil(3);

  BOOST_REQUIRE(server.Received().size() == 1U);
  BOOST_CHECK(server.Received()[0].from == kPublic);
  BOOST_TEST(server.Received()[0].fromPort == 5060);  // port preserved
  BOOST_TEST(server.Received()[0].payload == "hello");
  BOOST_REQUIRE(phone.Received().size() == 1U);
  BOOST_CHECK(phone.Received()[0].from == kWanHost);
  BOOST_TEST(phone.Received()[0].fromPort == 9000);
  BOOST_TEST(phone.Received()[0].payload == "re:hello");
  CheckNoLeak(lab);
  BOOST_TEST(lab.translations == 1);
  const auto& c = lab.Nat()->GetCounters();
  BOOST_TEST(c.translatedOutbound == 1U);
  BOOST_TEST(c.translatedInbound == 1U);
  BOOST_TEST(c.forwarded == 2U);
  BOOST_TEST(c.dropped == 0U);

  std::ostringstream table;
  lab.Nat()->PrintRoutingTable(Create<OutputStreamWrapper>(&table));
  BOOST_TEST(table.str().find("public 203.0.113.1") != std::string::npos);
  BOOST_TEST(table.str().find("1 mappings") != std::string::npos);
}

void RunUnsolicited(const std::string& filtering, std::size_t expectedAtPhone,
                    const std::vector<std::string>& expectedDrops) {
  NatTestLab lab([&](NatRoutingHelper& h) {
    BOOST_REQUIRE(h.SetAttribute("Filtering", StringValue(filtering)));
  });
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  UdpProbe stranger(lab.WanHost(), 9001);
  phone.SendAt(1.0, kWanHost, 9000, "register");
  stranger.SendAt(2.0, kPublic, 5060, "invite");  // other WAN port, same host
  stranger.SendAt(2.5, kPublic, 7777, "scan");    // no mapping at all
  lab.RunUntil(4);
  BOOST_TEST_CONTEXT("filtering " << filtering) {
    BOOST_TEST(server.Received().size() == 1U);
    BOOST_REQUIRE(phone.Received().size() == expectedAtPhone);
    if (expectedAtPhone > 0) BOOST_TEST(phone.Received()[0].fromPort == 9001);
    BOOST_TEST(DropReasons(lab) == expectedDrops, boost::test_tools::per_element());
    CheckNoLeak(lab);
  }
}

BOOST_AUTO_TEST_CASE(unsolicited_inbound_is_filtered_under_apdf) {
  RunUnsolicited("address-port-dependent", 0, {"filtered", "no-mapping"});
}

BOOST_AUTO_TEST_CASE(unsolicited_inbound_is_admitted_under_eif) {
  RunUnsolicited("endpoint-independent", 1, {"no-mapping"});
}

BOOST_AUTO_TEST_CASE(reboot_drops_mappings_and_traffic_during_boot) {
  NatTestLab lab([](NatRoutingHelper& h) {
    BOOST_REQUIRE(h.SetAttribute("BootTime", TimeValue(Seconds(5))));
  });
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  std::vector<double> reboots;
  lab.Nat()->TraceConnectWithoutContext(
      "Reboot", Callback<void, Time>([&](Time t) { reboots.push_back(t.GetSeconds()); }));
  bool downAt3 = false;
  bool downAt8 = true;

  phone.SendAt(1.0, kWanHost, 9000, "before");
  server.SendAt(1.5, kPublic, 5060, "r1");  // mapping exists: delivered
  Simulator::Schedule(Seconds(2), &alglab::nat::NatRoutingProtocol::Reboot, lab.Nat());
  Simulator::Schedule(Seconds(3), [&] { downAt3 = lab.Nat()->IsRebooting(); });
  phone.SendAt(3.0, kWanHost, 9000, "during-boot");  // router down: dropped
  server.SendAt(4.0, kPublic, 5060, "r2");           // router down: dropped
  Simulator::Schedule(Seconds(8), [&] { downAt8 = lab.Nat()->IsRebooting(); });
  server.SendAt(8.0, kPublic, 5060, "r3");  // router up, mapping gone: dropped
  phone.SendAt(9.0, kWanHost, 9000, "again");
  server.SendAt(9.5, kPublic, 5060, "r4");  // mapping re-created: delivered
  lab.RunUntil(11);

  BOOST_TEST(reboots == (std::vector<double>{2.0}), boost::test_tools::per_element());
  BOOST_TEST(downAt3);
  BOOST_TEST(!downAt8);
  BOOST_REQUIRE(server.Received().size() == 2U);
  BOOST_TEST(server.Received()[0].payload == "before");
  BOOST_TEST(server.Received()[1].payload == "again");
  BOOST_REQUIRE(phone.Received().size() == 2U);
  BOOST_TEST(phone.Received()[0].payload == "r1");
  BOOST_TEST(phone.Received()[1].payload == "r4");
  BOOST_TEST(DropReasons(lab) == (std::vector<std::string>{"rebooting", "rebooting", "no-mapping"}),
             boost::test_tools::per_element());
  BOOST_TEST(lab.translations == 2);
  CheckNoLeak(lab);
}

BOOST_AUTO_TEST_CASE(phones_sharing_a_source_port_get_distinct_public_ports) {
  NatTestLab lab;
  std::vector<std::unique_ptr<UdpProbe>> phones;
  for (int i = 0; i < 3; ++i) {
    phones.push_back(std::make_unique<UdpProbe>(lab.LanHost(i), 5060));
    phones.back()->SendAt(1.0 + 0.1 * i, kWanHost, 5060, "phone-" + std::to_string(i));
  }
  UdpProbe provider(lab.WanHost(), 5060);
  provider.AutoReply();
  lab.RunUntil(3);

  BOOST_REQUIRE(provider.Received().size() == 3U);
  std::set<std::uint16_t> ports;
  for (const auto& d : provider.Received()) {
    BOOST_CHECK(d.from == kPublic);
    ports.insert(d.fromPort);
  }
  BOOST_TEST(ports.size() == 3U);
  BOOST_TEST(provider.Received()[0].fromPort == 5060);  // the first phone keeps its port
  for (int i = 0; i < 3; ++i) {
    BOOST_REQUIRE(phones[i]->Received().size() == 1U);
    BOOST_TEST(phones[i]->Received()[0].payload == "re:phone-" + std::to_string(i));
  }
  BOOST_TEST(lab.Nat()->GetNatTable().MappingCount() == 3U);
  CheckNoLeak(lab);
}

BOOST_AUTO_TEST_CASE(alg_rewrites_payloads_in_both_directions_and_can_drop) {
  Ptr<RewritingAlg> alg = CreateObject<RewritingAlg>();
  NatTestLab lab;
  lab.Nat()->SetAlgModel(alg);
  struct Action {
    Direction direction;
    VerdictKind verdict;
    std::uint32_t before;
    std::uint32_t after;
    bool modified;
  };
  std::vector<Action> actions;
  lab.Nat()->TraceConnectWithoutContext(
      "AlgAction",
      Callback<void, Direction, VerdictKind, std::uint32_t, std::uint32_t, bool>(
          [&](Direction d, VerdictKind v, std::uint32_t b, std::uint32_t a, bool m) {
            actions.push_back(Action{d, v, b, a, m});
          }));
  struct Message {
    VerdictKind verdict;
    std::string before;
    std::string after;
    std::string reason;
    std::string by;
  };
  std::vector<Message> messages;  // only what the ALG changed or dropped
  lab.Nat()->TraceConnectWithoutContext(
      "AlgMessage",
      Callback<void, Direction, VerdictKind, const std::string&, const std::string&, const std::string&,
               const std::string&>(
          [&](Direction, VerdictKind v, const std::string& b, const std::string& a, const std::string& r,
              const std::string& by) {
            messages.push_back(Message{v, b, a, r, by});
          }));
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  server.AutoReply("PONG-LONG-ORIGINAL");
  phone.SendAt(1.0, kWanHost, 9000, "PING");
  phone.SendAt(2.0, kWanHost, 9000, "DROPME");
  lab.RunUntil(4);

  // The rewritten datagrams arrive intact: checksums are on, so a stale checksum would have
  // made the receiving UDP stack discard them.
  BOOST_REQUIRE(server.Received().size() == 1U);
  BOOST_TEST(server.Received()[0].payload == "PING-REWRITTEN-OUTBOUND");
  BOOST_REQUIRE(phone.Received().size() == 1U);
  BOOST_TEST(phone.Received()[0].payload == "PONG");
  CheckNoLeak(lab);

  BOOST_REQUIRE(actions.size() == 3U);
  BOOST_CHECK(actions[0].direction == Direction::Outbound);
  BOOST_CHECK(actions[0].verdict == VerdictKind::Accept);
  BOOST_TEST(actions[0].before == 4U);
  BOOST_TEST(actions[0].after == 23U);
  BOOST_TEST(actions[0].modified);
  BOOST_CHECK(actions[1].direction == Direction::Inbound);
  BOOST_TEST(actions[1].before == 18U);
  BOOST_TEST(actions[1].after == 4U);
  BOOST_CHECK(actions[2].verdict == VerdictKind::Drop);
  BOOST_TEST(!actions[2].modified);
  BOOST_TEST(DropReasons(lab) == (std::vector<std::string>{"alg:test-drop"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(messages.size() == 3U);
  BOOST_TEST(messages[0].before == "PING");
  BOOST_TEST(messages[0].after == "PING-REWRITTEN-OUTBOUND");
  BOOST_TEST(messages[1].after == "PONG");
  BOOST_CHECK(messages[2].verdict == VerdictKind::Drop);
  BOOST_TEST(messages[2].before == "DROPME");
  BOOST_TEST(messages[2].after.empty());
  BOOST_TEST(messages[2].reason == "test-drop");
  // Each names the mechanism that did it (no model gave it a label: its kind's name).
  BOOST_TEST(messages[0].by == "test-rewriter");
  BOOST_TEST(messages[2].by == "test-rewriter");

  // The hook saw both tuples: after SNAT outbound, after DNAT inbound.
  BOOST_REQUIRE(alg->mechanism->calls.size() == 3U);
  const auto& out = alg->mechanism->calls[0];
  BOOST_CHECK(out.original.source.address == NatTestLab::LanAddress(0));
  BOOST_CHECK(out.translated.source.address == kPublic);
  BOOST_TEST(out.translated.source.port == 5060);
  BOOST_CHECK(out.translated.destination.address == kWanHost);
  const auto& in = alg->mechanism->calls[1];
  BOOST_CHECK(in.original.destination.address == kPublic);
  BOOST_CHECK(in.translated.destination.address == NatTestLab::LanAddress(0));
  BOOST_TEST(in.translated.destination.port == 5060);
  BOOST_TEST(in.payload == "PONG-LONG-ORIGINAL");
  BOOST_TEST(lab.Nat()->GetCounters().algInvocations == 3U);
}

BOOST_AUTO_TEST_CASE(alg_can_redirect_the_destination_port_in_both_directions) {
  Ptr<RedirectingAlg> alg = CreateObject<RedirectingAlg>();
  NatTestLab lab;
  lab.Nat()->SetAlgModel(alg);
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe phoneViaPort(lab.LanHost(0), 5070);  // where a forced_dport-style reply must land
  UdpProbe server(lab.WanHost(), 9000);
  UdpProbe serverOther(lab.WanHost(), 9001);
  server.AutoReply("TO-5070");
  phone.SendAt(1.0, kWanHost, 9000, "hello");   // its reply is redirected inbound
  phone.SendAt(2.0, kWanHost, 9000, "TO-9001");  // redirected outbound
  lab.RunUntil(4);

  // Checksums are on: a port rewritten without a new checksum would be discarded on arrival.
  BOOST_REQUIRE(server.Received().size() == 1U);
  BOOST_TEST(server.Received()[0].payload == "hello");
  BOOST_REQUIRE(serverOther.Received().size() == 1U);
  BOOST_TEST(serverOther.Received()[0].payload == "TO-9001");
  BOOST_CHECK(serverOther.Received()[0].from == kPublic);
  BOOST_TEST(serverOther.Received()[0].fromPort == 5060);
  BOOST_TEST(phone.Received().empty());
  BOOST_REQUIRE(phoneViaPort.Received().size() == 1U);
  BOOST_TEST(phoneViaPort.Received()[0].payload == "TO-5070");
  BOOST_CHECK(phoneViaPort.Received()[0].from == kWanHost);
  BOOST_TEST(phoneViaPort.Received()[0].fromPort == 9000);
  CheckNoLeak(lab);
  // The NAT state still describes the translated tuple: one mapping, session toward :9000.
  const auto mappings = lab.Nat()->GetNatTable().Mappings();
  BOOST_REQUIRE(mappings.size() == 1U);
  BOOST_TEST(mappings[0]->internal.port == 5060);
  BOOST_TEST(mappings[0]->FindSession({kWanHost, 9000}) != nullptr);
}

BOOST_AUTO_TEST_CASE(alg_learns_when_mappings_leave_the_table) {
  Ptr<RedirectingAlg> alg = CreateObject<RedirectingAlg>();
  NatTestLab lab;
  lab.Nat()->SetAlgModel(alg);
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe other(lab.LanHost(1), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  phone.SendAt(1.0, kWanHost, 9000, "once");
  other.SendAt(200.0, kWanHost, 9000, "later");
  alglab::nat::Expectation pinhole;
  pinhole.externalPort = 40000;
  pinhole.internal = {NatTestLab::LanAddress(0), 4000};
  pinhole.timeout = Time::Max();
  alg->mechanism->watchedExpectation = lab.Nat()->GetNatTable().AddExpectation(pinhole, Seconds(0));
  lab.RunUntil(150);

  // The idle mapping expired (UdpTimeout 120 s, swept within 10 s) and the hook heard of it,
  // from the router's sweep, outside any packet; it could edit the table from there.
  BOOST_REQUIRE(alg->mechanism->removed.size() == 1U);
  BOOST_CHECK(alg->mechanism->removed[0].internal.address == NatTestLab::LanAddress(0));
  BOOST_TEST(alg->mechanism->removed[0].internal.port == 5060);
  BOOST_TEST(alg->mechanism->removedAt[0] >= 121.0);
  BOOST_TEST(alg->mechanism->removedAt[0] <= 131.0);
  BOOST_TEST(lab.Nat()->GetNatTable().ExpectationCount() == 0U);

  // A reboot clears the table: every mapping is reported, before OnRouterReboot.
  lab.RunUntil(201);
  BOOST_REQUIRE(alg->mechanism->removed.size() == 1U);
  lab.Nat()->Reboot();
  BOOST_REQUIRE(alg->mechanism->removed.size() == 2U);
  BOOST_CHECK(alg->mechanism->removed[1].internal.address == NatTestLab::LanAddress(1));
}

BOOST_AUTO_TEST_CASE(reboot_can_factory_reset_the_alg) {
  for (bool reset : {false, true}) {
    NatTestLab lab([&](NatRoutingHelper& h) {
      BOOST_REQUIRE(h.SetAlg("alglab::test::RewritingAlg"));
      BOOST_REQUIRE(h.SetAlgAttribute("Tag", StringValue("configured")));  // a mechanism knob
      BOOST_REQUIRE(!h.SetAlgAttribute("NoSuchTag", StringValue("x")));
      BOOST_REQUIRE(h.SetAttribute("ResetConfigOnReboot", BooleanValue(reset)));
    });
    Ptr<RewritingAlg> before = DynamicCast<RewritingAlg>(lab.Nat()->GetAlgModel());
    BOOST_REQUIRE(before != nullptr);
    BOOST_TEST(before->GetKnob("Tag") == "configured");
    lab.Nat()->Reboot();
    Ptr<RewritingAlg> after = DynamicCast<RewritingAlg>(lab.Nat()->GetAlgModel());
    BOOST_REQUIRE(after != nullptr);
    BOOST_TEST(before->mechanism->reboots == 1);
    BOOST_TEST_CONTEXT("ResetConfigOnReboot=" << reset) {
      BOOST_TEST((after == before) == !reset);
      BOOST_TEST(after->GetKnob("Tag") == (reset ? "factory" : "configured"));
    }
  }
}

BOOST_AUTO_TEST_CASE(helper_rejects_bad_names_without_crashing) {
  NatRoutingHelper h;
  BOOST_TEST(!h.SetAttribute("Filtering", StringValue("full-cone")));
  BOOST_TEST(!h.SetAttribute("NoSuchKnob", BooleanValue(true)));
  BOOST_TEST(h.SetAttribute("Mapping", StringValue("address-port-dependent")));
  BOOST_TEST(h.SetAttribute("PortAllocation", StringValue("random")));
  BOOST_TEST(!h.SetAlg("alglab::NoSuchAlg"));
  BOOST_TEST(!h.SetAlg("ns3::UdpEchoServer"));  // exists, but is not an AlgModel
  BOOST_TEST(!h.SetAlgAttribute("Tag", StringValue("x")));  // no ALG chosen
  BOOST_TEST(h.SetAlg(""));
}

BOOST_AUTO_TEST_CASE(tcp_connections_cross_the_nat) {
  NatTestLab lab;
  PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), 8080));
  ApplicationContainer sinkApp = sinkHelper.Install(lab.WanHost());
  BulkSendHelper sender("ns3::TcpSocketFactory", InetSocketAddress(kWanHost, 8080));
  sender.SetAttribute("MaxBytes", UintegerValue(20000));
  ApplicationContainer senderApp = sender.Install(lab.LanHost(0));
  senderApp.Start(Seconds(1));
  lab.RunUntil(6);

  Ptr<PacketSink> sink = DynamicCast<PacketSink>(sinkApp.Get(0));
  BOOST_TEST(sink->GetTotalRx() == 20000U);  // TCP checksums verified by the receiving stack
  BOOST_TEST(lab.wanObserver.privateSources == 0U);
  BOOST_TEST(lab.wanObserver.packets > 10U);
  BOOST_TEST(lab.Nat()->GetCounters().translatedInbound > 0U);
  BOOST_TEST(lab.drops.empty());
}

BOOST_AUTO_TEST_CASE(transit_and_non_transport_traffic_never_crosses_untranslated) {
  NatTestLab lab;
  // The WAN host tries to reach a private address directly through the router.
  Ipv4StaticRoutingHelper routing;
  routing.GetStaticRouting(lab.WanHost()->GetObject<Ipv4>())
      ->AddNetworkRouteTo(Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.255.0"), kPublic, 1);
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe attacker(lab.WanHost(), 9000);
  attacker.SendAt(1.0, NatTestLab::LanAddress(0), 5060, "direct");

  // A LAN host sends a non-UDP/TCP datagram (protocol 1, ICMP) toward the WAN.
  Ptr<Socket> raw = Socket::CreateSocket(lab.LanHost(0), Ipv4RawSocketFactory::GetTypeId());
  raw->SetAttribute("Protocol", UintegerValue(1));
  Simulator::Schedule(Seconds(2), [raw] {
    raw->SendTo(Create<Packet>(16), 0, InetSocketAddress(kWanHost, 0));
  });
  // ...and the WAN host pings the router's public address, which the router itself answers.
  Ptr<Socket> wanRaw = Socket::CreateSocket(lab.WanHost(), Ipv4RawSocketFactory::GetTypeId());
  wanRaw->SetAttribute("Protocol", UintegerValue(1));
  Simulator::Schedule(Seconds(3), [wanRaw] {
    Ptr<Packet> p = Create<Packet>(8);
    Icmpv4Echo echo;
    echo.SetIdentifier(1);
    echo.SetSequenceNumber(1);
    p->AddHeader(echo);
    Icmpv4Header icmp;
    icmp.SetType(Icmpv4Header::ICMPV4_ECHO);
    icmp.SetCode(0);
    icmp.EnableChecksum();
    p->AddHeader(icmp);
    wanRaw->SendTo(p, 0, InetSocketAddress(kPublic, 0));
  });
  lab.RunUntil(5);

  BOOST_TEST(phone.Received().empty());
  BOOST_TEST(DropReasons(lab) == (std::vector<std::string>{"no-mapping", "unsupported-protocol"}),
             boost::test_tools::per_element());
  BOOST_TEST(lab.wanObserver.privateSources == 0U);
  BOOST_TEST(lab.wanObserver.packets == 1U);  // only the router's echo reply
}

BOOST_AUTO_TEST_CASE(idle_mappings_expire_and_the_simulation_ends_by_itself) {
  NatTestLab lab;
  std::vector<std::pair<double, std::string>> removed;
  lab.Nat()->TraceConnectWithoutContext(
      "MappingRemoved",
      Callback<void, std::uint8_t, Ipv4Address, std::uint16_t, std::uint16_t, const std::string&>(
          [&](std::uint8_t, Ipv4Address, std::uint16_t, std::uint16_t, const std::string& why) {
            removed.emplace_back(Simulator::Now().GetSeconds(), why);
          }));
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  phone.SendAt(1.0, kWanHost, 9000, "once");
  Simulator::Run();  // no Stop: the sweep must not keep the event list alive forever

  BOOST_REQUIRE(removed.size() == 1U);
  BOOST_TEST(removed[0].second == "expired");
  // UdpTimeout 120 s after the packet, swept no later than one SweepInterval (10 s) after that.
  BOOST_TEST(removed[0].first >= 121.0);
  BOOST_TEST(removed[0].first <= 131.0);
  BOOST_TEST(lab.Nat()->GetNatTable().Empty());
}

std::vector<std::uint16_t> RandomPublicPorts() {
  NatTestLab lab([](NatRoutingHelper& h) {
    BOOST_REQUIRE(h.SetAttribute("PortAllocation", StringValue("random")));
    BOOST_REQUIRE(h.SetAttribute("PortPreservation", BooleanValue(false)));
  });
  std::vector<std::unique_ptr<UdpProbe>> phones;
  for (int i = 0; i < 3; ++i) {
    phones.push_back(std::make_unique<UdpProbe>(lab.LanHost(i), 5060));
    phones.back()->SendAt(1.0 + 0.1 * i, kWanHost, 5060, "x");
  }
  UdpProbe provider(lab.WanHost(), 5060);
  lab.RunUntil(2);
  std::vector<std::uint16_t> ports;
  for (const auto& d : provider.Received()) ports.push_back(d.fromPort);
  return ports;
}

BOOST_AUTO_TEST_CASE(random_allocation_repeats_across_runs_in_one_process) {
  const auto first = RandomPublicPorts();
  const auto second = RandomPublicPorts();
  BOOST_REQUIRE(first.size() == 3U);
  BOOST_TEST(first == second, boost::test_tools::per_element());
  BOOST_TEST(!(first[0] == 1024 && first[1] == 1025));  // really random, not sequential
}

BOOST_AUTO_TEST_CASE(wan_interface_known_before_installation_resolves_later) {
  Ipv4AddressGenerator::Reset();
  NodeContainer nodes;
  nodes.Create(2);
  NatRoutingHelper nat;
  nat.SetWanInterface(1);  // loopback is 0; the only device becomes interface 1
  InternetStackHelper routerStack;
  routerStack.SetRoutingHelper(nat);
  routerStack.Install(nodes.Get(0));
  InternetStackHelper().Install(nodes.Get(1));
  Ptr<alglab::nat::NatRoutingProtocol> router = NatRoutingHelper::GetNatRouter(nodes.Get(0));
  BOOST_REQUIRE(router != nullptr);
  BOOST_CHECK(router->GetPublicAddress() == Ipv4Address::GetAny());
  BOOST_TEST(NatRoutingHelper::GetNatRouter(nodes.Get(1)) == nullptr);
  BOOST_TEST(!NatRoutingHelper::ConfigureWan(nodes.Get(1), 1, Ipv4Address("192.0.2.2")));
  NetDeviceContainer link = PointToPointHelper().Install(nodes);
  Ipv4AddressHelper("192.0.2.0", "255.255.255.0").Assign(link);
  BOOST_CHECK(router->GetPublicAddress() == Ipv4Address("192.0.2.1"));
  BOOST_CHECK(router->GetNatTable().GetExternalAddress() == Ipv4Address("192.0.2.1"));
  BOOST_TEST(NatRoutingHelper::GetInnerStaticRouting(nodes.Get(0)) != nullptr);
  Simulator::Destroy();
}

BOOST_AUTO_TEST_CASE(wan_pcap_shows_only_the_public_address) {
  const std::string prefix = (std::filesystem::temp_directory_path() /
                              ("alglab-nat-wan-" + std::to_string(getpid())))
                                 .string();
  std::string file;
  {
    NatTestLab lab;
    Ptr<alglab::nat::NatRoutingProtocol> nat = lab.Nat();
    Ptr<NetDevice> wan = lab.Router()->GetObject<Ipv4>()->GetNetDevice(nat->GetWanInterface());
    file = prefix + ".pcap";
    PointToPointHelper().EnablePcap(file, wan, false, true);  // explicit file name
    std::vector<std::unique_ptr<UdpProbe>> phones;
    for (int i = 0; i < 3; ++i) {
      phones.push_back(std::make_unique<UdpProbe>(lab.LanHost(i), 5060));
      phones.back()->SendAt(1.0 + 0.1 * i, kWanHost, 5060, "register");
    }
    UdpProbe provider(lab.WanHost(), 5060);
    provider.AutoReply();
    lab.RunUntil(3);
    BOOST_TEST(provider.Received().size() == 3U);
  }  // the simulation is destroyed and the pcap closed here

  PcapFile pcap;
  pcap.Open(file, std::ios::in);
  BOOST_REQUIRE(!pcap.Fail());
  std::uint8_t frame[2048];
  std::uint32_t sec = 0, usec = 0, included = 0, original = 0, read = 0;
  int frames = 0;
  int fromPublic = 0;
  for (;;) {
    pcap.Read(frame, sizeof frame, sec, usec, included, original, read);
    if (pcap.Eof() || pcap.Fail()) break;
    ++frames;
    BOOST_REQUIRE(read >= 2 + 20);
    const std::uint8_t* ip = frame + 2;  // PPP header, then IPv4
    BOOST_TEST(ip[12] != 10);            // source never in 10.0.0.0/8
    BOOST_TEST(ip[16] != 10);            // nor the destination
    if (ip[12] == 203 && ip[13] == 0 && ip[14] == 113 && ip[15] == 1) ++fromPublic;
  }
  pcap.Close();
  std::filesystem::remove(file);
  BOOST_TEST(frames == 6);  // three requests out, three replies in
  BOOST_TEST(fromPublic == 3);
}

namespace {

/// The IPv4 header of a UDP packet from `source` to `destination`; the caller sets the rest.
Ipv4Header UdpIpHeader(Ipv4Address source, Ipv4Address destination) {
  Ipv4Header ip;
  ip.SetSource(source);
  ip.SetDestination(destination);
  ip.SetProtocol(17);
  ip.SetTtl(64);
  return ip;
}

/// Sends `payload` under the IP header `ip` at `at` through a raw socket with the header built
/// here, so that DF and the fragment fields can be set (ns-3's UDP sockets never set DF).
void SendRawAt(double at, Ptr<Node> node, Ptr<Packet> payload, Ipv4Header ip) {
  Simulator::Schedule(Seconds(at), [=] {
    Ptr<Socket> raw = Socket::CreateSocket(node, Ipv4RawSocketFactory::GetTypeId());
    raw->SetAttribute("Protocol", UintegerValue(17));
    raw->SetAttribute("IpHeaderInclude", BooleanValue(true));
    Ptr<Packet> p = payload->Copy();
    Ipv4Header header = ip;
    header.SetPayloadSize(p->GetSize());
    p->AddHeader(header);
    raw->SendTo(p, 0, InetSocketAddress(ip.GetDestination(), 9000));
    raw->Close();
  });
}

/// A whole UDP datagram of `size` payload bytes from port 5060 to `port`.
void SendRawUdpAt(double at, Ptr<Node> node, Ipv4Address source, Ipv4Address destination, std::uint16_t port,
                  std::size_t size, bool dontFragment) {
  Ptr<Packet> p = Create<Packet>(size);
  UdpHeader udp;
  udp.SetSourcePort(5060);
  udp.SetDestinationPort(port);
  p->AddHeader(udp);
  Ipv4Header ip = UdpIpHeader(source, destination);
  if (dontFragment) ip.SetDontFragment();
  else ip.SetMayFragment();
  SendRawAt(at, node, p, ip);
}

/// Records the next-hop MTU of every ICMP "fragmentation needed" a raw ICMP socket reads.
void RecordFragmentationNeeded(std::vector<std::uint32_t>* mtus, Ptr<Socket> socket) {
  while (Ptr<Packet> p = socket->Recv()) {
    Ipv4Header ip;
    p->RemoveHeader(ip);
    Icmpv4Header header;
    p->RemoveHeader(header);
    if (header.GetType() == Icmpv4Header::ICMPV4_DEST_UNREACH &&
        header.GetCode() == Icmpv4DestinationUnreachable::ICMPV4_FRAG_NEEDED) {
      Icmpv4DestinationUnreachable unreach;
      p->RemoveHeader(unreach);
      mtus->push_back(unreach.GetNextHopMtu());
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_df_datagram_larger_than_the_wan_mtu_gets_fragmentation_needed) {
  NatTestLab lab;
  // A 576-byte WAN link: the router's WAN device is its point-to-point one.
  Ptr<NetDevice> wan;
  for (std::uint32_t i = 0; i < lab.Router()->GetNDevices(); ++i)
    if (auto p2p = DynamicCast<PointToPointNetDevice>(lab.Router()->GetDevice(i))) wan = p2p;
  BOOST_REQUIRE(wan);
  wan->SetMtu(576);
  UdpProbe server(lab.WanHost(), 9000);
  // What reaches the LAN host: the ICMP error, seen by a raw ICMP socket.
  std::vector<std::uint32_t> icmpMtus;
  Ptr<Socket> icmp = Socket::CreateSocket(lab.LanHost(0), Ipv4RawSocketFactory::GetTypeId());
  icmp->SetAttribute("Protocol", UintegerValue(1));
  icmp->SetRecvCallback(MakeBoundCallback(&RecordFragmentationNeeded, &icmpMtus));
  const Ipv4Address lan = NatTestLab::LanAddress(0);
  SendRawUdpAt(1.0, lab.LanHost(0), lan, kWanHost, 9000, 800, true);   // DF: refused
  SendRawUdpAt(2.0, lab.LanHost(0), lan, kWanHost, 9000, 800, false);  // may fragment: sent
  SendRawUdpAt(3.0, lab.LanHost(0), lan, kWanHost, 9000, 500, true);   // fits: sent
  lab.RunUntil(5);
  BOOST_TEST(icmpMtus == std::vector<std::uint32_t>{576}, boost::test_tools::per_element());
  BOOST_TEST(DropReasons(lab) == std::vector<std::string>{"fragmentation-needed"}, boost::test_tools::per_element());
  BOOST_REQUIRE(server.Received().size() == 2U);  // the second, reassembled, and the third
  BOOST_TEST(server.Received()[0].payload.size() == 800U);
  BOOST_TEST(server.Received()[1].payload.size() == 500U);
}

namespace {

/// One IPv4 fragment of a UDP datagram (identification `id`), `size` bytes of IP payload at
/// byte `offset`.
void SendRawFragmentAt(double at, Ptr<Node> node, Ipv4Address source, Ipv4Address destination,
                       std::uint16_t id, std::uint16_t offset, std::size_t size, bool more) {
  Ipv4Header ip = UdpIpHeader(source, destination);
  ip.SetIdentification(id);
  ip.SetFragmentOffset(offset);
  if (more) ip.SetMoreFragments();
  else ip.SetLastFragment();
  SendRawAt(at, node, Create<Packet>(size), ip);
}

}  // namespace

BOOST_AUTO_TEST_CASE(fragmented_datagrams_are_reassembled_translated_and_fragmented_again) {
  // The LAN host's stack fragments a 4000-byte datagram at the LAN's 1500-byte MTU (ns-3's UDP
  // sets no DF); the WAN host's fragments its 3000-byte reply likewise. Each direction is
  // reassembled by the router, translated (the ALG sees the whole payload once), and
  // fragmented again by the output link.
  Ptr<RewritingAlg> alg = CreateObject<RewritingAlg>();
  NatTestLab lab;
  lab.Nat()->SetAlgModel(alg);
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  server.AutoReply(std::string(3000, 'r'));
  phone.SendAt(1.0, kWanHost, 9000, std::string(4000, 'q'));
  lab.RunUntil(3);
  BOOST_REQUIRE(server.Received().size() == 1U);
  BOOST_TEST(server.Received()[0].payload == std::string(4000, 'q'));
  BOOST_TEST(server.Received()[0].from == Ipv4Address(NatTestLab::kPublic));
  BOOST_REQUIRE(phone.Received().size() == 1U);
  BOOST_TEST(phone.Received()[0].payload == std::string(3000, 'r'));
  BOOST_REQUIRE(alg->mechanism->calls.size() == 2U);
  BOOST_TEST(alg->mechanism->calls[0].payload.size() == 4000U);
  BOOST_TEST(alg->mechanism->calls[1].payload.size() == 3000U);
  BOOST_TEST(lab.wanObserver.packets >= 3U);  // the request arrived as fragments
  BOOST_TEST(lab.Nat()->GetCounters().translatedOutbound == 1U);
  BOOST_TEST(lab.Nat()->GetCounters().translatedInbound == 1U);
  BOOST_TEST(DropReasons(lab).empty());
  CheckNoLeak(lab);
}

BOOST_AUTO_TEST_CASE(a_router_that_drops_fragments_loses_the_whole_datagram) {
  NatTestLab lab([](NatRoutingHelper& helper) { helper.SetAttribute("Fragments", StringValue("drop")); });
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  phone.SendAt(1.0, kWanHost, 9000, std::string(4000, 'q'));
  phone.SendAt(2.0, kWanHost, 9000, "small");
  lab.RunUntil(3);
  BOOST_REQUIRE(server.Received().size() == 1U);
  BOOST_TEST(server.Received()[0].payload == "small");
  BOOST_TEST(DropReasons(lab) == std::vector<std::string>(3, "fragment"), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(incomplete_and_overlapping_fragments_are_given_up_as_linux_does) {
  NatTestLab lab;
  UdpProbe server(lab.WanHost(), 9000);
  const Ipv4Address lan = NatTestLab::LanAddress(0);
  // Datagram 7: its last fragment never comes; given up 30 s after the first (ipfrag_time).
  SendRawFragmentAt(1.0, lab.LanHost(0), lan, kWanHost, 7, 0, 1000, true);
  // Datagram 8: the second fragment overlaps the first by 8 bytes: the whole datagram goes.
  SendRawFragmentAt(2.0, lab.LanHost(0), lan, kWanHost, 8, 0, 1000, true);
  SendRawFragmentAt(2.1, lab.LanHost(0), lan, kWanHost, 8, 992, 500, false);
  // Datagram 9: the same first fragment twice (a duplicate is ignored), then the last: whole.
  SendRawFragmentAt(3.0, lab.LanHost(0), lan, kWanHost, 9, 8, 400, false);
  SendRawFragmentAt(3.1, lab.LanHost(0), lan, kWanHost, 9, 8, 400, false);
  SendRawFragmentAt(3.2, lab.LanHost(0), lan, kWanHost, 9, 0, 8, true);
  lab.RunUntil(40);
  BOOST_TEST(DropReasons(lab) == (std::vector<std::string>{"fragment-overlap", "fragment-timeout"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(lab.drops.size() == 2U);
  BOOST_TEST(lab.drops[1].at > 31.0);  // the first fragment reached the router just after 1 s
  BOOST_TEST(lab.drops[1].at < 31.1);
  // Datagram 9 was whole (a UDP header of zeros and 400 bytes): translated and sent on.
  BOOST_TEST(lab.Nat()->GetCounters().translatedOutbound == 1U);
}

BOOST_AUTO_TEST_CASE(the_reassembler_holds_a_bounded_amount_oldest_given_up_first) {
  alglab::nat::FragmentReassembler::Limits limits;
  limits.maxHeldBytes = 2500;
  alglab::nat::FragmentReassembler reassembler(limits);
  std::vector<alglab::nat::FragmentReassembler::Discarded> discarded;
  for (std::uint16_t id = 1; id <= 3; ++id) {
    Ipv4Header ip;
    ip.SetSource(Ipv4Address("10.0.0.2"));
    ip.SetDestination(Ipv4Address("203.0.113.2"));
    ip.SetProtocol(17);
    ip.SetIdentification(id);
    ip.SetMoreFragments();
    ip.SetPayloadSize(1000);
    BOOST_TEST(!reassembler.Add(Create<Packet>(1000), ip, Seconds(id), discarded).has_value());
  }
  BOOST_REQUIRE(discarded.size() == 1U);
  BOOST_TEST(discarded[0].reason == "fragment-memory");
  BOOST_TEST(discarded[0].header.GetIdentification() == 1);
  BOOST_TEST(reassembler.HeldDatagrams() == 2U);
  BOOST_TEST(reassembler.HeldBytes() == 2000U);
  // A fragment that would end past 65535 bytes discards its datagram.
  Ipv4Header far;
  far.SetSource(Ipv4Address("10.0.0.2"));
  far.SetDestination(Ipv4Address("203.0.113.2"));
  far.SetProtocol(17);
  far.SetIdentification(2);
  far.SetFragmentOffset(65000);
  far.SetPayloadSize(1000);
  BOOST_TEST(!reassembler.Add(Create<Packet>(1000), far, Seconds(4), discarded).has_value());
  BOOST_REQUIRE(discarded.size() == 2U);
  BOOST_TEST(discarded[1].reason == "fragment-oversize");
  BOOST_TEST(reassembler.HeldDatagrams() == 1U);
}
