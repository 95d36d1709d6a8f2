// Fortinet FortiGate as a model file: the signature behaviour of both engines from the vendor
// dossier (section 5), through the mangle engine (flow replay) and alg::TableRouter (the NAT
// table plus the model's chains, for a second WAN peer).
#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/sample-flows.h"
#include "alg-models/contract/table-router.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <string>

using namespace alglab;

namespace {

using alg::samples::InviteWithSdpFlow;
using Knobs = std::map<std::string, std::string>;

const nat::Endpoint kPhone{ns3::Ipv4Address("10.0.0.2"), 5060};
const nat::Endpoint kRegistrar{ns3::Ipv4Address("203.0.113.2"), 5060};
const nat::Endpoint kEdgeProxy{ns3::Ipv4Address("198.51.100.7"), 5060};

std::vector<mangle::BlockOutcome> Replay(const std::string& flow, const Knobs& knobs = {},
                                         const std::string& vendor = "fortigate") {
  return mangle::ReplayFlow(flow::ParseFlowText(flow, "fortigate.flow"), vendor, knobs);
}


/// The FortiGate model over a NAT table with the given filtering.
struct Router {
  explicit Router(const Knobs& knobs = {},
                  nat::FilteringBehaviour filtering = nat::FilteringBehaviour::AddressAndPortDependent)
      : model(alg::CreateAlgModel("fortigate", knobs)), router(Config(filtering), mangle::FlowTopology(), model) {}
  static nat::NatConfig Config(nat::FilteringBehaviour filtering) {
    nat::NatConfig config;
    config.filtering = filtering;
    return config;
  }
  std::uint16_t PublicPort(ns3::Time now) {
    const nat::Mapping* m = router.Table().FindMapping(nat::L4Protocol::Udp, kPhone, kRegistrar, now);
    BOOST_REQUIRE(m != nullptr);
    return m->external.port;
  }
  ns3::Ptr<alg::AlgModel> model;
  alg::TableRouter router;
};

const std::string kRegister =
    "REGISTER sip:203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKr\r\n"
    "From: <sip:100@203.0.113.2>;tag=r\r\nTo: <sip:100@203.0.113.2>\r\nCall-ID: reg@10.0.0.2\r\n"
    "CSeq: 1 REGISTER\r\nContact: <sip:100@10.0.0.2:5060>\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n";

std::string InboundInvite(const std::string& from, const std::string& callId) {
  return "INVITE sip:100@203.0.113.1 SIP/2.0\r\nVia: SIP/2.0/UDP " + from + ":5060;branch=z9hG4bKi\r\n"
         "From: <sip:555@" + from + ">;tag=e\r\nTo: <sip:100@203.0.113.1>\r\nCall-ID: " + callId +
         "\r\nCSeq: 1 INVITE\r\nContact: <sip:555@" + from + ">\r\nContent-Length: 0\r\n\r\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(defaults_are_fortios_schema_defaults) {
  const auto model = alg::CreateAlgModel("fortigate", {});
  const std::map<std::string, std::string> expected{
      {"default-voip-alg-mode", "proxy-based"}, {"sip-expectation", "disable"}, {"sip-nat-trace", "enable"},
      {"sip-udp-port", "5060"}, {"status", "enable"}, {"rtp", "enable"}, {"open-register-pinhole", "enable"},
      {"open-contact-pinhole", "enable"}, {"open-record-route-pinhole", "enable"},
      {"open-via-pinhole", "disable"}, {"strict-register", "enable"}, {"max-line-length", "998"},
      {"block-long-lines", "enable"}, {"block-unknown", "enable"}, {"call-keepalive", "0"},
      {"max-idle-dialogs", "0"}, {"provisional-invite-expiry-time", "210"}, {"contact-fixup", "enable"},
      {"nat-trace", "enable"}, {"no-sdp-fixup", "disable"}, {"tcp_view", "message"}, {"session-ttl", "180s"},
      {"session-helper-sip", "present"}};
  BOOST_TEST(model->KnobValues() == expected);
  BOOST_CHECK(model->SemanticsOf("session-helper-sip") == alg::KnobSemantics::NewSessions);
  BOOST_CHECK(model->SemanticsOf("default-voip-alg-mode") == alg::KnobSemantics::AfterReboot);
  BOOST_CHECK_THROW(alg::CreateAlgModel("fortigate", {{"default-voip-alg-mode", "flow-based"}}), alg::AlgConfigError);
  try {
    alg::CreateAlgModel("fortigate", {{"strict-register", "yes"}});
    BOOST_ERROR("accepted");
  } catch (const alg::AlgConfigError& e) {
    BOOST_TEST(std::string(e.what()) == "knob strict-register='yes' is not a valid value (valid: disable, enable)");
  }
}

BOOST_AUTO_TEST_CASE(the_proxy_puts_its_own_via_on_top_and_the_original_address_in_i) {
  const auto out = Replay(InviteWithSdpFlow() +
                          "<<< in\n"
                          "SIP/2.0 180 Ringing\n"
                          "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-alg-1\n"
                          "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\n"
                          "From: <sip:100@10.0.0.2>;tag=1\n"
                          "To: <sip:200@203.0.113.2>;tag=2\n"
                          "Call-ID: c1@10.0.0.2\n"
                          "CSeq: 1 INVITE\n"
                          "Content-Length: 0\n");
  BOOST_REQUIRE(out[0].delivered.has_value());
  const std::string& invite = *out[0].delivered;
  BOOST_TEST(invite.find("INVITE sip:200@203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-alg-1\r\n"
                         "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\r\n") == 0u, invite);
  BOOST_TEST(invite.find("s=-\r\ni=(o=IN IP4 10.0.0.2)\r\n") != std::string::npos, invite);
  BOOST_TEST(invite.find("c=IN IP4 203.0.113.1") != std::string::npos);
  BOOST_TEST(invite.find("o=- 1 1 IN IP4 203.0.113.1") != std::string::npos);
  BOOST_TEST(invite.find("Contact: <sip:100@203.0.113.1:5060>") != std::string::npos);
  // The 180 comes back to the phone without the router's Via.
  BOOST_REQUIRE(out[1].delivered.has_value());
  BOOST_TEST(out[1].delivered->find("Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\r\nFrom") != std::string::npos,
             *out[1].delivered);
  BOOST_TEST(out[1].delivered->find("z9hG4bK-alg-") == std::string::npos);
  // nat-trace disable: no i= line.
  const auto untraced = Replay(InviteWithSdpFlow(), {{"nat-trace", "disable"}});
  BOOST_TEST(untraced[0].delivered->find("i=") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(contact_fixup_rewrites_a_contact_that_is_not_the_connection) {
  // The phone sends from 5060 but names 5070 in its Contact.
  std::string flow = InviteWithSdpFlow();
  flow.replace(flow.find("Contact: <sip:100@10.0.0.2:5060>"), 32, "Contact: <sip:100@10.0.0.2:5070>");
  const auto fixed = Replay(flow);
  BOOST_TEST(fixed[0].delivered->find("Contact: <sip:100@203.0.113.1:5070>") != std::string::npos, *fixed[0].delivered);
  const auto left = Replay(flow, {{"contact-fixup", "disable"}});
  BOOST_TEST(left[0].delivered->find("Contact: <sip:100@10.0.0.2:5070>") != std::string::npos, *left[0].delivered);
}

BOOST_AUTO_TEST_CASE(strict_register_drops_an_invite_from_a_non_registrar) {
  // A NAT that admits anyone on the phone's mapping: the proxy itself refuses the edge proxy.
  Router open{{}, nat::FilteringBehaviour::EndpointIndependent};
  BOOST_REQUIRE(open.router.Outbound(kPhone, kRegistrar, kRegister, ns3::Seconds(1)).delivered);
  const std::uint16_t pub = open.PublicPort(ns3::Seconds(1));
  const auto edge = open.router.Inbound(kEdgeProxy, pub, InboundInvite("198.51.100.7", "e1"), ns3::Seconds(2));
  BOOST_TEST(edge.dropReason == "alg: strict-register: request not from the registrar");
  BOOST_TEST(open.router.Inbound(kRegistrar, pub, InboundInvite("203.0.113.2", "r1"), ns3::Seconds(3)).delivered.has_value());
  // strict-register disable, behind a filtering NAT: the REGISTER pinhole lets the edge proxy in.
  Router lenient{{{"strict-register", "disable"}}};
  BOOST_REQUIRE(lenient.router.Outbound(kPhone, kRegistrar, kRegister, ns3::Seconds(1)).delivered);
  const auto in = lenient.router.Inbound(kEdgeProxy, lenient.PublicPort(ns3::Seconds(1)),
                                         InboundInvite("198.51.100.7", "e2"), ns3::Seconds(2));
  BOOST_TEST(in.delivered.has_value());
  BOOST_TEST(in.to == kPhone);
  // ... unless open-register-pinhole is off: the NAT's filtering refuses it.
  Router closed{{{"strict-register", "disable"}, {"open-register-pinhole", "disable"}}};
  BOOST_REQUIRE(closed.router.Outbound(kPhone, kRegistrar, kRegister, ns3::Seconds(1)).delivered);
  BOOST_TEST(!closed.router.Inbound(kEdgeProxy, closed.PublicPort(ns3::Seconds(1)),
                                    InboundInvite("198.51.100.7", "e3"), ns3::Seconds(2)).delivered);
}

BOOST_AUTO_TEST_CASE(block_long_lines_drops_a_999_byte_line) {
  const auto withLine = [](std::size_t length) {
    std::string flow = InviteWithSdpFlow();
    const std::string name = "Subject: ";
    flow.insert(flow.find("Content-Type"), name + std::string(length - name.size(), 's') + "\n");
    return flow;
  };
  const auto dropped = Replay(withLine(999));
  BOOST_TEST(!dropped[0].delivered.has_value());
  BOOST_TEST(dropped[0].dropReason == "alg: SIP header line too long");
  BOOST_TEST(Replay(withLine(998))[0].delivered.has_value());
  BOOST_TEST(Replay(withLine(999), {{"block-long-lines", "disable"}})[0].delivered.has_value());
  BOOST_TEST(Replay(withLine(999), {{"max-line-length", "1200"}})[0].delivered.has_value());
}

BOOST_AUTO_TEST_CASE(block_unknown_drops_a_method_it_does_not_know) {
  std::string flow = InviteWithSdpFlow();
  flow.replace(flow.find("INVITE sip"), 6, "FROBNICATE");
  flow.replace(flow.find("CSeq: 1 INVITE"), 14, "CSeq: 1 FROBNICATE");
  BOOST_TEST(Replay(flow)[0].dropReason == "alg: unknown SIP method");
  BOOST_TEST(Replay(flow, {{"block-unknown", "disable"}})[0].delivered.has_value());
}

BOOST_AUTO_TEST_CASE(call_keepalive_ends_a_silent_call_without_a_sip_message) {
  Router r{{{"call-keepalive", "1"}}};
  std::string invite = "INVITE sip:200@203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\r\n"
                       "From: <sip:100@10.0.0.2>;tag=1\r\nTo: <sip:200@203.0.113.2>\r\nCall-ID: k@10.0.0.2\r\n"
                       "CSeq: 1 INVITE\r\nContact: <sip:100@10.0.0.2:5060>\r\nContent-Type: application/sdp\r\n"
                       "Content-Length: 71\r\n\r\nv=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\n"
                       "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
  invite.replace(invite.find("Content-Length: 71"), 18, "Content-Length: " + std::to_string(invite.size() - invite.find("\r\n\r\n") - 4));
  BOOST_REQUIRE(r.router.Outbound(kPhone, kRegistrar, invite, ns3::Seconds(1)).delivered);
  const std::uint16_t pub = r.PublicPort(ns3::Seconds(1));
  const std::string ok = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 203.0.113.1:" + std::to_string(pub) +
                         ";branch=z9hG4bK-alg-1\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\r\n"
                         "From: <sip:100@10.0.0.2>;tag=1\r\nTo: <sip:200@203.0.113.2>;tag=2\r\nCall-ID: k@10.0.0.2\r\n"
                         "CSeq: 1 INVITE\r\nContact: <sip:200@203.0.113.2>\r\nContent-Length: 0\r\n\r\n";
  BOOST_REQUIRE(r.router.Inbound(kRegistrar, pub, ok, ns3::Seconds(2)).delivered);
  const nat::Endpoint rtp{kPhone.address, 4000};
  const nat::Endpoint peerRtp{kRegistrar.address, 9000};
  BOOST_TEST(r.router.Outbound(rtp, peerRtp, "rtp", ns3::Seconds(3)).delivered.has_value());
  // Two minutes of silence (a hold): the next packet finds the call gone.
  BOOST_TEST(r.router.Outbound(rtp, peerRtp, "rtp", ns3::Seconds(125)).dropReason ==
             "alg: call ended: no RTP for call-keepalive");
}

BOOST_AUTO_TEST_CASE(status_disable_passes_sip_as_plain_nat_does) {
  const auto out = Replay(InviteWithSdpFlow(), {{"status", "disable"}});
  BOOST_REQUIRE(out[0].delivered.has_value());
  BOOST_TEST(out[0].delivered->find("z9hG4bK-alg-") == std::string::npos);
  BOOST_TEST(out[0].delivered->find("c=IN IP4 10.0.0.2") != std::string::npos);
  BOOST_TEST(*out[0].delivered == *Replay(InviteWithSdpFlow(), {}, "none")[0].delivered);
}

BOOST_AUTO_TEST_CASE(kernel_helper_based_behaves_like_the_linux_helper) {
  // Every corpus flow: the session helper (without its NAT trace) delivers what linux-netfilter
  // delivers, byte for byte; no Via of the router's anywhere.
  const Knobs helper{{"default-voip-alg-mode", "kernel-helper-based"}, {"sip-nat-trace", "disable"}};
  std::size_t flows = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(ALGLAB_SOURCE_DIR) / "tests" / "data" / "flows")) {
    if (entry.path().extension() != ".flow") continue;
    ++flows;
    const flow::FlowFile file = flow::ParseFlowFile(entry.path().string());
    const auto kernel = mangle::ReplayFlow(file, "linux-netfilter");
    const auto fortigate = mangle::ReplayFlow(file, "fortigate", helper);
    BOOST_TEST_CONTEXT(entry.path().filename().string()) {
      BOOST_REQUIRE(kernel.size() == fortigate.size());
      for (std::size_t i = 0; i < kernel.size(); ++i) {
        BOOST_CHECK_MESSAGE(kernel[i].delivered == fortigate[i].delivered, "block " << i);
        BOOST_TEST(kernel[i].dropReason == fortigate[i].dropReason, "block " << i);
      }
    }
  }
  BOOST_TEST(flows >= 10u);
  // With sip-nat-trace (its default) the helper's SDP also carries the i= trace.
  const auto traced = Replay(InviteWithSdpFlow(), {{"default-voip-alg-mode", "kernel-helper-based"}});
  BOOST_TEST(traced[0].delivered->find("i=(o=IN IP4 10.0.0.2)") != std::string::npos, *traced[0].delivered);
  BOOST_TEST(traced[0].delivered->find("z9hG4bK-alg-") == std::string::npos);
  BOOST_TEST(traced[0].delivered->find("c=IN IP4 203.0.113.1") != std::string::npos);
}

// The field note's first step, deleting the session-helper entry, stops only the kernel session
// helper: under the default proxy-based engine the SIP ALG of the VoIP profile still rewrites
// the INVITE; with kernel-helper-based the helper does, until the entry is deleted.
BOOST_AUTO_TEST_CASE(deleting_the_session_helper_matters_only_to_the_kernel_helper_engine) {
  const auto rewritten = [](const Knobs& knobs) {
    const auto out = Replay(InviteWithSdpFlow(), knobs);
    BOOST_REQUIRE(out[0].delivered.has_value());
    return out[0].delivered->find("c=IN IP4 203.0.113.1") != std::string::npos;
  };
  BOOST_TEST(rewritten({}));
  BOOST_TEST(rewritten({{"session-helper-sip", "deleted"}}));  // the proxy-based SIP ALG
  BOOST_TEST(!rewritten({{"session-helper-sip", "deleted"}, {"status", "disable"}}));
  BOOST_TEST(rewritten({{"default-voip-alg-mode", "kernel-helper-based"}}));  // the session helper
  BOOST_TEST(!rewritten({{"default-voip-alg-mode", "kernel-helper-based"}, {"session-helper-sip", "deleted"}}));
}
