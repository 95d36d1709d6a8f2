#include "sim/sip/sdp.h"
#include "tests/sip/test-util.h"

#include <boost/test/unit_test.hpp>

using namespace alglab::sip;
using alglab::sip::test::Crlf;

BOOST_AUTO_TEST_SUITE(sdp)

BOOST_AUTO_TEST_CASE(session_and_media_connection_several_media) {
  const std::string text = Crlf(
      "v=0\n"
      "o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5\n"
      "s=SDP Seminar\n"
      "i=A Seminar on the session description protocol\n"
      "u=http://www.example.com/seminars/sdp.pdf\n"
      "e=j.doe@example.com (Jane Doe)\n"
      "c=IN IP4 224.2.17.12/127\n"
      "b=AS:128\n"
      "t=2873397496 2873404696\n"
      "r=7d 1h 0 25h\n"
      "k=prompt\n"
      "a=recvonly\n"
      "m=audio 49170 RTP/AVP 0\n"
      "m=video 51372/2 RTP/AVP 99 98\n"
      "i=the video\n"
      "c=IN IP4 192.0.2.44\n"
      "b=AS:256\n"
      "a=rtpmap:99 h263-1998/90000\n"
      "a=rtcp:53020 IN IP4 192.0.2.45\n"
      "a=sendonly\n"
      "m=application 0 udp wb\n"
      "x=an unknown line kept verbatim\n");
  auto r = SessionDescription::Parse(text);
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  const SessionDescription& sd = r.Value();
  BOOST_TEST(sd.origin.username == "jdoe");
  BOOST_TEST(sd.origin.address == "10.47.16.5");
  BOOST_TEST(sd.sessionName == "SDP Seminar");
  BOOST_TEST(sd.connection->address == "224.2.17.12/127");
  BOOST_TEST(sd.timing.size() == 1u);
  BOOST_TEST(sd.timing[0] == "2873397496 2873404696");
  BOOST_TEST(sd.SessionDirection() == MediaDirection::RecvOnly);
  BOOST_REQUIRE(sd.media.size() == 3u);
  BOOST_TEST(sd.media[0].port == 49170);
  BOOST_TEST(!sd.media[0].portCount.has_value());
  BOOST_TEST(sd.media[0].Direction(sd.SessionDirection()) == MediaDirection::RecvOnly);
  BOOST_TEST(*sd.MediaAddress(0) == "224.2.17.12");  // session c=, TTL stripped
  BOOST_TEST(sd.media[1].type == "video");
  BOOST_TEST(*sd.media[1].portCount == 2);
  BOOST_TEST(sd.media[1].formats.size() == 2u);
  BOOST_TEST(*sd.MediaAddress(1) == "192.0.2.44");  // media c= wins
  BOOST_TEST(*sd.media[1].RtcpPort() == 53020);
  BOOST_TEST(*sd.media[1].RtcpAddress() == "192.0.2.45");
  BOOST_TEST(sd.media[1].Direction() == MediaDirection::SendOnly);
  BOOST_TEST(sd.media[2].port == 0);
  BOOST_TEST(sd.media[2].otherLines.size() == 1u);
  BOOST_TEST(!sd.MediaAddress(7).has_value());
  BOOST_TEST(sd.ToString() == text);  // RFC order in, same text out
}

BOOST_AUTO_TEST_CASE(rtcp_without_address_and_lf_input) {
  auto r = SessionDescription::Parse(
      "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nt=0 0\n"
      "m=audio 4000 RTP/AVP 0 8\na=rtcp:4001\n\n\n");
  BOOST_REQUIRE_MESSAGE(r.Ok(), alglab::sip::test::Describe(r));
  BOOST_TEST(*r.Value().media[0].RtcpPort() == 4001);
  BOOST_TEST(!r.Value().media[0].RtcpAddress().has_value());
  BOOST_TEST(r.Value().media[0].Direction() == MediaDirection::SendRecv);
}

