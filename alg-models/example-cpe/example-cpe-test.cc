// The example data-file model (model.yaml): what its composition does to an INVITE, its knobs
// in its own words, and its drop policy, through the mangle engine (flow replay with the NAT
// table), as docs/adding-a-router-model.md describes for a model written as data.
#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/sample-flows.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;

namespace {

/// The sample INVITE, then a datagram on the SIP port that is no SIP message.
const std::string kInviteFlow = alg::samples::InviteWithSdpFlow() + ">>> out\nthis is not SIP at all\n";

}  // namespace

BOOST_AUTO_TEST_CASE(the_composition_rewrites_via_contact_and_sdp_and_drops_what_is_not_sip) {
  const auto out = mangle::ReplayFlow(flow::ParseFlowText(kInviteFlow, "invite.flow"), "example-cpe");
  BOOST_REQUIRE_EQUAL(out.size(), 2u);
  BOOST_REQUIRE(out[0].delivered.has_value());
  const std::string& invite = *out[0].delivered;
  BOOST_TEST(invite.find("Via: SIP/2.0/UDP 203.0.113.1:5060") != std::string::npos, invite);
  BOOST_TEST(invite.find("Contact: <sip:100@203.0.113.1:5060>") != std::string::npos, invite);
  BOOST_TEST(invite.find("c=IN IP4 203.0.113.1") != std::string::npos, invite);
  BOOST_TEST(invite.find("o=- 1 1 IN IP4 203.0.113.1") != std::string::npos, invite);
  // Only the headers the file names: From and Call-ID keep the private address.
  BOOST_TEST(invite.find("From: <sip:100@10.0.0.2>;tag=1") != std::string::npos, invite);
  // The drop policy refuses an unparsable message on the SIP port.
  BOOST_TEST(!out[1].delivered.has_value());
  BOOST_TEST(out[1].dropReason.find("unparsable") != std::string::npos, out[1].dropReason);
}

BOOST_AUTO_TEST_CASE(the_knobs_speak_the_models_words) {
  const auto out = mangle::ReplayFlow(flow::ParseFlowText(kInviteFlow, "invite.flow"), "example-cpe",
                                      {{"rewrite-sdp", "disable"}});
  BOOST_REQUIRE(out[0].delivered.has_value());
  BOOST_TEST(out[0].delivered->find("c=IN IP4 10.0.0.2") != std::string::npos);  // SDP kept
  BOOST_TEST(out[0].delivered->find("Via: SIP/2.0/UDP 203.0.113.1:5060") != std::string::npos);
  const auto model = alg::CreateAlgModel("example-cpe", {});
  BOOST_TEST(model->GetKnob("rewrite-sdp") == "enable");
  BOOST_TEST(model->GetKnob("sip-session-timeout") == "300");
  BOOST_CHECK_THROW(alg::CreateAlgModel("example-cpe", {{"rewrite-sdp", "sometimes"}}), alg::AlgConfigError);
  BOOST_CHECK_THROW(alg::CreateAlgModel("example-cpe", {{"rewrite_sdp", "o,c"}}), alg::AlgConfigError);
}
