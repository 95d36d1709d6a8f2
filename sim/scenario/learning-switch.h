#ifndef ALGLAB_SCENARIO_LEARNING_SWITCH_H
#define ALGLAB_SCENARIO_LEARNING_SWITCH_H

// The office's Ethernet switch: a learning bridge over any number of ports whose cost per frame
// does not depend on the number of ports.
//
// Why not ns3::BridgeNetDevice: it registers one protocol handler per port on its node, and
// ns3::Node walks the whole handler list for every frame any port receives, so with one port
// per handset each frame costs the number of handsets, and the office handsets squared. Here
// each port's promiscuous receive callback leads straight to its port number, and forwarding
// is one hash lookup: learned unicast goes out of its one port, broadcast, multicast and
// unknown unicast are flooded to every other port (as a real switch does).
//
// Learning follows IEEE 802.1D: the source address of every frame is (re)learned on its
// port, and an entry not refreshed for ExpirationTime is forgotten (default 300 s, as the
// standard's ageing time and ns-3's bridge).

#include <ns3/mac48-address.h>
#include <ns3/net-device.h>
#include <ns3/nstime.h>
#include <ns3/object.h>
#include <ns3/ptr.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace alglab::scenario {

class LearningSwitch : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId();
  LearningSwitch();

  /// Makes `port` (a device that supports SendFrom, already on the switch's node) a port of
  /// this switch: every frame it receives is forwarded by this switch.
  void AddPort(ns3::Ptr<ns3::NetDevice> port);
  std::size_t GetNPorts() const { return m_ports.size(); }

  struct Counters {
    std::uint64_t forwarded = 0;  ///< frames sent out of exactly one port
    std::uint64_t flooded = 0;    ///< frames sent out of every other port
    std::uint64_t filtered = 0;   ///< frames whose destination is on the port they came from
  };
  const Counters& GetCounters() const { return m_counters; }

 protected:
  void DoDispose() override;

 private:
  struct Learned {
    std::size_t port = 0;
    ns3::Time expires;
  };

  bool Receive(std::size_t port, ns3::Ptr<ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> packet,
               std::uint16_t protocol, const ns3::Address& from, const ns3::Address& to,
               ns3::NetDevice::PacketType type);
  void Flood(std::size_t inPort, ns3::Ptr<const ns3::Packet> packet, std::uint16_t protocol,
             const ns3::Address& from, const ns3::Address& to);
  static std::uint64_t Key(const ns3::Mac48Address& mac);

  ns3::Time m_expirationTime;
  std::vector<ns3::Ptr<ns3::NetDevice>> m_ports;
  std::unordered_map<std::uint64_t, Learned> m_table;  ///< by MAC address as a 48-bit number
  Counters m_counters;
};

}  // namespace alglab::scenario

#endif
