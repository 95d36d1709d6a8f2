// The ALG contract without a router: chain order and verdicts, the shared PacketContext (payload
// copied at most once, SIP parsed at most once, only on demand), knobs and their semantics, and
// alg::TableRouter's hook-point order.
#include "sim/mangle/flow-replay.h"
#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/table-router.h"

#include "ns3/boolean.h"
#include "ns3/string.h"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace alglab;

namespace {

/// Counts how often the chain asked for the bytes.
class CountingSource : public alg::PayloadSource {
 public:
  explicit CountingSource(std::string bytes) : m_bytes(std::move(bytes)) {}
  std::uint32_t Size() const override { return static_cast<std::uint32_t>(m_bytes.size()); }
  void CopyTo(std::string& out) const override {
    ++copies;
    out = m_bytes;
  }
  mutable int copies = 0;

 private:
  std::string m_bytes;
};

class NoEmitter : public alg::PacketEmitter {
 public:
  void Emit(alg::EmittedPacket, ns3::Time) override { ++emitted; }
  int emitted = 0;
};

class Scripted : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("alglab::test::ContractScripted")
                                 .SetParent<alg::Mechanism>()
                                 .AddAttribute("level", "A knob.", ns3::StringValue("1"),
                                               ns3::MakeStringAccessor(&Scripted::level),
                                               ns3::MakeStringChecker());
    return tid;
  }
  alg::Verdict Process(alg::PacketContext& c) override { return act(c); }
  alg::KnobSemanticsTable KnobSemanticsDeclared() const override {
    return {{"level", alg::KnobSemantics::NewSessions}};
  }
  std::string Name() const override { return "scripted"; }
  std::function<alg::Verdict(alg::PacketContext&)> act = [](alg::PacketContext&) {
    return alg::Verdict::Accept();
  };
  std::string level;
};

class Assembled : public alg::AlgModel {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("alglab::test::ContractAssembled").SetParent<alg::AlgModel>();
    return tid;
  }
  void Add(alg::HookPoint p, int priority, ns3::Ptr<alg::Mechanism> m) { Attach(p, priority, m); }
  std::string Name() const override { return "assembled"; }
};


const nat::FiveTuple kTuple{nat::L4Protocol::Udp, {ns3::Ipv4Address("10.0.0.2"), 5060},
                            {ns3::Ipv4Address("203.0.113.2"), 5060}};

}  // namespace

