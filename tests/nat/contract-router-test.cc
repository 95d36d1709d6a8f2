// The ALG contract inside the ns-3 router: every hook point, verdicts (accept, drop, stolen),
// packets emitted by mechanisms, table limits, FlushConnections, and runtime knob changes with
// their three semantics plus running / saved / factory configuration.
#define BOOST_TEST_MODULE nat_contract_router
#include <boost/test/unit_test.hpp>

#include "alg-models/contract/alg-factory.h"
#include "sim/nat/l4-packet-editor.h"
#include "sim/sip/message-framer.h"
#include "tests/nat/nat-test-lab.h"

#include "ns3/tcp-option-sack.h"
#include "ns3/tcp-option-ts.h"

#include <functional>
#include <stdexcept>
#include <vector>

using namespace ns3;
using alglab::alg::AlgModel;
using alglab::alg::HookPoint;
using alglab::alg::KnobSemantics;
using alglab::alg::KnobSemanticsTable;
using alglab::alg::Mechanism;
using alglab::alg::PacketContext;
using alglab::alg::Verdict;
using alglab::nat::Direction;
using alglab::nat::Endpoint;
using alglab::nat::test::NatTestLab;
using alglab::nat::test::TcpEcho;
using alglab::nat::test::UdpProbe;

namespace alglab::nat::test {

/// A mechanism whose behaviour the test scripts: `act` decides, every call is recorded.
class ScriptedMechanism : public Mechanism {
 public:
  struct Call {
    HookPoint point;
    FiveTuple original;
    FiveTuple translated;
    std::string payload;
    std::optional<Expectation> admittedBy;
    std::uint64_t mappingId;
  };
  static TypeId GetTypeId() {
    static TypeId tid = TypeId("alglab::test::ScriptedMechanism").SetParent<Mechanism>();
    return tid;
  }
  Verdict Process(PacketContext& c) override {
    calls.push_back(Call{c.point, c.original, c.translated, c.Payload(), c.admittedBy, c.mappingId});
    return act ? act(c) : Verdict::Accept();
  }
  void OnFlush() override { ++flushes; }
  std::string Name() const override { return "scripted"; }

  std::function<Verdict(PacketContext&)> act;
  std::vector<Call> calls;
  int flushes = 0;
};

NS_OBJECT_ENSURE_REGISTERED(ScriptedMechanism);

/// A model the test assembles.
class AssembledModel : public AlgModel {
 public:
  static TypeId GetTypeId() {
    static TypeId tid = TypeId("alglab::test::AssembledModel").SetParent<AlgModel>();
    return tid;
  }
  void Add(HookPoint point, int priority, Ptr<Mechanism> m) { Attach(point, priority, m); }
  std::string Name() const override { return "assembled"; }
};

NS_OBJECT_ENSURE_REGISTERED(AssembledModel);

/// A mechanism with one knob of each semantics: it appends their values to outbound payloads
/// ("PING|now=a|new=b|boot=c"), so a datagram shows which configuration handled it.
class StampMechanism : public Mechanism {
 public:
  static TypeId GetTypeId() {
    static TypeId tid =
        TypeId("alglab::test::StampMechanism")
            .SetParent<Mechanism>()
            .AddConstructor<StampMechanism>()
            .AddAttribute("now_stamp", "Immediate.", StringValue("f"),
                          MakeStringAccessor(&StampMechanism::m_now), MakeStringChecker())
            .AddAttribute("new_stamp", "New sessions.", StringValue("f"),
                          MakeStringAccessor(&StampMechanism::m_new), MakeStringChecker())
            .AddAttribute("boot_stamp", "After reboot.", StringValue("f"),
                          MakeStringAccessor(&StampMechanism::m_boot), MakeStringChecker());
    return tid;
  }
  Verdict Process(PacketContext& c) override {
    c.MutablePayload() += "|now=" + m_now + "|new=" + m_new + "|boot=" + m_boot;
    return Verdict::Accept();
  }
  KnobSemanticsTable KnobSemanticsDeclared() const override {
    return {{"new_stamp", KnobSemantics::NewSessions}, {"boot_stamp", KnobSemantics::AfterReboot}};
  }
  std::string Name() const override { return "stamp"; }

  std::string m_now, m_new, m_boot;
};

NS_OBJECT_ENSURE_REGISTERED(StampMechanism);

class StampModel : public AlgModel {
 public:
  static TypeId GetTypeId() {
    static TypeId tid =
        TypeId("alglab::test::StampModel").SetParent<AlgModel>().AddConstructor<StampModel>();
    return tid;
  }
  StampModel() { Attach(HookPoint::OutboundPostSnat, 0, CreateObject<StampMechanism>()); }
  std::string Name() const override { return "stamp"; }
};

NS_OBJECT_ENSURE_REGISTERED(StampModel);

}  // namespace alglab::nat::test

using alglab::nat::test::AssembledModel;
using alglab::nat::test::ScriptedMechanism;
using alglab::nat::test::StampModel;

