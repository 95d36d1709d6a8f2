// The reusable mechanisms of alg-models/contract/mechanisms, each in a small test model that is
// not linux-netfilter (a vendor model composes them the same way): the shared predicates, the
// address rewriter, the media pinhole opener, the timers, the drop policy, the signalling timer
// and the pinhole mirror. Driven through alg::TableRouter (the NAT table plus the chains).
#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/mechanisms/address-match.h"
#include "alg-models/contract/mechanisms/media-pinhole-opener.h"
#include "alg-models/contract/mechanisms/media-pinhole-timer.h"
#include "alg-models/contract/mechanisms/pinhole-mirror.h"
#include "alg-models/contract/mechanisms/sip-address-rewriter.h"
#include "alg-models/contract/mechanisms/sip-drop-policy.h"
#include "alg-models/contract/mechanisms/sip-port-classifier.h"
#include "alg-models/contract/mechanisms/sip-signalling-timer.h"
#include "alg-models/contract/mechanisms/source-restriction.h"
#include "alg-models/contract/table-router.h"
#include "sim/nat/nat-table.h"

#include <boost/test/unit_test.hpp>

#include <initializer_list>
#include <string>

using namespace alglab;

namespace {

const nat::Endpoint kPhone{ns3::Ipv4Address("10.0.0.2"), 5060};
const nat::Endpoint kPeer{ns3::Ipv4Address("203.0.113.2"), 5060};
const ns3::Ipv4Address kPublic("203.0.113.1");
const nat::Endpoint kStranger{ns3::Ipv4Address("198.51.100.7"), 30000};

alg::RouterView Topology() {
  alg::RouterView view;
  view.hasWan = true;
  view.wan = {2, kPublic, ns3::Ipv4Mask("255.255.255.0")};
  view.lan.push_back({1, ns3::Ipv4Address("10.0.0.1"), ns3::Ipv4Mask("255.255.255.0")});
  // A LAN prefix outside RFC 1918 (carrier-grade space): any-private must know it from here.
  view.lan.push_back({3, ns3::Ipv4Address("100.64.0.1"), ns3::Ipv4Mask("255.255.255.0")});
  return view;
}

std::uint32_t Ip(const char* text) { return ns3::Ipv4Address(text).Get(); }

/// A SIP message from header lines and a body, CRLF-terminated, with a correct Content-Length.
std::string Sip(std::initializer_list<const char*> headers, std::initializer_list<const char*> body = {}) {
  std::string b;
  for (const char* l : body) b += std::string(l) + "\r\n";
  std::string out;
  for (const char* h : headers) out += std::string(h) + "\r\n";
  out += "Content-Length: " + std::to_string(b.size()) + "\r\n\r\n" + b;
  return out;
}

std::string Invite(const char* mediaAddress = "10.0.0.2", const char* mediaPort = "4000") {
  const std::string c = std::string("c=IN IP4 ") + mediaAddress;
  const std::string o = std::string("o=- 1 1 IN IP4 ") + mediaAddress;
  const std::string m = std::string("m=audio ") + mediaPort + " RTP/AVP 0";
  return Sip({"INVITE sip:200@203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1",
              "Record-Route: <sip:10.0.0.2;lr>", "From: <sip:100@10.0.0.2>;tag=1",
              "To: <sip:200@203.0.113.2>", "Call-ID: c1@10.0.0.2", "CSeq: 1 INVITE",
              "Contact: <sip:100@10.0.0.2:5070>", "Content-Type: application/sdp"},
             {"v=0", o.c_str(), "s=-", c.c_str(), "t=0 0", m.c_str()});
}

/// A body-less request of the phone with the mandatory headers.
std::string Request(const std::string& method, int cseq) {
  const std::string start = method + " sip:200@203.0.113.2 SIP/2.0";
  const std::string cs = "CSeq: " + std::to_string(cseq) + " " + method;
  return Sip({start.c_str(), "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK9",
              "From: <sip:100@10.0.0.2>;tag=1", "To: <sip:200@203.0.113.2>", "Call-ID: c9",
              cs.c_str()});
}

/// The test model: drop policy, media pinhole opener, media timer, then the address rewriter, at
/// the two points a SIP ALG sits.
class MechanismKitModel : public alg::AlgModel {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid =
        ns3::TypeId("alglab::test::MechanismKitModel").SetParent<alg::AlgModel>();
    return tid;
  }
  MechanismKitModel() {
    timer->SetOpener(ns3::PeekPointer(opener));
    for (alg::HookPoint p : {alg::HookPoint::OutboundPostSnat, alg::HookPoint::InboundPostDnat}) {
      Attach(p, -30, drop);
      Attach(p, -20, opener);
      Attach(p, -10, timer);
      Attach(p, 0, rewriter);
    }
  }
  std::string Name() const override { return "mechanism-kit"; }
  ns3::Ptr<SipDropPolicy> drop = ns3::CreateObject<SipDropPolicy>();
  ns3::Ptr<MediaPinholeOpener> opener = ns3::CreateObject<MediaPinholeOpener>();
  ns3::Ptr<MediaPinholeTimer> timer = ns3::CreateObject<MediaPinholeTimer>();
  ns3::Ptr<SipAddressRewriter> rewriter = ns3::CreateObject<SipAddressRewriter>();
};

