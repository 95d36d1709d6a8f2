// The office switch: learns, forwards learned unicast out of one port, floods the rest, forgets.
#include "sim/scenario/ethernet-link-channel.h"
#include "sim/scenario/learning-switch.h"

#include <ns3/ethernet-header.h>
#include <ns3/node.h>
#include <ns3/simulator.h>

#include <boost/test/unit_test.hpp>

#include <map>
#include <vector>

using namespace ns3;
using alglab::scenario::EthernetLinkChannel;
using alglab::scenario::LearningSwitch;

namespace {

/// `hosts` hosts, each on its own cable into one switch; counts frames each host's cable carried
/// toward the host.
struct SwitchedLan {
  Ptr<LearningSwitch> sw = CreateObject<LearningSwitch>();
  std::vector<Ptr<SimpleNetDevice>> hosts;
  std::map<const NetDevice*, int> framesToHost;

  explicit SwitchedLan(int n) {
    Ptr<Node> switchNode = CreateObject<Node>();
    for (int i = 0; i < n; ++i) {
      Ptr<EthernetLinkChannel> cable = CreateObject<EthernetLinkChannel>();
      Ptr<SimpleNetDevice> host = CreateObject<SimpleNetDevice>();
      host->SetAddress(Mac48Address::Allocate());
      CreateObject<Node>()->AddDevice(host);
      Ptr<SimpleNetDevice> port = CreateObject<SimpleNetDevice>();
      port->SetAddress(Mac48Address::Allocate());
      switchNode->AddDevice(port);
      host->SetChannel(cable);
      port->SetChannel(cable);
      sw->AddPort(port);
      hosts.push_back(host);
      cable->TraceConnectWithoutContext(
          "Sniffer", MakeCallback(&SwitchedLan::Sniff, this).Bind(PeekPointer(host)));
    }
  }
  void Sniff(const NetDevice* host, Ptr<const NetDevice> dev, Ptr<const Packet> frame) {
    // Only frames arriving at the host: the sniffer reports both ends of the cable, and the
    // host's own frames at its end too.
    EthernetHeader header(false);
    frame->PeekHeader(header);
    if (PeekPointer(dev) == host && header.GetSource() != Mac48Address::ConvertFrom(host->GetAddress())) {
      ++framesToHost[host];
    }
  }
  void SendAt(Time at, int from, Address to) {
    Ptr<SimpleNetDevice> dev = hosts[from];
    Simulator::Schedule(at, [dev, to] { dev->Send(Create<Packet>(100), to, 0x0800); });
  }
  int To(int host) { return framesToHost[PeekPointer(hosts[host])]; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(learning_switch)

BOOST_AUTO_TEST_CASE(unknown_unicast_floods_then_learned_unicast_goes_to_one_port) {
  SwitchedLan lan(3);
  lan.sw->SetAttribute("ExpirationTime", TimeValue(Seconds(10)));
  lan.SendAt(Seconds(1), 0, lan.hosts[1]->GetAddress());  // 1 is unknown yet: flooded to 1 and 2
  lan.SendAt(Seconds(2), 1, lan.hosts[0]->GetAddress());  // 0 was learned at 1 s: only to 0
  lan.SendAt(Seconds(3), 0, lan.hosts[1]->GetAddress());  // 1 learned at 2 s: only to 1
  lan.SendAt(Seconds(4), 2, Mac48Address::GetBroadcast()); // broadcast: to 0 and 1
  lan.SendAt(Seconds(20), 0, lan.hosts[1]->GetAddress()); // 1 forgotten after 10 s: flooded
  Simulator::Run();
  BOOST_TEST(lan.To(0) == 2);  // from 1 at 2 s, broadcast at 4 s
  BOOST_TEST(lan.To(1) == 4);  // 1 s, 3 s, 4 s, 20 s
  BOOST_TEST(lan.To(2) == 2);  // the floods at 1 s and 20 s
  BOOST_TEST(lan.sw->GetCounters().flooded == 3u);
  BOOST_TEST(lan.sw->GetCounters().forwarded == 2u);
  Simulator::Destroy();
}

BOOST_AUTO_TEST_CASE(cost_per_frame_does_not_grow_with_ports) {
  // 200 ports, every host talks to host 0 and back: after learning, each frame is forwarded
  // out of exactly one port, so host 0 receives one frame per sender and nobody else any.
  SwitchedLan lan(200);
  for (int i = 1; i < 200; ++i) {
    lan.SendAt(Seconds(1) + MilliSeconds(i), i, lan.hosts[0]->GetAddress());
  }
  for (int i = 1; i < 200; ++i) {
    lan.SendAt(Seconds(2) + MilliSeconds(i), 0, lan.hosts[i]->GetAddress());
  }
  Simulator::Run();
  const auto& c = lan.sw->GetCounters();
  // Host 0 is learned only when it first sends (at 2 s), so the 199 frames toward it flood.
  BOOST_TEST(c.flooded == 199u);
  BOOST_TEST(c.forwarded == 199u);
  for (int i = 1; i < 200; ++i) {
    BOOST_TEST_CONTEXT("host " << i) {
      // Floods from the others before 2 s, and its one reply.
      BOOST_TEST(lan.To(i) == 198 + 1);
    }
  }
  Simulator::Destroy();
}

BOOST_AUTO_TEST_SUITE_END()
