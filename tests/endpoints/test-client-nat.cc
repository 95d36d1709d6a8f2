// Client-side NAT handling: public-address change detection, the ACK-timeout hangup, and the
// RTP stream itself (sequence, timing, hold directions).

#include "tests/endpoints/endpoint-test-fixture.h"

#include "sim/endpoints/media-session.h"
#include "sim/sip/sip-message.h"

#include <boost/test/unit_test.hpp>

using namespace alglab;
using namespace alglab::test;

namespace {
// What a rebinding NAT looks like from the PBX: the phone's packets suddenly come from
// another address. Emulated by renumbering the phone's interface at `atSeconds` while the
// phone keeps advertising its old address.
void RenumberAt(ns3::Ptr<ns3::Node> node, double atSeconds, const char* newAddress) {
  ns3::Simulator::Schedule(ns3::Seconds(atSeconds), [node, newAddress] {
    auto ipv4 = node->GetObject<ns3::Ipv4>();
    const std::uint32_t itf = 1;
    ipv4->RemoveAddress(itf, 0);
    ipv4->AddAddress(itf, ns3::Ipv4InterfaceAddress(newAddress, "255.255.255.0"));
  });
}
}  // namespace

BOOST_AUTO_TEST_SUITE(client_nat)

BOOST_AUTO_TEST_CASE(public_address_change_triggers_immediate_reregistration) {
  Office office(1, false);
  office.Phone(0)->SetAttribute("KeepaliveInterval", ns3::TimeValue(ns3::Seconds(10)));
  RenumberAt(office.PhoneNode(0), 15, "10.1.0.77");
  office.Run(25);
  const auto* reg = office.Phone(0)->GetRegistrationClient();
  BOOST_CHECK_EQUAL(reg->GetCounters().natRebinds, 1u);
  const auto outcomes = office.Recorder().Events("RegistrationOutcome", "phone101");
  BOOST_REQUIRE_EQUAL(outcomes.size(), 2u);
  // The keepalive at 20.1 s revealed the change; the REGISTER followed at once.
  BOOST_CHECK_CLOSE(outcomes[1].time, 20.1, 0.5);
  BOOST_CHECK(outcomes[1].ok);
  BOOST_REQUIRE(reg->PublicAddress().has_value());
  BOOST_CHECK_EQUAL(reg->PublicAddress()->ToString(), "10.1.0.77:5060");
  const auto bindings = office.Pbx()->Bindings("101");
  BOOST_REQUIRE_EQUAL(bindings.size(), 1u);
  BOOST_CHECK_EQUAL(bindings[0].target->ToString(), "10.1.0.77:5060");
}

BOOST_AUTO_TEST_CASE(rebind_knob_off_keeps_the_stale_binding) {
  Office office(1, false);
  office.Phone(0)->SetAttribute("KeepaliveInterval", ns3::TimeValue(ns3::Seconds(10)));
  office.Phone(0)->SetAttribute("RebindOnNatChange", ns3::BooleanValue(false));
  RenumberAt(office.PhoneNode(0), 15, "10.1.0.77");
  office.Run(25);
  BOOST_CHECK_EQUAL(office.Phone(0)->GetRegistrationClient()->GetCounters().natRebinds, 0u);
  BOOST_CHECK_EQUAL(office.Recorder().Count("RegistrationOutcome", "phone101"), 1u);
  BOOST_CHECK_EQUAL(office.Pbx()->Bindings("101").at(0).target->ToString(), "10.1.0.1:5060");
}

// A caller whose ACK never arrives (what an ALG that mangles the ACK path causes): the callee
// retransmits its 200 OK, then hangs up with BYE after 64*T1.
BOOST_AUTO_TEST_CASE(missing_ack_ends_the_call_after_32_seconds) {
  Office office(1, false);
  RawUdp raw(office.RouterNode(), 5080);
  const std::string me = Ipv4ToString(office.RouterAddress());
  const std::string sdp =
      "v=0\r\no=- 1 1 IN IP4 " + me + "\r\ns=-\r\nc=IN IP4 " + me +
      "\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=sendrecv\r\n";
  const std::string invite =
      "INVITE sip:101@" + Ipv4ToString(office.PhoneAddress(0)) + " SIP/2.0\r\n"
      "Via: SIP/2.0/UDP " + me + ":5080;branch=z9hG4bKnoack\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:999@" + me + ">;tag=na\r\nTo: <sip:101@office.test>\r\n"
      "Call-ID: noack@" + me + "\r\nCSeq: 1 INVITE\r\nContact: <sip:999@" + me + ":5080>\r\n"
      "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(sdp.size()) +
      "\r\n\r\n" + sdp;
  const auto phoneIp = office.PhoneAddress(0);
  ns3::Simulator::Schedule(ns3::Seconds(1), [&] { raw.Send(invite, phoneIp, 5060); });
  office.Run(40);
  const auto ended = office.Recorder().Events("CallEnded", "phone101");
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_CHECK_EQUAL(ended[0].b, "ack-timeout");
  BOOST_CHECK_CLOSE(ended[0].time, 1.0 + 2.0 + 32.0, 0.5);
  BOOST_CHECK_EQUAL(office.Recorder().Count("CallEstablished", "phone101"), 0u);
  std::size_t oks = 0;
  std::size_t byes = 0;
  for (const auto& bytes : raw.Received()) {
    auto m = sip::ParseMessage(bytes);
    BOOST_REQUIRE(m.Ok());
    oks += m.Value().IsResponse() && m.Value().StatusCode() == 200;
    byes += m.Value().IsRequest() && m.Value().Method() == "BYE";
  }
  // 200 at 3 s, then T1-doubling retransmissions capped at T2 until 64*T1.
  BOOST_CHECK_EQUAL(oks, 11u);
  // The BYE goes through the phone's outbound proxy (the PBX), not straight back to us.
  BOOST_CHECK_EQUAL(byes, 0u);
}

