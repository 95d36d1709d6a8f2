// Router forwarding benchmark: how much does alglab's NAT router cost per packet compared with a
// bare ns-3 router? Topology: LAN host -- router -- WAN host over point-to-point links. Several
// RTP-like streams (172-byte payload every 20 ms) run in both directions until N packets have
// been sent. The router is either plain Ipv4StaticRouting (--mode bare) or the NAT router with no
// ALG (--mode nat). Prints one JSON line. One simulation per process.
//
// packets_per_wall_second = packets the router forwarded / wall seconds of Simulator::Run(),
// so the bare/nat ratio of that figure is the NAT's per-packet cost factor.

#include "sim/nat/nat-router-helper.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace ns3;

constexpr std::uint32_t kRtpPayloadBytes = 172;  // 160 bytes of G.711 + 12-byte RTP header
const Time kPacketSpacing = MilliSeconds(20);
const Time kStart = Seconds(1);
constexpr std::uint16_t kLanBasePort = 4000;
constexpr std::uint16_t kWanBasePort = 20000;

struct Options {
  std::string mode = "nat";
  std::uint64_t packets = 100000;
  std::uint32_t streams = 20;
  std::uint32_t seed = 1;
};

/// One direction of one media stream: a bound socket sending `count` packets every 20 ms.
/// Like a symmetric-RTP endpoint it latches onto the source of the first packet it receives,
/// so the WAN side answers whatever public port the NAT chose.
class RtpLeg {
 public:
  RtpLeg(Ptr<Node> node, std::uint16_t localPort, InetSocketAddress peer, std::uint64_t count,
         bool latch)
      : m_peer(peer), m_remaining(count), m_latch(latch) {
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), localPort));
    m_socket->SetRecvCallback(MakeCallback(&RtpLeg::Receive, this));
  }

  void StartAt(Time at) {
    if (m_remaining > 0) Simulator::Schedule(at, &RtpLeg::Send, this);
  }
  std::uint64_t Sent() const { return m_sent; }
  std::uint64_t Received() const { return m_received; }

 private:
  void Send() {
    if (m_socket->SendTo(Create<Packet>(kRtpPayloadBytes), 0, m_peer) >= 0) ++m_sent;
    if (--m_remaining > 0) Simulator::Schedule(kPacketSpacing, &RtpLeg::Send, this);
  }
  void Receive(Ptr<Socket> socket) {
    Address from;
    while (socket->RecvFrom(from)) {
      ++m_received;
      if (m_latch) {
        m_peer = InetSocketAddress::ConvertFrom(from);
        m_latch = false;
      }
    }
  }

  Ptr<Socket> m_socket;
  InetSocketAddress m_peer;
  std::uint64_t m_remaining;
  bool m_latch;
  std::uint64_t m_sent = 0;
  std::uint64_t m_received = 0;
};

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // kilobytes on Linux
}

