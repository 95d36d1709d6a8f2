// alglab diagnose's logic on in-memory frames and segments: the frame decoder per link type,
// TCP reassembly of SIP, the symptoms and fingerprints of one capture, and the pairing of two.
#define BOOST_TEST_MODULE diagnose
#include "sim/diagnose/capture-diagnosis.h"
#include "sim/diagnose/capture-reader.h"
#include "sim/diagnose/frame-decoder.h"
#include "sim/diagnose/router-pairing.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <set>

using namespace alglab::diagnose;
using nlohmann::json;

namespace {

std::uint32_t Ip(const char* text) {
  std::uint32_t a = 0;
  BOOST_REQUIRE(ParseIpv4(text, a));
  return a;
}

/// IPv4 + UDP around a payload (checksums zero: the decoder does not check them).
std::vector<std::uint8_t> Ipv4Udp(std::uint32_t src, std::uint32_t dst, std::uint16_t sport, std::uint16_t dport,
                                  const std::string& payload, std::uint16_t fragmentField = 0) {
  const std::size_t total = 20 + 8 + payload.size();
  std::vector<std::uint8_t> p(total, 0);
  p[0] = 0x45;
  p[2] = std::uint8_t(total >> 8), p[3] = std::uint8_t(total);
  p[6] = std::uint8_t(fragmentField >> 8), p[7] = std::uint8_t(fragmentField);
  p[8] = 64, p[9] = 17;
  for (int i = 0; i < 4; ++i) p[12 + i] = std::uint8_t(src >> (24 - 8 * i)), p[16 + i] = std::uint8_t(dst >> (24 - 8 * i));
  p[20] = std::uint8_t(sport >> 8), p[21] = std::uint8_t(sport);
  p[22] = std::uint8_t(dport >> 8), p[23] = std::uint8_t(dport);
  p[24] = std::uint8_t((8 + payload.size()) >> 8), p[25] = std::uint8_t(8 + payload.size());
  std::copy(payload.begin(), payload.end(), p.begin() + 28);
  return p;
}

std::vector<std::uint8_t> WithPrefix(std::vector<std::uint8_t> prefix, const std::vector<std::uint8_t>& ip) {
  prefix.insert(prefix.end(), ip.begin(), ip.end());
  return prefix;
}

CapturedSegment Udp(std::uint64_t frame, double time, const char* src, std::uint16_t sport, const char* dst,
                    std::uint16_t dport, std::string payload) {
  CapturedSegment s;
  s.frame = frame, s.time = time, s.transport = Transport::Udp;
  s.srcIp = Ip(src), s.dstIp = Ip(dst), s.srcPort = sport, s.dstPort = dport;
  s.payload = std::move(payload);
  return s;
}

std::string Register(const std::string& via, const std::string& contact, int cseq) {
  return "REGISTER sip:pbx.example SIP/2.0\r\nVia: SIP/2.0/UDP " + via +
         ";branch=z9hG4bK-r" + std::to_string(cseq) + ";rport\r\nFrom: <sip:101@pbx.example>;tag=a\r\n"
         "To: <sip:101@pbx.example>\r\nCall-ID: reg-101\r\nCSeq: " + std::to_string(cseq) +
         " REGISTER\r\nContact: <sip:101@" + contact + ">\r\nExpires: 300\r\nContent-Length: 0\r\n\r\n";
}

std::string Invite(const std::string& host, const std::string& extraHeaders = "") {
  const std::string sdp = "v=0\r\no=- 1 1 IN IP4 " + host + "\r\ns=-\r\nc=IN IP4 " + host +
                          "\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
  return "INVITE sip:200@203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP " + host +
         ":5060;branch=z9hG4bK-i1\r\n" + extraHeaders + "From: <sip:101@pbx.example>;tag=b\r\nTo: <sip:200@pbx.example>\r\n"
         "Call-ID: call-1\r\nCSeq: 1 INVITE\r\nContact: <sip:101@" + host + ":5060>\r\nContent-Type: application/sdp\r\n"
         "Content-Length: " + std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
}

bool HasSymptom(const json& analysis, const std::string& name) {
  for (const auto& s : analysis["symptoms"])
    if (s["symptom"] == name) return true;
  return false;
}

bool HasFingerprint(const json& analysis, const std::string& kind) {
  for (const auto& f : analysis["fingerprints"])
    if (f["kind"] == kind) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_link_type_reaches_the_udp_payload) {
  const auto ip = Ipv4Udp(Ip("10.0.0.2"), Ip("203.0.113.2"), 5060, 5060, "hello");
  const std::vector<std::uint8_t> ether = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00};
  const std::vector<std::uint8_t> vlan = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x81, 0x00, 0, 5, 0x08, 0x00};
  const std::vector<std::uint8_t> ppp = {0x00, 0x21};
  const std::vector<std::uint8_t> hdlc = {0xff, 0x03, 0x00, 0x21};
  std::vector<std::uint8_t> sll(16, 0);
  sll[14] = 0x08;
  std::vector<std::uint8_t> sll2(20, 0);
  sll2[0] = 0x08;
  const std::pair<LinkType, std::vector<std::uint8_t>> cases[] = {
      {LinkType::Ethernet, WithPrefix(ether, ip)},   {LinkType::Ethernet, WithPrefix(vlan, ip)},
      {LinkType::Ppp, WithPrefix(ppp, ip)},          {LinkType::Ppp, WithPrefix(hdlc, ip)},
      {LinkType::LinuxCooked, WithPrefix(sll, ip)},  {LinkType::LinuxCooked2, WithPrefix(sll2, ip)},
      {LinkType::RawIpv4, ip}};
  for (const auto& [link, bytes] : cases) {
    const auto d = DecodeFrame(link, bytes.data(), bytes.size());
    BOOST_TEST_CONTEXT(ToString(link)) {
      BOOST_REQUIRE(d.kind == FrameKind::Segment);
      BOOST_TEST(d.segment.payload == "hello");
      BOOST_TEST(FormatIpv4(d.segment.srcIp) == "10.0.0.2");
      BOOST_TEST(d.segment.dstPort == 5060);
    }
  }
}

