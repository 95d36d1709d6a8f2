// NatDrops and SymptomMechanisms: what plain NAT dropped, and which mechanisms a symptom's
// verdict names.
#include "probes/alg-activity.h"
#include "probes/nat-drops.h"
#include "probes/symptom-mechanisms.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::probes;

BOOST_AUTO_TEST_SUITE(symptom_mechanisms)

BOOST_AUTO_TEST_CASE(nat_drops_tell_sip_rtp_and_leave_alg_drops_to_the_alg_record) {
  NatDrops d;
  d.OnDrop("filtered", true, "INVITE sip:101@203.0.113.1 SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n");
  d.OnDrop("filtered", true, std::string("\x80\x00\x00\x01", 4) + std::string(160, '\0'));
  d.OnDrop("no-mapping", true, std::string("\x80\x00\x00\x01", 4) + std::string(160, '\0'));
  d.OnDrop("rebooting", false, "");
  d.OnDrop("alg:all ports in use for SDP media", false, "SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n");
  const auto j = d.ToJson();
  BOOST_TEST(j["filtered"]["inbound INVITE"] == 1);
  BOOST_TEST(j["filtered"]["inbound RTP"] == 1);
  BOOST_TEST(j["no-mapping"]["inbound RTP"] == 1);
  BOOST_TEST(j["rebooting"]["outbound other"] == 1);
  BOOST_TEST(!j.contains("alg:all ports in use for SDP media"));
  BOOST_TEST(NatDrops::PacketKind("hello") == "other");
}

BOOST_AUTO_TEST_CASE(a_symptom_names_only_mechanisms_that_touched_its_messages_drops_first) {
  AlgActivity a;
  const std::string invite = "INVITE sip:200@203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2\r\nCSeq: 1 INVITE\r\n\r\nc=IN IP4 10.0.0.2\r\n";
  const std::string rewritten = "INVITE sip:200@203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.1\r\nCSeq: 1 INVITE\r\n\r\nc=IN IP4 203.0.113.1\r\n";
  const std::string notify = "NOTIFY sip:101@10.0.0.2 SIP/2.0\r\nCSeq: 2 NOTIFY\r\n\r\n";
  for (int i = 0; i < 3; ++i) a.OnMessage("outbound", false, invite, rewritten, "", "rewriter");
  a.OnMessage("outbound", true, invite, "", "line too long", "drop");
  a.OnMessage("inbound", true, notify, "", "oversized", "drop");
  NatDrops d;
  d.OnDrop("filtered", true, std::string("\x80\x00\x00\x01", 4) + std::string(160, '\0'));
  d.OnDrop("rebooting", false, invite);
  d.OnDrop("rebooting", false, invite);

  const auto calls = SymptomMechanisms("calls_not_connecting", a.ToJson(), d.ToJson());
  BOOST_REQUIRE(calls.size() == 5u);
  // Drops first (the larger count first), then SDP before Via.
  BOOST_TEST(calls[0]["mechanism"] == "drop");
  BOOST_TEST(calls[0]["message"] == "outbound INVITE");
  BOOST_TEST(calls[0]["reason"] == "line too long");
  BOOST_TEST(calls[1]["mechanism"] == "nat:filtered");
  BOOST_TEST(calls[2]["field"] == "c=");
  BOOST_TEST(calls[3]["field"] == "Via");
  BOOST_TEST(calls[4]["mechanism"] == "nat:rebooting");  // the reboot itself tells least
  // The NOTIFY drop is not about calls; it is what BLF names.
  const auto blf = SymptomMechanisms("blf_not_updating", a.ToJson(), d.ToJson());
  BOOST_REQUIRE(blf.size() == 1u);
  BOOST_TEST(blf[0]["message"] == "inbound NOTIFY");
  BOOST_TEST(SymptomMechanisms("registration_failure", a.ToJson(), d.ToJson()).empty());
  BOOST_TEST(DescribeMechanisms(calls, 1) == "drop dropped outbound INVITE (line too long)");
  BOOST_TEST(SymptomMechanisms("calls_not_connecting", a.ToJson(), d.ToJson(), 2).size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
