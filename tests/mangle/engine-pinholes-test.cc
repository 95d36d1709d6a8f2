// Which pinholes SIP messages open, re-time and close, through the whole helper.

#include "tests/mangle/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::linuxnf;
using test::Msg;
using test::MsgWithBody;

namespace {

const Ipv4 kPublic = test::Ip("203.0.113.1");
const Ipv4 kPeer = test::Ip("203.0.113.2");
const Ipv4 kPhone = test::Ip("10.0.0.2");

std::string Register(int cseq, const char* contact, const char* expires = "Expires: 600") {
  return Msg({"REGISTER sip:203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060",
              ("CSeq: " + std::to_string(cseq) + " REGISTER").c_str(), contact, expires,
              "Content-Length: 0", ""});
}

std::string RegisterResponse(int cseq, const char* status, const char* contact) {
  return Msg({status, "Via: SIP/2.0/UDP 203.0.113.1:5060",
              ("CSeq: " + std::to_string(cseq) + " REGISTER").c_str(), contact,
              "Content-Length: 0", ""});
}

std::string Invite(int cseq, int port) {
  return MsgWithBody({"INVITE sip:200@203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060",
                      ("CSeq: " + std::to_string(cseq) + " INVITE").c_str(), "Content-Length: {CL}"},
                     Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2",
                          ("m=audio " + std::to_string(port) + " RTP/AVP 0").c_str()}));
}

std::vector<KernelExpectation> Of(NetfilterSipEngine& engine, ExpectClass klass) {
  std::vector<KernelExpectation> out;
  for (const KernelExpectation& e : engine.Expectations().All()) {
    if (e.klass == klass) out.push_back(e);
  }
  return out;
}

