// The proxy-style ALG's mechanisms (sip-dialog-proxy.h, sdp-nat-trace.h) and the text helpers
// under them (sip-via-text.h), fed SIP messages that must and must not trigger each behaviour,
// through alg::TableRouter (the NAT table plus the chains) in a small test model.
#include "sim/mangle/flow-replay.h"
#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/mechanisms/sdp-nat-trace.h"
#include "alg-models/contract/mechanisms/sip-dialog-proxy.h"
#include "alg-models/contract/mechanisms/sip-via-text.h"
#include "alg-models/contract/table-router.h"
#include "sim/nat/nat-table.h"

#include <boost/test/unit_test.hpp>

#include <initializer_list>
#include <string>

using namespace alglab;

namespace {

const nat::Endpoint kPhone{ns3::Ipv4Address("10.0.0.2"), 5060};
const nat::Endpoint kRegistrar{ns3::Ipv4Address("203.0.113.2"), 5060};
const nat::Endpoint kEdge{ns3::Ipv4Address("198.51.100.7"), 5060};
const nat::Endpoint kPhoneRtp{ns3::Ipv4Address("10.0.0.2"), 4000};
const nat::Endpoint kPeerRtp{ns3::Ipv4Address("203.0.113.2"), 7000};


std::string Sip(std::initializer_list<std::string> headers, std::initializer_list<std::string> body = {}) {
  std::string b;
  for (const std::string& l : body) b += l + "\r\n";
  std::string out;
  for (const std::string& h : headers) out += h + "\r\n";
  if (!b.empty()) out += "Content-Type: application/sdp\r\n";
  out += "Content-Length: " + std::to_string(b.size()) + "\r\n\r\n" + b;
  return out;
}

/// The phone's INVITE (Call-ID `callId`) with an offer for 10.0.0.2:4000.
std::string Invite(const std::string& callId = "c1", const std::string& branch = "z9hG4bK1") {
  return Sip({"INVITE sip:200@203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=" + branch,
              "From: <sip:100@10.0.0.2>;tag=1", "To: <sip:200@203.0.113.2>", "Call-ID: " + callId,
              "CSeq: 1 INVITE", "Contact: <sip:100@10.0.0.2:5060>"},
             {"v=0", "o=- 1 1 IN IP4 10.0.0.2", "s=-", "c=IN IP4 10.0.0.2", "t=0 0", "m=audio 4000 RTP/AVP 0"});
}

/// A response from the WAN to the phone's INVITE carrying `vias` (top first).
std::string Answer(int code, const std::string& callId, std::initializer_list<std::string> vias,
                   const std::string& extra = "") {
  std::string head = "SIP/2.0 " + std::to_string(code) + (code == 200 ? " OK" : " Ringing") + "\r\n";
  for (const std::string& v : vias) head += "Via: " + v + "\r\n";
  head += "From: <sip:100@10.0.0.2>;tag=1\r\nTo: <sip:200@203.0.113.2>;tag=9\r\nCall-ID: " + callId +
          "\r\nCSeq: 1 INVITE\r\nContact: <sip:200@203.0.113.2>\r\n" + extra;
  return head + "Content-Length: 0\r\n\r\n";
}

std::string Request(const std::string& method, const std::string& callId, const std::string& from = "203.0.113.2") {
  return Sip({method + " sip:100@203.0.113.1 SIP/2.0", "Via: SIP/2.0/UDP " + from + ":5060;branch=z9hG4bKin",
              "From: <sip:200@" + from + ">;tag=9", "To: <sip:100@203.0.113.1>", "Call-ID: " + callId,
              "CSeq: 2 " + method});
}

std::string Register(const std::string& expires = "3600") {
  return Sip({"REGISTER sip:203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKr",
              "From: <sip:100@203.0.113.2>;tag=r", "To: <sip:100@203.0.113.2>", "Call-ID: reg1",
              "CSeq: 1 REGISTER", "Contact: <sip:100@10.0.0.2:5060>", "Expires: " + expires});
}

class ProxyModel : public alg::AlgModel {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("alglab::test::ProxyModel").SetParent<alg::AlgModel>();
    return tid;
  }
  ProxyModel() {
    for (alg::HookPoint p : {alg::HookPoint::OutboundPostSnat, alg::HookPoint::InboundPostDnat}) {
      Attach(p, 0, proxy);
      Attach(p, 10, trace);
    }
  }
  std::string Name() const override { return "proxy-kit"; }
  ns3::Ptr<SipDialogProxy> proxy = ns3::CreateObject<SipDialogProxy>();
  ns3::Ptr<SdpNatTrace> trace = ns3::CreateObject<SdpNatTrace>();
};