struct Kit {
  explicit Kit(std::initializer_list<std::pair<const char*, const char*>> knobs = {}) {
    for (const auto& [name, value] : knobs) model->SetKnob(name, value);
  }
  ns3::Ptr<MechanismKitModel> model = ns3::CreateObject<MechanismKitModel>();
  alg::TableRouter router{nat::NatConfig{}, Topology(), model};

  /// The public endpoint the NAT gave the phone's signalling toward the peer.
  nat::Endpoint PublicSignalling(ns3::Time now) {
    const nat::Mapping* m = router.Table().FindMapping(nat::L4Protocol::Udp, kPhone, kPeer, now);
    BOOST_REQUIRE(m != nullptr);
    return m->external;
  }
};

/// The value of the first line starting with `prefix` (without the prefix), or "".
std::string LineAfter(const std::string& message, const std::string& prefix) {
  const std::size_t at = message.find("\r\n" + prefix);
  if (at == std::string::npos) return "";
  const std::size_t start = at + 2 + prefix.size();
  return message.substr(start, message.find("\r\n", start) - start);
}

std::uint16_t MediaPort(const std::string& message) {
  return static_cast<std::uint16_t>(std::stoul(LineAfter(message, "m=audio ")));
}

std::size_t BodySize(const std::string& message) {
  return message.size() - message.find("\r\n\r\n") - 4;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shared_predicates)

BOOST_AUTO_TEST_CASE(address_match_rules_differ_exactly_where_routers_do) {
  using alg::AddressMatch;
  const alg::RouterView view = Topology();
  const std::uint32_t phone = Ip("10.0.0.2");
  BOOST_TEST(alg::AddressMatches(AddressMatch::AddressAndPort, phone, 5060, phone, 5060, nullptr));
  BOOST_TEST(!alg::AddressMatches(AddressMatch::AddressAndPort, phone, 5070, phone, 5060, nullptr));
  BOOST_TEST(alg::AddressMatches(AddressMatch::AddressOnly, phone, 5070, phone, 5060, nullptr));
  BOOST_TEST(!alg::AddressMatches(AddressMatch::AddressOnly, Ip("10.0.0.3"), 5060, phone, 5060, nullptr));
  // any-private: another RFC 1918 host, or a LAN prefix the router has that is not RFC 1918.
  BOOST_TEST(alg::AddressMatches(AddressMatch::AnyPrivate, Ip("192.168.7.9"), 1, phone, 5060, nullptr));
  BOOST_TEST(alg::AddressMatches(AddressMatch::AnyPrivate, Ip("172.31.0.1"), 1, phone, 5060, nullptr));
  BOOST_TEST(!alg::AddressMatches(AddressMatch::AnyPrivate, Ip("172.32.0.1"), 1, phone, 5060, nullptr));
  BOOST_TEST(!alg::AddressMatches(AddressMatch::AnyPrivate, Ip("100.64.0.5"), 1, phone, 5060, nullptr));
  BOOST_TEST(alg::AddressMatches(AddressMatch::AnyPrivate, Ip("100.64.0.5"), 1, phone, 5060, &view));
  BOOST_TEST(!alg::AddressMatches(AddressMatch::AnyPrivate, Ip("8.8.8.8"), 1, phone, 5060, &view));
  for (AddressMatch r : {AddressMatch::AddressAndPort, AddressMatch::AddressOnly, AddressMatch::AnyPrivate}) {
    BOOST_CHECK(alg::ParseAddressMatch(alg::ToString(r)) == r);
  }
  BOOST_CHECK(!alg::ParseAddressMatch("exact").has_value());
}