BOOST_AUTO_TEST_CASE(the_chain_copies_and_parses_at_most_once_and_only_on_demand) {
  const ns3::Ptr<Assembled> model = ns3::CreateObject<Assembled>();
  int parsed = 0;
  for (int i = 0; i < 3; ++i) {
    const ns3::Ptr<Scripted> m = ns3::CreateObject<Scripted>();
    m->act = [&parsed](alg::PacketContext& c) {
      if (c.PayloadSize() > 4 && c.Sip() != nullptr) ++parsed;
      return alg::Verdict::Accept();
    };
    model->Add(alg::HookPoint::OutboundPostSnat, i, m);
  }
  nat::NatTable table;
  NoEmitter emitter;
  const alg::RouterView view = mangle::FlowTopology();
  std::string buffer;

  // RTP-sized and not looked at: never copied.
  CountingSource rtp(std::string(4, '\x80'));
  alg::PacketContext a(alg::HookPoint::OutboundPostSnat, nat::Direction::Outbound, kTuple, kTuple,
                       rtp, buffer, table, ns3::Seconds(1), view, emitter);
  BOOST_CHECK(model->Run(a).IsAccept());
  BOOST_TEST(rtp.copies == 0);
  BOOST_TEST(!a.PayloadCopied());

  // SIP: three mechanisms ask for the message, one copy and one parse serve them all.
  CountingSource sip(
      "OPTIONS sip:x@203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\r\n"
      "From: <sip:a@10.0.0.2>;tag=1\r\nTo: <sip:x@203.0.113.2>\r\nCall-ID: a\r\n"
      "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
  alg::PacketContext b(alg::HookPoint::OutboundPostSnat, nat::Direction::Outbound, kTuple, kTuple,
                       sip, buffer, table, ns3::Seconds(1), view, emitter);
  const sip::SipMessage* first = b.Sip();
  BOOST_CHECK(model->Run(b).IsAccept());
  BOOST_TEST(parsed == 3);
  BOOST_TEST(sip.copies == 1);
  BOOST_TEST(b.Sip() == first);  // the same parsed message
  // A rewrite makes the next request parse the new bytes.
  std::string& bytes = b.MutablePayload();
  bytes.replace(0, 7, "INFO");
  bytes.replace(bytes.find("1 OPTIONS"), 9, "1 INFO");
  BOOST_REQUIRE(b.Sip() != nullptr);
  BOOST_TEST(b.Sip()->Method() == "INFO");
  BOOST_TEST(sip.copies == 1);
}

BOOST_AUTO_TEST_CASE(priorities_order_the_chain_and_drop_or_steal_ends_it) {
  const ns3::Ptr<Assembled> model = ns3::CreateObject<Assembled>();
  std::vector<std::string> order;
  auto add = [&](int priority, const std::string& name, alg::Verdict verdict) {
    const ns3::Ptr<Scripted> m = ns3::CreateObject<Scripted>();
    m->act = [&order, name, verdict](alg::PacketContext&) {
      order.push_back(name);
      return verdict;
    };
    model->Add(alg::HookPoint::InboundPostDnat, priority, m);
  };
  add(5, "b", alg::Verdict::Accept());
  add(1, "a", alg::Verdict::Accept());
  add(5, "c", alg::Verdict::Stolen());  // same priority as b: after it
  add(9, "d", alg::Verdict::Accept());
  nat::NatTable table;
  NoEmitter emitter;
  const alg::RouterView view = mangle::FlowTopology();
  std::string buffer;
  CountingSource bytes("x");
  alg::PacketContext c(alg::HookPoint::InboundPostDnat, nat::Direction::Inbound, kTuple, kTuple,
                       bytes, buffer, table, ns3::Seconds(1), view, emitter);
  BOOST_CHECK(model->Run(c).kind == alg::VerdictKind::Stolen);
  BOOST_TEST(order == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());
  BOOST_TEST(model->Empty(alg::HookPoint::OutboundPostSnat));
  BOOST_TEST(model->Mechanisms().size() == 4U);
}

BOOST_AUTO_TEST_CASE(a_chain_run_names_the_mechanisms_that_rewrote_or_decided) {
  const ns3::Ptr<Assembled> model = ns3::CreateObject<Assembled>();
  auto add = [&](int priority, const std::string& label, std::function<alg::Verdict(alg::PacketContext&)> act) {
    const ns3::Ptr<Scripted> m = ns3::CreateObject<Scripted>();
    if (!label.empty()) m->SetLabel(label);
    m->act = std::move(act);
    model->Add(alg::HookPoint::OutboundPostSnat, priority, m);
  };
  bool dropNext = false;
  add(0, "looker", [](alg::PacketContext& c) { c.Payload(); return alg::Verdict::Accept(); });
  add(1, "rewriter", [](alg::PacketContext& c) { c.MutablePayload() += "!"; return alg::Verdict::Accept(); });
  add(2, "", [](alg::PacketContext& c) { c.MutablePayload() += "?"; return alg::Verdict::Accept(); });
  add(3, "policy", [&dropNext](alg::PacketContext&) {
    return dropNext ? alg::Verdict::Drop("test") : alg::Verdict::Accept();
  });
  nat::NatTable table;
  NoEmitter emitter;
  const alg::RouterView view = mangle::FlowTopology();
  std::string buffer;
  CountingSource bytes("x");
  alg::PacketContext a(alg::HookPoint::OutboundPostSnat, nat::Direction::Outbound, kTuple, kTuple,
                       bytes, buffer, table, ns3::Seconds(1), view, emitter);
  BOOST_CHECK(model->Run(a).IsAccept());
  // Only the writers, in chain order; an unlabelled mechanism goes by its kind's name.
  BOOST_TEST(a.Actors() == "rewriter+scripted");
  BOOST_TEST(a.decidedBy == nullptr);

  dropNext = true;
  alg::PacketContext b(alg::HookPoint::OutboundPostSnat, nat::Direction::Outbound, kTuple, kTuple,
                       bytes, buffer, table, ns3::Seconds(1), view, emitter);
  BOOST_CHECK(model->Run(b).kind == alg::VerdictKind::Drop);
  BOOST_TEST(b.Actors() == "policy");  // the drop is the policy's, whatever was rewritten first
}

BOOST_AUTO_TEST_CASE(an_inactive_mechanism_is_passed_over) {
  const ns3::Ptr<Assembled> model = ns3::CreateObject<Assembled>();
  const ns3::Ptr<Scripted> dropper = ns3::CreateObject<Scripted>();
  dropper->act = [](alg::PacketContext&) { return alg::Verdict::Drop("no"); };
  model->Add(alg::HookPoint::InboundPostDnat, 0, dropper);
  nat::NatTable table;
  NoEmitter emitter;
  const alg::RouterView view = mangle::FlowTopology();
  std::string buffer;
  CountingSource bytes("x");
  alg::PacketContext c(alg::HookPoint::InboundPostDnat, nat::Direction::Inbound, kTuple, kTuple,
                       bytes, buffer, table, ns3::Seconds(1), view, emitter);
  BOOST_CHECK(model->Run(c).kind == alg::VerdictKind::Drop);
  // What a model file's `when:` does when its selector knob says another word.
  dropper->SetActive(false);
  BOOST_CHECK(model->Run(c).IsAccept());
  dropper->SetActive(true);
  BOOST_CHECK(model->Run(c).kind == alg::VerdictKind::Drop);
}

BOOST_AUTO_TEST_CASE(knobs_reach_mechanisms_with_their_semantics_and_one_line_errors) {
  const ns3::Ptr<Assembled> model = ns3::CreateObject<Assembled>();
  const ns3::Ptr<Scripted> one = ns3::CreateObject<Scripted>();
  const ns3::Ptr<Scripted> two = ns3::CreateObject<Scripted>();
  model->Add(alg::HookPoint::OutboundPostSnat, 0, one);
  model->Add(alg::HookPoint::InboundPostDnat, 0, two);
  // A shared name is one knob; every model also has tcp_view, listed last.
  BOOST_REQUIRE(model->Knobs().size() == 2U);
  BOOST_TEST(model->Knobs()[1].name == "tcp_view");
  model->SetKnob("level", "7");
  BOOST_TEST(one->level == "7");
  BOOST_TEST(two->level == "7");  // ... set on every mechanism that has it
  BOOST_TEST(model->GetKnob("level") == "7");
  BOOST_CHECK(model->SemanticsOf("level") == alg::KnobSemantics::NewSessions);
  try {
    model->SetKnob("nope", "1");
    BOOST_ERROR("accepted");
  } catch (const alg::AlgConfigError& e) {
    BOOST_TEST(std::string(e.what()) == "model 'assembled' has no knob 'nope' (valid: level, tcp_view)");
  }
}

BOOST_AUTO_TEST_CASE(table_router_runs_pre_filter_before_the_nat_and_can_admit) {
  const ns3::Ptr<Assembled> model = ns3::CreateObject<Assembled>();
  const ns3::Ptr<Scripted> gate = ns3::CreateObject<Scripted>();
  gate->act = [](alg::PacketContext& c) {
    BOOST_TEST(c.mappingId == 0U);
    if (c.Payload() == "open") c.admitTo = nat::Endpoint{ns3::Ipv4Address("10.0.0.2"), 6000};
    return alg::Verdict::Accept();
  };
  model->Add(alg::HookPoint::InboundPreFilter, 0, gate);
  alg::TableRouter router(nat::NatConfig{}, mangle::FlowTopology(), model);
  const nat::Endpoint stranger{ns3::Ipv4Address("198.51.100.7"), 7000};
  BOOST_TEST(router.Inbound(stranger, 6000, "knock", ns3::Seconds(1)).dropReason == "no-mapping");
  const auto admitted = router.Inbound(stranger, 6000, "open", ns3::Seconds(2));
  BOOST_REQUIRE(admitted.delivered.has_value());
  BOOST_CHECK(admitted.to == (nat::Endpoint{ns3::Ipv4Address("10.0.0.2"), 6000}));
}
