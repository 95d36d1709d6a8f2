// Every way the helper drops a datagram, with the reason the kernel logs.

#include "tests/mangle/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::linuxnf;
using test::Msg;
using test::MsgWithBody;

namespace {

std::string Sdp(std::initializer_list<std::string_view> lines) { return Msg(lines); }

std::string InviteWith(const std::string& sdp) {
  return MsgWithBody({"INVITE sip:200@203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060",
                      "CSeq: 1 INVITE", "Content-Length: {CL}"},
                     sdp);
}

std::string Reason(const std::string& msg, HelperConfig config = {},
                   CtDirection dir = CtDirection::Original) {
  NetfilterSipEngine engine(std::move(config));
  std::string copy = msg;
  const Verdict v = test::Run(engine, copy, dir);
  if (v.accept) return "accepted";
  return v.dropReason != nullptr ? v.dropReason : "(none)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drop_reasons)

BOOST_AUTO_TEST_CASE(cseq) {
  BOOST_TEST(Reason(Msg({"INVITE sip:a@203.0.113.2 SIP/2.0", "Call-ID: x", ""})) ==
             "cannot parse cseq");
  BOOST_TEST(Reason(Msg({"BYE sip:a@203.0.113.2 SIP/2.0", "CSeq: x BYE", ""})) ==
             "cannot parse cseq");
  BOOST_TEST(Reason(Msg({"BYE sip:a@203.0.113.2 SIP/2.0", "CSeq: 000000000001 BYE", ""})) ==
             "cannot get cseq");
  // Methods without a handler need no CSeq at all.
  BOOST_TEST(Reason(Msg({"NOTIFY sip:a@203.0.113.2 SIP/2.0", "Call-ID: x", ""})) == "accepted");
  BOOST_TEST(Reason(Msg({"SIP/2.0 200 OK", "Call-ID: x", ""}), {}, CtDirection::Reply) ==
             "cannot parse cseq");
}

BOOST_AUTO_TEST_CASE(status_code) {
  BOOST_TEST(Reason(Msg({"SIP/2.0 abc OK", "CSeq: 1 OPTIONS", ""}), {}, CtDirection::Reply) ==
             "cannot get code");
  BOOST_TEST(Reason(Msg({"SIP/2.0 000 OK", "CSeq: 1 OPTIONS", ""}), {}, CtDirection::Reply) ==
             "cannot get code");
}

BOOST_AUTO_TEST_CASE(register_contact_and_expires) {
  HelperConfig legacy;
  legacy.numberRules = NumberRules::Legacy;
  const std::string lowPort = Msg({"REGISTER sip:203.0.113.2 SIP/2.0", "CSeq: 1 REGISTER",
                                   "Contact: <sip:100@10.0.0.2:80>", "Expires: 60", ""});
  BOOST_TEST(Reason(lowPort, legacy) == "cannot parse contact");
  BOOST_TEST(Reason(lowPort) == "accepted");  // 2026 kernels skip the bad Contact instead
  BOOST_TEST(Reason(Msg({"REGISTER sip:203.0.113.2 SIP/2.0", "CSeq: 1 REGISTER",
                         "Contact: <sip:100@10.0.0.2:5060>;expires=", ""})) ==
             "cannot parse expires");
  BOOST_TEST(Reason(Msg({"REGISTER sip:203.0.113.2 SIP/2.0", "CSeq: 1 REGISTER",
                         "Contact: <sip:100@10.0.0.2:5060>;expires=99999999999", ""})) ==
             "cannot parse expires");
}

BOOST_AUTO_TEST_CASE(sdp) {
  BOOST_TEST(Reason(InviteWith(Sdp({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2",
                                    "m=audio 1023 RTP/AVP 0"}))) == "wrong port");
  BOOST_TEST(Reason(InviteWith(Sdp({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2",
                                    "m=audio 65536 RTP/AVP 0"}))) == "wrong port");
  BOOST_TEST(Reason(InviteWith(Sdp({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "m=audio 4000 RTP/AVP 0",
                                    "c=IN IP6 ::1"}))) == "cannot parse SDP message");
  BOOST_TEST(Reason(InviteWith(Sdp({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2",
                                    "m=audio 4000 RTP/AVP 0", "m=video 4001 RTP/AVP 96"}))) ==
             "all ports in use for SDP media");
  BOOST_TEST(Reason(InviteWith(Sdp({"v=0", "o=- 1 1 IN IP6 ::2", "c=IN IP4 10.0.0.2",
                                    "m=audio 4000 RTP/AVP 0"}))) ==
             drop_reason::kSilentSdpSession);
  const std::string noLength = MsgWithBody(
      {"INVITE sip:200@203.0.113.2 SIP/2.0", "CSeq: 1 INVITE"},
      Sdp({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "c=IN IP4 10.0.0.2", "m=audio 4000 RTP/AVP 0"}));
  BOOST_TEST(Reason(noLength) == drop_reason::kSilentSdpSession);
  // A media c= that must be rewritten, without Content-Length.
  const std::string mediaC = MsgWithBody(
      {"INVITE sip:200@203.0.113.2 SIP/2.0", "CSeq: 1 INVITE"},
      Sdp({"v=0", "o=- 1 1 IN IP4 10.0.0.2", "m=audio 4000 RTP/AVP 0", "c=IN IP4 10.0.0.2"}));
  BOOST_TEST(Reason(mediaC) == "cannot mangle SDP");
}

BOOST_AUTO_TEST_CASE(packets_that_would_outgrow_an_ip_datagram) {
  // 65507 bytes of payload is the most UDP carries; a rewrite that grows it cannot be made.
  std::string msg = Msg({"OPTIONS sip:a@203.0.113.2 SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.2:5060",
                         "Content-Length: 0", ""});
  msg += std::string(65507 - msg.size(), 'x');
  BOOST_TEST(Reason(msg) == "cannot mangle Via header");
}

BOOST_AUTO_TEST_SUITE_END()