BOOST_AUTO_TEST_CASE(source_restriction_names_the_only_admitted_source) {
  using alg::SourceRestriction;
  BOOST_CHECK(!alg::RestrictedSource(SourceRestriction::Any, 7, 9u).has_value());
  BOOST_CHECK(alg::RestrictedSource(SourceRestriction::SignallingPeer, 7, 9u) == 7u);
  BOOST_CHECK(alg::RestrictedSource(SourceRestriction::SdpAddress, 7, 9u) == 9u);
  // The answer's SDP not seen yet: the signalling peer until then.
  BOOST_CHECK(alg::RestrictedSource(SourceRestriction::SdpAddress, 7, std::nullopt) == 7u);
  BOOST_CHECK(alg::ParseSourceRestriction("sdp-address") == SourceRestriction::SdpAddress);
  BOOST_CHECK(!alg::ParseSourceRestriction("peer").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sip_address_rewriter)

BOOST_AUTO_TEST_CASE(the_transports_inspected_are_a_knob) {
  // sip_transports is set on every mechanism that has it (rewriter, opener, drop policy).
  Kit tcpOnly{{"sip_transports", "tcp"}};
  const auto r = tcpOnly.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
  BOOST_REQUIRE(r.delivered.has_value());
  BOOST_TEST(r.delivered->find("c=IN IP4 10.0.0.2") != std::string::npos);  // UDP: left alone
  Kit both{{"sip_transports", "udp,tcp"}};
  const auto b = both.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
  BOOST_REQUIRE(b.delivered.has_value());
  BOOST_TEST(b.delivered->find("c=IN IP4 203.0.113.1") != std::string::npos);
  BOOST_TEST(both.model->GetKnob("sip_transports") == "udp,tcp");
  BOOST_CHECK_THROW(both.model->SetKnob("sip_transports", "sctp"), alg::AlgConfigError);
}

BOOST_AUTO_TEST_CASE(an_origin_that_is_not_the_connection_address_can_be_left_alone) {
  // On hold (c=0.0.0.0) the phone's o= still names it: rewritten by default, kept when o= is
  // rewritten only with its c= (Cisco ASA).
  const std::string held = Sip({"INVITE sip:200@203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK2",
                                "From: <sip:100@10.0.0.2>;tag=1", "To: <sip:200@203.0.113.2>", "Call-ID: h1",
                                "CSeq: 2 INVITE", "Content-Type: application/sdp"},
                               {"v=0", "o=- 1 2 IN IP4 10.0.0.2", "s=-", "c=IN IP4 0.0.0.0", "t=0 0",
                                "m=audio 4000 RTP/AVP 0", "a=sendonly"});
  for (const char* rule : {"always", "when-equal-to-c"}) {
    Kit kit{{"rewrite_origin", rule}};
    const auto r = kit.router.Outbound(kPhone, kPeer, held, ns3::Seconds(1));
    BOOST_REQUIRE(r.delivered.has_value());
    const bool kept = r.delivered->find("o=- 1 2 IN IP4 10.0.0.2") != std::string::npos;
    BOOST_TEST(kept == (std::string(rule) == "when-equal-to-c"), *r.delivered);
    BOOST_TEST(r.delivered->find("c=IN IP4 0.0.0.0") != std::string::npos);
  }
  // An o= equal to c= is rewritten either way.
  Kit asa{{"rewrite_origin", "when-equal-to-c"}};
  const auto r = asa.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
  BOOST_REQUIRE(r.delivered.has_value());
  BOOST_TEST(r.delivered->find("o=- 1 1 IN IP4 203.0.113.1") != std::string::npos, *r.delivered);
  BOOST_CHECK_THROW(asa.model->SetKnob("rewrite_origin", "sometimes"), alg::AlgConfigError);
}

BOOST_AUTO_TEST_CASE(outbound_rewrites_the_chosen_headers_and_sdp_and_fixes_content_length) {
  Kit kit;
  const auto r = kit.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
  BOOST_REQUIRE(r.delivered.has_value());
  const std::string& d = *r.delivered;
  const nat::Endpoint pub = kit.PublicSignalling(ns3::Seconds(1));
  const std::string pubText = "203.0.113.1:" + std::to_string(pub.port);
  BOOST_TEST(LineAfter(d, "Via: ") == "SIP/2.0/UDP " + pubText + ";branch=z9hG4bK1");
  // From has no port: 5060 is the phone's port, so it gets the public one only if that differs.
  BOOST_TEST(LineAfter(d, "From: ") ==
             (pub.port == 5060 ? std::string("<sip:100@203.0.113.1>;tag=1")
                               : "<sip:100@" + pubText + ">;tag=1"));
  // address-only: the Contact's other port is not the translated one and stays.
  BOOST_TEST(LineAfter(d, "Contact: ") == "<sip:100@203.0.113.1:5070>");
  BOOST_TEST(LineAfter(d, "Record-Route: ") == "<sip:10.0.0.2;lr>");  // not selected by default
  BOOST_TEST(LineAfter(d, "Call-ID: ") == "c1@10.0.0.2");             // never an address header
  BOOST_TEST(LineAfter(d, "c=") == "IN IP4 203.0.113.1");
  BOOST_TEST(LineAfter(d, "o=") == "- 1 1 IN IP4 203.0.113.1");
  // m= names the public port the NAT reserved for the media endpoint.
  const nat::Mapping* media = kit.router.Table().FindMappingByExternalPort(
      nat::L4Protocol::Udp, MediaPort(d), ns3::Seconds(1));
  BOOST_REQUIRE(media != nullptr);
  BOOST_CHECK(media->internal == (nat::Endpoint{kPhone.address, 4000}));
  BOOST_TEST(LineAfter(d, "Content-Length: ") == std::to_string(BodySize(d)));
}

BOOST_AUTO_TEST_CASE(match_predicate_and_header_selection_are_knobs) {
  Kit exact{{"address_match", "address-and-port"}, {"rewrite_headers", "via,contact,record-route"}};
  const auto r = exact.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
  BOOST_REQUIRE(r.delivered.has_value());
  BOOST_TEST(LineAfter(*r.delivered, "Contact: ") == "<sip:100@10.0.0.2:5070>");  // other port
  BOOST_TEST(LineAfter(*r.delivered, "From: ") == "<sip:100@10.0.0.2>;tag=1");    // not selected
  BOOST_TEST(LineAfter(*r.delivered, "Record-Route: ").find("203.0.113.1") != std::string::npos);
  BOOST_TEST(LineAfter(*r.delivered, "Request-URI") == "");

  // any-private also takes another inside host's address (a phone announcing a second LAN).
  const std::string other = Invite("192.168.50.9");
  Kit only;
  const auto kept = only.router.Outbound(kPhone, kPeer, other, ns3::Seconds(1));
  BOOST_TEST(LineAfter(*kept.delivered, "c=") == "IN IP4 192.168.50.9");
  Kit any{{"address_match", "any-private"}};
  const auto taken = any.router.Outbound(kPhone, kPeer, other, ns3::Seconds(1));
  BOOST_TEST(LineAfter(*taken.delivered, "c=") == "IN IP4 203.0.113.1");
  BOOST_CHECK_THROW(any.model->SetKnob("address_match", "exact"), alg::AlgConfigError);
  BOOST_CHECK_THROW(any.model->SetKnob("rewrite_headers", "via,p-asserted-identity"),
                    alg::AlgConfigError);
}

BOOST_AUTO_TEST_CASE(content_length_leave_keeps_the_stale_value_and_sdp_lines_are_selectable) {
  Kit kit{{"content_length", "leave"}, {"rewrite_sdp", "c"}};
  const std::string sent = Invite();
  const auto r = kit.router.Outbound(kPhone, kPeer, sent, ns3::Seconds(1));
  const std::string& d = *r.delivered;
  BOOST_TEST(LineAfter(d, "Content-Length: ") == std::to_string(BodySize(sent)));
  BOOST_TEST(BodySize(d) == BodySize(sent) + 3);  // 10.0.0.2 -> 203.0.113.1 once, in c=
  BOOST_TEST(LineAfter(d, "o=") == "- 1 1 IN IP4 10.0.0.2");
  BOOST_TEST(LineAfter(d, "m=audio ").rfind("4000 ", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(inbound_rewrites_the_public_endpoint_back_unless_switched_off) {
  for (const bool inbound : {true, false}) {
    Kit kit{{"rewrite_inbound", inbound ? "true" : "false"}};
    kit.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
    const nat::Endpoint pub = kit.PublicSignalling(ns3::Seconds(1));
    const std::string via = "Via: SIP/2.0/UDP 203.0.113.1:" + std::to_string(pub.port) + ";branch=z9hG4bK1";
    const std::string ok = Sip({"SIP/2.0 180 Ringing", via.c_str(), "From: <sip:100@203.0.113.1>;tag=1",
                                "To: <sip:200@203.0.113.2>;tag=2", "Call-ID: c1", "CSeq: 1 INVITE"});
    const auto r = kit.router.Inbound(kPeer, pub.port, ok, ns3::Seconds(2));
    BOOST_REQUIRE(r.delivered.has_value());
    BOOST_TEST(LineAfter(*r.delivered, "Via: ") ==
               (inbound ? std::string("SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1")
                        : via.substr(5)));
  }
}

BOOST_AUTO_TEST_CASE(non_sip_payload_is_never_touched) {
  Kit kit{{"drop_unparsable", "false"}};
  const std::string junk = "hello 10.0.0.2:5060";
  const auto r = kit.router.Outbound(kPhone, kPeer, junk, ns3::Seconds(1));
  BOOST_REQUIRE(r.delivered.has_value());
  BOOST_TEST(*r.delivered == junk);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(media_pinhole_opener)

BOOST_AUTO_TEST_CASE(opens_rtp_and_rtcp_for_the_signalling_peer_only_by_default) {
  Kit kit;
  const auto r = kit.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
  const std::uint16_t port = MediaPort(*r.delivered);
  BOOST_TEST(kit.router.Table().ExpectationCount() == 2u);
  BOOST_TEST(kit.model->opener->PinholeCount(r.mappingId) == 2u);
  BOOST_TEST(kit.router.Inbound(kStranger, port, "rtp", ns3::Seconds(2)).dropReason != "");
  const auto rtp = kit.router.Inbound({kPeer.address, 30000}, port, "rtp", ns3::Seconds(2));
  BOOST_REQUIRE(rtp.delivered.has_value());
  BOOST_CHECK(rtp.to == (nat::Endpoint{kPhone.address, 4000}));
  // A second INVITE replaces the pinholes of the first.
  kit.router.Outbound(kPhone, kPeer, Invite("10.0.0.2", "5000"), ns3::Seconds(3));
  BOOST_TEST(kit.model->opener->PinholeCount(r.mappingId) == 2u);
}

BOOST_AUTO_TEST_CASE(source_any_admits_strangers_and_persistent_admits_many) {
  Kit oneShot{{"media_source", "any"}, {"media_rtcp", "false"}};
  const auto r = oneShot.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
  const std::uint16_t port = MediaPort(*r.delivered);
  BOOST_TEST(oneShot.router.Table().ExpectationCount() == 1u);
  BOOST_TEST(oneShot.router.Inbound(kStranger, port, "rtp", ns3::Seconds(2)).delivered.has_value());
  BOOST_TEST(oneShot.router.Table().ExpectationCount() == 0u);  // used up

  Kit persistent{{"media_source", "any"}, {"media_rtcp", "false"}, {"media_persistent", "true"}};
  const auto p = persistent.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
  const std::uint16_t pport = MediaPort(*p.delivered);
  BOOST_TEST(persistent.router.Inbound(kStranger, pport, "a", ns3::Seconds(2)).delivered.has_value());
  BOOST_TEST(persistent.router.Table().ExpectationCount() == 1u);
  BOOST_CHECK_THROW(persistent.model->SetKnob("media_source", "peer"), alg::AlgConfigError);
}

BOOST_AUTO_TEST_CASE(sdp_address_restriction_follows_the_peers_answer) {
  Kit kit{{"media_source", "sdp-address"}, {"media_rtcp", "false"}};
  const auto r = kit.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
  const std::uint16_t port = MediaPort(*r.delivered);
  const nat::Endpoint pub = kit.PublicSignalling(ns3::Seconds(1));
  // The peer answers with media from a separate media server.
  const std::string answer =
      Sip({"SIP/2.0 200 OK", "Via: SIP/2.0/UDP 203.0.113.1;branch=z9hG4bK1",
           "From: <sip:100@203.0.113.1>;tag=1", "To: <sip:200@203.0.113.2>;tag=2", "Call-ID: c1",
           "CSeq: 1 INVITE", "Content-Type: application/sdp"},
          {"v=0", "o=- 2 2 IN IP4 198.51.100.20", "s=-", "c=IN IP4 198.51.100.20", "t=0 0",
           "m=audio 7000 RTP/AVP 0"});
  BOOST_REQUIRE(kit.router.Inbound(kPeer, pub.port, answer, ns3::Seconds(2)).delivered.has_value());
  BOOST_TEST(kit.router.Inbound({kPeer.address, 7000}, port, "rtp", ns3::Seconds(3)).dropReason != "");
  const auto media = kit.router.Inbound({ns3::Ipv4Address("198.51.100.20"), 7000}, port, "rtp",
                                        ns3::Seconds(3));
  BOOST_TEST(media.delivered.has_value());
}

BOOST_AUTO_TEST_CASE(media_of_a_host_outside_the_lan_opens_nothing) {
  Kit kit;
  kit.router.Outbound(kPhone, kPeer, Invite("192.0.2.55"), ns3::Seconds(1));
  BOOST_TEST(kit.router.Table().ExpectationCount() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(media_timers)

BOOST_AUTO_TEST_CASE(signalling_refresh_keeps_a_pinhole_that_none_lets_die) {
  for (const char* refresh : {"none", "signalling"}) {
    Kit kit{{"expect_timeout", "60"}, {"media_rtcp", "false"}, {"media_refresh", refresh}};
    // One knob name, set on the opener (new pinholes) and the timer (refreshes) alike.
    BOOST_TEST(kit.model->opener->Lifetime() == ns3::Seconds(60));
    BOOST_TEST(kit.model->timer->Lifetime() == ns3::Seconds(60));
    const auto r = kit.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
    const std::uint16_t port = MediaPort(*r.delivered);
    const std::string options = Request("OPTIONS", 2);
    kit.router.Outbound(kPhone, kPeer, options, ns3::Seconds(50));
    const auto rtp = kit.router.Inbound({kPeer.address, 30000}, port, "rtp", ns3::Seconds(70));
    BOOST_TEST(rtp.delivered.has_value() == (std::string(refresh) == "signalling"));
  }
}

BOOST_AUTO_TEST_CASE(media_refresh_retimes_the_binding_and_the_sibling_pinhole) {
  for (const char* refresh : {"none", "media"}) {
    Kit kit{{"expect_timeout", "20"}, {"media_timeout", "30"}, {"media_refresh", refresh}};
    const auto r = kit.router.Outbound(kPhone, kPeer, Invite(), ns3::Seconds(1));
    const std::uint16_t rtpPort = MediaPort(*r.delivered);
    std::uint16_t rtcpPort = 0;
    for (const nat::Mapping* m : kit.router.Table().Mappings()) {
      if (m->internal == nat::Endpoint{kPhone.address, 4001}) rtcpPort = m->external.port;
    }
    BOOST_REQUIRE(rtcpPort != 0);
    const auto rtp = kit.router.Inbound({kPeer.address, 30000}, rtpPort, "rtp", ns3::Seconds(15));
    BOOST_REQUIRE(rtp.delivered.has_value());
    const nat::Mapping* media = kit.router.Table().FindMappingById(rtp.mappingId, ns3::Seconds(15));
    BOOST_REQUIRE(media != nullptr);
    const bool refreshed = std::string(refresh) == "media";
    // media: 15 s + media_timeout; none: the router's UDP timeout (120 s).
    BOOST_CHECK(media->expiresAt == (refreshed ? ns3::Seconds(45) : ns3::Seconds(135)));
    // The RTCP pinhole (opened at 1 s for 20 s) was re-opened by the RTP packet at 15 s.
    const auto rtcp = kit.router.Inbound({kPeer.address, 30001}, rtcpPort, "rtcp", ns3::Seconds(30));
    BOOST_TEST(rtcp.delivered.has_value() == refreshed);
  }
  Kit kit;
  BOOST_CHECK_THROW(kit.model->SetKnob("media_refresh", "rtp"), alg::AlgConfigError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sip_drop_policy)

BOOST_AUTO_TEST_CASE(drops_unparsable_sip_by_default_and_nothing_else) {
  Kit kit;
  const auto bad = kit.router.Outbound(kPhone, kPeer, "INVITE garbage", ns3::Seconds(1));
  BOOST_CHECK(bad.verdict == alg::VerdictKind::Drop);
  BOOST_TEST(bad.dropReason == "alg: unparsable SIP message");
  // A CRLF keep-alive, a datagram of another port, an unknown method: all pass by default.
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, "\r\n\r\n", ns3::Seconds(1)).delivered.has_value());
  BOOST_TEST(kit.router.Outbound({kPhone.address, 4000}, {kPeer.address, 9000}, "INVITE garbage",
                                 ns3::Seconds(1)).delivered.has_value());
  const std::string foo = Request("FOO", 1);
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, foo, ns3::Seconds(1)).delivered.has_value());
  // The same garbage from the WAN side toward the phone.
  const nat::Endpoint pub = kit.PublicSignalling(ns3::Seconds(1));
  BOOST_TEST(kit.router.Inbound(kPeer, pub.port, "SIP/2.0 abc", ns3::Seconds(2)).dropReason ==
             "alg: unparsable SIP message");
  Kit lenient{{"drop_unparsable", "false"}};
  BOOST_TEST(lenient.router.Outbound(kPhone, kPeer, "INVITE garbage", ns3::Seconds(1)).delivered.has_value());
}

BOOST_AUTO_TEST_CASE(a_request_uri_over_the_limit_is_dropped) {
  Kit kit{{"drop_long_request_uri", "40"}};
  // "sip:200@203.0.113.2" (19 characters) passes; 41 characters do not.
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, Request("OPTIONS", 1), ns3::Seconds(1)).delivered.has_value());
  std::string longer = Request("OPTIONS", 2);
  longer.replace(longer.find("sip:200@"), 8, "sip:" + std::string(26, '2') + "@");
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, longer, ns3::Seconds(1)).dropReason == "alg: Request-URI too long");
  kit.model->SetKnob("drop_long_request_uri", "0");  // never
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, longer, ns3::Seconds(2)).delivered.has_value());
}