struct Send {
  NetfilterSipEngine& engine;
  Verdict operator()(std::string msg, CtDirection dir, double seconds) {
    return test::Run(engine, msg, dir, ns3::Seconds(seconds));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(engine_pinholes)

BOOST_AUTO_TEST_CASE(register_opens_an_inactive_signalling_pinhole_its_2xx_activates) {
  NetfilterSipEngine engine;
  Send send{engine};
  BOOST_TEST(send(Register(1, "Contact: <sip:100@10.0.0.2:5060>"), CtDirection::Original, 1).accept);
  std::vector<KernelExpectation> s = Of(engine, ExpectClass::Signalling);
  BOOST_REQUIRE_EQUAL(s.size(), 1u);
  BOOST_TEST(s[0].inactive);
  BOOST_TEST(s[0].permanent);
  BOOST_TEST(s[0].sourceMasked);
  BOOST_TEST(s[0].source.address == kPeer);
  BOOST_TEST((s[0].destination == L4Endpoint{kPublic, 5060}));
  BOOST_TEST((s[0].saved == L4Endpoint{kPhone, 5060}));
  BOOST_TEST((s[0].expiresAt == ns3::Seconds(181)));  // the policy's 3 minutes, not sip_timeout

  send(RegisterResponse(1, "SIP/2.0 200 OK", "Contact: <sip:100@203.0.113.1:5060>;expires=600"),
       CtDirection::Reply, 2);
  s = Of(engine, ExpectClass::Signalling);
  BOOST_REQUIRE_EQUAL(s.size(), 1u);
  BOOST_TEST(!s[0].inactive);
  BOOST_TEST((s[0].expiresAt == ns3::Seconds(602)));
}

BOOST_AUTO_TEST_CASE(late_or_failed_register_answers) {
  NetfilterSipEngine engine;
  Send send{engine};
  send(Register(1, "Contact: <sip:100@10.0.0.2:5060>"), CtDirection::Original, 1);
  send(Register(2, "Contact: <sip:100@10.0.0.2:5060>"), CtDirection::Original, 2);
  // An answer to CSeq 1 is late: ignored, the pinhole stays inactive.
  send(RegisterResponse(1, "SIP/2.0 200 OK", "Contact: <sip:100@203.0.113.1:5060>"),
       CtDirection::Reply, 3);
  BOOST_TEST(Of(engine, ExpectClass::Signalling).at(0).inactive);
  send(RegisterResponse(2, "SIP/2.0 100 Trying", ""), CtDirection::Reply, 3);
  BOOST_TEST(Of(engine, ExpectClass::Signalling).size() == 1u);
  send(RegisterResponse(2, "SIP/2.0 401 Unauthorized", ""), CtDirection::Reply, 4);
  BOOST_TEST(Of(engine, ExpectClass::Signalling).empty());
}

BOOST_AUTO_TEST_CASE(a_2xx_without_our_binding_removes_the_pinhole) {
  NetfilterSipEngine engine;
  Send send{engine};
  send(Register(1, "Contact: <sip:100@10.0.0.2:5060>"), CtDirection::Original, 1);
  send(RegisterResponse(1, "SIP/2.0 200 OK", "Contact: <sip:100@198.51.100.1:5060>"),
       CtDirection::Reply, 2);
  BOOST_TEST(Of(engine, ExpectClass::Signalling).empty());
}

BOOST_AUTO_TEST_CASE(unregister_and_third_party_open_nothing) {
  NetfilterSipEngine engine;
  Send send{engine};
  send(Register(1, "Contact: <sip:100@10.0.0.2:5060>", "Expires: 0"), CtDirection::Original, 1);
  send(Register(2, "Contact: <sip:100@10.0.0.9:5060>"), CtDirection::Original, 1);
  send(Register(3, "Contact: <sip:100@10.0.0.2:5060;transport=tcp>"), CtDirection::Original, 1);
  BOOST_TEST(engine.Expectations().Size() == 0u);
}

BOOST_AUTO_TEST_CASE(direct_signalling_off_admits_anyone) {
  HelperConfig config;
  config.directSignalling = false;
  NetfilterSipEngine engine(config);
  Send send{engine};
  send(Register(1, "Contact: <sip:100@10.0.0.2:5060>"), CtDirection::Original, 1);
  BOOST_TEST(!Of(engine, ExpectClass::Signalling).at(0).sourceMasked);
}

BOOST_AUTO_TEST_CASE(invite_opens_rtp_and_rtcp_pinholes_on_the_public_side) {
  NetfilterSipEngine engine;
  Send send{engine};
  BOOST_TEST(send(Invite(1, 4000), CtDirection::Original, 1).accept);
  const std::vector<KernelExpectation> audio = Of(engine, ExpectClass::Audio);
  BOOST_REQUIRE_EQUAL(audio.size(), 2u);
  BOOST_TEST((audio[0].destination == L4Endpoint{kPublic, 4000}));
  BOOST_TEST((audio[1].destination == L4Endpoint{kPublic, 4001}));
  BOOST_TEST((audio[0].saved == L4Endpoint{kPhone, 4000}));
  BOOST_TEST(audio[0].source.address == kPeer);
  BOOST_TEST(engine.FindConnection(1)->inviteCseq == 1u);
}

BOOST_AUTO_TEST_CASE(reinvite_bye_and_error_responses_flush_media) {
  NetfilterSipEngine engine;
  Send send{engine};
  send(Invite(1, 4000), CtDirection::Original, 1);
  send(Invite(2, 4100), CtDirection::Original, 2);  // flushes 4000 first
  std::vector<KernelExpectation> audio = Of(engine, ExpectClass::Audio);
  BOOST_REQUIRE_EQUAL(audio.size(), 2u);
  BOOST_TEST(audio[0].destination.port == 4100);
  // An error answer to another CSeq changes nothing; to the last INVITE it flushes.
  send(Msg({"SIP/2.0 486 Busy Here", "CSeq: 1 INVITE", ""}), CtDirection::Reply, 3);
  BOOST_TEST(Of(engine, ExpectClass::Audio).size() == 2u);
  send(Msg({"SIP/2.0 486 Busy Here", "CSeq: 2 INVITE", ""}), CtDirection::Reply, 3);
  BOOST_TEST(Of(engine, ExpectClass::Audio).empty());
  send(Invite(3, 4200), CtDirection::Original, 4);
  send(Msg({"BYE sip:200@203.0.113.2 SIP/2.0", "CSeq: 4 BYE", ""}), CtDirection::Original, 5);
  BOOST_TEST(Of(engine, ExpectClass::Audio).empty());
}

BOOST_AUTO_TEST_CASE(three_audio_lines_exceed_the_cap_of_four) {
  NetfilterSipEngine engine;
  Send send{engine};
  std::string invite = MsgWithBody(
      {"INVITE sip:200@203.0.113.2 SIP/2.0", "CSeq: 1 INVITE", "Content-Length: {CL}"},
      Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2", "m=audio 4000 RTP/AVP 0",
           "m=audio 4010 RTP/AVP 0", "m=audio 4020 RTP/AVP 0"}));
  BOOST_TEST(send(invite, CtDirection::Original, 1).accept);
  const std::vector<KernelExpectation> audio = Of(engine, ExpectClass::Audio);
  BOOST_REQUIRE_EQUAL(audio.size(), 4u);
  BOOST_TEST(audio.front().destination.port == 4010);  // 4000/4001 were evicted
}

BOOST_AUTO_TEST_CASE(media_pinholes_expire_and_connections_can_be_forgotten) {
  NetfilterSipEngine engine;
  Send send{engine};
  send(Invite(1, 4000), CtDirection::Original, 1);
  engine.Expectations().Expire(ns3::Seconds(181));
  BOOST_TEST(engine.Expectations().Size() == 0u);
  send(Invite(2, 4000), CtDirection::Original, 200);
  engine.ForgetConnection(1);
  BOOST_TEST(engine.Expectations().Size() == 0u);
  BOOST_TEST(engine.FindConnection(1) == nullptr);
}

BOOST_AUTO_TEST_CASE(reset_forgets_everything) {
  NetfilterSipEngine engine;
  Send send{engine};
  send(Register(1, "Contact: <sip:100@10.0.0.2:5060>"), CtDirection::Original, 1);
  send(Invite(2, 4000), CtDirection::Original, 1);
  engine.Reset();
  BOOST_TEST(engine.Expectations().Size() == 0u);
  BOOST_TEST(engine.ConnectionCount() == 0u);
}

BOOST_AUTO_TEST_CASE(empty_datagrams_do_not_refresh) {
  NetfilterSipEngine engine;
  std::string empty;
  BOOST_TEST(!test::Run(engine, empty).refreshesConnection);
  std::string tiny = "ping\r\n";
  const Verdict v = test::Run(engine, tiny);
  BOOST_TEST(v.refreshesConnection);
  BOOST_TEST(tiny == "ping\r\n");
}

BOOST_AUTO_TEST_SUITE_END()
