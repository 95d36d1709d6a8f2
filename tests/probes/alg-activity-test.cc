// AlgActivity: the record of what the router's ALG did to the messages crossing it.
#include "probes/alg-activity.h"

#include <boost/test/unit_test.hpp>

using alglab::probes::AlgActivity;

namespace {

const std::string kInvite =
    "INVITE sip:200@203.0.113.2 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1\r\n"
    "Contact: <sip:100@10.0.0.2:5060>\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Length: 40\r\n"
    "\r\n"
    "v=0\r\n"
    "o=- 1 1 IN IP4 10.0.0.2\r\n"
    "c=IN IP4 10.0.0.2\r\n";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(alg_activity)

BOOST_AUTO_TEST_CASE(message_kind_names_requests_and_responses_by_method) {
  BOOST_TEST(AlgActivity::MessageKind(kInvite) == "INVITE");
  BOOST_TEST(AlgActivity::MessageKind("SIP/2.0 200 OK\r\nCSeq: 7 REGISTER\r\n\r\n") == "200 REGISTER");
  BOOST_TEST(AlgActivity::MessageKind("SIP/2.0 180 Ringing\r\ncseq:   2   INVITE\r\n\r\n") == "180 INVITE");
  BOOST_TEST(AlgActivity::MessageKind(std::string("\x80\x00\x12\x34", 4)) == "non-SIP");
  BOOST_TEST(AlgActivity::MessageKind("") == "non-SIP");
}

BOOST_AUTO_TEST_CASE(changed_fields_name_headers_sdp_lines_and_the_start_line) {
  const std::string after = Replace(kInvite, "10.0.0.2", "203.0.113.1");
  const auto fields = AlgActivity::ChangedFields(kInvite, after);
  BOOST_TEST(fields.count("Via") == 1u);
  BOOST_TEST(fields.count("Contact") == 1u);
  BOOST_TEST(fields.count("o=") == 1u);
  BOOST_TEST(fields.count("c=") == 1u);
  BOOST_TEST(fields.count("CSeq") == 0u);
  BOOST_TEST(fields.count("Request-URI") == 0u);  // it named the peer, not the phone
  const auto uri = AlgActivity::ChangedFields(kInvite, Replace(kInvite, "200@203.0.113.2", "200@10.0.0.9"));
  BOOST_TEST(uri.at("Request-URI") == 1u);
  BOOST_TEST(AlgActivity::ChangedFields(kInvite, kInvite).empty());
  BOOST_TEST(AlgActivity::ChangedFields("a\r\nb", "a\r\nb\r\nc").at("added") == 1u);
}

BOOST_AUTO_TEST_CASE(an_inserted_line_is_added_not_every_later_line_rewritten) {
  // A proxy's own Via on top, and the SDP's c= rewritten: one added line, one rewritten field.
  std::string after = Replace(kInvite, "c=IN IP4 10.0.0.2", "c=IN IP4 203.0.113.1");
  after.insert(after.find("Via:"), "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-alg\r\n");
  const auto fields = AlgActivity::ChangedFields(kInvite, after);
  BOOST_TEST(fields.size() == 2u);
  BOOST_TEST(fields.at("added") == 1u);
  BOOST_TEST(fields.at("c=") == 1u);
  // And taken off again on the way back: removed.
  BOOST_TEST(AlgActivity::ChangedFields(after, Replace(after, "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-alg\r\n", ""))
                 .at("removed") == 1u);
}

BOOST_AUTO_TEST_CASE(counts_and_json_shape) {
  AlgActivity a;
  for (int i = 0; i < 5; ++i) a.OnInspected("outbound");
  a.OnMessage("outbound", false, kInvite, Replace(kInvite, "10.0.0.2", "203.0.113.1"), "", "rewriter");
  a.OnMessage("outbound", true, kInvite, "", "all ports in use for SDP media", "helper");
  a.OnMessage("inbound", true, "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n", "", "");
  BOOST_TEST(a.Inspected() == 5u);
  BOOST_TEST(a.Rewritten() == 1u);
  BOOST_TEST(a.Dropped() == 2u);
  const auto j = a.ToJson();
  BOOST_TEST(j["drop_reasons"]["all ports in use for SDP media"] == 1);
  BOOST_TEST(j["drop_reasons"]["unspecified"] == 1);
  BOOST_TEST(j["messages"]["outbound INVITE"]["rewritten"] == 1);
  BOOST_TEST(j["messages"]["outbound INVITE"]["dropped"] == 1);
  BOOST_TEST(j["messages"]["outbound INVITE"]["fields"]["c="] == 1);
  BOOST_TEST(j["messages"]["inbound 200 INVITE"]["dropped"] == 1);
  // Per mechanism: who rewrote which field and who dropped what, and why.
  BOOST_TEST(j["mechanisms"]["rewriter"]["outbound INVITE"]["fields"]["c="] == 1);
  BOOST_TEST(j["mechanisms"]["rewriter"]["outbound INVITE"]["dropped"] == 0);
  BOOST_TEST(j["mechanisms"]["helper"]["outbound INVITE"]["drop_reasons"]["all ports in use for SDP media"] == 1);
  BOOST_TEST(j["mechanisms"]["helper"]["outbound INVITE"]["rewritten"] == 0);
  BOOST_TEST(j["mechanisms"]["unattributed"]["inbound 200 INVITE"]["dropped"] == 1);
}

BOOST_AUTO_TEST_SUITE_END()