BOOST_AUTO_TEST_CASE(oversized_and_unknown_method_drops_are_knobs) {
  Kit kit{{"drop_oversized", "200"}, {"drop_unknown_methods", "true"}, {"sip_ports", "5060,5080"}};
  const std::string invite = Invite();
  BOOST_REQUIRE(invite.size() > 200u);
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, invite, ns3::Seconds(1)).dropReason ==
             "alg: oversized SIP message");
  const std::string foo = Request("FOO", 1);
  BOOST_TEST(kit.router.Outbound(kPhone, {kPeer.address, 5080}, foo, ns3::Seconds(1)).dropReason ==
             "alg: unknown SIP method");
  const std::string bye = Request("BYE", 2);
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, bye, ns3::Seconds(1)).delivered.has_value());
  kit.model->SetKnob("known_methods", "INVITE,FOO");
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, foo, ns3::Seconds(1)).delivered.has_value());
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, bye, ns3::Seconds(1)).dropReason == "alg: unknown SIP method");
  BOOST_CHECK_THROW(kit.model->SetKnob("sip_ports", "5060,0"), alg::AlgConfigError);
}

BOOST_AUTO_TEST_CASE(a_header_line_over_the_limit_is_dropped_when_long_lines_are_blocked) {
  Kit kit{{"drop_long_lines", "true"}, {"max_line_length", "998"}};
  // A header line of exactly 998 characters passes, one of 999 does not; a long SDP line is
  // body, not header, and passes.
  const auto withHeader = [](std::size_t length) {
    std::string request = Request("OPTIONS", 1);
    const std::string name = "X-Pad: ";
    request.insert(request.find("Content-Length"), name + std::string(length - name.size(), 'a') + "\r\n");
    return request;
  };
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, withHeader(998), ns3::Seconds(1)).delivered.has_value());
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, withHeader(999), ns3::Seconds(1)).dropReason ==
             "alg: SIP header line too long");
  std::string sdp = Invite();
  sdp.insert(sdp.find("t=0 0"), "a=x:" + std::string(1200, 'b') + "\r\n");
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, sdp, ns3::Seconds(1)).delivered.has_value());
  // Off (the default), or a higher limit: the 999-character line passes.
  Kit off;
  BOOST_TEST(off.router.Outbound(kPhone, kPeer, withHeader(999), ns3::Seconds(1)).delivered.has_value());
  kit.model->SetKnob("max_line_length", "1000");
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, withHeader(999), ns3::Seconds(2)).delivered.has_value());
  // Unparsable and long: the length decides first (the message need not parse).
  const std::string garbage = std::string(1200, 'z') + "\r\n\r\n";
  kit.model->SetKnob("max_line_length", "998");
  BOOST_TEST(kit.router.Outbound(kPhone, kPeer, garbage, ns3::Seconds(3)).dropReason ==
             "alg: SIP header line too long");
}