nlohmann::json Run(const Options& options) {
  const bool nat = options.mode == "nat";
  RngSeedManager::SetSeed(options.seed);
  RngSeedManager::SetRun(1);

  NodeContainer lanHost, router, wanHost;
  lanHost.Create(1);
  router.Create(1);
  wanHost.Create(1);

  Ipv4StaticRoutingHelper staticRouting;
  InternetStackHelper hostStack;
  hostStack.SetRoutingHelper(staticRouting);
  hostStack.Install(lanHost);
  hostStack.Install(wanHost);
  InternetStackHelper routerStack;
  alglab::nat::NatRoutingHelper natRouting;
  if (nat) {
    routerStack.SetRoutingHelper(natRouting);
  } else {
    routerStack.SetRoutingHelper(staticRouting);
  }
  routerStack.Install(router);

  PointToPointHelper lanLink;
  lanLink.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
  lanLink.SetChannelAttribute("Delay", TimeValue(MicroSeconds(500)));
  PointToPointHelper wanLink;
  wanLink.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
  wanLink.SetChannelAttribute("Delay", TimeValue(MilliSeconds(10)));
  NetDeviceContainer lan = lanLink.Install(lanHost.Get(0), router.Get(0));
  NetDeviceContainer wan = wanLink.Install(router.Get(0), wanHost.Get(0));
  Ipv4AddressHelper lanAddresses("10.0.0.0", "255.255.255.0");
  const Ipv4InterfaceContainer lanIf = lanAddresses.Assign(lan);
  Ipv4AddressHelper wanAddresses("203.0.113.0", "255.255.255.0");
  const Ipv4InterfaceContainer wanIf = wanAddresses.Assign(wan);
  const Ipv4Address lanHostAddress = lanIf.GetAddress(0);
  const Ipv4Address routerLan = lanIf.GetAddress(1);
  const Ipv4Address routerWan = wanIf.GetAddress(0);
  const Ipv4Address wanHostAddress = wanIf.GetAddress(1);

  staticRouting.GetStaticRouting(lanHost.Get(0)->GetObject<Ipv4>())->SetDefaultRoute(routerLan, 1);
  const std::uint32_t routerWanInterface = static_cast<std::uint32_t>(
      router.Get(0)->GetObject<Ipv4>()->GetInterfaceForDevice(wan.Get(0)));
  if (nat) {
    alglab::nat::NatRoutingHelper::ConfigureWan(router.Get(0), routerWanInterface, wanHostAddress);
    alglab::nat::NatRoutingHelper::AssignStreams(router, 0);
  } else {
    // Without NAT the WAN host must route the private network back through the router.
    staticRouting.GetStaticRouting(wanHost.Get(0)->GetObject<Ipv4>())
        ->AddNetworkRouteTo(Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.255.0"), routerWan, 1);
  }

  std::uint64_t forwarded = 0;
  router.Get(0)->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
      "UnicastForward",
      MakeBoundCallback(
          +[](std::uint64_t* counter, const Ipv4Header&, Ptr<const Packet>, std::uint32_t) {
            ++*counter;
          },
          &forwarded));

  // Split N packets over 2 legs per stream; the first legs take the remainder.
  const std::uint64_t legs = 2ULL * options.streams;
  std::vector<std::unique_ptr<RtpLeg>> all;
  Time lastSend = kStart;
  for (std::uint32_t s = 0; s < options.streams; ++s) {
    const std::uint16_t lanPort = static_cast<std::uint16_t>(kLanBasePort + 2 * s);
    const std::uint16_t wanPort = static_cast<std::uint16_t>(kWanBasePort + 2 * s);
    const std::uint64_t out = options.packets / legs + (2ULL * s < options.packets % legs ? 1 : 0);
    const std::uint64_t in =
        options.packets / legs + (2ULL * s + 1 < options.packets % legs ? 1 : 0);
    // Streams are staggered over one packet interval, as independent calls would be.
    const Time offset = kPacketSpacing * s / options.streams;
    auto outbound = std::make_unique<RtpLeg>(lanHost.Get(0), lanPort,
                                             InetSocketAddress(wanHostAddress, wanPort), out, false);
    // The WAN leg starts one interval later and latches onto what it receives; its initial
    // target is where the first packet would come from anyway.
    auto inbound = std::make_unique<RtpLeg>(
        wanHost.Get(0), wanPort, InetSocketAddress(nat ? routerWan : lanHostAddress, lanPort), in,
        true);
    outbound->StartAt(kStart + offset);
    inbound->StartAt(kStart + offset + kPacketSpacing);
    const std::uint64_t longest = std::max(out, in);
    if (longest > 0) {
      lastSend = std::max(lastSend, kStart + offset + kPacketSpacing * static_cast<int64_t>(longest));
    }
    all.push_back(std::move(outbound));
    all.push_back(std::move(inbound));
  }

  Simulator::Stop(lastSend + Seconds(1));
  const auto wallStart = std::chrono::steady_clock::now();
  Simulator::Run();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
  const double simSeconds = Simulator::Now().GetSeconds();

  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  for (const auto& leg : all) {
    sent += leg->Sent();
    received += leg->Received();
  }
  Simulator::Destroy();

  return nlohmann::json{{"mode", options.mode},
                        {"packets_sent", sent},
                        {"packets_forwarded", forwarded},
                        {"packets_received", received},
                        {"streams", options.streams},
                        {"wall_seconds", wall},
                        {"packets_per_wall_second", wall > 0 ? forwarded / wall : 0.0},
                        {"sim_seconds", simSeconds},
                        {"peak_rss_kb", PeakRssKb()}};
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"Forward RTP-sized UDP packets through a bare router or the alglab NAT router "
               "and print one JSON line of throughput figures."};
  app.add_option("--mode", options.mode, "bare: plain Ipv4StaticRouting; nat: alglab NAT router")
      ->check(CLI::IsMember({"bare", "nat"}));
  app.add_option("--packets", options.packets, "total packets to send (both directions)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000000}));
  app.add_option("--streams", options.streams, "media streams, each with one leg per direction")
      ->check(CLI::Range(1, 10000));
  app.add_option("--seed", options.seed, "ns-3 RNG seed")
      ->check(CLI::Range(std::uint32_t{1}, std::uint32_t{4000000000U}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help
  } catch (const CLI::ParseError& e) {
    std::cerr << "alglab-bench-router: " << e.what() << "\n";
    return 2;
  }
  std::cout << Run(options).dump() << std::endl;
  return 0;
}
