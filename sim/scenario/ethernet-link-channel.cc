#include "sim/scenario/ethernet-link-channel.h"

#include <ns3/ethernet-header.h>
#include <ns3/log.h>
#include <ns3/node.h>
#include <ns3/simulator.h>

NS_LOG_COMPONENT_DEFINE("AlglabEthernetLinkChannel");

namespace alglab::scenario {

NS_OBJECT_ENSURE_REGISTERED(EthernetLinkChannel);

namespace {
/// Ethernet II minimum frame without the FCS: 14 header bytes + 46 payload bytes.
constexpr std::uint32_t kMinFrameWithoutFcs = 60;
}  // namespace

ns3::TypeId EthernetLinkChannel::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::EthernetLinkChannel")
          .SetParent<ns3::SimpleChannel>()
          .SetGroupName("Alglab")
          .AddConstructor<EthernetLinkChannel>()
          .AddTraceSource("Sniffer",
                          "An Ethernet II frame left or reached one end of the link (device, frame)",
                          ns3::MakeTraceSourceAccessor(&EthernetLinkChannel::m_sniffer),
                          "alglab::EthernetLinkChannel::SnifferTrace");
  return tid;
}

EthernetLinkChannel::EthernetLinkChannel() = default;

void EthernetLinkChannel::Add(ns3::Ptr<ns3::SimpleNetDevice> device) {
  NS_ABORT_MSG_IF(m_attached == m_ends.size(), "EthernetLinkChannel: a cable has two ends");
  if (m_attached == 0) {
    ns3::TimeValue delay;
    GetAttribute("Delay", delay);
    m_propagationDelay = delay.Get();
  }
  m_ends[m_attached++] = device;
  ns3::SimpleChannel::Add(device);  // keeps GetNDevices()/GetDevice() meaningful
}

void EthernetLinkChannel::Send(ns3::Ptr<ns3::Packet> packet, std::uint16_t protocol,
                               ns3::Mac48Address to, ns3::Mac48Address from,
                               ns3::Ptr<ns3::SimpleNetDevice> sender) {
  if (m_attached != m_ends.size()) {
    return;  // an unplugged cable: the frame is lost, as on a real one
  }
  ns3::Ptr<ns3::SimpleNetDevice> receiver = m_ends[0] == sender ? m_ends[1] : m_ends[0];
  if (!m_sniffer.IsEmpty()) {
    Sniff(sender, packet, protocol, to, from);
  }
  ns3::Simulator::ScheduleWithContext(receiver->GetNode()->GetId(), m_propagationDelay,
                                      &EthernetLinkChannel::Deliver, this, receiver, packet,
                                      protocol, to, from);
}

void EthernetLinkChannel::Deliver(ns3::Ptr<ns3::SimpleNetDevice> receiver,
                                  ns3::Ptr<ns3::Packet> packet, std::uint16_t protocol,
                                  ns3::Mac48Address to, ns3::Mac48Address from) {
  if (!m_sniffer.IsEmpty()) {
    Sniff(receiver, packet, protocol, to, from);
  }
  receiver->Receive(packet, protocol, to, from);
}

void EthernetLinkChannel::Sniff(ns3::Ptr<ns3::SimpleNetDevice> device,
                                ns3::Ptr<const ns3::Packet> packet, std::uint16_t protocol,
                                ns3::Mac48Address to, ns3::Mac48Address from) const {
  ns3::Ptr<ns3::Packet> frame = packet->Copy();
  ns3::EthernetHeader header(false);
  header.SetDestination(to);
  header.SetSource(from);
  header.SetLengthType(protocol);
  const std::uint32_t size = frame->GetSize() + header.GetSerializedSize();
  if (size < kMinFrameWithoutFcs) {
    // Zero bytes, as Ethernet pads: ns-3's AddPaddingAtEnd leaves the new bytes as they were
    // in memory, so two runs of one seed wrote different pcaps (short TCP segments, a RST).
    frame->AddAtEnd(ns3::Create<ns3::Packet>(kMinFrameWithoutFcs - size));
  }
  frame->AddHeader(header);
  m_sniffer(device, frame);
}

}  // namespace alglab::scenario