BOOST_AUTO_TEST_CASE(fragments_and_short_frames_are_told_apart) {
  const auto fragment = Ipv4Udp(Ip("10.0.0.2"), Ip("203.0.113.2"), 5060, 5060, "x", 0x2000);
  BOOST_TEST(int(DecodeFrame(LinkType::RawIpv4, fragment.data(), fragment.size()).kind) == int(FrameKind::Fragment));
  const auto whole = Ipv4Udp(Ip("10.0.0.2"), Ip("203.0.113.2"), 5060, 5060, "payload");
  for (std::size_t cut = 0; cut < whole.size(); ++cut)
    BOOST_TEST(int(DecodeFrame(LinkType::RawIpv4, whole.data(), cut).kind) == int(FrameKind::Truncated));
  const std::vector<std::uint8_t> arp = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x06, 0, 0};
  BOOST_TEST(int(DecodeFrame(LinkType::Ethernet, arp.data(), arp.size()).kind) == int(FrameKind::NotIpv4));
  LinkType link;
  BOOST_TEST(!LinkTypeFromDlt(105, link));  // 802.11
}

BOOST_AUTO_TEST_CASE(sip_over_tcp_is_reassembled_in_order) {
  const std::string message = Invite("10.0.0.2");
  CaptureExtractor extract;
  auto segment = [&](std::uint64_t frame, std::uint32_t offset, std::size_t length) {
    CapturedSegment s = Udp(frame, 0.01 * double(frame), "10.0.0.2", 40000, "203.0.113.2", 5060, message.substr(offset, length));
    s.transport = Transport::Tcp;
    s.tcpSeq = 1000 + 1 + offset;
    return s;
  };
  CapturedSegment syn = segment(1, 0, 0);
  syn.tcpSyn = true, syn.tcpSeq = 1000;
  extract.Add(std::move(syn));
  // Second part first, then the first, then a retransmission of the first, then the rest.
  extract.Add(segment(2, 100, 100));
  extract.Add(segment(3, 0, 100));
  extract.Add(segment(4, 0, 150));
  extract.Add(segment(5, 200, message.size() - 200));
  extract.Finish();
  BOOST_REQUIRE_EQUAL(extract.Sip().size(), 1u);
  BOOST_TEST(extract.Sip()[0].raw == message);
  BOOST_TEST(extract.Sip()[0].frame == 5u);
  BOOST_TEST(extract.Counts().tcpBytesUnframed == 0u);
}