namespace {

const Ipv4Address kPublic(NatTestLab::kPublic);
const Ipv4Address kWanHost(NatTestLab::kWanHost);

std::vector<std::string> DropReasons(const NatTestLab& lab) {
  std::vector<std::string> out;
  for (const auto& d : lab.drops) out.push_back(d.reason);
  return out;
}

std::vector<std::string> Payloads(const UdpProbe& probe) {
  std::vector<std::string> out;
  for (const auto& d : probe.Received()) out.push_back(d.payload);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(mechanisms_see_the_router_interfaces_and_prefixes) {
  NatTestLab lab;
  const alglab::alg::RouterView& view = lab.Nat()->GetRouterView();
  BOOST_TEST(view.hasWan);
  BOOST_CHECK(view.wan.address == kPublic);
  BOOST_REQUIRE(view.lan.size() == 1U);
  BOOST_CHECK(view.lan[0].address == Ipv4Address("10.0.0.1"));
  BOOST_TEST(view.lan[0].PrefixLength() == 24);
  BOOST_TEST(view.OnLan(NatTestLab::LanAddress(2)));
  BOOST_TEST(!view.OnLan(kWanHost));
}

BOOST_AUTO_TEST_CASE(pre_filter_admits_what_plain_nat_drops_and_drops_what_it_admits) {
  NatTestLab lab;
  Ptr<AssembledModel> model = CreateObject<AssembledModel>();
  Ptr<ScriptedMechanism> gate = CreateObject<ScriptedMechanism>();
  gate->act = [](PacketContext& c) {
    if (c.Payload() == "LET-ME-IN") c.admitTo = Endpoint{NatTestLab::LanAddress(0), 7000};
    if (c.Payload() == "BLOCKED") return Verdict::Drop("blocked");
    return Verdict::Accept();
  };
  model->Add(HookPoint::InboundPreFilter, 0, gate);
  Ptr<ScriptedMechanism> after = CreateObject<ScriptedMechanism>();
  model->Add(HookPoint::InboundPostDnat, 0, after);
  lab.Nat()->SetAlgModel(model);

  UdpProbe phone(lab.LanHost(0), 7000);
  UdpProbe server(lab.WanHost(), 9000);
  // Unsolicited: plain NAT has no mapping for port 7000 and drops "KNOCK".
  server.SendAt(1.0, kPublic, 7000, "KNOCK");
  server.SendAt(2.0, kPublic, 7000, "LET-ME-IN");
  // A reply plain NAT would admit, dropped before filtering.
  phone.SendAt(3.0, kWanHost, 9000, "hello");
  server.SendAt(4.0, kPublic, 7000, "BLOCKED");
  lab.RunUntil(6);

  BOOST_TEST(Payloads(phone) == (std::vector<std::string>{"LET-ME-IN"}),
             boost::test_tools::per_element());
  BOOST_TEST(DropReasons(lab) == (std::vector<std::string>{"no-mapping", "alg:blocked"}),
             boost::test_tools::per_element());
  // Pre-filter saw every inbound datagram untranslated.
  BOOST_REQUIRE(gate->calls.size() == 3U);
  for (const auto& call : gate->calls) {
    BOOST_CHECK(call.point == HookPoint::InboundPreFilter);
    BOOST_CHECK(call.translated.destination.address == kPublic);
    BOOST_TEST(call.mappingId == 0U);
  }
  // Post-DNAT saw the admitted packet with the expectation that admitted it.
  BOOST_REQUIRE(after->calls.size() == 1U);
  BOOST_CHECK(after->calls[0].translated.destination.address == NatTestLab::LanAddress(0));
  BOOST_REQUIRE(after->calls[0].admittedBy.has_value());
  BOOST_CHECK(after->calls[0].admittedBy->remote.address == kWanHost);
  BOOST_TEST(after->calls[0].mappingId != 0U);
}

BOOST_AUTO_TEST_CASE(chain_runs_in_priority_order_and_stops_at_a_drop) {
  NatTestLab lab;
  Ptr<AssembledModel> model = CreateObject<AssembledModel>();
  std::vector<std::string> order;
  auto named = [&](const std::string& name, bool drop) {
    Ptr<ScriptedMechanism> m = CreateObject<ScriptedMechanism>();
    m->act = [&order, name, drop](PacketContext&) {
      order.push_back(name);
      return drop ? Verdict::Drop("stop") : Verdict::Accept();
    };
    return m;
  };
  model->Add(HookPoint::OutboundPostSnat, 20, named("late", false));
  model->Add(HookPoint::OutboundPostSnat, 10, named("dropper", true));
  model->Add(HookPoint::OutboundPostSnat, 5, named("early", false));
  lab.Nat()->SetAlgModel(model);
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  phone.SendAt(1.0, kWanHost, 9000, "x");
  lab.RunUntil(2);
  BOOST_TEST(order == (std::vector<std::string>{"early", "dropper"}),
             boost::test_tools::per_element());
  BOOST_TEST(server.Received().empty());
}

BOOST_AUTO_TEST_CASE(local_in_sees_packets_to_the_router_and_can_steal_them) {
  NatTestLab lab;
  Ptr<AssembledModel> model = CreateObject<AssembledModel>();
  Ptr<ScriptedMechanism> local = CreateObject<ScriptedMechanism>();
  local->act = [](PacketContext& c) {
    alglab::alg::EmittedPacket reply;
    reply.side = alglab::alg::EmitSide::Lan;
    reply.sourcePort = c.original.destination.port;
    reply.destination = c.original.source;
    reply.payload = "router:" + c.Payload();
    c.emitter.Emit(reply, MilliSeconds(5));
    return Verdict::Stolen();
  };
  model->Add(HookPoint::LocalIn, 0, local);
  lab.Nat()->SetAlgModel(model);
  UdpProbe phone(lab.LanHost(0), 5060);
  phone.SendAt(1.0, Ipv4Address("10.0.0.1"), 5060, "REGISTER");
  lab.RunUntil(2);
  BOOST_REQUIRE(local->calls.size() == 1U);
  BOOST_CHECK(local->calls[0].point == HookPoint::LocalIn);
  BOOST_REQUIRE(phone.Received().size() == 1U);
  BOOST_TEST(phone.Received()[0].payload == "router:REGISTER");
  BOOST_CHECK(phone.Received()[0].from == Ipv4Address("10.0.0.1"));
  BOOST_TEST(phone.Received()[0].fromPort == 5060);
  BOOST_TEST(lab.Nat()->GetCounters().stolen == 1U);
  BOOST_TEST(lab.Nat()->GetCounters().emitted == 1U);
  // A "LAN" packet toward a WAN address is not sent: it would leak the private source.
  alglab::alg::EmittedPacket astray;
  astray.side = alglab::alg::EmitSide::Lan;
  astray.destination = Endpoint{kWanHost, 9000};
  astray.payload = "astray";
  UdpProbe server(lab.WanHost(), 9000);
  Simulator::Schedule(Seconds(0.1), [&] { lab.Nat()->Emit(astray, Seconds(0)); });
  lab.RunUntil(3);
  BOOST_TEST(server.Received().empty());
  BOOST_TEST(lab.wanObserver.privateSources == 0U);
  BOOST_TEST(lab.Nat()->GetCounters().emitted == 1U);
}

BOOST_AUTO_TEST_CASE(emitted_wan_packets_cross_the_nat_and_replies_come_back_to_local_in) {
  NatTestLab lab;
  Ptr<AssembledModel> model = CreateObject<AssembledModel>();
  Ptr<ScriptedMechanism> local = CreateObject<ScriptedMechanism>();
  local->act = [](PacketContext&) { return Verdict::Stolen(); };
  model->Add(HookPoint::LocalIn, 0, local);
  lab.Nat()->SetAlgModel(model);
  UdpProbe server(lab.WanHost(), 9000);
  server.AutoReply("pong");
  alglab::alg::EmittedPacket ping;
  ping.side = alglab::alg::EmitSide::Wan;
  ping.sourcePort = 5090;
  ping.destination = Endpoint{kWanHost, 9000};
  ping.payload = "router-ping";
  Simulator::Schedule(Seconds(1), [&] { lab.Nat()->Emit(ping, Seconds(0)); });
  lab.RunUntil(3);
  BOOST_REQUIRE(server.Received().size() == 1U);
  BOOST_CHECK(server.Received()[0].from == kPublic);
  BOOST_TEST(server.Received()[0].fromPort == 5090);
  BOOST_TEST(lab.wanObserver.privateSources == 0U);
  // The reply came back through the mapping of the router's own endpoint to LocalIn.
  BOOST_REQUIRE(local->calls.size() == 1U);
  BOOST_TEST(local->calls[0].payload == "pong");
  BOOST_CHECK(local->calls[0].translated.destination.address == Ipv4Address("10.0.0.1"));
}

BOOST_AUTO_TEST_CASE(example_responder_answers_options_and_the_provider_never_sees_them) {
  NatTestLab lab;
  lab.Nat()->SetAlgModel(alglab::alg::CreateAlgModel("example-responder", {}));
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe provider(lab.WanHost(), 5060);
  const std::string options =
      "OPTIONS sip:203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK9\r\n"
      "From: <sip:100@10.0.0.2>;tag=1\r\nTo: <sip:203.0.113.2>\r\nCall-ID: k1\r\n"
      "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  phone.SendAt(1.0, kWanHost, 5060, options);
  phone.SendAt(2.0, kWanHost, 5060, "not sip");
  lab.RunUntil(3);
  BOOST_REQUIRE(provider.Received().size() == 1U);  // only the non-SIP datagram
  BOOST_TEST(provider.Received()[0].payload == "not sip");
  BOOST_REQUIRE(phone.Received().size() == 1U);
  BOOST_TEST(phone.Received()[0].payload.rfind("SIP/2.0 200 OK\r\n", 0) == 0U);
  BOOST_TEST(phone.Received()[0].payload.find("Call-ID: k1") != std::string::npos);
  BOOST_CHECK(phone.Received()[0].from == Ipv4Address("10.0.0.1"));
}

BOOST_AUTO_TEST_CASE(table_limits_refuse_or_evict_on_the_router) {
  NatTestLab lab([](alglab::nat::NatRoutingHelper& h) {
    BOOST_REQUIRE(h.SetAttribute("MaxMappings", UintegerValue(2)));
  });
  std::vector<std::unique_ptr<UdpProbe>> phones;
  for (int i = 0; i < 3; ++i) phones.push_back(std::make_unique<UdpProbe>(lab.LanHost(i), 5060));
  UdpProbe server(lab.WanHost(), 9000);
  for (int i = 0; i < 3; ++i) phones[i]->SendAt(1.0 + i, kWanHost, 9000, "p" + std::to_string(i));
  lab.RunUntil(4);
  BOOST_TEST(Payloads(server) == (std::vector<std::string>{"p0", "p1"}),
             boost::test_tools::per_element());
  BOOST_TEST(DropReasons(lab) == (std::vector<std::string>{"table-full"}),
             boost::test_tools::per_element());
  // Switched to eviction at run time: the oldest binding makes room.
  lab.Nat()->ChangeKnob("EvictionPolicy", "evict-oldest");
  phones[2]->SendAt(5.0, kWanHost, 9000, "p2");
  lab.RunUntil(6);
  BOOST_TEST(server.Received().size() == 3U);
  BOOST_TEST(lab.Nat()->GetNatTable().MappingCount() == 2U);
  BOOST_TEST(lab.Nat()->GetNatTable().GetStats().mappingsEvicted == 1U);
}

BOOST_AUTO_TEST_CASE(flush_clears_connections_without_a_reboot) {
  NatTestLab lab;
  Ptr<AssembledModel> model = CreateObject<AssembledModel>();
  Ptr<ScriptedMechanism> m = CreateObject<ScriptedMechanism>();
  model->Add(HookPoint::OutboundPostSnat, 0, m);
  lab.Nat()->SetAlgModel(model);
  std::vector<double> flushes;
  lab.Nat()->TraceConnectWithoutContext(
      "Flush", Callback<void, Time>([&](Time t) { flushes.push_back(t.GetSeconds()); }));
  std::vector<std::string> removed;
  lab.Nat()->TraceConnectWithoutContext(
      "MappingRemoved",
      Callback<void, std::uint8_t, Ipv4Address, std::uint16_t, std::uint16_t, const std::string&>(
          [&](std::uint8_t, Ipv4Address, std::uint16_t, std::uint16_t, const std::string& r) {
            removed.push_back(r);
          }));
  UdpProbe phone(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  phone.SendAt(1.0, kWanHost, 9000, "before");
  Simulator::Schedule(Seconds(2), [&] { lab.Nat()->FlushConnections(); });
  server.SendAt(3.0, kPublic, 5060, "late reply");  // its mapping is gone
  phone.SendAt(4.0, kWanHost, 9000, "after");        // no boot time: forwarded at once
  lab.RunUntil(5);
  BOOST_TEST(flushes == (std::vector<double>{2.0}), boost::test_tools::per_element());
  BOOST_TEST(removed == (std::vector<std::string>{"cleared"}), boost::test_tools::per_element());
  BOOST_TEST(m->flushes == 1);
  BOOST_TEST(!lab.Nat()->IsRebooting());
  BOOST_TEST(Payloads(phone).empty());
  BOOST_TEST(Payloads(server) == (std::vector<std::string>{"before", "after"}),
             boost::test_tools::per_element());
  BOOST_TEST(DropReasons(lab) == (std::vector<std::string>{"no-mapping"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_change_at_t_applies_with_each_knob_semantics) {
  NatTestLab lab([](alglab::nat::NatRoutingHelper& h) {
    BOOST_REQUIRE(h.SetAttribute("BootTime", TimeValue(Seconds(1))));
  });
  lab.Nat()->SetAlgModel(CreateObject<StampModel>());
  UdpProbe a(lab.LanHost(0), 5060);
  UdpProbe b(lab.LanHost(1), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  a.SendAt(1.0, kWanHost, 9000, "a1");
  Simulator::Schedule(Seconds(2), [&] {
    lab.Nat()->ChangeKnob("alg.now_stamp", "x");
    lab.Nat()->ChangeKnob("alg.new_stamp", "y");
    lab.Nat()->ChangeKnob("alg.boot_stamp", "z");
  });
  a.SendAt(3.0, kWanHost, 9000, "a3");  // existing mapping
  b.SendAt(3.5, kWanHost, 9000, "b3");  // a new one
  lab.RunUntil(4);
  BOOST_TEST(Payloads(server) == (std::vector<std::string>{"a1|now=f|new=f|boot=f",
                                                           "a3|now=x|new=f|boot=f",
                                                           "b3|now=x|new=y|boot=f"}),
             boost::test_tools::per_element());
  // a's mapping keeps the older generation alive.
  BOOST_TEST(lab.Nat()->GetAlgGenerationCount() == 2U);
  // The running configuration shows all three; the saved one none yet.
  const auto running = lab.Nat()->RunningConfig();
  BOOST_TEST(running.at("alg.boot_stamp") == "z");
  BOOST_TEST(running.at("alg.new_stamp") == "y");
  BOOST_TEST(lab.Nat()->StartupConfig().at("alg.boot_stamp") == "f");

  // Saved, then rebooted: the after-reboot knob is in effect, everything else kept.
  Simulator::Schedule(Seconds(0.5), [&] {  // now is 4 s: at 4.5 s
    lab.Nat()->SaveConfig();
    lab.Nat()->Reboot();
  });
  a.SendAt(6.0, kWanHost, 9000, "a6");
  lab.RunUntil(7);
  BOOST_TEST(Payloads(server).back() == "a6|now=x|new=y|boot=z");
  BOOST_TEST(lab.Nat()->GetAlgGenerationCount() == 1U);  // the reboot ended the old connections
}

BOOST_AUTO_TEST_CASE(an_older_generation_ends_with_its_last_mapping) {
  NatTestLab lab;
  lab.Nat()->SetAlgModel(CreateObject<StampModel>());
  UdpProbe a(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  a.SendAt(1.0, kWanHost, 9000, "a1");
  Simulator::Schedule(Seconds(2), [&] { lab.Nat()->ChangeKnob("alg.new_stamp", "y"); });
  lab.RunUntil(3);
  BOOST_TEST(lab.Nat()->GetAlgGenerationCount() == 2U);
  lab.RunUntil(140);  // UdpTimeout 120 s: a's mapping expires and is swept
  BOOST_TEST(lab.Nat()->GetNatTable().MappingCount() == 0U);
  BOOST_TEST(lab.Nat()->GetAlgGenerationCount() == 1U);
  a.SendAt(141.0, kWanHost, 9000, "a141");  // a new mapping: the new configuration
  lab.RunUntil(142);
  BOOST_TEST(Payloads(server).back() == "a141|now=f|new=y|boot=f");
}

BOOST_AUTO_TEST_CASE(reboot_restores_the_saved_config_and_factory_reset_the_shipped_one) {
  NatTestLab lab([](alglab::nat::NatRoutingHelper& h) {
    BOOST_REQUIRE(h.SetAttribute("BootTime", TimeValue(Seconds(1))));
    BOOST_REQUIRE(h.SetAttribute("UdpTimeout", TimeValue(Seconds(60))));  // as built
  });
  lab.Nat()->SetAlgModel(CreateObject<StampModel>());
  UdpProbe a(lab.LanHost(0), 5060);
  UdpProbe server(lab.WanHost(), 9000);
  Simulator::Schedule(Seconds(1), [&] {
    lab.Nat()->ChangeKnob("alg.now_stamp", "saved");
    lab.Nat()->SaveConfig();
    lab.Nat()->ChangeKnob("alg.now_stamp", "unsaved");
    lab.Nat()->ChangeKnob("UdpTimeout", "30s");
    lab.Nat()->Reboot();
  });
  a.SendAt(3.0, kWanHost, 9000, "r");
  Simulator::Schedule(Seconds(4), [&] { lab.Nat()->FactoryReset(); });
  a.SendAt(6.0, kWanHost, 9000, "f");
  lab.RunUntil(7);
  BOOST_TEST(Payloads(server) == (std::vector<std::string>{"r|now=saved|new=f|boot=f",
                                                           "f|now=f|new=f|boot=f"}),
             boost::test_tools::per_element());
  // Router knobs come back as the router was built (the admin's 30 s is gone), and the shipped
  // configuration is now the saved one.
  TimeValue timeout;
  lab.Nat()->GetAttribute("UdpTimeout", timeout);
  BOOST_CHECK(timeout.Get() == Seconds(60));
  BOOST_TEST(lab.Nat()->FactoryConfig().at("UdpTimeout") == lab.Nat()->StartupConfig().at("UdpTimeout"));
  BOOST_TEST(lab.Nat()->StartupConfig().at("alg.now_stamp") == "f");
}

BOOST_AUTO_TEST_CASE(change_knob_rejects_unknown_knobs_and_bad_values_with_one_line) {
  NatTestLab lab;
  lab.Nat()->SetAlgModel(CreateObject<StampModel>());
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"NoSuchKnob", "1"},
                                                        {"UdpTimeout", "soon"},
                                                        {"MaxMappings", "-3"},
                                                        {"Filtering", "full-cone"},
                                                        {"BootTime", "1s"},
                                                        {"alg.nope", "1"}}) {
    BOOST_TEST_CONTEXT(name << "=" << value) {
      try {
        lab.Nat()->ChangeKnob(name, value);
        BOOST_ERROR("accepted");
      } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find('\n') == std::string::npos);
        BOOST_TEST(what.find(name.substr(name.rfind('.') + 1)) != std::string::npos);
      }
    }
  }
  lab.Nat()->ChangeKnob("UdpTimeout", "45s");
  TimeValue timeout;
  lab.Nat()->GetAttribute("UdpTimeout", timeout);
  BOOST_CHECK(timeout.Get() == Seconds(45));
  BOOST_CHECK(lab.Nat()->KnobSemanticsOf("Mapping") == KnobSemantics::AfterReboot);
  BOOST_CHECK(lab.Nat()->KnobSemanticsOf("alg.new_stamp") == KnobSemantics::NewSessions);
}

namespace {

/// A per-character rewrite, so the result does not depend on where TCP cut the stream.
std::string Rewrite(const std::string& text, char from, const std::string& to) {
  std::string out;
  for (char ch : text) {
    if (ch == from) {
      out += to;
    } else {
      out += ch;
    }
  }
  return out;
}

std::string ReplaceAll(const std::string& text, const std::string& from, const std::string& to) {
  std::string out;
  for (std::size_t pos = 0;;) {
    const std::size_t hit = text.find(from, pos);
    out += text.substr(pos, hit == std::string::npos ? std::string::npos : hit - pos);
    if (hit == std::string::npos) return out;
    out += to;
    pos = hit + from.size();
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(tcp_numbers_follow_payloads_the_alg_grows_and_shrinks) {
  // An ALG that changes TCP payload lengths both ways on one connection: outbound every 'g'
  // becomes "ggg" and every 's' disappears (messages grow, shrink or keep their length),
  // inbound every 'e' doubles. Without sequence and acknowledgement adjustment the server's
  // stack would see overlapping or missing bytes and the client's acks would point past what
  // it sent; with it both streams arrive whole, in order, and the connection stays healthy.
  NatTestLab lab;
  auto outbound = [](const std::string& s) { return Rewrite(Rewrite(s, 'g', "ggg"), 's', ""); };
  auto inbound = [](const std::string& s) { return Rewrite(s, 'e', "ee"); };
  Ptr<AssembledModel> model = CreateObject<AssembledModel>();
  Ptr<ScriptedMechanism> out = CreateObject<ScriptedMechanism>();
  out->act = [&](PacketContext& c) {
    if (!c.Payload().empty()) c.MutablePayload() = outbound(c.Payload());
    return Verdict::Accept();
  };
  Ptr<ScriptedMechanism> in = CreateObject<ScriptedMechanism>();
  in->act = [&](PacketContext& c) {
    if (!c.Payload().empty()) c.MutablePayload() = inbound(c.Payload());
    return Verdict::Accept();
  };
  model->Add(HookPoint::OutboundPostSnat, 0, out);
  model->Add(HookPoint::InboundPostDnat, 0, in);
  lab.Nat()->SetAlgModel(model);

  // 40 messages of 120 to 1,500 bytes (some span several 536-byte segments): per message a
  // different mix of growing ('g'), shrinking ('s') and neutral text.
  std::vector<std::string> messages;
  std::string sent;
  for (int i = 0; i < 40; ++i) {
    std::string m = "MSG " + std::to_string(i) + " ";
    const int length = 120 + (i * 211) % 1380;
    while (static_cast<int>(m.size()) < length) {
      m += (i % 3 == 0) ? "gag " : (i % 3 == 1) ? "sss " : "xex ";
    }
    m += "\r\n";
    messages.push_back(m);
    sent += m;
  }
  TcpEcho echo(lab.WanHost(), 5060, lab.LanHost(0), kWanHost, messages, 1.0, 0.03);
  lab.RunUntil(15);

  BOOST_TEST(echo.Connected());
  const std::string expectedAtServer = outbound(sent);
  BOOST_TEST(expectedAtServer.size() != sent.size());
  BOOST_TEST(echo.ServerReceived().size() == expectedAtServer.size());
  BOOST_TEST((echo.ServerReceived() == expectedAtServer));
  const std::string expectedAtClient = inbound(expectedAtServer);
  BOOST_TEST(echo.ClientReceived().size() == expectedAtClient.size());
  BOOST_TEST((echo.ClientReceived() == expectedAtClient));
  BOOST_TEST(lab.drops.empty());
}

BOOST_AUTO_TEST_CASE(sequence_adjust_rewrites_seq_ack_and_sack_edges_keeping_option_order) {
  // An inbound segment after one outbound resize (+12 at 1000) and one inbound resize (-5 at
  // 9000): its own number, its ACK and its SACK edges (both acknowledge outbound bytes) shift;
  // the timestamp option before the SACK stays where it was.
  TcpHeader tcp;
  tcp.SetSourcePort(5060);
  tcp.SetDestinationPort(40000);
  tcp.SetSequenceNumber(SequenceNumber32(9300));
  tcp.SetAckNumber(SequenceNumber32(1300));
  tcp.SetFlags(TcpHeader::ACK);
  tcp.SetWindowSize(4321);
  Ptr<TcpOptionTS> ts = CreateObject<TcpOptionTS>();
  ts->SetTimestamp(77);
  tcp.AppendOption(ts);
  Ptr<TcpOptionSack> sack = CreateObject<TcpOptionSack>();
  sack->AddSackBlock({SequenceNumber32(1500), SequenceNumber32(1700)});
  sack->AddSackBlock({SequenceNumber32(900), SequenceNumber32(1000)});
  tcp.AppendOption(sack);
  Ptr<Packet> segment = Create<Packet>(10);
  segment->AddHeader(tcp);
  Ipv4Header ip;
  ip.SetProtocol(6);
  ip.SetPayloadSize(static_cast<std::uint16_t>(segment->GetSize()));

  alglab::nat::L4PacketEditor editor;
  BOOST_REQUIRE(editor.Open(segment, ip) == alglab::nat::L4OpenStatus::Ok);
  BOOST_TEST(editor.TcpSequence() == 9300U);
  alglab::nat::TcpSequenceAdjust adjust;
  adjust.RecordResize(Direction::Outbound, 1000, 12);
  adjust.RecordResize(Direction::Inbound, 9000, -5);
  editor.ApplySequenceAdjust(adjust, Direction::Inbound);
  Ptr<Packet> done = editor.Close(5060, 40000, kWanHost, NatTestLab::LanAddress(0), true);

  TcpHeader back;
  done->RemoveHeader(back);
  BOOST_TEST(back.GetSequenceNumber().GetValue() == 9295U);
  BOOST_TEST(back.GetAckNumber().GetValue() == 1288U);
  BOOST_TEST(back.GetWindowSize() == 4321U);
  BOOST_TEST(done->GetSize() == 10U);
  const TcpHeader::TcpOptionList& options = back.GetOptionList();
  BOOST_REQUIRE(options.size() == 2U);
  BOOST_TEST(options.front()->GetKind() == TcpOption::TS);
  const auto shifted = DynamicCast<const TcpOptionSack>(options.back());
  BOOST_REQUIRE(shifted != nullptr);
  std::vector<std::uint32_t> edges;
  for (const auto& block : shifted->GetSackList()) {
    edges.push_back(block.first.GetValue());
    edges.push_back(block.second.GetValue());
  }
  // Bytes past the resized segment move by 12; the block ending at its start does not.
  BOOST_TEST(edges == (std::vector<std::uint32_t>{1488, 1688, 900, 1000}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sip_over_tcp_through_linux_netfilter_is_rewritten_and_stays_in_sequence) {
  // Real ns-3 TCP stacks on both sides of the router running linux-netfilter: a phone bound to
  // 5060 writes REGISTERs naming 10.0.0.2:5060 (Via, Contact) on one connection; the kernel's
  // helper rewrites each to the public 203.0.113.1:5060 (2 bytes longer per address), and back
  // on the echo (the destination's translation, 2 bytes shorter). Both stacks see a consistent
  // stream only because the NAT adjusts sequence and acknowledgement numbers.
  NatTestLab lab([](alglab::nat::NatRoutingHelper& h) { BOOST_REQUIRE(h.SetAlg("alglab::LinuxNetfilterAlg")); });
  std::vector<std::string> messages;
  std::string sent;
  for (int i = 1; i <= 12; ++i) {
    const std::string n = std::to_string(i);
    const std::string m = "REGISTER sip:203.0.113.2;transport=tcp SIP/2.0\r\n"
                          "Via: SIP/2.0/TCP 10.0.0.2:5060;branch=z9hG4bK-tcp" + n + "\r\n"
                          "From: <sip:100@203.0.113.2>;tag=t" + n + "\r\n"
                          "To: <sip:100@203.0.113.2>\r\n"
                          "Call-ID: tcp-reg-" + n + "@phone\r\n"
                          "CSeq: " + n + " REGISTER\r\n"
                          "Contact: <sip:100@10.0.0.2:5060;transport=tcp>\r\n"
                          "Expires: 3600\r\n"
                          "Content-Length: 0\r\n\r\n";
    messages.push_back(m);
    sent += m;
  }
  TcpEcho echo(lab.WanHost(), 5060, lab.LanHost(0), kWanHost, messages, 1.0, 0.05, 5060);
  lab.RunUntil(10);

  BOOST_TEST(echo.Connected());
  // Every message reached the server whole and in order, with both addresses public.
  const std::string publicView = ReplaceAll(sent, "10.0.0.2:5060", "203.0.113.1:5060");
  BOOST_TEST(publicView.size() == sent.size() + 12 * 2 * 3);
  BOOST_TEST((echo.ServerReceived() == publicView));
  // The echo came back through the helper in the reply direction, which restores the Contact
  // (it names the packet's destination) but not the top Via (a request's Via is rewritten only
  // when it names the sender), as the kernel does (tests/data/flows-tcp/request-echoed-back).
  const std::string restored =
      ReplaceAll(publicView, "sip:100@203.0.113.1:5060", "sip:100@10.0.0.2:5060");
  BOOST_TEST(echo.ClientReceived().size() == restored.size());
  BOOST_TEST((echo.ClientReceived() == restored));
  BOOST_TEST(lab.drops.empty());
}

namespace {

/// 30 SIP messages of 200 to 1,500 bytes (many span several 536-byte segments), each with a
/// Content-Length body.
std::vector<std::string> SipStream() {
  std::vector<std::string> out;
  for (int i = 0; i < 30; ++i) {
    const std::size_t body = 100 + static_cast<std::size_t>(i * 97) % 1300;
    out.push_back("MESSAGE sip:pbx@203.0.113.2 SIP/2.0\r\nCall-ID: m" + std::to_string(i) +
                  "\r\nContent-Length: " + std::to_string(body) + "\r\n\r\n" + std::string(body, 'b'));
  }
  return out;
}

/// "X-Seen: 1" after the start line: grows a whole message by 11 bytes.
std::string MarkSeen(const std::string& message) {
  const std::size_t eol = message.find("\r\n");
  return message.substr(0, eol + 2) + "X-Seen: 1\r\n" + message.substr(eol + 2);
}

bool IsWholeSipMessage(const std::string& payload) {
  const alglab::sip::StreamFrame frame = alglab::sip::FirstStreamFrame(payload);
  return frame.kind == alglab::sip::StreamFrame::Kind::Message && frame.length == payload.size();
}

struct TcpViewRun {
  std::vector<std::string> outboundPayloads;  ///< what the outbound chain saw (non-empty only)
  std::vector<std::string> inboundPayloads;
  std::string serverReceived;
  std::string clientReceived;
  bool connected = false;
  std::size_t drops = 0;
};

/// The stream through a model with `view` whose outbound mechanism marks every payload that is
/// one whole SIP message (and only those).
TcpViewRun RunTcpView(const std::string& view) {
  TcpViewRun run;
  NatTestLab lab;
  Ptr<AssembledModel> model = CreateObject<AssembledModel>();
  model->SetKnob("tcp_view", view);
  Ptr<ScriptedMechanism> out = CreateObject<ScriptedMechanism>();
  out->act = [&](PacketContext& c) {
    if (c.Payload().empty()) return Verdict::Accept();
    run.outboundPayloads.push_back(c.Payload());
    if (IsWholeSipMessage(c.Payload())) c.MutablePayload() = MarkSeen(c.Payload());
    return Verdict::Accept();
  };
  Ptr<ScriptedMechanism> in = CreateObject<ScriptedMechanism>();
  in->act = [&](PacketContext& c) {
    if (!c.Payload().empty()) run.inboundPayloads.push_back(c.Payload());
    return Verdict::Accept();
  };
  model->Add(HookPoint::OutboundPostSnat, 0, out);
  model->Add(HookPoint::InboundPostDnat, 0, in);
  lab.Nat()->SetAlgModel(model);
  TcpEcho echo(lab.WanHost(), 5060, lab.LanHost(0), kWanHost, SipStream(), 1.0, 0.03);
  lab.RunUntil(15);
  run.serverReceived = echo.ServerReceived();
  run.clientReceived = echo.ClientReceived();
  run.connected = echo.Connected();
  run.drops = lab.drops.size();
  return run;
}

}  // namespace

BOOST_AUTO_TEST_CASE(tcp_view_message_shows_the_chain_whole_sip_messages_and_segment_does_not) {
  std::string sent;
  std::string marked;
  for (const std::string& m : SipStream()) {
    sent += m;
    marked += MarkSeen(m);
  }
  // message: the router holds the segments of a message until it is whole; each chain run sees
  // exactly one message, every one is rewritten, and the stream arrives whole and in order in
  // both directions (the echo comes back through the inbound chain, also whole messages).
  const TcpViewRun whole = RunTcpView("message");
  BOOST_TEST(whole.connected);
  BOOST_TEST(whole.outboundPayloads.size() == 30U);
  for (const std::string& p : whole.outboundPayloads) BOOST_TEST(IsWholeSipMessage(p));
  BOOST_TEST(whole.inboundPayloads.size() == 30U);
  for (const std::string& p : whole.inboundPayloads) BOOST_TEST(IsWholeSipMessage(p));
  BOOST_TEST(whole.serverReceived.size() == marked.size());
  BOOST_TEST((whole.serverReceived == marked));
  BOOST_TEST((whole.clientReceived == marked));
  BOOST_TEST(whole.drops == 0U);

  // segment: the chain sees 536-byte segments; a message split across them is never whole in
  // one run, so only the messages that fit one segment are rewritten.
  const TcpViewRun segments = RunTcpView("segment");
  BOOST_TEST(segments.connected);
  BOOST_TEST(segments.outboundPayloads.size() > 30U);
  std::size_t wholeOnes = 0;
  for (const std::string& p : segments.outboundPayloads) wholeOnes += IsWholeSipMessage(p) ? 1 : 0;
  BOOST_TEST(wholeOnes > 0U);
  BOOST_TEST(wholeOnes < 30U);
  BOOST_TEST(segments.serverReceived.size() == sent.size() + 11 * wholeOnes);
  BOOST_TEST(segments.clientReceived == segments.serverReceived);
}