nat::NatConfig Config(nat::FilteringBehaviour filtering) {
  nat::NatConfig config;
  config.filtering = filtering;
  return config;
}

struct Kit {
  explicit Kit(std::initializer_list<std::pair<const char*, const char*>> knobs = {},
               nat::FilteringBehaviour filtering = nat::FilteringBehaviour::AddressAndPortDependent)
      : router{Config(filtering), mangle::FlowTopology(), model} {
    for (const auto& [name, value] : knobs) model->SetKnob(name, value);
  }
  ns3::Ptr<ProxyModel> model = ns3::CreateObject<ProxyModel>();
  alg::TableRouter router;

  std::uint16_t PublicPort(const nat::Endpoint& inside, const nat::Endpoint& remote, ns3::Time now) {
    const nat::Mapping* m = router.Table().FindMapping(nat::L4Protocol::Udp, inside, remote, now);
    BOOST_REQUIRE(m != nullptr);
    return m->external.port;
  }
  /// An outbound call c1 answered with 200 OK at `at`; RTP flows both ways once.
  void Call(const std::string& callId, ns3::Time at, std::uint16_t rtpPort = 4000) {
    std::string invite = Invite(callId, "z9hG4bK" + callId);
    const std::string port = std::to_string(rtpPort);
    invite.replace(invite.find("m=audio 4000"), 12, "m=audio " + port);
    BOOST_REQUIRE(router.Outbound(kPhone, kRegistrar, invite, at).delivered);
    const std::uint16_t pub = PublicPort(kPhone, kRegistrar, at);
    BOOST_REQUIRE(router.Inbound(kRegistrar, pub,
                                 Answer(200, callId, {"SIP/2.0/UDP 203.0.113.1:" + std::to_string(pub) +
                                                          ";branch=z9hG4bK-alg-" + callId,
                                                      "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK" + callId}),
                                 at)
                      .delivered);
  }
  alg::TableRouter::Result Rtp(std::uint16_t port, ns3::Time at) {
    return router.Outbound({kPhone.address, port}, kPeerRtp, "rtp-bytes", at);
  }
};

std::string FirstVia(const std::string& message) {
  const std::size_t at = message.find("\r\nVia: ");
  if (at == std::string::npos) return "";
  return message.substr(at + 7, message.find("\r\n", at + 2) - at - 7);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sip_dialog_proxy)

BOOST_AUTO_TEST_CASE(via_text_helpers_insert_on_top_and_remove_only_their_own) {
  std::string m = "OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKx\r\nCall-ID: 1\r\n\r\n";
  BOOST_TEST(InsertTopVia(m, "SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-alg-x"));
  BOOST_TEST(m == "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-alg-x\r\n"
                  "v: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKx\r\nCall-ID: 1\r\n\r\n");
  // Not ours (another host, another branch): kept.
  BOOST_TEST(!RemoveTopViaIf(m, "203.0.113.9", "z9hG4bK-alg-"));
  BOOST_TEST(!RemoveTopViaIf(m, "203.0.113.1", "z9hG4bK-other-"));
  BOOST_TEST(RemoveTopViaIf(m, "203.0.113.1", "z9hG4bK-alg-"));
  BOOST_TEST(m == "OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKx\r\nCall-ID: 1\r\n\r\n");
  // A line with several values loses only the first; no Via at all: inserted after the start line.
  std::string two = "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 203.0.113.1:7;branch=z9hG4bK-alg-1, SIP/2.0/UDP 10.0.0.2\n\n";
  BOOST_TEST(RemoveTopViaIf(two, "203.0.113.1", "z9hG4bK-alg-"));
  BOOST_TEST(two == "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 10.0.0.2\n\n");
  std::string none = "OPTIONS sip:a@b SIP/2.0\nCall-ID: 1\n\n";
  BOOST_TEST(InsertTopVia(none, "X"));
  BOOST_TEST(none == "OPTIONS sip:a@b SIP/2.0\nVia: X\nCall-ID: 1\n\n");
  std::string empty;
  BOOST_TEST(!InsertTopVia(empty, "X"));
}

