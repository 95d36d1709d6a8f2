#ifndef ALGLAB_SCENARIO_ETHERNET_LINK_CHANNEL_H
#define ALGLAB_SCENARIO_ETHERNET_LINK_CHANNEL_H

// A full-duplex Ethernet cable between exactly two ns-3 SimpleNetDevices, as between a host and
// a switch port.
//
// Why not CSMA: ns-3's CsmaChannel is a half-duplex bus that stays busy for the whole
// propagation delay of every frame, so a 0.5 ms cable carries at most about 1,500 frames/s in
// both directions together, whatever its data rate. A switched LAN has no such limit: each
// direction of a cable is its own wire. Here each SimpleNetDevice serialises its own frames at
// its DataRate through its own TxQueue (so the two directions never wait for each other), and
// the channel only adds the propagation delay. Latency never limits throughput.
//
// SimpleNetDevice carries no link-layer header, so for pcap the channel rebuilds the Ethernet
// II frame each device sent or received (destination, source, EtherType, padding to the 60-byte
// minimum) and hands it to its "Sniffer" trace source. Frames are only built while a sink is
// connected.

#include <ns3/mac48-address.h>
#include <ns3/nstime.h>
#include <ns3/packet.h>
#include <ns3/ptr.h>
#include <ns3/simple-channel.h>
#include <ns3/simple-net-device.h>
#include <ns3/traced-callback.h>

#include <array>

namespace alglab::scenario {

/// Two-device full-duplex link with a propagation delay and an Ethernet pcap trace.
class EthernetLinkChannel : public ns3::SimpleChannel {
 public:
  /// Sniffer signature: the device that sent or received the frame, the Ethernet II frame.
  using SnifferTrace = ns3::TracedCallback<ns3::Ptr<const ns3::NetDevice>, ns3::Ptr<const ns3::Packet>>;

  static ns3::TypeId GetTypeId();
  EthernetLinkChannel();

  /// Attaches one end; a third device is a wiring error (NS_FATAL_ERROR). The propagation
  /// delay (SimpleChannel's "Delay" attribute) is read here, so set it before attaching.
  void Add(ns3::Ptr<ns3::SimpleNetDevice> device) override;
  /// Called by `sender` when a frame has finished serialising: reaches the other end after
  /// the propagation delay.
  void Send(ns3::Ptr<ns3::Packet> packet, std::uint16_t protocol, ns3::Mac48Address to,
            ns3::Mac48Address from, ns3::Ptr<ns3::SimpleNetDevice> sender) override;

 private:
  void Deliver(ns3::Ptr<ns3::SimpleNetDevice> receiver, ns3::Ptr<ns3::Packet> packet,
               std::uint16_t protocol, ns3::Mac48Address to, ns3::Mac48Address from);
  void Sniff(ns3::Ptr<ns3::SimpleNetDevice> device, ns3::Ptr<const ns3::Packet> packet,
             std::uint16_t protocol, ns3::Mac48Address to, ns3::Mac48Address from) const;

  std::array<ns3::Ptr<ns3::SimpleNetDevice>, 2> m_ends;
  std::size_t m_attached = 0;
  ns3::Time m_propagationDelay;
  SnifferTrace m_sniffer;
};

}  // namespace alglab::scenario

#endif
