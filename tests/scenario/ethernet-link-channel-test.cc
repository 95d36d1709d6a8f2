// The LAN cable model: full duplex, delay without a throughput limit, Ethernet frames for pcap.
#define BOOST_TEST_MODULE lan_model
#include "sim/scenario/ethernet-link-channel.h"

#include <ns3/csma-channel.h>
#include <ns3/csma-net-device.h>
#include <ns3/data-rate.h>
#include <ns3/drop-tail-queue.h>
#include <ns3/ethernet-header.h>
#include <ns3/node.h>
#include <ns3/simulator.h>
#include <ns3/string.h>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <vector>

using namespace ns3;
using alglab::scenario::EthernetLinkChannel;

namespace {

constexpr std::uint16_t kIpv4 = 0x0800;
constexpr int kFramesEachWay = 20000;  // one every 50 us for a second, both directions
const Time kSpacing = MicroSeconds(50);

struct Arrivals {
  std::uint64_t count = 0;
  Time first;
  bool OnReceive(Ptr<NetDevice>, Ptr<const Packet>, std::uint16_t, const Address&) {
    if (count++ == 0) first = Simulator::Now();
    return true;
  }
};

/// Offers kFramesEachWay 200-byte frames from each end to the other, returns what arrived.
std::pair<std::uint64_t, std::uint64_t> OfferBothWays(Ptr<NetDevice> a, Ptr<NetDevice> b,
                                                      Arrivals& atA, Arrivals& atB) {
  a->SetReceiveCallback(MakeCallback(&Arrivals::OnReceive, &atA));
  b->SetReceiveCallback(MakeCallback(&Arrivals::OnReceive, &atB));
  for (int i = 0; i < kFramesEachWay; ++i) {
    Simulator::Schedule(kSpacing * i, [a, b] {
      a->Send(Create<Packet>(200), b->GetAddress(), kIpv4);
      b->Send(Create<Packet>(200), a->GetAddress(), kIpv4);
    });
  }
  Simulator::Stop(Seconds(3));
  Simulator::Run();
  return {atA.count, atB.count};
}

Ptr<SimpleNetDevice> Port(Ptr<Node> node, Ptr<EthernetLinkChannel> cable) {
  Ptr<SimpleNetDevice> dev = CreateObject<SimpleNetDevice>();
  dev->SetAddress(Mac48Address::Allocate());
  dev->SetAttribute("DataRate", DataRateValue(DataRate("1Gbps")));
  node->AddDevice(dev);
  dev->SetChannel(cable);
  return dev;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_half_millisecond_cable_carries_20k_frames_per_second_each_way) {
  Ptr<EthernetLinkChannel> cable = CreateObject<EthernetLinkChannel>();
  cable->SetAttribute("Delay", TimeValue(MicroSeconds(500)));
  Ptr<SimpleNetDevice> a = Port(CreateObject<Node>(), cable);
  Ptr<SimpleNetDevice> b = Port(CreateObject<Node>(), cable);
  std::uint64_t queueDrops = 0;
  for (auto dev : {a, b}) {
    dev->GetQueue()->TraceConnectWithoutContext(
        "Drop", MakeBoundCallback(+[](std::uint64_t* n, Ptr<const Packet>) { ++*n; }, &queueDrops));
  }
  Arrivals atA, atB;
  const auto [toA, toB] = OfferBothWays(a, b, atA, atB);
  BOOST_TEST(toA == static_cast<std::uint64_t>(kFramesEachWay));
  BOOST_TEST(toB == static_cast<std::uint64_t>(kFramesEachWay));
  BOOST_TEST(queueDrops == 0u);
  // First frame: 200 bytes at 1 Gbit/s (1.6 us) plus the 0.5 ms of cable.
  BOOST_TEST(atB.first == MicroSeconds(500) + NanoSeconds(1600));
  Simulator::Destroy();
}

BOOST_AUTO_TEST_CASE(csma_with_the_same_delay_cannot_and_that_is_why_the_lan_is_not_csma) {
  // The control: ns-3's CSMA bus stays busy for the propagation delay, so the same cable as a
  // CsmaChannel carries only a fraction of the offered frames.
  Ptr<CsmaChannel> bus = CreateObject<CsmaChannel>();
  bus->SetAttribute("DataRate", DataRateValue(DataRate("1Gbps")));
  bus->SetAttribute("Delay", TimeValue(MicroSeconds(500)));
  std::vector<Ptr<CsmaNetDevice>> ends;
  for (int i = 0; i < 2; ++i) {
    Ptr<CsmaNetDevice> dev = CreateObject<CsmaNetDevice>();
    dev->SetAddress(Mac48Address::Allocate());
    dev->SetQueue(CreateObject<DropTailQueue<Packet>>());
    CreateObject<Node>()->AddDevice(dev);
    dev->Attach(bus);
    ends.push_back(dev);
  }
  Arrivals atA, atB;
  const auto [toA, toB] = OfferBothWays(ends[0], ends[1], atA, atB);
  BOOST_TEST(toA + toB < static_cast<std::uint64_t>(kFramesEachWay) / 2);
  Simulator::Destroy();
}

BOOST_AUTO_TEST_CASE(sniffer_sees_ethernet_frames_at_both_ends_at_their_own_times) {
  Ptr<EthernetLinkChannel> cable = CreateObject<EthernetLinkChannel>();
  cable->SetAttribute("Delay", TimeValue(MilliSeconds(1)));
  Ptr<SimpleNetDevice> a = Port(CreateObject<Node>(), cable);
  Ptr<SimpleNetDevice> b = Port(CreateObject<Node>(), cable);
  struct Seen {
    Ptr<const NetDevice> device;
    Time at;
    std::uint32_t size;
    EthernetHeader header;
  };
  std::vector<Seen> seen;
  cable->TraceConnectWithoutContext(
      "Sniffer", MakeBoundCallback(+[](std::vector<Seen>* out, Ptr<const NetDevice> dev,
                                  Ptr<const Packet> frame) {
        EthernetHeader h(false);
        frame->PeekHeader(h);
        out->push_back({dev, Simulator::Now(), frame->GetSize(), h});
      }, &seen));
  Arrivals atA, atB;
  a->SetReceiveCallback(MakeCallback(&Arrivals::OnReceive, &atA));
  b->SetReceiveCallback(MakeCallback(&Arrivals::OnReceive, &atB));
  Simulator::Schedule(Seconds(1), [a, b] {
    a->Send(Create<Packet>(28), b->GetAddress(), 0x0806);    // short: padded to 60 bytes
    b->Send(Create<Packet>(1000), a->GetAddress(), kIpv4);  // at the same time, other way
  });
  Simulator::Run();
  BOOST_REQUIRE(seen.size() == 4u);
  std::uint32_t fromA = 0;
  for (const Seen& s : seen) {
    const bool arp = s.header.GetLengthType() == 0x0806;
    BOOST_TEST(s.size == (arp ? 60u : 1014u));
    BOOST_TEST(Mac48Address::ConvertFrom(s.header.GetSource()) ==
               Mac48Address::ConvertFrom(arp ? a->GetAddress() : b->GetAddress()));
    const bool sentHere = (s.device == a) == arp;
    if (s.device == a) ++fromA;
    // Sent frames are seen when serialised, received ones a cable delay later.
    const Time tx = DataRate("1Gbps").CalculateBytesTxTime(arp ? 28 : 1000);
    BOOST_TEST(s.at == Seconds(1) + tx + (sentHere ? Time(0) : MilliSeconds(1)));
  }
  BOOST_TEST(fromA == 2u);
  BOOST_TEST(atA.count == 1u);
  BOOST_TEST(atB.count == 1u);
  Simulator::Destroy();
}