BOOST_AUTO_TEST_CASE(requests_leave_with_the_routers_via_on_top_and_responses_come_back_without) {
  Kit kit;
  const auto out = kit.router.Outbound(kPhone, kRegistrar, Invite(), ns3::Seconds(1));
  BOOST_REQUIRE(out.delivered);
  const std::uint16_t pub = kit.PublicPort(kPhone, kRegistrar, ns3::Seconds(1));
  BOOST_TEST(FirstVia(*out.delivered) == "SIP/2.0/UDP 203.0.113.1:" + std::to_string(pub) + ";branch=z9hG4bK-alg-1");
  // The phone's own Via follows, untouched.
  BOOST_TEST(out.delivered->find("Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\r\n") != std::string::npos);
  // The provider's 180 echoes both; the phone gets only its own back.
  const std::string ours = "SIP/2.0/UDP 203.0.113.1:" + std::to_string(pub) + ";branch=z9hG4bK-alg-1";
  const auto ringing = kit.router.Inbound(kRegistrar, pub, Answer(180, "c1", {ours, "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1"}),
                                          ns3::Seconds(2));
  BOOST_REQUIRE(ringing.delivered);
  BOOST_TEST(FirstVia(*ringing.delivered) == "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1");
  BOOST_TEST(ringing.delivered->find("203.0.113.1") == std::string::npos);
  // A response whose top Via is someone else's stays as it came.
  const std::string foreign = Answer(180, "c1", {"SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1"});
  BOOST_TEST(*kit.router.Inbound(kRegistrar, pub, foreign, ns3::Seconds(3)).delivered == foreign);
  // Requests from the WAN get no Via of the router's.
  const std::string options = Request("OPTIONS", "o1");
  BOOST_TEST(*kit.router.Inbound(kRegistrar, pub, options, ns3::Seconds(4)).delivered == options);
  // insert_via off: the request leaves as the phone sent it.
  Kit plain{{"insert_via", "false"}, {"nat_trace", "false"}};
  BOOST_TEST(*plain.router.Outbound(kPhone, kRegistrar, Invite(), ns3::Seconds(1)).delivered == Invite());
}

BOOST_AUTO_TEST_CASE(nat_trace_puts_the_original_address_in_the_sdp_i_line) {
  Kit kit{{"insert_via", "false"}};
  const auto out = kit.router.Outbound(kPhone, kRegistrar, Invite(), ns3::Seconds(1));
  BOOST_REQUIRE(out.delivered);
  BOOST_TEST(out.delivered->find("s=-\r\ni=(o=IN IP4 10.0.0.2)\r\nc=IN IP4") != std::string::npos);
  const std::size_t body = out.delivered->size() - out.delivered->find("\r\n\r\n") - 4;
  BOOST_TEST(out.delivered->find("Content-Length: " + std::to_string(body) + "\r\n") != std::string::npos);
  // An i= already there gets the trace appended.
  std::string withInfo = Invite();
  withInfo.replace(withInfo.find("s=-\r\n"), 5, "s=-\r\ni=call\r\n");
  withInfo.replace(withInfo.find("Content-Length: "), 18, "Content-Length: 93");
  const auto appended = kit.router.Outbound(kPhone, kRegistrar, withInfo, ns3::Seconds(2));
  BOOST_TEST(appended.delivered->find("i=call (o=IN IP4 10.0.0.2)\r\n") != std::string::npos);
  // No SDP, SDP from the WAN, or the knob off: nothing added.
  const std::string options = Sip({"OPTIONS sip:200@203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKo",
                                   "Call-ID: o", "CSeq: 1 OPTIONS"});
  BOOST_TEST(*kit.router.Outbound(kPhone, kRegistrar, options, ns3::Seconds(3)).delivered == options);
  kit.model->SetKnob("nat_trace", "false");
  BOOST_TEST(kit.router.Outbound(kPhone, kRegistrar, Invite("c2"), ns3::Seconds(4)).delivered->find("i=") == std::string::npos);
  std::string bodyless = "OPTIONS sip:a SIP/2.0\r\nContent-Length: 0\r\n\r\n";
  BOOST_TEST(!AddSdpNatTrace(bodyless, "10.0.0.2"));
  // s= as the body's last line, without a line break; LF-only messages keep LF.
  std::string last = "INVITE sip:a SIP/2.0\r\nContent-Length: 7\r\n\r\nv=0\r\ns=-";
  BOOST_TEST(AddSdpNatTrace(last, "10.0.0.9"));
  BOOST_TEST(last == "INVITE sip:a SIP/2.0\r\nContent-Length: 33\r\n\r\nv=0\r\ns=-\r\ni=(o=IN IP4 10.0.0.9)\r\n");
  std::string lf = "INVITE sip:a SIP/2.0\nl: 10\n\nv=0\ns=-\nt=0 0\n";
  BOOST_TEST(AddSdpNatTrace(lf, "10.0.0.9"));
  BOOST_TEST(lf == "INVITE sip:a SIP/2.0\nl: 36\n\nv=0\ns=-\ni=(o=IN IP4 10.0.0.9)\nt=0 0\n");
}

