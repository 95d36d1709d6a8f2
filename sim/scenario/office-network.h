#ifndef ALGLAB_SCENARIO_OFFICE_NETWORK_H
#define ALGLAB_SCENARIO_OFFICE_NETWORK_H

// The physical network every scenario runs on:
//
//   phones ─┐                                         ┌─ provider   198.51.100.2; its inbound
//   phones ─┼─ switch ─ router ══ WAN ══ internet core ┤  proxies .65 up, media server .129
//   on-prem PBX ┘  (10.0.0.0/16)  203.0.113.1   .2     └─ hosted PBX 192.0.2.10
//
// LAN links are full-duplex Ethernet cables (EthernetLinkChannel) into a LearningSwitch, one
// per device, as on a switched LAN: a frame is seen only by the switch and its destination, each
// direction of a cable has its own transmitter and queue, and the cable's delay never limits
// throughput. The router, the handsets and an on-prem PBX know each other's MAC addresses
// (static ARP), so no broadcast floods every port. WAN and internet links are point-to-point.
// The internet core has no route to private addresses, as on the real internet: anything the
// NAT fails to translate dies there.

#include "sim/scenario/link-outage-error-model.h"
#include "sim/scenario/scenario-spec.h"

#include <ns3/ipv4-address.h>
#include <ns3/net-device-container.h>
#include <ns3/node-container.h>
#include <ns3/ptr.h>

#include <map>
#include <string>
#include <vector>

namespace ns3 {
class Node;
class Ipv4RoutingHelper;
}  // namespace ns3

namespace alglab::scenario {

struct OfficeNetwork {
  ns3::Ptr<ns3::Node> router;
  ns3::Ptr<ns3::Node> core;
  ns3::Ptr<ns3::Node> provider;
  ns3::Ptr<ns3::Node> pbx;       ///< on the LAN or on the internet, by placement
  ns3::Ptr<ns3::Node> lanSwitch;  ///< carries the LearningSwitch as an aggregated object
  std::vector<ns3::Ptr<ns3::Node>> phones;

  ns3::Ipv4Address routerLan;
  ns3::Ipv4Address routerWan;
  ns3::Ipv4Address providerAddress;
  std::vector<ns3::Ipv4Address> providerProxyAddresses;  ///< its inbound proxies, if any
  ns3::Ipv4Address providerMediaAddress = ns3::Ipv4Address::GetAny();  ///< its media server, if any
  /// The ends of the links the timeline takes down and up (`link: {link: NAME, ...}`), by
  /// name: "wan" (router, internet; always present), "phone-EXT" and "pbx" (host and switch
  /// port of that LAN cable, only when the timeline names it: a LAN port without an outage
  /// model costs nothing per frame).
  std::map<std::string, std::vector<ns3::Ptr<LinkOutageErrorModel>>> linkOutages;
  ns3::Ipv4Address pbxAddress;
  std::vector<ns3::Ipv4Address> phoneAddresses;
  std::uint32_t routerWanInterface = 0;  ///< the router's Ipv4 interface index toward the WAN

  /// Node name for pcap file names and logs: "router", "phone-101", ...
  std::vector<std::pair<ns3::Ptr<ns3::Node>, std::string>> names;
  /// Devices with an IP stack, for one pcap per node interface.
  std::vector<std::pair<ns3::Ptr<ns3::NetDevice>, std::string>> tracedDevices;

  /// Where a link end queues what it sends, named for that direction: "router-wan",
  /// "switch-to-router", "phone-101-lan", "internet-to-router", ... On the LAN the cable end's
  /// ns3::Queue<Packet>; on point-to-point links the FIFO ns3::QueueDisc in front of the device.
  /// Its drops are the network's load losses.
  struct NamedQueue {
    std::string name;
    ns3::Ptr<ns3::Object> queue;
  };
  /// Every transmit queue of every link, in build order.
  std::vector<NamedQueue> queues;
};

/// Builds nodes, links, addresses and static routes. `routerRouting` becomes the router's
/// routing protocol (the NAT decorator); every other node gets static routing.
OfficeNetwork BuildOfficeNetwork(const ScenarioSpec& spec, const ns3::Ipv4RoutingHelper& routerRouting);

/// Writes one pcap per traced device as DIR/<node>-if<interface>.pcap: Ethernet II on the LAN,
/// PPP on point-to-point links.
void EnablePcap(const OfficeNetwork& net, const std::string& dir);

}  // namespace alglab::scenario

#endif