BOOST_AUTO_TEST_CASE(decide_alone_serves_a_model_with_its_own_pass) {
  const ns3::Ptr<SipDropPolicy> policy = ns3::CreateObject<SipDropPolicy>();
  BOOST_TEST(std::string(policy->Decide("x", nullptr)) == drop_policy_reason::kUnparsable);
  BOOST_TEST(policy->Decide("\r\n", nullptr) == nullptr);
  BOOST_TEST(policy->Decide("", nullptr) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// Any model can reuse the signalling timer with its own notion of a SIP connection.
class EvenPortClassifier : public SipConnectionClassifier {
 public:
  bool IsSipConnection(alg::PacketContext& c) override {
    ++calls;
    return c.original.destination.port % 2 == 0;
  }
  int calls = 0;
};

class TimerOnlyModel : public alg::AlgModel {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("alglab::test::TimerOnlyModel").SetParent<alg::AlgModel>();
    return tid;
  }
  explicit TimerOnlyModel(SipConnectionClassifier* classifier) {
    const ns3::Ptr<SipSignallingTimer> timer = ns3::CreateObject<SipSignallingTimer>();
    timer->SetClassifier(classifier);
    Attach(alg::HookPoint::OutboundPostSnat, 0, timer);
  }
  std::string Name() const override { return "timer-only"; }
};

/// Any model can keep its own pinholes in the NAT table through the mirror.
class MirrorOnlyModel : public alg::AlgModel {
 public:
  static ns3::TypeId GetTypeId() {
    static ns3::TypeId tid = ns3::TypeId("alglab::test::MirrorOnlyModel").SetParent<alg::AlgModel>();
    return tid;
  }
  MirrorOnlyModel() : mirror(ns3::CreateObject<PinholeMirror>()) { Adopt(mirror); }
  std::string Name() const override { return "mirror-only"; }
  ns3::Ptr<PinholeMirror> mirror;
};

}  // namespace