BOOST_AUTO_TEST_CASE(strict_register_admits_requests_of_the_registrar_only) {
  // A filtering-free NAT admits anyone on the phone's mapping: the proxy itself refuses.
  Kit kit{{}, nat::FilteringBehaviour::EndpointIndependent};
  BOOST_REQUIRE(kit.router.Outbound(kPhone, kRegistrar, Register(), ns3::Seconds(1)).delivered);
  const std::uint16_t pub = kit.PublicPort(kPhone, kRegistrar, ns3::Seconds(1));
  BOOST_TEST(kit.model->proxy->PinholeCount() == 1u);
  const auto fromEdge = kit.router.Inbound(kEdge, pub, Request("INVITE", "in1", "198.51.100.7"), ns3::Seconds(2));
  BOOST_TEST(fromEdge.dropReason == "alg: strict-register: request not from the registrar");
  BOOST_TEST(kit.router.Inbound(kRegistrar, pub, Request("INVITE", "in2"), ns3::Seconds(3)).delivered.has_value());
  // The call it let in is tracked; its BYE passes.
  BOOST_TEST(kit.router.Inbound(kRegistrar, pub, Request("BYE", "in2"), ns3::Seconds(4)).delivered.has_value());
  // strict-register off: the edge proxy's INVITE rings.
  kit.model->SetKnob("strict_register", "false");
  BOOST_TEST(kit.router.Inbound(kEdge, pub, Request("INVITE", "in3", "198.51.100.7"), ns3::Seconds(5)).delivered.has_value());
}

BOOST_AUTO_TEST_CASE(the_register_pinhole_admits_what_a_filtering_nat_would_not) {
  // Address-and-port-dependent filtering: only the pinhole lets the edge proxy in.
  Kit strict;
  BOOST_REQUIRE(strict.router.Outbound(kPhone, kRegistrar, Register(), ns3::Seconds(1)).delivered);
  const std::uint16_t pub = strict.PublicPort(kPhone, kRegistrar, ns3::Seconds(1));
  BOOST_TEST(!strict.router.Inbound(kEdge, pub, Request("INVITE", "a", "198.51.100.7"), ns3::Seconds(2)).delivered);
  // The registrar from another port is admitted by the pinhole restricted to its address.
  BOOST_TEST(strict.router.Inbound({kRegistrar.address, 5080}, pub, Request("INVITE", "b"), ns3::Seconds(3)).delivered.has_value());

  Kit open{{"strict_register", "false"}};
  BOOST_REQUIRE(open.router.Outbound(kPhone, kRegistrar, Register(), ns3::Seconds(1)).delivered);
  const std::uint16_t openPub = open.PublicPort(kPhone, kRegistrar, ns3::Seconds(1));
  const auto in = open.router.Inbound(kEdge, openPub, Request("INVITE", "c", "198.51.100.7"), ns3::Seconds(2));
  BOOST_TEST(in.delivered.has_value());
  BOOST_TEST(in.to == kPhone);
  // Unregistering (Expires: 0) closes it; so does open-register-pinhole off.
  BOOST_REQUIRE(open.router.Outbound(kPhone, kRegistrar, Register("0"), ns3::Seconds(3)).delivered);
  BOOST_TEST(open.model->proxy->PinholeCount() == 0u);
  Kit none{{"open_register_pinhole", "false"}, {"strict_register", "false"}};
  BOOST_REQUIRE(none.router.Outbound(kPhone, kRegistrar, Register(), ns3::Seconds(1)).delivered);
  BOOST_TEST(none.model->proxy->PinholeCount() == 0u);
}