BOOST_AUTO_TEST_CASE(lan_side_symptoms_and_an_inbound_via_rewrite) {
  CaptureExtractor lan;
  // A REGISTER retransmitted, never answered; a second one answered with received= the
  // private address (a public server cannot have seen that).
  for (int i = 0; i < 4; ++i)
    lan.Add(Udp(1 + i, 0.5 * i, "10.0.0.2", 5060, "203.0.113.2", 5060, Register("10.0.0.2:5060", "10.0.0.2", 1)));
  lan.Add(Udp(10, 40, "10.0.0.2", 5060, "203.0.113.2", 5060, Register("10.0.0.2:5060", "10.0.0.2", 2)));
  lan.Add(Udp(11, 40.05, "203.0.113.2", 5060, "10.0.0.2", 5060,
              "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-r2;rport=5060;received=10.0.0.2\r\n"
              "From: <sip:101@pbx.example>;tag=a\r\nTo: <sip:101@pbx.example>;tag=x\r\nCall-ID: reg-101\r\n"
              "CSeq: 2 REGISTER\r\nContact: <sip:101@10.0.0.2>;expires=300\r\nContent-Length: 0\r\n\r\n"));
  lan.Add(Udp(12, 80, "10.0.0.2", 5060, "203.0.113.2", 5060, "\r\n\r\n"));
  lan.Finish();
  const json a = DiagnoseCapture(lan);
  BOOST_TEST(a["side"] == "lan");
  BOOST_TEST(HasSymptom(a, "registration_failure"));
  BOOST_TEST(HasFingerprint(a, "via-received-private"));
  BOOST_TEST(!HasFingerprint(a, "private-address-leak"));
  BOOST_TEST(a["keepalives"] == 1);
}

BOOST_AUTO_TEST_CASE(wan_side_leaks_tell_plain_nat_from_a_partial_alg) {
  CaptureExtractor plain;
  plain.Add(Udp(1, 0, "198.51.100.1", 5060, "203.0.113.2", 5060, Invite("10.0.0.2")));
  plain.Finish();
  const json p = DiagnoseCapture(plain);
  BOOST_TEST(p["side"] == "wan");
  BOOST_TEST(HasFingerprint(p, "private-address-leak"));
  for (const auto& f : p["fingerprints"]) BOOST_TEST(f["alg"] == false);

  // Via and Contact translated, o= and c= left private: an ALG that missed the body.
  std::string partial = Invite("10.0.0.2");
  for (const char* field : {"UDP 10.0.0.2", "101@10.0.0.2"}) {
    const auto at = partial.find(field);
    partial.replace(partial.find("10.0.0.2", at), 8, "198.51.100.1");
  }
  CaptureExtractor alg;
  alg.Add(Udp(1, 0, "198.51.100.1", 5060, "203.0.113.2", 5060, partial));
  alg.Finish();
  const json a = DiagnoseCapture(alg);
  BOOST_TEST(HasFingerprint(a, "alg-missed-field"));
}

