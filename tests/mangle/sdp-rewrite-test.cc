// SDP rewriting: o=, session and media c=, m= ports, and the Content-Length rule.

#include "tests/mangle/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::linuxnf;
using test::Msg;
using test::MsgWithBody;

namespace {

std::string Invite(const std::string& sdp, const char* contentLength = "Content-Length: {CL}") {
  return MsgWithBody({"INVITE sip:200@203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060",
                      "CSeq: 1 INVITE", contentLength},
                     sdp);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sdp_rewrite)

BOOST_AUTO_TEST_CASE(owner_and_connections_get_the_public_address) {
  const std::string sdp = Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "s=-", "c=IN IP4 10.0.0.2",
                               "t=0 0", "m=audio 4000 RTP/AVP 0", "c=IN IP4 10.0.0.2"});
  const std::string want = Msg({"v=0", "o=- 1 1 IN IP4 203.0.113.1", "s=-",
                                "c=IN IP4 203.0.113.1", "t=0 0", "m=audio 4000 RTP/AVP 0",
                                "c=IN IP4 203.0.113.1"});
  BOOST_TEST(test::Outbound(Invite(sdp)) ==
             MsgWithBody({"INVITE sip:200@203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 203.0.113.1:5060",
                          "CSeq: 1 INVITE", "Content-Length: {CL}"},
                         want));
}

BOOST_AUTO_TEST_CASE(content_length_counts_from_v_to_the_end) {
  // A wrong Content-Length and a preamble: the helper writes "bytes from v= to the end".
  const std::string body = "preamble\r\n" + Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "s=-",
                                                 "c=IN IP4 10.0.0.2", "m=audio 4000 RTP/AVP 0"});
  const std::string out = test::Outbound(Invite(body, "Content-Length: 7"));
  const std::size_t v = out.find("v=0");
  BOOST_TEST(out.find("Content-Length: " + std::to_string(out.size() - v) + "\r\n") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(header_only_rewrites_leave_content_length_alone) {
  const std::string msg = MsgWithBody({"OPTIONS sip:a@203.0.113.2 SIP/2.0",
                                       "Contact: <sip:10.0.0.2:5060>", "Content-Length: 5"},
                                      "hello");
  const std::string out = test::Outbound(msg);
  BOOST_TEST(out.find("Content-Length: 5\r\n") != std::string::npos);
  BOOST_TEST(out.find("203.0.113.1:5060") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(foreign_media_address_opens_no_pinhole_but_sets_the_owner) {
  const std::string sdp = Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "s=-", "c=IN IP4 192.168.9.9",
                               "m=audio 4000 RTP/AVP 0"});
  NetfilterSipEngine engine;
  std::string msg = Invite(sdp);
  BOOST_TEST(test::Run(engine, msg).accept);
  BOOST_TEST(msg.find("o=- 1 1 IN IP4 192.168.9.9") != std::string::npos);
  BOOST_TEST(engine.Expectations().Size() == 0u);
}

BOOST_AUTO_TEST_CASE(identical_pinhole_of_another_connection_drops_the_invite) {
  NetfilterSipEngine engine;
  // Another phone (10.0.0.3) already expects media from the same peer on public port 4000:
  // the kernel's media rule treats that pinhole as "already there" and gives up.
  MasterState& other = engine.Connection(
      9, ConntrackTuples::Outbound({test::Ip("10.0.0.3"), 5060}, {test::Ip("203.0.113.1"), 5062},
                                   {test::Ip("203.0.113.2"), 5060}),
      false);
  std::string first = MsgWithBody({"INVITE sip:200@203.0.113.2 SIP/2.0", "CSeq: 1 INVITE",
                                   "Content-Length: {CL}"},
                                  Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.3", "c=IN IP4 10.0.0.3",
                                       "m=audio 4000 RTP/AVP 0"}));
  BOOST_TEST(engine.Process(other, CtDirection::Original, first, ns3::Seconds(1)).accept);
  std::string second = Invite(Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2",
                                   "m=audio 4000 RTP/AVP 0"}));
  const Verdict v = test::Run(engine, second);
  BOOST_TEST(!v.accept);
  BOOST_TEST(std::string(v.dropReason) == "all ports in use for SDP media");
}

BOOST_AUTO_TEST_CASE(media_port_moves_by_two_past_an_overlapping_pinhole) {
  // With sip_direct_signalling off, a REGISTER pinhole on public port 4000 admits anyone; a
  // media pinhole there would overlap it, so the helper takes 4002 and rewrites m=.
  HelperConfig config;
  config.directSignalling = false;
  NetfilterSipEngine engine(config);
  std::string reg = Msg({"REGISTER sip:203.0.113.2 SIP/2.0", "CSeq: 1 REGISTER",
                         "Contact: <sip:100@10.0.0.2:4000>", "Expires: 60", "Content-Length: 0",
                         ""});
  BOOST_TEST(test::Run(engine, reg).accept);
  std::string invite = Invite(Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2",
                                   "m=audio 4000 RTP/AVP 0"}));
  BOOST_TEST(test::Run(engine, invite).accept);
  BOOST_TEST(invite.find("m=audio 4002 RTP/AVP 0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(odd_media_port_is_kept_in_text) {
  const std::string out = test::Outbound(
      Invite(Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2", "m=audio 4001 RTP/AVP 0"})));
  BOOST_TEST(out.find("m=audio 4001 RTP/AVP 0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(inactive_sdp_session_address_depends_on_the_kernel_fix) {
  const std::string sdp = Msg({"v=0", "o=- 1 1 IN IP4 192.168.1.9", "s=-", "c=IN IP4 10.0.0.2",
                               "t=0 0", "m=audio 0 RTP/AVP 0"});
  const std::string fixed = test::Outbound(Invite(sdp));
  BOOST_TEST(fixed.find("o=- 1 1 IN IP4 10.0.0.2\r\n") != std::string::npos);
  HelperConfig old;
  old.sessionAddressFix = false;
  const std::string unfixed = test::Outbound(Invite(sdp), old);
  BOOST_TEST(unfixed.find("o=- 1 1 IN IP4 0.0.0.0\r\n") != std::string::npos);
  BOOST_TEST(unfixed.find("c=IN IP4 0.0.0.0\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sdp_is_found_without_content_type_and_ignored_in_other_methods) {
  const std::string sdp = Msg({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2",
                               "m=audio 4000 RTP/AVP 0"});
  const std::string message = MsgWithBody({"MESSAGE sip:a@203.0.113.2 SIP/2.0", "CSeq: 1 MESSAGE",
                                           "Content-Length: {CL}"},
                                          sdp);
  BOOST_TEST(test::Outbound(message) == message);  // no handler: bodies stay private
}

BOOST_AUTO_TEST_SUITE_END()
