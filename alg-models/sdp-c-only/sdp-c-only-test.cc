// Tests of the example model: its one rule, its knob, and the whole path through the mangle
// engine (flow replay with the NAT table), as docs/adding-a-router-model.md describes.
#include "alg-models/contract/sample-flows.h"
#include "alg-models/sdp-c-only/sdp-c-only-alg.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;

namespace {

/// The sample INVITE with a second, media-level c= naming another host.
const std::string kInviteFlow = alg::samples::InviteWithSdpFlow() + "c=IN IP4 10.0.0.25\n";

}  // namespace

BOOST_AUTO_TEST_CASE(rewrites_whole_c_lines_of_the_sender_only) {
  std::string sdp = "v=0\r\nc=IN IP4 10.0.0.2\r\nm=audio 1 RTP/AVP 0\r\nc=IN IP4 10.0.0.25\r\n"
                    "a=x:c=IN IP4 10.0.0.2\r\n";
  BOOST_TEST(RewriteSdpConnectionLines(sdp, "10.0.0.2", "203.0.113.1") == 1);
  BOOST_TEST(sdp.find("\r\nc=IN IP4 203.0.113.1\r\n") != std::string::npos);
  BOOST_TEST(sdp.find("c=IN IP4 10.0.0.25") != std::string::npos);    // another host: kept
  BOOST_TEST(sdp.find("a=x:c=IN IP4 10.0.0.2") != std::string::npos);  // not a line start: kept
  std::string none = "INVITE sip:x SIP/2.0\r\n\r\n";
  BOOST_TEST(RewriteSdpConnectionLines(none, "10.0.0.2", "203.0.113.1") == 0);
}

BOOST_AUTO_TEST_CASE(replayed_flow_changes_c_and_nothing_else) {
  const auto flow = flow::ParseFlowText(kInviteFlow, "invite.flow");
  const auto out = mangle::ReplayFlow(flow, "sdp-c-only");
  BOOST_REQUIRE_EQUAL(out.size(), 1u);
  BOOST_REQUIRE(out[0].delivered.has_value());
  const std::string& d = *out[0].delivered;
  BOOST_TEST(d.find("\r\nc=IN IP4 203.0.113.1\r\n") != std::string::npos);
  BOOST_TEST(d.find("Via: SIP/2.0/UDP 10.0.0.2:5060") != std::string::npos);  // headers untouched
  BOOST_TEST(d.find("Contact: <sip:100@10.0.0.2:5060>") != std::string::npos);
  BOOST_TEST(d.find("o=- 1 1 IN IP4 10.0.0.2") != std::string::npos);          // o= untouched
  // Content-Length is not recomputed: the body grew by 3 bytes and the header still says the
  // old length, exactly the kind of half-done rewrite this model stands for.
  BOOST_TEST(d.size() == out[0].sent.size() + 3);
  BOOST_TEST(d.find("Content-Length: " + std::to_string(out[0].sent.size() - out[0].sent.find("\r\n\r\n") - 4)) !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(inbound_rewrite_is_a_knob_off_by_default) {
  const char* text =
      ">>> out\nOPTIONS sip:203.0.113.2 SIP/2.0\nCall-ID: a\nCSeq: 1 OPTIONS\n\n"
      "<<< in\nINVITE sip:100@203.0.113.1 SIP/2.0\nCall-ID: b\nCSeq: 1 INVITE\nContent-Length: {CL}\n\n"
      "v=0\nc=IN IP4 203.0.113.1\n";
  const auto flow = flow::ParseFlowText(text, "in.flow");
  auto off = mangle::ReplayFlow(flow, "sdp-c-only");
  BOOST_TEST(off[1].delivered->find("c=IN IP4 203.0.113.1") != std::string::npos);
  auto on = mangle::ReplayFlow(flow, "sdp-c-only", {{"rewrite_inbound", "true"}});
  BOOST_TEST(on[1].delivered->find("c=IN IP4 10.0.0.2") != std::string::npos);
}
