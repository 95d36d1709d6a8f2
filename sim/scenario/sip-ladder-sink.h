#ifndef ALGLAB_SCENARIO_SIP_LADDER_SINK_H
#define ALGLAB_SCENARIO_SIP_LADDER_SINK_H

// Feeds probes::SipLadder from a built office network: the router's LAN cable ("Sniffer", the
// Ethernet frames its LAN pcap holds), its WAN device ("PromiscSniffer", the PPP frames of its
// WAN pcap) and its "AlgMessage" trace. Only SIP over UDP and TCP is kept; IP fragments after
// the first are skipped (the first one carries the start of the message).

#include "probes/sip-ladder.h"
#include "sim/nat/nat-router.h"
#include "sim/scenario/office-network.h"

#include <ns3/mac48-address.h>
#include <ns3/net-device.h>
#include <ns3/packet.h>
#include <ns3/ptr.h>

#include <string>

namespace alglab::scenario {

class SipLadderSink {
 public:
  /// Connects to `net`'s router devices and `router`'s ALG trace. `ladder` must outlive the
  /// simulation's run.
  SipLadderSink(probes::SipLadder& ladder, const OfficeNetwork& net, ns3::Ptr<nat::NatRoutingProtocol> router);

 private:
  void OnLanFrame(ns3::Ptr<const ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> frame);
  void OnWanFrame(ns3::Ptr<const ns3::Packet> frame);
  void OnAlgMessage(nat::Direction direction, alg::VerdictKind verdict, const std::string& before,
                    const std::string& after, const std::string& reason, const std::string& mechanisms);
  /// The IPv4 packet at `offset` of `frame` (`head`: the frame's first bytes): hands its SIP
  /// payload, if any, to the ladder.
  void OnIpv4(probes::LadderSide side, bool received, ns3::Ptr<const ns3::Packet> frame, const std::string& head,
              std::size_t offset);

  probes::SipLadder& m_ladder;
  ns3::Ptr<const ns3::NetDevice> m_lanDevice;
  ns3::Mac48Address m_lanMac;
  ns3::Ipv4Address m_wanAddress;
};

}  // namespace alglab::scenario

#endif