BOOST_AUTO_TEST_CASE(contact_and_record_route_pinholes_live_with_the_dialog) {
  Kit kit;
  std::string invite = Invite();
  invite.insert(invite.find("Call-ID"), "Record-Route: <sip:10.0.0.5:5070;lr>\r\n");
  BOOST_REQUIRE(kit.router.Outbound(kPhone, kRegistrar, invite, ns3::Seconds(1)).delivered);
  BOOST_TEST(kit.model->proxy->PinholeCount() == 2u);  // the Contact and the Record-Route
  BOOST_TEST(kit.model->proxy->DialogCount() == 1u);
  const std::uint16_t pub = kit.PublicPort(kPhone, kRegistrar, ns3::Seconds(1));
  BOOST_REQUIRE(kit.router.Outbound(kPhone, kRegistrar, Request("BYE", "c1", "10.0.0.2"), ns3::Seconds(2)).delivered);
  BOOST_TEST(kit.model->proxy->PinholeCount() == 0u);
  BOOST_TEST(kit.model->proxy->DialogCount() == 0u);
  (void)pub;
  // Each kind is its own knob; the Via pinhole is off unless asked for.
  Kit off{{"open_contact_pinhole", "false"}, {"open_record_route_pinhole", "false"}};
  BOOST_REQUIRE(off.router.Outbound(kPhone, kRegistrar, invite, ns3::Seconds(1)).delivered);
  BOOST_TEST(off.model->proxy->PinholeCount() == 0u);
  Kit via{{"open_contact_pinhole", "false"}, {"open_record_route_pinhole", "false"}, {"open_via_pinhole", "true"}};
  BOOST_REQUIRE(via.router.Outbound(kPhone, kRegistrar, invite, ns3::Seconds(1)).delivered);
  BOOST_TEST(via.model->proxy->PinholeCount() == 1u);
}

BOOST_AUTO_TEST_CASE(call_keepalive_ends_a_call_without_rtp_and_says_nothing) {
  Kit kit{{"call_keepalive", "1"}};
  kit.Call("k1", ns3::Seconds(1));
  BOOST_TEST(kit.Rtp(4000, ns3::Seconds(2)).delivered.has_value());
  // 50 s of RTP keep it; then 70 s of silence (a hold, a mute on both sides) end it.
  BOOST_TEST(kit.Rtp(4000, ns3::Seconds(50)).delivered.has_value());
  BOOST_TEST(kit.Rtp(4000, ns3::Seconds(100)).delivered.has_value());
  BOOST_TEST(kit.model->proxy->DialogCount() == 1u);
  const auto late = kit.Rtp(4000, ns3::Seconds(170));
  BOOST_TEST(late.dropReason == "alg: call ended: no RTP for call-keepalive");
  BOOST_TEST(kit.model->proxy->EndedBecause("k1").has_value());
  // RTCP and the peer's RTP too; the BYE that would end it is blocked.
  BOOST_TEST(!kit.Rtp(4001, ns3::Seconds(171)).delivered);
  BOOST_TEST(kit.router.Outbound(kPhone, kRegistrar, Request("BYE", "k1", "10.0.0.2"), ns3::Seconds(172)).dropReason ==
             "alg: call ended: no RTP for call-keepalive");
  // call-keepalive 0 (the default): the same silence costs nothing.
  Kit never;
  never.Call("k2", ns3::Seconds(1));
  BOOST_TEST(never.Rtp(4000, ns3::Seconds(2)).delivered.has_value());
  BOOST_TEST(never.Rtp(4000, ns3::Seconds(3000)).delivered.has_value());
  // A new call's SDP naming the same media port takes it back.
  kit.Call("k3", ns3::Seconds(200));
  BOOST_TEST(kit.Rtp(4000, ns3::Seconds(201)).delivered.has_value());
}

