// The detector client and echo server through a fake router: plain NAT of every RFC 4787
// class must raise no alarm; each fake ALG must be seen for what it does.
#include "fake-algs.h"
#include "fake-detect-network.h"

#include "probes/detect/detect-verdict.h"
#include "probes/detect/detector-client.h"
#include "probes/detect/echo-server.h"

#include <boost/test/unit_test.hpp>

#include "detect-test-printing.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

using namespace alglab::detect;
using namespace alglab::detect::testing;

namespace {

struct Run {
  DetectObservations observations;
  DetectVerdict verdict;
  nlohmann::json json;
};

DetectorOptions QuickOptions() {
  DetectorOptions options;
  options.serverAddress = FakeDetectNetwork::kServer;
  options.probeWait = 1.0;
  options.timerIntervals = {};
  return options;
}

Run Detect(FakeNatConfig nat, AlgHook alg = {}, DetectorOptions options = QuickOptions()) {
  FakeDetectNetwork network(nat, std::move(alg));
  EchoServer server(network.ServerIo());
  DetectorClient client(network.ClientIo(), options);
  network.SetServerSink(&server);
  network.SetClientSink(&client);
  BOOST_REQUIRE(server.Start());
  bool done = false;
  BOOST_REQUIRE(client.Start([&done] { done = true; }));
  network.RunUntil(client.PlannedDuration() + 1);
  BOOST_REQUIRE(done);
  Run run{client.Observations(), AnalyseObservations(client.Observations()), {}};
  run.json = ToJson(run.verdict);
  return run;
}

bool Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

const RewriteEntry* FindRewrite(const DetectVerdict& v, const std::string& method, const std::string& transport,
                                std::uint16_t port) {
  for (const auto& r : v.rewrites)
    if (r.method == method && r.transport == transport && r.port == port) return &r;
  return nullptr;
}

const InboundResult* FindInbound(const DetectVerdict& v, const std::string& from,
                                 const std::string& method = "INVITE") {
  for (const auto& i : v.inbound)
    if (i.from == from && i.method == method) return &i;
  return nullptr;
}

const char* Name(Dependence d) {
  switch (d) {
    case Dependence::EndpointIndependent: return "endpoint-independent";
    case Dependence::AddressDependent: return "address-dependent";
    case Dependence::AddressAndPortDependent: return "address-and-port-dependent";
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(detector)

BOOST_AUTO_TEST_CASE(plain_nat_of_every_rfc4787_class_is_no_alg_and_is_classified) {
  for (auto mapping : {Dependence::EndpointIndependent, Dependence::AddressDependent, Dependence::AddressAndPortDependent})
    for (auto filtering :
         {Dependence::EndpointIndependent, Dependence::AddressDependent, Dependence::AddressAndPortDependent})
      for (bool preserve : {true, false}) {
        BOOST_TEST_CONTEXT(Name(mapping) << " mapping, " << Name(filtering) << " filtering, preserve " << preserve) {
          FakeNatConfig nat;
          nat.mapping = mapping;
          nat.filtering = filtering;
          nat.preservePorts = preserve;
          const auto run = Detect(nat);
          const auto& v = run.verdict;
          BOOST_TEST(v.serverReached);
          BOOST_TEST(!v.algPresent);
          BOOST_TEST(v.rewrites.empty());
          BOOST_TEST(v.dropped.empty());
          BOOST_TEST(std::none_of(v.evidence.begin(), v.evidence.end(), IsAlarm));
          // The NAT's class is a conclusion too, with its proof.
          BOOST_TEST(std::any_of(v.evidence.begin(), v.evidence.end(),
                                 [](const Evidence& e) { return e.conclusion == "nat-filtering"; }));
          BOOST_TEST(!v.proxy.reOriginates);
          BOOST_TEST(!v.media.pinhole);
          BOOST_TEST(v.nat.translated == std::optional<bool>(true));
          BOOST_TEST(v.nat.mapping == Name(mapping));
          BOOST_TEST(v.nat.filtering == Name(filtering));
          BOOST_TEST(v.nat.portPreservation == std::optional<bool>(preserve));
          // Every outbound request was echoed untouched, UDP and TCP.
          BOOST_TEST(run.observations.tcpConnected);
          BOOST_TEST(run.observations.outbound.size() == 15u);
          for (const auto& p : run.observations.outbound) {
            BOOST_TEST(p.answered, p.id);
            BOOST_TEST(p.changes.empty(), p.id);
          }
          // The server's own requests reach the binding exactly as the filter allows.
          const auto* primary = FindInbound(v, "primary");
          BOOST_REQUIRE(primary);
          BOOST_TEST(primary->arrived);
          BOOST_TEST(primary->rewritten.empty());
          const auto* notify = FindInbound(v, "primary", "NOTIFY");
          BOOST_REQUIRE(notify);
          BOOST_TEST(notify->arrived);
          BOOST_TEST(notify->rewritten.empty());
          const auto* alt = FindInbound(v, "alt");
          BOOST_REQUIRE(alt);
          BOOST_TEST(alt->arrived == (filtering == Dependence::EndpointIndependent));
        }
      }
}

BOOST_AUTO_TEST_CASE(a_kernel_like_alg_is_an_in_place_rewrite_of_via_contact_and_sdp_on_5060) {
  const auto run = Detect(FakeNatConfig{}, KernelLikeAlg());
  const auto& v = run.verdict;
  BOOST_TEST(v.algPresent);
  BOOST_TEST(!v.proxy.reOriginates);
  BOOST_TEST(v.proxy.inPlaceRewrite);
  for (const char* transport : {"udp", "tcp"}) {
    const auto* invite = FindRewrite(v, "INVITE", transport, 5060);
    BOOST_REQUIRE_MESSAGE(invite, transport);
    BOOST_TEST(Has(invite->fields, "via-sent-by"));
    BOOST_TEST(Has(invite->fields, "contact"));
    BOOST_TEST(Has(invite->fields, "sdp-connection"));
    BOOST_TEST(Has(invite->fields, "sdp-origin"));
    BOOST_TEST(Has(invite->fields, "content-length"));
    BOOST_TEST(!Has(invite->fields, "call-id"));
    BOOST_TEST(!Has(invite->fields, "via-branch"));
    BOOST_TEST(!Has(invite->fields, "sdp-media-port"));
    const auto* reg = FindRewrite(v, "REGISTER", transport, 5060);
    BOOST_REQUIRE(reg);
    BOOST_TEST(Has(reg->fields, "contact"));
  }
  // Nothing on the other port.
  BOOST_TEST(!FindRewrite(v, "INVITE", "udp", 5070));
  BOOST_TEST(v.triggers.ports == (std::vector<std::string>{"tcp/5060", "udp/5060"}));
  BOOST_TEST(Has(v.triggers.methods, "INVITE"));
  BOOST_TEST(Has(v.triggers.methods, "REGISTER"));
  // Inbound: the Request-URI is rewritten to the LAN address; the registrar's other port gets
  // in through the signalling expectation though the NAT filter (APDF) refuses it elsewhere.
  const auto* primary = FindInbound(v, "primary");
  BOOST_REQUIRE(primary);
  BOOST_TEST(primary->arrived);
  BOOST_TEST(Has(primary->rewritten, "request-uri"));
  const auto* notify = FindInbound(v, "primary", "NOTIFY");
  BOOST_REQUIRE(notify);
  BOOST_TEST(notify->arrived);
  BOOST_TEST(Has(notify->rewritten, "request-uri"));
  const auto* otherPort = FindInbound(v, "primary-other-port");
  BOOST_REQUIRE(otherPort);
  BOOST_TEST(otherPort->arrived);
  const auto* alt = FindInbound(v, "alt");
  BOOST_REQUIRE(alt);
  BOOST_TEST(!alt->arrived);
  // Media: a pinhole for the SDP peer only.
  BOOST_TEST(v.media.pinhole);
  BOOST_TEST(v.media.fromPeer == std::optional<bool>(true));
  BOOST_TEST(v.media.fromOther == std::optional<bool>(false));
  BOOST_TEST(v.media.sourceRestricted == std::optional<bool>(true));
  // The NAT under it is still measured on the plain port.
  BOOST_TEST(v.nat.mapping == "endpoint-independent");
  BOOST_TEST(v.nat.filtering == "address-and-port-dependent");
  // Every conclusion names its probe and field.
  bool contactEvidence = false;
  for (const auto& e : v.evidence) {
    BOOST_TEST(!e.probe.empty());
    BOOST_TEST(!e.field.empty());
    contactEvidence = contactEvidence || (e.conclusion == "rewrite" && e.field == "contact");
  }
  BOOST_TEST(contactEvidence);
}

BOOST_AUTO_TEST_CASE(direct_media_off_lets_rtp_from_any_address_through_the_pinhole) {
  KernelLikeOptions options;
  options.directMedia = false;
  const auto v = Detect(FakeNatConfig{}, KernelLikeAlg(options)).verdict;
  BOOST_TEST(v.media.fromPeer == std::optional<bool>(true));
  BOOST_TEST(v.media.fromOther == std::optional<bool>(true));
  BOOST_TEST(v.media.sourceRestricted == std::optional<bool>(false));
}

BOOST_AUTO_TEST_CASE(direct_signalling_off_lets_another_address_reach_the_binding) {
  KernelLikeOptions options;
  options.directSignalling = false;
  const auto v = Detect(FakeNatConfig{}, KernelLikeAlg(options)).verdict;
  const auto* alt = FindInbound(v, "alt");
  BOOST_REQUIRE(alt);
  BOOST_TEST(alt->arrived);
  bool named = false;
  for (const auto& e : v.evidence) named = named || (e.conclusion == "inbound-expectation" && e.probe == "inbound/alt");
  BOOST_TEST(named);
}

BOOST_AUTO_TEST_CASE(an_alg_on_udp_only_names_udp_5060_as_its_only_trigger) {
  KernelLikeOptions options;
  options.tcp = false;
  const auto v = Detect(FakeNatConfig{}, KernelLikeAlg(options)).verdict;
  BOOST_TEST(v.algPresent);
  BOOST_TEST(v.triggers.ports == std::vector<std::string>{"udp/5060"});
  BOOST_TEST(v.triggers.transports == std::vector<std::string>{"udp"});
  BOOST_TEST(!FindRewrite(v, "INVITE", "tcp", 5060));
}

BOOST_AUTO_TEST_CASE(a_device_that_re_originates_is_told_from_an_in_place_rewrite) {
  const auto v = Detect(FakeNatConfig{}, ReOriginatingAlg()).verdict;
  BOOST_TEST(v.algPresent);
  BOOST_TEST(v.proxy.reOriginates);
  const auto* invite = FindRewrite(v, "INVITE", "udp", 5060);
  BOOST_REQUIRE(invite);
  BOOST_TEST(Has(invite->fields, "via-added"));
  bool proxyEvidence = false;
  for (const auto& e : v.evidence) proxyEvidence = proxyEvidence || (e.conclusion == "proxy" && e.field == "via-added");
  BOOST_TEST(proxyEvidence);
}

BOOST_AUTO_TEST_CASE(an_address_substituted_in_the_call_id_is_a_rewrite_not_a_new_call) {
  const auto v = Detect(FakeNatConfig{}, EverywhereAlg()).verdict;
  BOOST_TEST(v.algPresent);
  BOOST_TEST(!v.proxy.reOriginates);
  const auto* notify = FindRewrite(v, "NOTIFY", "udp", 5060);
  BOOST_REQUIRE(notify);
  BOOST_TEST(Has(notify->fields, "call-id"));
  BOOST_TEST(Has(notify->fields, "body"));
}

BOOST_AUTO_TEST_CASE(a_dropped_invite_is_named_as_the_trigger) {
  const auto v = Detect(FakeNatConfig{}, InviteDroppingAlg()).verdict;
  BOOST_TEST(v.algPresent);
  BOOST_TEST(Has(v.dropped, "udp5060-invite"));
  BOOST_TEST(!Has(v.dropped, "udp5060-register"));
  BOOST_TEST(v.triggers.methods == std::vector<std::string>{"INVITE"});
  BOOST_TEST(v.rewrites.empty());
}

BOOST_AUTO_TEST_CASE(a_datagram_lost_once_is_retransmitted_not_called_a_drop) {
  const auto v = Detect(FakeNatConfig{}, LoseFirst("INVITE ")).verdict;
  BOOST_TEST(v.dropped.empty());
  BOOST_TEST(!v.algPresent);
}

BOOST_AUTO_TEST_CASE(binding_lifetimes_are_bracketed_and_a_longer_sip_timer_is_an_alg) {
  DetectorOptions options = QuickOptions();
  options.timerIntervals = {10, 60, 180, 900};
  options.maxTimerWait = 200;  // 900 is over the cap: not tried
  FakeNatConfig nat;
  nat.udpTimeout = 30;
  nat.sipTimeout = 120;
  const auto v = Detect(nat, {}, options).verdict;
  BOOST_TEST(v.nat.udpTimeout.longestAlive == std::optional<double>(10));
  BOOST_TEST(v.nat.udpTimeout.firstExpired == std::optional<double>(60));
  BOOST_TEST(v.nat.sipTimeout.longestAlive == std::optional<double>(60));
  BOOST_TEST(v.nat.sipTimeout.firstExpired == std::optional<double>(180));
  BOOST_TEST(v.algPresent);

  nat.sipTimeout = 30;  // the same timer on both: a plain NAT
  const auto plain = Detect(nat, {}, options).verdict;
  BOOST_TEST(plain.nat.sipTimeout.firstExpired == std::optional<double>(60));
  BOOST_TEST(!plain.algPresent);
  BOOST_TEST(std::none_of(plain.evidence.begin(), plain.evidence.end(), IsAlarm));
}

BOOST_AUTO_TEST_CASE(an_unreachable_server_raises_no_alarm) {
  DetectorOptions options = QuickOptions();
  options.serverAddress = "192.0.2.99";  // nobody there
  const auto v = Detect(FakeNatConfig{}, {}, options).verdict;
  BOOST_TEST(!v.serverReached);
  BOOST_TEST(!v.algPresent);
  BOOST_TEST(v.evidence.empty());
}

BOOST_AUTO_TEST_CASE(the_verdict_is_deterministic_and_leaves_the_ranking_fields_empty) {
  const auto a = Detect(FakeNatConfig{}, KernelLikeAlg()).json;
  const auto b = Detect(FakeNatConfig{}, KernelLikeAlg()).json;
  BOOST_TEST(a.dump() == b.dump());
  if (std::getenv("ALGLAB_DETECT_DUMP")) std::cerr << a.dump(1) << "\n";
  BOOST_TEST(a.at("vendor_family").is_array());
  BOOST_TEST(a.at("vendor_family").empty());
  BOOST_TEST(a.at("predicted_symptoms").empty());
  BOOST_TEST(a.at("runbook").is_null());
  BOOST_TEST(a.at("alg_present").get<bool>());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(detect_robustness)

// The server faces the internet and the client whatever the router sends back: bytes that
// are not the protocol are ignored, never a crash or a runaway.
BOOST_AUTO_TEST_CASE(garbage_truncated_and_hostile_input_is_ignored) {
  FakeDetectNetwork network;
  EchoServer server(network.ServerIo());
  network.SetServerSink(&server);
  BOOST_REQUIRE(server.Start());
  const SocketId socket = 1;  // the server's first socket (UDP 5060)
  const Endpoint from{FakeDetectNetwork::kPublic, 40000};
  const std::string request =
      "OPTIONS sip:echo@203.0.113.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5;branch=z9hG4bK-x\r\n"
      "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n"
      "X-Alglab-Detect: probe=p; act=inbound+rtp-primary+filter; after=1e300\r\nContent-Length: 0\r\n\r\n";
  std::uint32_t state = 12345;  // a fixed-seed LCG: the same bytes every run
  for (int i = 0; i < 2000; ++i) {
    std::string bytes;
    if (i % 3 == 0) {
      bytes = request.substr(0, i % request.size());
    } else {
      for (int k = 0; k < (i % 300); ++k) {
        state = state * 1103515245u + 12345u;
        bytes += static_cast<char>(state >> 16);
      }
    }
    server.OnDatagram(socket, from, bytes);
  }
  // A whole request echoes; its hostile callback (after=1e300) is refused by the parser.
  const auto before = server.Echoed();
  server.OnDatagram(socket, from, request);
  BOOST_TEST(server.Echoed() == before + 1);
  // A TCP stream of junk and a defective frame.
  server.OnAccepted(-1, 99, from);
  server.OnStreamData(99, "INVITE sip:x SIP/2.0\r\nContent-Length: zz\r\n\r\n");
  server.OnStreamData(99, std::string(70000, 'A'));
  network.RunUntil(5);

  DetectorClient client(network.ClientIo(), QuickOptions());
  network.SetClientSink(&client);
  BOOST_REQUIRE(client.Start());
  for (int i = 0; i < 500; ++i) {
    const std::string junk = i % 2 ? request.substr(0, i % request.size()) : "SIP/2.0 200 OK\r\nContent-Type: " +
                                                                                   std::string(kEchoContentType) +
                                                                                   "\r\n\r\nprobe=x\r\narrived=@@@\r\n";
    for (SocketId id = 1; id < 60; ++id) client.OnDatagram(id, from, junk);
  }
  network.RunUntil(network.Now() + client.PlannedDuration() + 1);
  BOOST_TEST(client.Done());
  BOOST_TEST(AnalyseObservations(client.Observations()).serverReached);
}

BOOST_AUTO_TEST_SUITE_END()