BOOST_AUTO_TEST_CASE(pairing_names_the_rewrites_and_the_drops) {
  CaptureExtractor lan, wan;
  lan.Add(Udp(1, 1.0, "10.0.0.2", 5060, "203.0.113.2", 5060, Invite("10.0.0.2")));
  std::string rewritten = Invite("198.51.100.1");
  wan.Add(Udp(1, 1.001, "198.51.100.1", 5060, "203.0.113.2", 5060, rewritten));
  // An inbound OPTIONS that the router did not pass on; nothing of its dialog was rewritten.
  wan.Add(Udp(2, 2.0, "203.0.113.2", 5060, "198.51.100.1", 5060,
              "OPTIONS sip:101@198.51.100.1 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.2;branch=z9hG4bK-o\r\n"
              "From: <sip:pbx@pbx.example>;tag=c\r\nTo: <sip:101@pbx.example>\r\nCall-ID: ping-1\r\nCSeq: 7 OPTIONS\r\n"
              "Content-Length: 0\r\n\r\n"));
  lan.Add(Udp(2, 9.0, "10.0.0.2", 5060, "203.0.113.2", 5060, "\r\n\r\n"));
  wan.Add(Udp(3, 9.0, "198.51.100.1", 5060, "203.0.113.2", 5060, "\r\n\r\n"));
  lan.Finish(), wan.Finish();
  const json p = PairAcrossRouter(lan, wan);
  BOOST_TEST(p["router_wan_address"] == "198.51.100.1");
  BOOST_TEST(p["paired"] == 1);
  std::set<std::string> fields;
  for (const auto& r : p["rewrites"]) {
    fields.insert(r["field"].get<std::string>());
    BOOST_TEST(r["direction"] == "outbound");
  }
  BOOST_TEST((fields == std::set<std::string>{"Via", "Contact", "o=", "c=", "Content-Length"}));
  BOOST_REQUIRE_EQUAL(p["dropped"].size(), 1u);
  BOOST_TEST(p["dropped"][0]["message"] == "OPTIONS");
  BOOST_TEST(p["dropped"][0]["damage"] == "plain-nat");
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_capture_is_one_error_naming_it) {
  const std::string path = "diagnose-test-not-a-capture.txt";
  std::ofstream(path) << "REGISTER sip:x SIP/2.0\r\n";
  try {
    ReadCapture(path, [](CapturedSegment&&) {});
    BOOST_FAIL("no error");
  } catch (const CaptureError& e) {
    BOOST_TEST(std::string(e.what()).find(path) == 0u);
  }
  std::remove(path.c_str());
  BOOST_CHECK_THROW(ReadCapture("/nonexistent/x.pcap", [](CapturedSegment&&) {}), CaptureError);
}

BOOST_AUTO_TEST_CASE(nat_trace_content_length_and_proxy_via_are_fingerprinted) {
  // As FortiOS's proxy sends it: its own Via above the phone's, the i= trace, and here a
  // Content-Length one byte short of the body.
  std::string invite = Invite("198.51.100.1", "");
  invite.replace(invite.find("Via: "), 0, "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-proxy\r\n");
  const std::string viaLine = "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-i1";
  invite.replace(invite.find(viaLine), viaLine.size(), "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-i1");
  invite.replace(invite.find("s=-\r\n"), 5, "s=-\r\ni=(o=IN IP4 10.0.0.2)\r\n");
  const auto at = invite.find("Content-Length: ") + 16;
  const auto end = invite.find("\r\n", at);
  const auto body = invite.size() - invite.find("\r\n\r\n") - 4;
  invite.replace(at, end - at, std::to_string(body - 1));
  CaptureExtractor wan;
  wan.Add(Udp(1, 0, "198.51.100.1", 5060, "203.0.113.2", 5060, invite));
  wan.Finish();
  const json a = DiagnoseCapture(wan);
  BOOST_TEST(HasFingerprint(a, "sdp-nat-trace"));
  BOOST_TEST(HasFingerprint(a, "proxy-via"));
  BOOST_TEST(HasFingerprint(a, "content-length-mismatch"));
}