BOOST_AUTO_TEST_CASE(hold_forms) {
  // RFC 2543 hold: c=0.0.0.0; RFC 3264 hold: a=sendonly
  auto r = SessionDescription::Parse(Crlf(
      "v=0\no=- 1 2 IN IP4 192.0.2.1\ns=-\nc=IN IP4 0.0.0.0\nt=0 0\nm=audio 4000 RTP/AVP 0\n"
      "a=sendonly\n"));
  BOOST_REQUIRE(r.Ok());
  SessionDescription sd = r.Value();
  BOOST_TEST(*sd.MediaAddress(0) == "0.0.0.0");
  BOOST_TEST(sd.media[0].Direction() == MediaDirection::SendOnly);
  sd.media[0].SetDirection(MediaDirection::SendRecv);  // resume
  BOOST_TEST(sd.media[0].attributes.size() == 1u);
  BOOST_TEST(sd.media[0].attributes[0] == "sendrecv");
  sd.media[0].SetDirection(MediaDirection::Inactive);
  BOOST_TEST(std::string(ToString(sd.media[0].Direction())) == "inactive");
}

BOOST_AUTO_TEST_CASE(built_from_defaults) {
  SessionDescription sd;
  sd.origin.address = "192.0.2.9";
  sd.connection = SdpConnection{"IN", "IP4", "192.0.2.9"};
  SdpMedia m;
  m.port = 5004;
  m.formats = {"0"};
  m.attributes = {"rtpmap:0 PCMU/8000"};
  m.SetDirection(MediaDirection::SendRecv);
  sd.media.push_back(m);
  const std::string text = sd.ToString();
  BOOST_TEST(text == Crlf("v=0\no=- 0 0 IN IP4 192.0.2.9\ns=-\nc=IN IP4 192.0.2.9\nt=0 0\n"
                          "m=audio 5004 RTP/AVP 0\na=rtpmap:0 PCMU/8000\na=sendrecv\n"));
  auto back = SessionDescription::Parse(text);
  BOOST_REQUIRE(back.Ok());
  BOOST_TEST(back.Value().ToString() == text);
}

BOOST_AUTO_TEST_CASE(malformed_sdp_names_the_line) {
  struct Case {
    const char* text;
    std::size_t line;
  };
  const Case cases[] = {
      {"", 1},
      {"o=- 1 1 IN IP4 a\nv=0\ns=-\n", 1},                     // v= not first
      {"v=zero\no=- 1 1 IN IP4 a\ns=-\n", 1},                  // bad version
      {"v=0\no=- 1 1 IN IP4\ns=-\n", 2},                       // o= short a field
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4\n", 4},           // c= short
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nt=0\n", 4},                // t= short
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio x RTP/AVP 0\n", 4},  // bad port
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 4000/x RTP/AVP 0\n", 4},
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 4000 RTP/AVP\n", 4},  // no format
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 4000 RTP/AVP 0\nc=IN\n", 5},
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nm=audio 4000 RTP/AVP 0\no=- 1 1 IN IP4 a\n", 5},
      {"v=0\no=- 1 1 IN IP4 a\n\ns=-\n", 3},                   // blank line inside
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nthis is not sdp\n", 4},
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nA=x\n", 4},                // upper-case type
      {"v=0\ns=-\n", 2},                                       // missing o=
      {"v=0\no=- 1 1 IN IP4 a\n", 2},                          // missing s=
      {"v=0\no=- 1 1 IN IP4 a\no=- 1 1 IN IP4 a\ns=-\n", 3},   // duplicate o=
      {"v=0\no=- 1 1 IN IP4 a\ns=-\ns=again\n", 4},
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nv=0\n", 4},
      {"v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nc=IN IP4 b\n", 5},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      auto r = SessionDescription::Parse(c.text);
      BOOST_REQUIRE(!r.Ok());
      BOOST_TEST(r.Error().kind == ParseErrorKind::BadSdp);
      BOOST_TEST(r.Error().line == c.line);
    }
  }
  static const char kNul[] = "v=0\no=- 1 1 IN IP4 a\ns=-\na=x\0y\n";
  const std::string nul(kNul, sizeof(kNul) - 1);
  auto r = SessionDescription::Parse(nul);
  BOOST_REQUIRE(!r.Ok());
  BOOST_TEST(r.Error().line == 4u);
  BOOST_TEST(r.Error().column == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