BOOST_AUTO_TEST_CASE(the_signalling_timer_is_reusable_with_another_classifier) {
  EvenPortClassifier classifier;
  const ns3::Ptr<TimerOnlyModel> model = ns3::Create<TimerOnlyModel>(&classifier);
  model->SetKnob("sip_timeout", "900");
  alg::TableRouter router(nat::NatConfig{}, Topology(), model);
  router.Outbound(kPhone, {kPeer.address, 5060}, "REGISTER x", ns3::Seconds(1));
  router.Outbound({kPhone.address, 4000}, {kPeer.address, 5061}, "odd", ns3::Seconds(1));
  router.Outbound({kPhone.address, 4002}, {kPeer.address, 5062}, "", ns3::Seconds(1));  // no data
  const nat::Mapping* sip = router.Table().FindMapping(nat::L4Protocol::Udp, kPhone, kPeer, ns3::Seconds(1));
  const nat::Mapping* other = router.Table().FindMapping(
      nat::L4Protocol::Udp, {kPhone.address, 4000}, kPeer, ns3::Seconds(1));
  const nat::Mapping* empty = router.Table().FindMapping(
      nat::L4Protocol::Udp, {kPhone.address, 4002}, kPeer, ns3::Seconds(1));
  BOOST_REQUIRE(sip != nullptr);
  BOOST_REQUIRE(other != nullptr);
  BOOST_REQUIRE(empty != nullptr);
  BOOST_CHECK(sip->expiresAt == ns3::Seconds(901));
  BOOST_CHECK(other->expiresAt == ns3::Seconds(121));  // the UDP timeout
  BOOST_CHECK(empty->expiresAt == ns3::Seconds(121));
  BOOST_TEST(classifier.calls == 2);  // never asked about an empty datagram
}