BOOST_AUTO_TEST_CASE(max_idle_dialogs_ends_the_oldest_idle_calls) {
  Kit kit{{"max_idle_dialogs", "1"}, {"idle_after", "60"}};
  kit.Call("old", ns3::Seconds(1), 4000);
  kit.Call("new", ns3::Seconds(10), 4002);
  // Both talk RTP but no SIP: one idle dialog is allowed (at 65 s only the older is idle); once
  // both are idle (70 s) the older one is ended.
  BOOST_TEST(kit.Rtp(4000, ns3::Seconds(30)).delivered.has_value());
  BOOST_TEST(kit.Rtp(4000, ns3::Seconds(65)).delivered.has_value());
  BOOST_TEST(kit.Rtp(4000, ns3::Seconds(75)).dropReason == "alg: call ended: oldest idle dialog beyond max-idle-dialogs");
  BOOST_TEST(kit.Rtp(4002, ns3::Seconds(76)).delivered.has_value());
  BOOST_TEST(kit.Rtp(4002, ns3::Seconds(200)).delivered.has_value());
  // Without a limit both live.
  Kit unlimited;
  unlimited.Call("a", ns3::Seconds(1), 4000);
  unlimited.Call("b", ns3::Seconds(10), 4002);
  BOOST_TEST(unlimited.Rtp(4000, ns3::Seconds(300)).delivered.has_value());
  BOOST_TEST(unlimited.Rtp(4002, ns3::Seconds(300)).delivered.has_value());
}

BOOST_AUTO_TEST_CASE(an_unanswered_invite_and_a_silent_session_timer_end_the_dialog) {
  Kit kit;
  BOOST_REQUIRE(kit.router.Outbound(kPhone, kRegistrar, Invite("p1"), ns3::Seconds(1)).delivered);
  const std::uint16_t pub = kit.PublicPort(kPhone, kRegistrar, ns3::Seconds(1));
  const std::string ours = "SIP/2.0/UDP 203.0.113.1:" + std::to_string(pub) + ";branch=z9hG4bK-alg-1";
  // 180 within time passes; after provisional-invite-expiry-time (210 s) the answer is dropped.
  BOOST_TEST(kit.router.Inbound(kRegistrar, pub, Answer(180, "p1", {ours}), ns3::Seconds(100)).delivered.has_value());
  BOOST_TEST(kit.router.Inbound(kRegistrar, pub, Answer(200, "p1", {ours}), ns3::Seconds(212)).dropReason ==
             "alg: call ended: no final answer within provisional-invite-expiry-time");
  // Session-Expires: 90 from the 200 OK; 90 s without SIP end the call.
  Kit timed;
  BOOST_REQUIRE(timed.router.Outbound(kPhone, kRegistrar, Invite("s1"), ns3::Seconds(1)).delivered);
  const std::uint16_t tpub = timed.PublicPort(kPhone, kRegistrar, ns3::Seconds(1));
  const std::string tours = "SIP/2.0/UDP 203.0.113.1:" + std::to_string(tpub) + ";branch=z9hG4bK-alg-1";
  BOOST_REQUIRE(timed.router.Inbound(kRegistrar, tpub, Answer(200, "s1", {tours}, "Session-Expires: 90\r\n"), ns3::Seconds(2)).delivered);
  BOOST_TEST(timed.Rtp(4000, ns3::Seconds(60)).delivered.has_value());
  BOOST_TEST(timed.Rtp(4000, ns3::Seconds(95)).dropReason == "alg: call ended: dialog timed out (Session-Expires)");
}

BOOST_AUTO_TEST_CASE(a_flush_or_reboot_forgets_every_dialog) {
  Kit kit{{"call_keepalive", "1"}};
  kit.Call("f1", ns3::Seconds(1));
  BOOST_TEST(kit.model->proxy->DialogCount() == 1u);
  kit.model->NotifyFlush();
  BOOST_TEST(kit.model->proxy->DialogCount() == 0u);
  BOOST_TEST(kit.Rtp(4000, ns3::Seconds(500)).delivered.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
