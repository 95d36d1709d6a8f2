// The example responder through the contract's table router: an OPTIONS toward the WAN is
// stolen (nothing leaves on the WAN) and answered from the router's LAN address toward the
// phone; other traffic passes untouched. tests/nat/example-responder-router-test.cc shows the
// same through the ns-3 router with real sockets.
#include "sim/mangle/flow-replay.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/table-router.h"
#include "alg-models/example-responder/example-responder-alg.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;

namespace {

const nat::Endpoint kPhone{ns3::Ipv4Address("10.0.0.2"), 5060};
const nat::Endpoint kProvider{ns3::Ipv4Address("203.0.113.2"), 5060};


const std::string kOptions =
    "OPTIONS sip:203.0.113.2 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKopt1\r\n"
    "From: <sip:100@10.0.0.2>;tag=a1\r\n"
    "To: <sip:203.0.113.2>\r\n"
    "Call-ID: opt1@10.0.0.2\r\n"
    "CSeq: 7 OPTIONS\r\n"
    "Content-Length: 0\r\n\r\n";

}  // namespace

BOOST_AUTO_TEST_CASE(options_is_stolen_and_answered_from_the_router_toward_the_phone) {
  const ns3::Ptr<alg::AlgModel> model =
      alg::CreateAlgModel("example-responder", {{"answer_delay", "20ms"}});
  alg::TableRouter router(nat::NatConfig{}, mangle::FlowTopology(), model);
  const auto result = router.Outbound(kPhone, kProvider, kOptions, ns3::Seconds(1));
  BOOST_CHECK(result.verdict == alg::VerdictKind::Stolen);
  BOOST_TEST(!result.delivered.has_value());  // the provider never gets it

  const auto emitted = router.TakeEmitted();
  BOOST_REQUIRE_EQUAL(emitted.size(), 1u);
  const alg::EmittedPacket& answer = emitted[0].packet;
  BOOST_CHECK(emitted[0].at == ns3::Seconds(1) + ns3::MilliSeconds(20));
  BOOST_CHECK(answer.side == alg::EmitSide::Lan);
  BOOST_CHECK(answer.destination == kPhone);
  BOOST_TEST(answer.sourcePort == 5060);
  const auto parsed = sip::ParseMessage(answer.payload);
  BOOST_REQUIRE(parsed.Ok());
  BOOST_TEST(parsed.Value().StatusCode() == 200);
  BOOST_TEST(*parsed.Value().CallId() == "opt1@10.0.0.2");
  BOOST_TEST(parsed.Value().Get("Via")->find("branch=z9hG4bKopt1") != std::string::npos);
  BOOST_TEST(parsed.Value().Get("To")->find(";tag=router") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(other_requests_and_media_pass_untouched) {
  alg::TableRouter router(nat::NatConfig{}, mangle::FlowTopology(),
                          alg::CreateAlgModel("example-responder", {}));
  std::string reg = kOptions;
  reg.replace(0, 7, "REGISTER");
  const auto sip = router.Outbound(kPhone, kProvider, reg, ns3::Seconds(1));
  BOOST_REQUIRE(sip.delivered.has_value());
  BOOST_TEST(*sip.delivered == reg);
  const auto rtp = router.Outbound({kPhone.address, 4000}, {kProvider.address, 30000},
                                   std::string(12, '\x80'), ns3::Seconds(2));
  BOOST_REQUIRE(rtp.delivered.has_value());
  BOOST_TEST(router.TakeEmitted().empty());
}