BOOST_AUTO_TEST_CASE(the_port_classifier_serves_the_signalling_timer_of_a_model_without_tracking) {
  SipPortClassifier classifier;
  classifier.SetPorts("5060, 5080", "sip_ports");
  BOOST_CHECK_THROW(classifier.SetPorts("5060,70000", "sip_ports"), std::invalid_argument);
  BOOST_CHECK_THROW(classifier.SetPorts(" ", "sip_ports"), std::invalid_argument);
  BOOST_TEST(classifier.PortsText() == "5060, 5080");
  const ns3::Ptr<TimerOnlyModel> model = ns3::Create<TimerOnlyModel>(&classifier);
  model->SetKnob("sip_timeout", "600");
  alg::TableRouter router(nat::NatConfig{}, Topology(), model);
  router.Outbound(kPhone, {kPeer.address, 5080}, "REGISTER x", ns3::Seconds(1));
  router.Outbound({kPhone.address, 4000}, {kPeer.address, 5090}, "other", ns3::Seconds(1));
  const nat::Mapping* sip = router.Table().FindMapping(nat::L4Protocol::Udp, kPhone,
                                                       {kPeer.address, 5080}, ns3::Seconds(1));
  const nat::Mapping* other = router.Table().FindMapping(
      nat::L4Protocol::Udp, {kPhone.address, 4000}, {kPeer.address, 5090}, ns3::Seconds(1));
  BOOST_REQUIRE(sip != nullptr);
  BOOST_REQUIRE(other != nullptr);
  BOOST_CHECK(sip->expiresAt == ns3::Seconds(601));
  BOOST_CHECK(other->expiresAt == ns3::Seconds(121));
}

