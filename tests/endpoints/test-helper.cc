// Scenarios create endpoints by TypeId name and set attributes from strings.

#include "tests/endpoints/endpoint-test-fixture.h"

#include "sim/endpoints/sip-endpoint-helper.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::test;

BOOST_AUTO_TEST_SUITE(helper)

BOOST_AUTO_TEST_CASE(endpoints_are_created_by_name_with_string_attributes) {
  auto node = ns3::CreateObject<ns3::Node>();
  SipEndpointHelper phones("alglab::SipPhone");
  // Every knob a scenario file may set, as strings.
  const std::vector<std::pair<std::string, std::string>> knobs = {
      {"Name", "desk-1"},          {"Extension", "201"},        {"Password", "x"},
      {"Domain", "corp.test"},     {"RegistrarAddress", "192.0.2.10"},
      {"RegistrarPort", "5080"},   {"LocalSipPort", "5062"},    {"RtpPortBase", "16384"},
      {"Rport", "false"},          {"KeepaliveKind", "crlf"},   {"KeepaliveInterval", "15s"},
      {"RegisterExpiry", "120"},   {"SymmetricRtp", "false"},   {"AnswerAfter", "500ms"},
      {"AutoAnswer", "false"},     {"RebindOnNatChange", "false"},
      {"NoAnswerTimeout", "30s"},  {"SubscribeExpiry", "300"},  {"RegistrarLabel", "hosted"},
      {"RegisterRefreshPercent", "50"}, {"RegisterRetryInterval", "10s"},
      {"LocalAddress", "192.168.1.20"}};
  for (const auto& [name, value] : knobs) {
    BOOST_TEST_CONTEXT(name) {
      BOOST_CHECK(phones.SetAttributeFailSafe(name, ns3::StringValue(value)));
    }
  }
  BOOST_CHECK(!phones.SetAttributeFailSafe("NoSuchKnob", ns3::StringValue("1")));
  BOOST_CHECK(!phones.SetAttributeFailSafe("RegistrarPort", ns3::StringValue("70000")));
  BOOST_CHECK(!phones.SetAttributeFailSafe("RtpPortBase", ns3::StringValue("80")));
  auto app = phones.Install(node);
  auto phone = ns3::DynamicCast<SipPhone>(app);
  BOOST_REQUIRE(phone);
  BOOST_CHECK_EQUAL(phone->GetName(), "desk-1");
  ns3::UintegerValue port;
  phone->GetAttribute("RegistrarPort", port);
  BOOST_CHECK_EQUAL(port.Get(), 5080u);
  ns3::TimeValue answer;
  phone->GetAttribute("AnswerAfter", answer);
  BOOST_CHECK_EQUAL(answer.Get(), ns3::MilliSeconds(500));
  BOOST_CHECK_EQUAL(phone->PredictCallId(3), "desk-1-3@192.168.1.20");

  for (const std::string type : {"alglab::SipPbx", "alglab::SipProvider"}) {
    SipEndpointHelper servers(type);
    for (const std::string knob : {"HonourRport", "FixContact", "LatchMedia"}) {
      BOOST_CHECK(servers.SetAttributeFailSafe(knob, ns3::StringValue("false")));
    }
    BOOST_CHECK(servers.SetAttributeFailSafe("NatKeepaliveInterval", ns3::StringValue("0s")));
    BOOST_CHECK(servers.Install(node));
  }
  SipEndpointHelper pbx("alglab::SipPbx");
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"TrunkEnabled", "true"}, {"ProviderAddress", "198.51.100.1"}, {"ProviderPort", "5060"},
           {"TrunkUser", "acct"}, {"TrunkPassword", "pw"}, {"TrunkExpiry", "600"},
           {"TrunkKeepaliveKind", "options"}, {"TrunkKeepaliveInterval", "20s"},
           {"TrunkDomain", "itsp.test"}, {"RingTimeout", "45s"}, {"SymmetricRtp", "true"}}) {
    BOOST_TEST_CONTEXT(name) { BOOST_CHECK(pbx.SetAttributeFailSafe(name, ns3::StringValue(value))); }
  }
  ns3::Simulator::Destroy();
}

BOOST_AUTO_TEST_SUITE_END()
