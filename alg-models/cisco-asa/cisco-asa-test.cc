// Cisco ASA's inspect sip as a model file: its signature behaviour from the vendor dossier
// (section 3), through the mangle engine (flow replay with the NAT table).
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/sample-flows.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace alglab;

namespace {

using alg::samples::InviteWithSdpFlow;

std::vector<mangle::BlockOutcome> Replay(const std::string& flow) {
  return mangle::ReplayFlow(flow::ParseFlowText(flow, "asa.flow"), "cisco-asa");
}

}  // namespace

BOOST_AUTO_TEST_CASE(o_is_translated_only_where_it_is_the_c_address) {
  // o= = c=: both translated, with Via and Contact.
  const auto same = Replay(InviteWithSdpFlow("200", "10.0.0.2"));
  BOOST_REQUIRE(same[0].delivered.has_value());
  BOOST_TEST(same[0].delivered->find("o=- 1 1 IN IP4 203.0.113.1") != std::string::npos, *same[0].delivered);
  BOOST_TEST(same[0].delivered->find("c=IN IP4 203.0.113.1") != std::string::npos);
  BOOST_TEST(same[0].delivered->find("Contact: <sip:100@203.0.113.1:5060>") != std::string::npos);
  // c= names another address (a media relay on the LAN): o= keeps the phone's private one.
  const auto other = Replay(InviteWithSdpFlow("201", "10.0.0.7"));
  BOOST_REQUIRE(other[0].delivered.has_value());
  BOOST_TEST(other[0].delivered->find("o=- 1 1 IN IP4 10.0.0.2") != std::string::npos, *other[0].delivered);
}

BOOST_AUTO_TEST_CASE(a_request_uri_over_255_characters_is_refused) {
  BOOST_TEST(Replay(InviteWithSdpFlow(std::string(230, '2'), "10.0.0.2"))[0].delivered.has_value());  // 249 characters
  const auto longer = Replay(InviteWithSdpFlow(std::string(240, '2'), "10.0.0.2"));             // 259
  BOOST_TEST(!longer[0].delivered.has_value());
  BOOST_TEST(longer[0].dropReason.find("Request-URI too long") != std::string::npos, longer[0].dropReason);
}

BOOST_AUTO_TEST_CASE(defaults_are_the_asa_timeouts) {
  const auto model = alg::CreateAlgModel("cisco-asa", {});
  BOOST_TEST(model->GetKnob("timeout-sip") == "1800");       // timeout sip 0:30:00
  BOOST_TEST(model->GetKnob("timeout-sip-media") == "120");  // timeout sip_media 0:02:00
  BOOST_TEST(model->GetKnob("tcp_view") == "message");
}
