// The linux-netfilter model as a NAT-router hook: registration, knobs, the NAT table effects
// (pinholes mirrored as expectations, sip_timeout on mappings, unconfirmed connections) and
// reboot. Built by tests/mangle/CMakeLists.txt like every alg-models/*/*-test.cc.

#include <boost/test/unit_test.hpp>

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/sample-flows.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"
#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/linux-netfilter/linux-netfilter-alg.h"
#include "alg-models/contract/table-router.h"
#include "sim/nat/nat-table.h"

#include "ns3/boolean.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

using namespace alglab;

namespace {

const nat::Endpoint kPhone{ns3::Ipv4Address("10.0.0.2"), 5060};
const nat::Endpoint kPeer{ns3::Ipv4Address("203.0.113.2"), 5060};


/// A NAT table with the model's chains (alg::TableRouter), plus helpers to push one datagram
/// each way.
struct Router {
  ns3::Ptr<LinuxNetfilterAlg> model = ns3::CreateObject<LinuxNetfilterAlg>();
  alg::TableRouter router{nat::NatConfig{}, mangle::FlowTopology(), model};
  nat::NatTable& table = router.Table();
  LinuxNetfilterSip* alg = &model->Sip();
  /// Set by the last In()/Out() call that the helper accepted.
  std::uint16_t redirected = 0;

