#include "sim/scenario/office-network.h"

#include "sim/scenario/link-outage-error-model.h"

#include "sim/scenario/ethernet-link-channel.h"
#include "sim/scenario/learning-switch.h"

#include <ns3/arp-cache.h>
#include <ns3/core-module.h>
#include <ns3/drop-tail-queue.h>
#include <ns3/error-model.h>
#include <ns3/ipv4-interface.h>
#include <ns3/ipv4-l3-protocol.h>
#include <ns3/pcap-file-wrapper.h>
#include <ns3/simple-net-device.h>
#include <ns3/trace-helper.h>
#include <ns3/traffic-control-helper.h>
#include <ns3/internet-stack-helper.h>
#include <ns3/ipv4-address-helper.h>
#include <ns3/ipv4-static-routing-helper.h>
#include <ns3/ipv4-static-routing.h>
#include <ns3/ipv4.h>
#include <ns3/point-to-point-helper.h>
#include <ns3/queue-size.h>

#include <set>
#include <variant>

namespace alglab::scenario {

using namespace ns3;

namespace {

const Ipv4Address kLanBase("10.0.0.0");
const Ipv4Mask kLanMask("255.255.0.0");

Ipv4Address LanAddress(std::uint32_t offset) { return Ipv4Address(kLanBase.Get() + offset); }

void AddAddress(Ptr<Node> node, Ptr<NetDevice> dev, Ipv4Address addr, Ipv4Mask mask) {
  Ptr<Ipv4> ipv4 = node->GetObject<Ipv4>();
  int32_t ifIndex = ipv4->GetInterfaceForDevice(dev);
  if (ifIndex < 0) ifIndex = static_cast<int32_t>(ipv4->AddInterface(dev));
  ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(addr, mask));
  ipv4->SetMetric(ifIndex, 1);
  ipv4->SetUp(ifIndex);
}

Ptr<Ipv4StaticRouting> StaticRouting(Ptr<Node> node) {
  Ipv4StaticRoutingHelper helper;
  return helper.GetStaticRouting(node->GetObject<Ipv4>());
}

uint32_t InterfaceOf(Ptr<Node> node, Ptr<NetDevice> dev) {
  return static_cast<uint32_t>(node->GetObject<Ipv4>()->GetInterfaceForDevice(dev));
}

/// Standard Ethernet payload size; IP fragments anything larger, as on a real LAN.
constexpr uint16_t kEthernetMtu = 1500;

/// One end of a LAN cable: its own transmitter at `rate` behind a drop-tail queue of
/// `queuePackets` frames, so the two directions of a cable never wait for each other.
Ptr<SimpleNetDevice> NewLanPort(Ptr<Node> node, const std::string& rate, uint32_t queuePackets) {
  Ptr<SimpleNetDevice> dev = CreateObject<SimpleNetDevice>();
  dev->SetAddress(Mac48Address::Allocate());
  dev->SetMtu(kEthernetMtu);
  dev->SetAttribute("DataRate", DataRateValue(DataRate(rate)));
  Ptr<DropTailQueue<Packet>> queue = CreateObject<DropTailQueue<Packet>>();
  queue->SetMaxSize(QueueSize(QueueSizeUnit::PACKETS, queuePackets));
  dev->SetQueue(queue);
  node->AddDevice(dev);
  return dev;
}

/// Point-to-point devices stop the traffic-control layer when their own queue is full, and
/// without a queue disc ns-3 3.37 then discards the packet without any trace. A FIFO queue disc
/// in front of each end (as Linux has, txqueuelen) makes that loss a queue drop with a trace.
QueueDiscContainer InstallFifo(const NetDeviceContainer& link, uint32_t packets) {
  TrafficControlHelper fifo;
  fifo.SetRootQueueDisc("ns3::FifoQueueDisc", "MaxSize",
                        QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, packets)));
  return fifo.Install(link);
}

/// Linux's default transmit queue length, for the links inside the internet.
constexpr uint32_t kBackboneQueuePackets = 1000;

/// The IPv4 ARP cache of `node`'s interface on `dev`.
Ptr<ArpCache> ArpCacheOf(Ptr<Node> node, Ptr<NetDevice> dev) {
  Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
  return ipv4->GetInterface(InterfaceOf(node, dev))->GetArpCache();
}

/// `node` knows `ip` is at `mac` for good (a static ARP entry).
void AddStaticNeighbour(Ptr<Node> node, Ptr<NetDevice> dev, Ipv4Address ip, Address mac) {
  Ptr<ArpCache> cache = ArpCacheOf(node, dev);
  ArpCache::Entry* entry = cache->Lookup(ip);
  if (!entry) entry = cache->Add(ip);
  entry->SetMacAddress(mac);
  entry->MarkPermanent();
}

