// SipLadder: the SIP messages at the router's two sides, with what its ALG did to them.
#include "probes/sip-ladder.h"

#include <boost/test/unit_test.hpp>

using alglab::probes::LadderSide;
using alglab::probes::SipLadder;

namespace {

std::string Invite(const std::string& callId, const std::string& contactHost) {
  return "INVITE sip:200@192.0.2.10 SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\r\n"
         "Contact: <sip:100@" + contactHost + ":5060>\r\n"
         "Call-ID: " + callId + "\r\n"
         "CSeq: 1 INVITE\r\n"
         "Content-Length: 0\r\n\r\n";
}

std::string Register(const std::string& callId) {
  return "REGISTER sip:pbx SIP/2.0\r\ni: " + callId + "\r\nCSeq: 7 REGISTER\r\n\r\n";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sip_ladder)

BOOST_AUTO_TEST_CASE(summarises_first_line_call_id_and_cseq) {
  std::string first, callId, cseq;
  SipLadder::Summarise(Invite("a@b", "10.0.0.2"), first, callId, cseq);
  BOOST_TEST(first == "INVITE sip:200@192.0.2.10 SIP/2.0");
  BOOST_TEST(callId == "a@b");
  BOOST_TEST(cseq == "1 INVITE");
  SipLadder::Summarise(Register("r1"), first, callId, cseq);  // compact form "i:"
  BOOST_TEST(callId == "r1");
  BOOST_TEST(cseq == "7 REGISTER");
}

BOOST_AUTO_TEST_CASE(a_rewrite_marks_the_sent_message_with_before_and_after) {
  SipLadder ladder;
  const std::string before = Invite("c1", "10.0.0.2"), after = Invite("c1", "203.0.113.1");
  ladder.OnSighting(1.0, LadderSide::Lan, true, "10.0.0.2:5060", "192.0.2.10:5060", "udp", before);
  ladder.OnAlgMessage("rewrote", before, after, "", "helper");
  ladder.OnSighting(1.0, LadderSide::Wan, false, "203.0.113.1:5060", "192.0.2.10:5060", "udp", after);
  const auto& m = ladder.Messages();
  BOOST_REQUIRE(m.size() == 2u);
  BOOST_TEST(m[0].alg.empty());
  BOOST_TEST(m[1].alg == "rewrote");
  BOOST_TEST(m[1].before == before);
  BOOST_TEST(m[1].after == after);
  BOOST_TEST(m[1].mechanisms == "helper");
  BOOST_TEST(m[1].callId == "c1");
}

BOOST_AUTO_TEST_CASE(a_drop_marks_the_received_message) {
  SipLadder ladder;
  const std::string msg = Invite("c2", "10.0.0.2");
  ladder.OnSighting(2.0, LadderSide::Lan, true, "10.0.0.2:5060", "192.0.2.10:5060", "udp", msg);
  ladder.OnAlgMessage("dropped", msg, "", "all ports in use", "helper");
  BOOST_REQUIRE(ladder.Messages().size() == 1u);
  BOOST_TEST(ladder.Messages()[0].alg == "dropped");
  BOOST_TEST(ladder.Messages()[0].reason == "all ports in use");
  const auto j = ladder.Select({}, 8, 60);
  BOOST_TEST(j["dialogs"][0]["why"] == "the ALG dropped a message");
  BOOST_TEST(j["messages"][0]["alg"] == "dropped");
  BOOST_TEST(!j["messages"][0].contains("after"));
}

BOOST_AUTO_TEST_CASE(ignores_what_is_not_sip) {
  SipLadder ladder;
  ladder.OnSighting(1.0, LadderSide::Wan, true, "a:1", "b:2", "udp", std::string("\x80\x00\x01\x02rtp payload", 15));
  ladder.OnSighting(1.0, LadderSide::Wan, true, "a:1", "b:2", "udp", "\r\n\r\n");
  ladder.OnSighting(1.0, LadderSide::Wan, true, "a:1", "b:2", "udp", "HELLO there, not a request line");
  BOOST_TEST(ladder.Messages().empty());
}

BOOST_AUTO_TEST_CASE(selects_symptom_dialogs_first_and_stays_bounded) {
  SipLadder ladder(5);
  ladder.OnSighting(1.0, LadderSide::Lan, true, "a:1", "b:2", "udp", Register("reg"));
  ladder.OnSighting(2.0, LadderSide::Lan, true, "a:1", "b:2", "udp", Invite("other", "10.0.0.2"));
  ladder.OnSighting(3.0, LadderSide::Lan, true, "a:1", "b:2", "udp", Invite("named", "10.0.0.2"));
  ladder.OnSighting(4.0, LadderSide::Wan, false, "a:1", "b:2", "udp", Invite("named", "10.0.0.2"));
  ladder.OnSighting(5.0, LadderSide::Lan, true, "a:1", "b:2", "udp", Invite("named", "10.0.0.2"));
  ladder.OnSighting(6.0, LadderSide::Lan, true, "a:1", "b:2", "udp", Invite("late", "10.0.0.2"));  // past the cap
  BOOST_TEST(ladder.NotKept() == 1u);
  const auto j = ladder.Select({"no-such-call", "named"}, 2, 2);
  BOOST_REQUIRE(j["dialogs"].size() == 2u);
  BOOST_TEST(j["dialogs"][0]["call_id"] == "named");
  BOOST_TEST(j["dialogs"][1]["call_id"] == "reg");
  BOOST_TEST(j["dialogs"][1]["method"] == "REGISTER");
  // Time order across dialogs; "named" keeps its first two messages.
  BOOST_REQUIRE(j["messages"].size() == 3u);
  BOOST_TEST(j["messages"][0]["call_id"] == "reg");
  BOOST_TEST(j["messages"][1]["t"] == 3.0);
  BOOST_TEST(j["messages"][2]["side"] == "wan");
  BOOST_TEST(j["messages"][2]["dir"] == "out");
  BOOST_TEST(j["omitted"] == 2u);  // one over the dialog's cap, one over the record's
}

BOOST_AUTO_TEST_SUITE_END()