// A far end puts the phone on hold with a re-INVITE (a=sendonly): the phone answers recvonly,
// stops sending, and resumes after a sendrecv re-INVITE.
BOOST_AUTO_TEST_CASE(reinvite_hold_stops_and_resumes_the_phones_rtp) {
  Office office(1, false);
  RawUdp sip(office.RouterNode(), 5080);
  RawUdp rtp(office.RouterNode(), 40000);
  const std::string me = Ipv4ToString(office.RouterAddress());
  const std::string phone = Ipv4ToString(office.PhoneAddress(0));
  const auto sdp = [&](const std::string& dir, int version) {
    return "v=0\r\no=- 1 " + std::to_string(version) + " IN IP4 " + me + "\r\ns=-\r\nc=IN IP4 " +
           me + "\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=" + dir + "\r\n";
  };
  const auto request = [&](const std::string& method, int cseq, const std::string& toTag,
                           const std::string& body, const std::string& branch) {
    std::string m = method + " sip:101@" + phone + " SIP/2.0\r\n"
                    "Via: SIP/2.0/UDP " + me + ":5080;branch=z9hG4bK" + branch + "\r\n"
                    "Max-Forwards: 70\r\nFrom: <sip:999@" + me + ">;tag=far\r\n"
                    "To: <sip:101@office.test>" + (toTag.empty() ? "" : ";tag=" + toTag) + "\r\n"
                    "Call-ID: hold@" + me + "\r\nCSeq: " + std::to_string(cseq) + " " + method +
                    "\r\nContact: <sip:999@" + me + ":5080>\r\n";
    if (!body.empty()) {
      m += "Content-Type: application/sdp\r\n";
    }
    return m + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  std::string toTag;
  const auto findTag = [&] {
    for (const auto& bytes : sip.Received()) {
      auto m = sip::ParseMessage(bytes);
      if (m.Ok() && m.Value().IsResponse() && m.Value().StatusCode() == 200) {
        toTag = m.Value().To()->Tag().value_or("");
      }
    }
  };
  const auto phoneIp = office.PhoneAddress(0);
  ns3::Simulator::Schedule(ns3::Seconds(1), [&] {
    sip.Send(request("INVITE", 1, "", sdp("sendrecv", 1), "h1"), phoneIp, 5060);
  });
  ns3::Simulator::Schedule(ns3::Seconds(3.5), [&] {
    findTag();
    sip.Send(request("ACK", 1, toTag, "", "h2"), phoneIp, 5060);
  });
  std::size_t rtpBeforeHold = 0;
  std::size_t rtpDuringHold = 0;
  ns3::Simulator::Schedule(ns3::Seconds(5), [&] {
    rtpBeforeHold = rtp.Received().size();
    sip.Send(request("INVITE", 2, toTag, sdp("sendonly", 2), "h3"), phoneIp, 5060);
  });
  ns3::Simulator::Schedule(ns3::Seconds(5.5), [&] {
    sip.Send(request("ACK", 2, toTag, "", "h4"), phoneIp, 5060);
  });
  ns3::Simulator::Schedule(ns3::Seconds(8), [&] {
    rtpDuringHold = rtp.Received().size() - rtpBeforeHold;
    sip.Send(request("INVITE", 3, toTag, sdp("sendrecv", 3), "h5"), phoneIp, 5060);
  });
  ns3::Simulator::Schedule(ns3::Seconds(8.5), [&] {
    sip.Send(request("ACK", 3, toTag, "", "h6"), phoneIp, 5060);
  });
  office.Run(10);
  BOOST_REQUIRE(!toTag.empty());
  BOOST_CHECK_EQUAL(office.Recorder().Count("CallEstablished", "phone101"), 1u);
  BOOST_CHECK_GT(rtpBeforeHold, 90u);          // 3 s to 5 s at 50 packets/s
  BOOST_CHECK_LT(rtpDuringHold, 3u);           // at most what was in flight
  BOOST_CHECK_GT(rtp.Received().size() - rtpBeforeHold - rtpDuringHold, 60u);  // resumed
  // The phone's answer to the hold offer was recvonly.
  bool sawRecvOnly = false;
  for (const auto& bytes : sip.Received()) {
    auto m = sip::ParseMessage(bytes);
    if (m.Ok() && m.Value().IsResponse() && m.Value().GetCSeq()->sequence == 2 &&
        m.Value().StatusCode() == 200) {
      sawRecvOnly = m.Value().Body().find("a=recvonly") != std::string::npos;
    }
  }
  BOOST_CHECK(sawRecvOnly);
  BOOST_CHECK(office.Phone(0)->InCall());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(media)

namespace {
struct MediaPair {
  ns3::Ptr<ns3::Node> a = ns3::CreateObject<ns3::Node>();
  ns3::Ptr<ns3::Node> b = ns3::CreateObject<ns3::Node>();
  ns3::Ipv4Address aIp, bIp;
  RtpTrace sent, received;
  std::string name = "m";
  std::vector<std::uint16_t> seqAtB;
  std::vector<double> timesAtB;
  MediaPair() {
    ns3::InternetStackHelper internet;
    internet.Install(a);
    internet.Install(b);
    auto devs = LinkPointToPoint(a, b, ns3::MilliSeconds(1));
    ns3::Ipv4AddressHelper addr;
    addr.SetBase("10.9.0.0", "255.255.255.0");
    auto ifs = addr.Assign(devs);
    aIp = ifs.GetAddress(0);
    bIp = ifs.GetAddress(1);
    received.ConnectWithoutContext(ns3::MakeCallback(&MediaPair::OnRx, this));
  }
  ~MediaPair() { ResetSimulation(); }
  void OnRx(const std::string&, const std::string&, std::uint16_t seq, std::uint32_t) {
    seqAtB.push_back(seq);
    timesAtB.push_back(ns3::Simulator::Now().GetSeconds());
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(stream_is_50_pps_consecutive_and_respects_direction) {
  MediaPair net;
  MediaSession tx(net.a, 10000, 1234, MediaSession::Options{true, false, true});
  MediaSession rx(net.b, 20000, 5678, MediaSession::Options{true, false, false});
  rx.SetTraces(&net.name, "call", &net.sent, &net.received);
  BOOST_REQUIRE(tx.Open());
  BOOST_REQUIRE(rx.Open());
  tx.SetRemote(TransportAddress{net.bIp, 20000});
  tx.Start();
  // Hold: sendonly on the far side makes us recvonly; then inactive; then resume.
  ns3::Simulator::Schedule(ns3::Seconds(1), [&] { tx.SetDirection(sip::MediaDirection::RecvOnly); });
  ns3::Simulator::Schedule(ns3::Seconds(2), [&] { tx.SetDirection(sip::MediaDirection::Inactive); });
  ns3::Simulator::Schedule(ns3::Seconds(3), [&] { tx.SetDirection(sip::MediaDirection::SendRecv); });
  ns3::Simulator::Stop(ns3::Seconds(4));
  ns3::Simulator::Run();
  // 1 s of sending before hold, 1 s after: 50 + 50 packets, none during the 2 s hold.
  BOOST_CHECK_EQUAL(net.seqAtB.size(), 100u);
  for (std::size_t i = 1; i < net.seqAtB.size(); ++i) {
    BOOST_CHECK_EQUAL(net.seqAtB[i], static_cast<std::uint16_t>(net.seqAtB[i - 1] + 1));
  }
  for (double t : net.timesAtB) {
    BOOST_CHECK(t < 1.05 || t > 3.0);
  }
  BOOST_CHECK_EQUAL(rx.GetCounters().received, 100u);
  BOOST_CHECK_EQUAL(rx.SequenceGaps(), 0u);
  BOOST_CHECK_EQUAL(tx.Ssrc(), 1234u);
  BOOST_CHECK_EQUAL(tx.SendPort(), 10000);
  tx.Close();
  rx.Close();
}

BOOST_AUTO_TEST_CASE(latching_follows_the_source_and_ignores_garbage) {
  MediaPair net;
  MediaSession server(net.a, 10000, 1, MediaSession::Options{true, true, true});
  MediaSession client(net.b, 20000, 2, MediaSession::Options{true, false, true});
  BOOST_REQUIRE(server.Open());
  BOOST_REQUIRE(client.Open());
  server.SetRemote(TransportAddress{ns3::Ipv4Address("192.168.1.1"), 30000});  // unreachable SDP
  client.SetRemote(TransportAddress{net.aIp, 10000});
  server.Start();
  client.Start();
  // Junk from elsewhere must neither count as RTP nor move the latch.
  auto junk = ns3::Socket::CreateSocket(net.b, ns3::UdpSocketFactory::GetTypeId());
  junk->Bind();
  ns3::Simulator::Schedule(ns3::Seconds(0.5), [&] {
    junk->SendTo(ns3::Create<ns3::Packet>(5), 0, ns3::InetSocketAddress(net.aIp, 10000));
  });
  ns3::Simulator::Stop(ns3::Seconds(1));
  ns3::Simulator::Run();
  BOOST_CHECK(server.IsLatched());
  BOOST_CHECK_EQUAL(server.Target()->ToString(), TransportAddress({net.bIp, 20000}).ToString());
  BOOST_CHECK_EQUAL(server.GetCounters().invalid, 1u);
  BOOST_CHECK_EQUAL(server.GetCounters().relatched, 0u);
  BOOST_CHECK_GT(client.GetCounters().received, 40u);
  server.Close();
  client.Close();
}

BOOST_AUTO_TEST_CASE(waiting_for_the_peer_starts_the_clock_at_its_first_packet) {
  // A media server that waits to hear the caller: started at 0 s with a reachable SDP address,
  // it sends nothing until the client's first packet (client starts at 1 s), then at once, and
  // from its own media address rather than the node's first one.
  MediaPair net;
  const ns3::Ipv4Address mediaIp("10.9.0.77");
  auto ipv4 = net.a->GetObject<ns3::Ipv4>();
  ipv4->AddAddress(ipv4->GetInterfaceForAddress(net.aIp), ns3::Ipv4InterfaceAddress(mediaIp, "255.255.255.255"));
  MediaSession::Options serverOptions{true, true, true};
  serverOptions.waitForPeer = MediaSession::WaitForPeer::Always;
  serverOptions.bindAddress = mediaIp;
  MediaSession server(net.a, 10000, 1, serverOptions);
  MediaSession client(net.b, 20000, 2, MediaSession::Options{true, false, true});
  client.SetTraces(&net.name, "call", &net.sent, &net.received);
  BOOST_REQUIRE(server.Open());
  BOOST_REQUIRE(client.Open());
  server.SetRemote(TransportAddress{net.bIp, 20000});
  client.SetRemote(TransportAddress{mediaIp, 10000});
  server.Start();
  ns3::Simulator::Schedule(ns3::Seconds(1), [&] { client.Start(); });
  ns3::Simulator::Stop(ns3::Seconds(2));
  ns3::Simulator::Run();
  BOOST_REQUIRE(!net.timesAtB.empty());
  // The client's first packet reaches the server after about 1 ms; its answer 1 ms later.
  BOOST_CHECK_GT(net.timesAtB.front(), 1.0);
  BOOST_CHECK_LT(net.timesAtB.front(), 1.01);
  BOOST_CHECK_EQUAL(server.GetCounters().sent, 50u);
  BOOST_CHECK_EQUAL(client.SequenceGaps(), 0u);
  BOOST_REQUIRE(client.LastSource());
  BOOST_CHECK_EQUAL(client.LastSource()->ToString(), TransportAddress({mediaIp, 10000}).ToString());
  BOOST_CHECK(server.IsLatched());
  server.Close();
  client.Close();
}

BOOST_AUTO_TEST_CASE(waiting_for_the_peer_holds_the_clock_through_hold_and_resume) {
  // A hold and resume before the peer was heard must not start the clock either.
  MediaPair net;
  MediaSession::Options serverOptions{true, false, true};
  serverOptions.waitForPeer = MediaSession::WaitForPeer::Always;
  MediaSession server(net.a, 10000, 1, serverOptions);
  MediaSession client(net.b, 20000, 2, MediaSession::Options{true, false, false});
  client.SetTraces(&net.name, "call", &net.sent, &net.received);
  BOOST_REQUIRE(server.Open());
  BOOST_REQUIRE(client.Open());
  server.SetRemote(TransportAddress{net.bIp, 20000});
  server.Start();
  ns3::Simulator::Schedule(ns3::Seconds(0.5), [&] { server.SetDirection(sip::MediaDirection::RecvOnly); });
  ns3::Simulator::Schedule(ns3::Seconds(0.7), [&] { server.SetDirection(sip::MediaDirection::SendRecv); });
  ns3::Simulator::Stop(ns3::Seconds(2));
  ns3::Simulator::Run();
  BOOST_CHECK_EQUAL(server.GetCounters().sent, 0u);
  BOOST_CHECK(net.timesAtB.empty());
  server.Close();
  client.Close();
}

BOOST_AUTO_TEST_SUITE_END()
