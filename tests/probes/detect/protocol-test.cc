// The echo protocol's encodings and the message diff, as plain functions.
#include "probes/detect/echo-protocol.h"
#include "probes/detect/message-diff.h"

#include "sim/flow/base64.h"

#include <boost/test/unit_test.hpp>

#include "detect-test-printing.h"

using namespace alglab::detect;

namespace {

const std::string kRegister =
    "REGISTER sip:203.0.113.2 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-1;rport\r\n"
    "From: <sip:alglab@203.0.113.2>;tag=1\r\n"
    "To: <sip:alglab@203.0.113.2>\r\n"
    "Call-ID: reg@10.0.0.2\r\n"
    "CSeq: 1 REGISTER\r\n"
    "Contact: <sip:alglab@10.0.0.2:5060>\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

std::vector<std::string> Fields(const std::vector<FieldChange>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.field);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(detect_protocol)

BOOST_AUTO_TEST_CASE(base64_round_trips_every_byte_and_refuses_what_is_not_base64) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 255u, 256u}) {
    const auto text = alglab::flow::EncodeBase64(all.substr(0, n));
    BOOST_TEST(alglab::flow::DecodeBase64(text) == std::optional<std::string>(all.substr(0, n)));
  }
  BOOST_TEST(!alglab::flow::DecodeBase64("abc"));
  BOOST_TEST(!alglab::flow::DecodeBase64("ab.d"));
  BOOST_TEST(!alglab::flow::DecodeBase64("a=bc"));
}

BOOST_AUTO_TEST_CASE(an_echo_report_round_trips_and_carries_no_dotted_quad) {
  EchoReport report{"udp5060-invite", "udp", {"198.51.100.1", 40000}, {"203.0.113.2", 5060}, kRegister, "203.0.113.3"};
  const auto body = report.ToBody();
  BOOST_TEST(body.find("198.51") == std::string::npos);
  BOOST_TEST(body.find("10.0.0.2") == std::string::npos);
  BOOST_TEST(body.find("IN IP4") == std::string::npos);
  const auto back = EchoReport::Parse(body);
  BOOST_REQUIRE(back);
  BOOST_TEST(back->probe == report.probe);
  BOOST_TEST(back->source == report.source);
  BOOST_TEST(back->local == report.local);
  BOOST_TEST(back->arrived == report.arrived);
  BOOST_TEST(back->serverAlt == report.serverAlt);
  BOOST_TEST(!EchoReport::Parse("probe=x\r\nsource=!!!\r\n"));
}

BOOST_AUTO_TEST_CASE(commands_and_tags_parse_back) {
  DetectCommand command;
  command.probe = "timer-sip-0";
  command.inbound = true;
  command.rtpAlt = true;
  command.callbackAfter = 2.5;
  const auto back = DetectCommand::Parse(command.ToHeaderValue());
  BOOST_REQUIRE(back);
  BOOST_TEST(back->probe == "timer-sip-0");
  BOOST_TEST(back->inbound);
  BOOST_TEST(!back->rtpPrimary);
  BOOST_TEST(back->rtpAlt);
  BOOST_TEST(back->callbackAfter == std::optional<double>(2.5));
  BOOST_TEST(!DetectCommand::Parse("act=inbound"));
  BOOST_TEST(!DetectCommand::Parse("probe=x; after=99999")->callbackAfter);
  const auto tag = ParseRtpPayload(MakeRtpPayload({"udp5060-invite", "alt"}, 7));
  BOOST_REQUIRE(tag);
  BOOST_TEST(tag->probe == "udp5060-invite");
  BOOST_TEST(tag->from == "alt");
  BOOST_TEST(!ParseRtpPayload("not rtp"));
}

BOOST_AUTO_TEST_CASE(endpoints_parse_only_as_ipv4_and_port) {
  BOOST_TEST(ParseEndpoint("203.0.113.5:5060") == std::optional<Endpoint>(Endpoint{"203.0.113.5", 5060}));
  for (const char* bad : {"203.0.113.5", "203.0.113:5060", "256.0.0.1:1", "1.2.3.4:65536", "a.b.c.d:1", "1.2.3.4:",
                          "1..3.4:5", ":5060"})
    BOOST_TEST(!ParseEndpoint(bad), bad);
}

BOOST_AUTO_TEST_CASE(the_diff_ignores_spelling_and_names_each_changed_field) {
  BOOST_TEST(DiffMessages(kRegister, kRegister).empty());
  // Compact names and header case are the same SIP.
  std::string spelled = kRegister;
  spelled.replace(spelled.find("Call-ID:"), 8, "i:");
  spelled.replace(spelled.find("Contact:"), 8, "contact:");
  BOOST_TEST(DiffMessages(kRegister, spelled).empty());

  std::string rewritten = kRegister;
  rewritten.replace(rewritten.find("10.0.0.2:5060;branch"), 13, "198.51.100.1:5060");
  rewritten.replace(rewritten.find("Content-Length: 0"), 17, "Record-Route: <sip:x>\r\nContent-Length: 0");
  const auto fields = Fields(DiffMessages(kRegister, rewritten));
  BOOST_TEST(fields == (std::vector<std::string>{"via-sent-by", "header-added"}));

  std::string proxied = "REGISTER sip:203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK-p\r\n" +
                        kRegister.substr(kRegister.find("\r\n") + 2);
  BOOST_TEST(Fields(DiffMessages(kRegister, proxied)) == std::vector<std::string>{"via-added"});
  BOOST_TEST(Fields(DiffMessages(kRegister, "garbage")) == std::vector<std::string>{"unparsable"});
}

BOOST_AUTO_TEST_CASE(sdp_changes_are_named_by_line) {
  const std::string sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
                          "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
  const auto invite = [](const std::string& body) {
    return "INVITE sip:echo@203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-1\r\n"
           "From: <sip:a@203.0.113.2>;tag=1\r\nTo: <sip:echo@203.0.113.2>\r\nCall-ID: i@10.0.0.2\r\n"
           "CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  std::string rewritten = sdp;
  rewritten.replace(rewritten.find("10.0.0.2"), 8, "198.51.100.1");
  rewritten.replace(rewritten.find("10.0.0.2"), 8, "198.51.100.1");
  rewritten.replace(rewritten.find("4000"), 4, "4002");
  rewritten.replace(rewritten.find("t=0 0"), 5, "i=rewritten by an ALG\r\nt=0 0");
  const auto fields = Fields(DiffMessages(invite(sdp), invite(rewritten)));
  BOOST_TEST(fields == (std::vector<std::string>{"content-length", "sdp-origin", "sdp-connection", "sdp-media-port",
                                                 "sdp-info-added"}));
  std::string direction = sdp + "a=sendonly\r\n";
  BOOST_TEST(Fields(DiffMessages(invite(sdp), invite(direction))) ==
             (std::vector<std::string>{"content-length", "sdp-other"}));
}

BOOST_AUTO_TEST_CASE(address_substitution_is_told_from_a_new_value) {
  BOOST_TEST(IsAddressSubstitution("abc@10.0.0.2", "abc@198.51.100.1"));
  BOOST_TEST(IsAddressSubstitution("10.0.0.2-x", "198.51.100.1-x"));
  BOOST_TEST(!IsAddressSubstitution("abc@10.0.0.2", "def@10.0.0.2"));
  BOOST_TEST(!IsAddressSubstitution("abc@10.0.0.2", "abc@10.0.0.2"));
  BOOST_TEST(!IsAddressSubstitution("z9hG4bK-1", "z9hG4bK-2"));
}

BOOST_AUTO_TEST_SUITE_END()
