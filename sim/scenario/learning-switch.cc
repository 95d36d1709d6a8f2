#include "sim/scenario/learning-switch.h"

#include <ns3/log.h>
#include <ns3/packet.h>
#include <ns3/simulator.h>

NS_LOG_COMPONENT_DEFINE("AlglabLearningSwitch");

namespace alglab::scenario {

NS_OBJECT_ENSURE_REGISTERED(LearningSwitch);

ns3::TypeId LearningSwitch::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::LearningSwitch")
          .SetParent<ns3::Object>()
          .SetGroupName("Alglab")
          .AddConstructor<LearningSwitch>()
          .AddAttribute("ExpirationTime", "How long a learned address stays without a frame from it.",
                        ns3::TimeValue(ns3::Seconds(300)),
                        ns3::MakeTimeAccessor(&LearningSwitch::m_expirationTime),
                        ns3::MakeTimeChecker(ns3::Time(0)));
  return tid;
}

LearningSwitch::LearningSwitch() = default;

void LearningSwitch::DoDispose() {
  for (auto& port : m_ports) {
    port->SetPromiscReceiveCallback(ns3::NetDevice::PromiscReceiveCallback());
  }
  m_ports.clear();
  m_table.clear();
  ns3::Object::DoDispose();
}

void LearningSwitch::AddPort(ns3::Ptr<ns3::NetDevice> port) {
  NS_ABORT_MSG_UNLESS(port->SupportsSendFrom(), "LearningSwitch: a port must support SendFrom");
  const std::size_t index = m_ports.size();
  m_ports.push_back(port);
  // Bound to its port number: no search over ports or handlers when a frame arrives.
  port->SetPromiscReceiveCallback(ns3::MakeCallback(&LearningSwitch::Receive, this).Bind(index));
}

std::uint64_t LearningSwitch::Key(const ns3::Mac48Address& mac) {
  std::uint8_t bytes[6];
  mac.CopyTo(bytes);
  std::uint64_t key = 0;
  for (std::uint8_t b : bytes) {
    key = (key << 8) | b;
  }
  return key;
}

bool LearningSwitch::Receive(std::size_t port, ns3::Ptr<ns3::NetDevice>,
                             ns3::Ptr<const ns3::Packet> packet, std::uint16_t protocol,
                             const ns3::Address& from, const ns3::Address& to,
                             ns3::NetDevice::PacketType) {
  const ns3::Time now = ns3::Simulator::Now();
  const ns3::Mac48Address source = ns3::Mac48Address::ConvertFrom(from);
  const ns3::Mac48Address destination = ns3::Mac48Address::ConvertFrom(to);
  m_table[Key(source)] = Learned{port, now + m_expirationTime};

  if (destination.IsGroup()) {  // broadcast or multicast
    Flood(port, packet, protocol, from, to);
    return true;
  }
  auto it = m_table.find(Key(destination));
  if (it == m_table.end() || it->second.expires <= now) {
    if (it != m_table.end()) {
      m_table.erase(it);
    }
    Flood(port, packet, protocol, from, to);
    return true;
  }
  if (it->second.port == port) {
    ++m_counters.filtered;  // already on that segment
    return true;
  }
  ++m_counters.forwarded;
  m_ports[it->second.port]->SendFrom(packet->Copy(), from, to, protocol);
  return true;
}

void LearningSwitch::Flood(std::size_t inPort, ns3::Ptr<const ns3::Packet> packet,
                           std::uint16_t protocol, const ns3::Address& from,
                           const ns3::Address& to) {
  ++m_counters.flooded;
  for (std::size_t p = 0; p < m_ports.size(); ++p) {
    if (p != inPort) {
      m_ports[p]->SendFrom(packet->Copy(), from, to, protocol);
    }
  }
}

}  // namespace alglab::scenario