  alg::VerdictKind Out(std::string& payload, ns3::Time now, nat::Endpoint from = kPhone,
                       nat::Endpoint to = kPeer) {
    const alg::TableRouter::Result r = router.Outbound(from, to, payload, now);
    if (r.delivered) {
      payload = *r.delivered;
      redirected = r.redirectedPort;
    }
    return r.verdict;
  }
  std::optional<alg::TableRouter::Result> In(std::string& payload, ns3::Time now,
                                             std::uint16_t port, nat::Endpoint from = kPeer) {
    const alg::TableRouter::Result r = router.Inbound(from, port, payload, now);
    if (!r.delivered) return std::nullopt;
    payload = *r.delivered;
    redirected = r.redirectedPort;
    return r;
  }
};

std::string Lines(std::initializer_list<const char*> lines) {
  std::string out;
  for (const char* l : lines) out += std::string(l) + "\r\n";
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(linux_netfilter_model)

BOOST_AUTO_TEST_CASE(registered_with_kernel_named_knobs_and_defaults) {
  const alg::AlgModelInfo* info = alg::AlgModelRegistry::Instance().Find("linux-netfilter");
  BOOST_REQUIRE(info != nullptr);
  BOOST_TEST(info->typeId == "alglab::LinuxNetfilterAlg");
  ns3::Ptr<LinuxNetfilterAlg> alg = ns3::CreateObject<LinuxNetfilterAlg>();
  BOOST_TEST(alg->Name() == "linux-netfilter");
  BOOST_TEST(alg->GetKnob("ports") == "5060");
  BOOST_TEST(alg->GetKnob("sip_timeout") == "3600");
  for (const char* knob : {"sip_direct_signalling", "sip_direct_media"}) {
    BOOST_TEST(alg->GetKnob(knob) == "true");
  }
  BOOST_TEST(alg->GetKnob("sip_external_media") == "false");
  // At the two points a conntrack helper sits: the signalling timer, then the helper.
  for (alg::HookPoint point : {alg::HookPoint::OutboundPostSnat, alg::HookPoint::InboundPostDnat}) {
    const auto chain = alg->Chain(point);
    BOOST_REQUIRE(chain.size() == 2u);
    BOOST_TEST(chain[0]->Name() == "sip-signalling-timer");
    BOOST_TEST(chain[1]->Name() == "netfilter-sip");
  }
  BOOST_TEST(alg->Empty(alg::HookPoint::InboundPreFilter));
  BOOST_TEST(alg->Empty(alg::HookPoint::LocalIn));
  // A read-only module parameter needs a module reload: a reboot.
  BOOST_CHECK(alg->SemanticsOf("ports") == alg::KnobSemantics::AfterReboot);
  BOOST_CHECK(alg->SemanticsOf("sip_timeout") == alg::KnobSemantics::Immediate);
  BOOST_TEST((LinuxNetfilterSip::ParsePorts("5060,5070") == std::vector<std::uint16_t>{5060, 5070}));
  BOOST_CHECK_THROW(LinuxNetfilterSip::ParsePorts("0"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(sip_datagrams_set_the_mapping_timeout_to_sip_timeout) {
  Router r;
  std::string options = Lines({"OPTIONS sip:a@203.0.113.2 SIP/2.0", "Content-Length: 0", ""});
  r.Out(options, ns3::Seconds(1));
  const nat::Mapping* m = r.table.FindMapping(nat::L4Protocol::Udp, kPhone, kPeer, ns3::Seconds(1));
  BOOST_REQUIRE(m != nullptr);
  BOOST_TEST((m->expiresAt == ns3::Seconds(3601)));
  // RTP to another port is not SIP: untouched, and its mapping keeps the NAT's own timeout.
  std::string rtp = "\x80\x00 10.0.0.2:5060 rtp";
  const nat::Endpoint media{ns3::Ipv4Address("10.0.0.2"), 4000};
  const nat::Endpoint far{ns3::Ipv4Address("203.0.113.2"), 30000};
  const std::string before = rtp;
  BOOST_TEST((r.Out(rtp, ns3::Seconds(2), media, far) == alg::VerdictKind::Accept));
  BOOST_TEST(rtp == before);
  BOOST_TEST((r.table.FindMapping(nat::L4Protocol::Udp, media, far, ns3::Seconds(2))->expiresAt <
              ns3::Seconds(1000)));
}

BOOST_AUTO_TEST_CASE(register_pinhole_is_mirrored_once_the_registrar_accepts) {
  Router r;
  std::string reg = Lines({"REGISTER sip:203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060",
                           "CSeq: 1 REGISTER", "Contact: <sip:100@10.0.0.2:5060>", "Expires: 600",
                           "Content-Length: 0", ""});
  r.Out(reg, ns3::Seconds(1));
  BOOST_TEST(r.table.ExpectationCount() == 0u);  // inactive until the 2xx
  std::string ok = Lines({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 203.0.113.1:5060", "CSeq: 1 REGISTER",
                          "Contact: <sip:100@203.0.113.1:5060>;expires=600", "Content-Length: 0",
                          ""});
  BOOST_REQUIRE(r.In(ok, ns3::Seconds(2), 5060).has_value());
  BOOST_TEST(r.table.ExpectationCount() == 1u);
  BOOST_TEST(r.alg->MirroredExpectations() == 1u);
  // The registrar, from another port, may now reach the phone; a stranger may not.
  std::string invite = Lines({"INVITE sip:100@203.0.113.1 SIP/2.0", "CSeq: 5 INVITE", ""});
  const nat::Endpoint registrarOtherPort{ns3::Ipv4Address("203.0.113.2"), 5080};
  BOOST_TEST(r.In(invite, ns3::Seconds(3), 5060, registrarOtherPort).has_value());
  std::string stranger = invite;
  BOOST_TEST(!r.In(stranger, ns3::Seconds(3), 5060, {ns3::Ipv4Address("198.51.100.1"), 5060}));
}

BOOST_AUTO_TEST_CASE(media_pinholes_follow_invite_and_bye) {
  Router r;
  std::string invite = Lines({"INVITE sip:200@203.0.113.2 SIP/2.0", "CSeq: 1 INVITE",
                              "Content-Length: 54", "", "v=0", "o=- 1 1 IN IP4 10.0.0.2",
                              "c=IN IP4 10.0.0.2", "m=audio 4000 RTP/AVP 0"});
  BOOST_TEST((r.Out(invite, ns3::Seconds(1)) == alg::VerdictKind::Accept));
  BOOST_TEST(r.table.ExpectationCount() == 2u);
  std::string rtp = "rtp";
  BOOST_TEST(r.In(rtp, ns3::Seconds(2), 4000, {ns3::Ipv4Address("203.0.113.2"), 30000}).has_value());
  std::string bye = Lines({"BYE sip:200@203.0.113.2 SIP/2.0", "CSeq: 2 BYE", ""});
  r.Out(bye, ns3::Seconds(3));
  BOOST_TEST(r.table.ExpectationCount() == 0u);
}

BOOST_AUTO_TEST_CASE(expect_timeout_is_the_shared_expectation_timers_knob) {
  // The pinhole lifetime lives on the adopted ExpectationTimer, yet is the model's knob.
  for (const int lifetime : {180, 30}) {
    Router r;
    BOOST_TEST(r.model->GetKnob("expect_timeout") == "180");
    r.model->SetKnob("expect_timeout", std::to_string(lifetime));
    std::string invite = Lines({"INVITE sip:200@203.0.113.2 SIP/2.0", "CSeq: 1 INVITE",
                                "Content-Length: 54", "", "v=0", "o=- 1 1 IN IP4 10.0.0.2",
                                "c=IN IP4 10.0.0.2", "m=audio 4000 RTP/AVP 0"});
    BOOST_TEST((r.Out(invite, ns3::Seconds(1)) == alg::VerdictKind::Accept));
    BOOST_TEST(r.table.ExpectationCount() == 2u);
    std::string rtp = "rtp";
    // 40 s after the INVITE: alive with the kernel's 180 s, expired with 30 s.
    const bool admitted =
        r.In(rtp, ns3::Seconds(41), 4000, {ns3::Ipv4Address("203.0.113.2"), 30000}).has_value();
    BOOST_TEST(admitted == (lifetime == 180));
  }
}

BOOST_AUTO_TEST_CASE(a_dropped_first_datagram_leaves_no_mapping) {
  Router r;
  std::string bad = Lines({"INVITE sip:200@203.0.113.2 SIP/2.0", "Call-ID: x", ""});
  BOOST_TEST((r.Out(bad, ns3::Seconds(1)) == alg::VerdictKind::Drop));
  BOOST_TEST(r.table.MappingCount() == 0u);
}

BOOST_AUTO_TEST_CASE(forced_port_redirects_replies_to_the_via_port) {
  Router r;
  // Sent from 5060, Via names 5070: the kernel remembers 5070 (forced_dport) for this connection.
  std::string reg = Lines({"REGISTER sip:203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5070",
                           "CSeq: 1 REGISTER", "Contact: <sip:100@10.0.0.2:5070>", "Expires: 600",
                           "Content-Length: 0", ""});
  BOOST_TEST((r.Out(reg, ns3::Seconds(1)) == alg::VerdictKind::Accept));
  BOOST_TEST(r.redirected == 0);  // requests leave for the registrar's own port
  std::string ok = Lines({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 10.0.0.2:5070", "CSeq: 1 REGISTER",
                          "Contact: <sip:100@203.0.113.1:5060>;expires=600", "Content-Length: 0",
                          ""});
  BOOST_REQUIRE(r.In(ok, ns3::Seconds(2), 5060).has_value());
  BOOST_TEST(r.redirected == 5070);
  // Sticky: a later request from the peer on the same connection goes to 5070 too ...
  std::string options = Lines({"OPTIONS sip:100@203.0.113.1:5060 SIP/2.0", "CSeq: 2 OPTIONS",
                               "Content-Length: 0", ""});
  BOOST_REQUIRE(r.In(options, ns3::Seconds(3), 5060).has_value());
  BOOST_TEST(r.redirected == 5070);
  // ... but a phone whose Via matches its source port is never redirected.
  Router plain;
  std::string reg2 = Lines({"REGISTER sip:203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060",
                            "CSeq: 1 REGISTER", "Contact: <sip:100@10.0.0.2:5060>",
                            "Expires: 600", "Content-Length: 0", ""});
  plain.Out(reg2, ns3::Seconds(1));
  std::string ok2 = Lines({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 10.0.0.2:5060", "CSeq: 1 REGISTER",
                           "Contact: <sip:100@203.0.113.1:5060>;expires=600",
                           "Content-Length: 0", ""});
  BOOST_REQUIRE(plain.In(ok2, ns3::Seconds(2), 5060).has_value());
  BOOST_TEST(plain.redirected == 0);
}

BOOST_AUTO_TEST_CASE(a_removed_mapping_takes_its_connection_and_pinholes_at_once) {
  Router r;
  std::string invite = Lines({"INVITE sip:200@203.0.113.2 SIP/2.0", "CSeq: 1 INVITE",
                              "Content-Length: 54", "", "v=0", "o=- 1 1 IN IP4 10.0.0.2",
                              "c=IN IP4 10.0.0.2", "m=audio 4000 RTP/AVP 0"});
  BOOST_TEST((r.Out(invite, ns3::Seconds(1)) == alg::VerdictKind::Accept));
  BOOST_TEST(r.alg->ConnectionCount() == 1u);
  BOOST_TEST(r.alg->Engine().Expectations().Size() == 2u);
  BOOST_TEST(r.table.ExpectationCount() == 2u);
  const nat::Mapping* m = r.table.FindMapping(nat::L4Protocol::Udp, kPhone, kPeer, ns3::Seconds(1));
  BOOST_REQUIRE(m != nullptr);
  // No packet follows: the model hears of the removal from the table and forgets everything
  // that belonged to the connection, in the helper and in the NAT table.
  BOOST_TEST(r.table.RemoveMapping(m->id));
  BOOST_TEST(r.alg->ConnectionCount() == 0u);
  BOOST_TEST(r.alg->Engine().ConnectionCount() == 0u);
  BOOST_TEST(r.alg->Engine().Expectations().Size() == 0u);
  BOOST_TEST(r.alg->MirroredExpectations() == 0u);
  BOOST_TEST(r.table.ExpectationCount() == 0u);
  // An expiry found by a sweep does the same.
  std::string again = invite;
  r.Out(again, ns3::Seconds(10));
  BOOST_TEST(r.alg->ConnectionCount() == 1u);
  r.table.Sweep(ns3::Seconds(10 + 3600));  // sip_timeout on the mapping
  BOOST_TEST(r.alg->ConnectionCount() == 0u);
  BOOST_TEST(r.alg->Engine().ConnectionCount() == 0u);
  BOOST_TEST(r.table.ExpectationCount() == 0u);
}

BOOST_AUTO_TEST_CASE(reboot_forgets_all_helper_state) {
  Router r;
  std::string invite = Lines({"INVITE sip:200@203.0.113.2 SIP/2.0", "CSeq: 1 INVITE",
                              "Content-Length: 54", "", "v=0", "o=- 1 1 IN IP4 10.0.0.2",
                              "c=IN IP4 10.0.0.2", "m=audio 4000 RTP/AVP 0"});
  r.Out(invite, ns3::Seconds(1));
  r.table.Clear();
  r.alg->OnRouterReboot();
  BOOST_TEST(r.alg->Engine().Expectations().Size() == 0u);
  BOOST_TEST(r.alg->MirroredExpectations() == 0u);
  BOOST_TEST(r.alg->Engine().ConnectionCount() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

// The `helper` knob is the ruleset's `ct helper set "sip"` rule: without it a new connection to
// 5060 gets no helper, so the INVITE crosses unchanged; a bad word is one line naming it.
BOOST_AUTO_TEST_CASE(helper_none_leaves_new_connections_without_the_helper) {
  const flow::FlowFile flow = flow::ParseFlowText(alg::samples::InviteWithSdpFlow(), "invite.flow");
  const auto with = mangle::ReplayFlow(flow, "linux-netfilter");
  BOOST_REQUIRE(with[0].delivered.has_value());
  BOOST_TEST(with[0].delivered->find("c=IN IP4 203.0.113.1") != std::string::npos, *with[0].delivered);
  const auto without = mangle::ReplayFlow(flow, "linux-netfilter", {{"helper", "none"}});
  BOOST_REQUIRE(without[0].delivered.has_value());
  BOOST_TEST(without[0].delivered->find("203.0.113.1") == std::string::npos, *without[0].delivered);
  BOOST_TEST(without[0].delivered->find("c=IN IP4 10.0.0.2") != std::string::npos);
  const auto model = alg::CreateAlgModel("linux-netfilter", {});
  BOOST_TEST(model->GetKnob("helper") == "sip");
  BOOST_TEST((model->SemanticsOf("helper") == alg::KnobSemantics::NewSessions));
  try {
    alg::CreateAlgModel("linux-netfilter", {{"helper", "on"}});
    BOOST_FAIL("helper=on accepted");
  } catch (const alg::AlgConfigError& e) {
    BOOST_TEST(std::string(e.what()).find("helper: 'on' (valid: sip, none)") != std::string::npos, e.what());
  }
}