BOOST_AUTO_TEST_CASE(the_pinhole_mirror_opens_source_restricted_pinholes_for_any_model) {
  const ns3::Ptr<MirrorOnlyModel> model = ns3::Create<MirrorOnlyModel>();
  alg::TableRouter router(nat::NatConfig{}, Topology(), model);
  PinholeRequest request;
  request.key = 7;
  request.publicPort = 40000;
  request.onlyFrom = kPeer.address;
  request.inside = {kPhone.address, 4000};
  request.lifetime = ns3::Seconds(30);
  model->mirror->Open(request, ns3::Seconds(1));
  BOOST_TEST(model->mirror->Size() == 1u);
  const nat::Endpoint stranger{ns3::Ipv4Address("198.51.100.7"), 9};
  BOOST_TEST(router.Inbound(stranger, 40000, "x", ns3::Seconds(2)).dropReason == "no-mapping");
  const auto admitted = router.Inbound({kPeer.address, 30000}, 40000, "rtp", ns3::Seconds(2));
  BOOST_REQUIRE(admitted.delivered.has_value());
  BOOST_CHECK(admitted.to == (nat::Endpoint{kPhone.address, 4000}));
  // Re-opened with the same key and closed again: nothing is left in the table.
  request.publicPort = 40002;
  model->mirror->Open(request, ns3::Seconds(3));
  BOOST_TEST(router.Table().ExpectationCount() == 1u);
  model->mirror->Close(7);
  BOOST_TEST(router.Table().ExpectationCount() == 0u);
  BOOST_TEST(model->mirror->Size() == 0u);
}