/// Pcap sink of one LAN device: its link's sniffer reports both ends, keep this one's frames.
void WriteLanFrame(Ptr<PcapFileWrapper> file, Ptr<const NetDevice> device,
                   Ptr<const NetDevice> from, Ptr<const Packet> frame) {
  if (from == device) file->Write(Simulator::Now(), frame);
}

}  // namespace

OfficeNetwork BuildOfficeNetwork(const ScenarioSpec& spec, const Ipv4RoutingHelper& routerRouting) {
  OfficeNetwork net;
  const bool pbxOnLan = spec.pbx.placement == "on-prem";

  net.router = CreateObject<Node>();
  net.core = CreateObject<Node>();
  net.provider = CreateObject<Node>();
  net.pbx = CreateObject<Node>();
  net.lanSwitch = CreateObject<Node>();
  for (std::size_t i = 0; i < spec.phones.size(); ++i) net.phones.push_back(CreateObject<Node>());

  net.names.emplace_back(net.router, "router");
  net.names.emplace_back(net.core, "internet");
  net.names.emplace_back(net.provider, "provider");
  net.names.emplace_back(net.pbx, "pbx");
  net.names.emplace_back(net.lanSwitch, "switch");
  for (std::size_t i = 0; i < spec.phones.size(); ++i)
    net.names.emplace_back(net.phones[i], "phone-" + spec.phones[i].extension);
  for (const auto& [node, name] : net.names) Names::Add(name, node);

  // IP stacks: the router gets the NAT decorator, everyone else static routing.
  Ipv4StaticRoutingHelper staticRouting;
  InternetStackHelper hostStack;
  hostStack.SetIpv6StackInstall(false);
  hostStack.SetRoutingHelper(staticRouting);
  InternetStackHelper routerStack;
  routerStack.SetIpv6StackInstall(false);
  routerStack.SetRoutingHelper(routerRouting);
  routerStack.Install(net.router);
  hostStack.Install(net.core);
  hostStack.Install(net.provider);
  hostStack.Install(net.pbx);
  for (auto& p : net.phones) hostStack.Install(p);

  // --- LAN: one full-duplex cable per device into a learning switch -------------------------
  Ptr<LearningSwitch> lanSwitch = CreateObject<LearningSwitch>();
  net.lanSwitch->AggregateObject(lanSwitch);  // lives as long as the switch node
  const uint32_t lanQueue = spec.network.lanQueuePackets;
  // LAN cables the timeline takes down get an outage model at both ends.
  std::set<std::string> cablesWithOutages;
  for (const TimelineEvent& ev : spec.timeline) {
    if (const auto* link = std::get_if<LinkAction>(&ev.action); link && link->link != "wan")
      cablesWithOutages.insert(link->link);
  }
  auto attachToSwitch = [&](Ptr<Node> host, const std::string& name) {
    Ptr<EthernetLinkChannel> cable = CreateObject<EthernetLinkChannel>();
    cable->SetAttribute("Delay", TimeValue(ns3::Seconds(spec.network.lanDelay)));
    Ptr<SimpleNetDevice> hostPort = NewLanPort(host, spec.network.lanRate, lanQueue);
    Ptr<SimpleNetDevice> switchPort = NewLanPort(net.lanSwitch, spec.network.lanRate, lanQueue);
    hostPort->SetChannel(cable);
    switchPort->SetChannel(cable);
    lanSwitch->AddPort(switchPort);
    if (cablesWithOutages.count(name) != 0) {
      for (const Ptr<SimpleNetDevice>& end : {hostPort, switchPort}) {
        Ptr<LinkOutageErrorModel> outage = CreateObject<LinkOutageErrorModel>();
        end->SetAttribute("ReceiveErrorModel", PointerValue(outage));
        net.linkOutages[name].push_back(outage);
      }
    }
    net.tracedDevices.emplace_back(hostPort, name);
    net.queues.push_back({name + "-lan", hostPort->GetQueue()});
    net.queues.push_back({"switch-to-" + name, switchPort->GetQueue()});
    return Ptr<NetDevice>(hostPort);
  };
  Ptr<NetDevice> routerLanDev = attachToSwitch(net.router, "router");
  std::vector<Ptr<NetDevice>> phoneDevs;
  for (std::size_t i = 0; i < net.phones.size(); ++i)
    phoneDevs.push_back(attachToSwitch(net.phones[i], "phone-" + spec.phones[i].extension));
  Ptr<NetDevice> pbxLanDev;
  if (pbxOnLan) pbxLanDev = attachToSwitch(net.pbx, "pbx");
  // --- WAN and internet: point-to-point ------------------------------------------------------
  PointToPointHelper wan;
  wan.SetDeviceAttribute("DataRate", StringValue(spec.network.wanRate));
  wan.SetDeviceAttribute("Mtu", UintegerValue(spec.network.wanMtu));
  wan.SetChannelAttribute("Delay", TimeValue(ns3::Seconds(spec.network.wanDelay)));
  NetDeviceContainer wanLink = wan.Install(net.router, net.core);
  QueueDiscContainer wanQueues = InstallFifo(wanLink, spec.network.wanQueuePackets);
  net.queues.push_back({"router-wan", wanQueues.Get(0)});
  net.queues.push_back({"internet-to-router", wanQueues.Get(1)});
  net.tracedDevices.emplace_back(wanLink.Get(0), "router");
  net.tracedDevices.emplace_back(wanLink.Get(1), "internet");
  for (uint32_t i = 0; i < 2; ++i) {
    Ptr<LinkOutageErrorModel> outage = CreateObject<LinkOutageErrorModel>();
    if (spec.network.wanLoss > 0) {
      Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
      em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
      em->SetRate(spec.network.wanLoss);
      outage->SetInner(em);
    }
    wanLink.Get(i)->SetAttribute("ReceiveErrorModel", PointerValue(outage));
    net.linkOutages["wan"].push_back(outage);
  }

  PointToPointHelper backbone;
  backbone.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
  backbone.SetChannelAttribute("Delay", TimeValue(ns3::Seconds(spec.network.providerDelay)));
  NetDeviceContainer providerLink = backbone.Install(net.core, net.provider);
  net.tracedDevices.emplace_back(providerLink.Get(0), "internet");
  net.tracedDevices.emplace_back(providerLink.Get(1), "provider");
  QueueDiscContainer providerQueues = InstallFifo(providerLink, kBackboneQueuePackets);
  net.queues.push_back({"internet-to-provider", providerQueues.Get(0)});
  net.queues.push_back({"provider-uplink", providerQueues.Get(1)});
  NetDeviceContainer hostedLink;
  if (!pbxOnLan) {
    hostedLink = backbone.Install(net.core, net.pbx);
    net.tracedDevices.emplace_back(hostedLink.Get(0), "internet");
    net.tracedDevices.emplace_back(hostedLink.Get(1), "pbx");
    QueueDiscContainer hostedQueues = InstallFifo(hostedLink, kBackboneQueuePackets);
    net.queues.push_back({"internet-to-pbx", hostedQueues.Get(0)});
    net.queues.push_back({"pbx-uplink", hostedQueues.Get(1)});
  }

  // --- Addresses -----------------------------------------------------------------------------
  net.routerLan = LanAddress(1);
  AddAddress(net.router, routerLanDev, net.routerLan, kLanMask);
  for (std::size_t i = 0; i < net.phones.size(); ++i) {
    // Phones from 10.0.1.10 upward: room for thousands of handsets in the /16.
    net.phoneAddresses.push_back(LanAddress(256 + 10 + static_cast<uint32_t>(i)));
    AddAddress(net.phones[i], phoneDevs[i], net.phoneAddresses[i], kLanMask);
  }
  const Ipv4Mask p2pMask("255.255.255.252");
  net.routerWan = Ipv4Address("203.0.113.1");
  AddAddress(net.router, wanLink.Get(0), net.routerWan, p2pMask);
  AddAddress(net.core, wanLink.Get(1), Ipv4Address("203.0.113.2"), p2pMask);
  AddAddress(net.core, providerLink.Get(0), Ipv4Address("198.51.100.1"), p2pMask);
  net.providerAddress = Ipv4Address("198.51.100.2");
  AddAddress(net.provider, providerLink.Get(1), net.providerAddress, p2pMask);
  // The provider's other hosts share its one link: more addresses on it, each reached from the
  // core through the provider's link address. The provider takes them in the order added:
  // first the inbound proxies (provider.inbound_proxies, from 198.51.100.65), then the media
  // server (provider.media_server, 198.51.100.129).
  auto addProviderHost = [&](Ipv4Address address) {
    AddAddress(net.provider, providerLink.Get(1), address, Ipv4Mask("255.255.255.255"));
    StaticRouting(net.core)->AddHostRouteTo(address, net.providerAddress, InterfaceOf(net.core, providerLink.Get(0)));
  };
  std::uint32_t proxies = 0;
  if (const std::string* n = FindKnobValue(spec.provider.knobs, "InboundProxies")) proxies = static_cast<std::uint32_t>(std::stoul(*n));
  for (std::uint32_t i = 0; i < proxies; ++i) {
    net.providerProxyAddresses.push_back(Ipv4Address(Ipv4Address("198.51.100.65").Get() + i));
    addProviderHost(net.providerProxyAddresses.back());
  }
  if (const std::string* on = FindKnobValue(spec.provider.knobs, "MediaServer"); on && *on == "true") {
    net.providerMediaAddress = Ipv4Address("198.51.100.129");
    addProviderHost(net.providerMediaAddress);
  }
  if (pbxOnLan) {
    net.pbxAddress = LanAddress(2);
    AddAddress(net.pbx, pbxLanDev, net.pbxAddress, kLanMask);
  } else {
    AddAddress(net.core, hostedLink.Get(0), Ipv4Address("192.0.2.9"), p2pMask);
    net.pbxAddress = Ipv4Address("192.0.2.10");
    AddAddress(net.pbx, hostedLink.Get(1), net.pbxAddress, p2pMask);
  }
  net.routerWanInterface = InterfaceOf(net.router, wanLink.Get(0));

  // --- Routes: hosts default to their gateway; the core knows only public prefixes. ---------
  for (std::size_t i = 0; i < net.phones.size(); ++i)
    StaticRouting(net.phones[i])->SetDefaultRoute(net.routerLan, InterfaceOf(net.phones[i], phoneDevs[i]));
  if (pbxOnLan) {
    StaticRouting(net.pbx)->SetDefaultRoute(net.routerLan, InterfaceOf(net.pbx, pbxLanDev));
  } else {
    StaticRouting(net.pbx)->SetDefaultRoute(Ipv4Address("192.0.2.9"), InterfaceOf(net.pbx, hostedLink.Get(1)));
  }
  StaticRouting(net.provider)->SetDefaultRoute(Ipv4Address("198.51.100.1"), InterfaceOf(net.provider, providerLink.Get(1)));

  // --- Neighbours: the gateway and the PBX are static ARP entries -----------------------------
  // A switch floods every ARP broadcast to all its ports, so with dynamic ARP each handset
  // refreshing its gateway entry (and the gateway refreshing each handset's) costs one frame
  // per port: handsets squared. The LAN's fixed hosts know each other from the start instead;
  // anything else still resolves through ordinary ARP.
  const Address routerMac = routerLanDev->GetAddress();
  for (std::size_t i = 0; i < net.phones.size(); ++i) {
    AddStaticNeighbour(net.phones[i], phoneDevs[i], net.routerLan, routerMac);
    AddStaticNeighbour(net.router, routerLanDev, net.phoneAddresses[i], phoneDevs[i]->GetAddress());
    if (pbxOnLan) {
      AddStaticNeighbour(net.phones[i], phoneDevs[i], net.pbxAddress, pbxLanDev->GetAddress());
      AddStaticNeighbour(net.pbx, pbxLanDev, net.phoneAddresses[i], phoneDevs[i]->GetAddress());
    }
  }
  if (pbxOnLan) {
    AddStaticNeighbour(net.pbx, pbxLanDev, net.routerLan, routerMac);
    AddStaticNeighbour(net.router, routerLanDev, net.pbxAddress, pbxLanDev->GetAddress());
  }
  return net;
}

void EnablePcap(const OfficeNetwork& net, const std::string& dir) {
  PcapHelper pcap;
  PointToPointHelper p2p;
  for (const auto& [dev, name] : net.tracedDevices) {
    Ptr<Node> node = dev->GetNode();
    const int32_t ifIndex = node->GetObject<Ipv4>()->GetInterfaceForDevice(dev);
    const std::string file = dir + "/" + name + "-if" + std::to_string(ifIndex) + ".pcap";
    if (Ptr<EthernetLinkChannel> cable = DynamicCast<EthernetLinkChannel>(dev->GetChannel())) {
      Ptr<PcapFileWrapper> out = pcap.CreateFile(file, std::ios::out, PcapHelper::DLT_EN10MB);
      cable->TraceConnectWithoutContext(
          "Sniffer", MakeBoundCallback(&WriteLanFrame, out, Ptr<const NetDevice>(dev)));
    } else {
      p2p.EnablePcap(file, dev, false, true);
    }
  }
}

}  // namespace alglab::scenario
