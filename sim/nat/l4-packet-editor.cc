#include "sim/nat/l4-packet-editor.h"

#include "ns3/tcp-option-sack.h"

namespace alglab::nat {

namespace {
constexpr std::uint32_t kUdpHeaderSize = 8;
constexpr std::uint32_t kTcpMinHeaderSize = 20;
constexpr std::uint32_t kTcpDataOffsetByte = 12;
}  // namespace

L4OpenStatus L4PacketEditor::Open(ns3::Ptr<const ns3::Packet> packet, const ns3::Ipv4Header& ip) {
  const std::uint8_t proto = ip.GetProtocol();
  if (proto != static_cast<std::uint8_t>(L4Protocol::Udp) &&
      proto != static_cast<std::uint8_t>(L4Protocol::Tcp)) {
    return L4OpenStatus::UnsupportedProtocol;
  }
  if (ip.GetFragmentOffset() != 0 || !ip.IsLastFragment()) return L4OpenStatus::Fragment;
  m_protocol = static_cast<L4Protocol>(proto);
  const std::uint32_t size = packet->GetSize();

  if (m_protocol == L4Protocol::Udp) {
    if (size < kUdpHeaderSize) return L4OpenStatus::Malformed;
    m_packet = packet->Copy();
    ns3::UdpHeader udp;
    m_packet->RemoveHeader(udp);
    m_sourcePort = udp.GetSourcePort();
    m_destinationPort = udp.GetDestinationPort();
    return L4OpenStatus::Ok;
  }

  // TCP: validate the data offset before ns-3 deserialises options past the end of the packet.
  if (size < kTcpMinHeaderSize) return L4OpenStatus::Malformed;
  std::uint8_t head[kTcpDataOffsetByte + 1];
  packet->CopyData(head, sizeof head);
  const std::uint32_t headerLength = static_cast<std::uint32_t>(head[kTcpDataOffsetByte] >> 4) * 4;
  if (headerLength < kTcpMinHeaderSize || headerLength > size) return L4OpenStatus::Malformed;
  m_packet = packet->Copy();
  m_packet->RemoveHeader(m_tcp);
  m_sourcePort = m_tcp.GetSourcePort();
  m_destinationPort = m_tcp.GetDestinationPort();
  return L4OpenStatus::Ok;
}

std::uint8_t L4PacketEditor::TcpFlags() const {
  return m_protocol == L4Protocol::Tcp ? m_tcp.GetFlags() : 0;
}

std::uint32_t L4PacketEditor::TcpSequence() const {
  return m_protocol == L4Protocol::Tcp ? m_tcp.GetSequenceNumber().GetValue() : 0;
}

void L4PacketEditor::SetTcpSequence(std::uint32_t sequence) {
  if (m_protocol == L4Protocol::Tcp) m_tcp.SetSequenceNumber(ns3::SequenceNumber32(sequence));
}

void L4PacketEditor::ApplySequenceAdjust(const TcpSequenceAdjust& adjust, Direction direction) {
  if (m_protocol != L4Protocol::Tcp) return;
  m_tcp.SetSequenceNumber(
      ns3::SequenceNumber32(adjust.Sequence(direction, m_tcp.GetSequenceNumber().GetValue())));
  if ((m_tcp.GetFlags() & ns3::TcpHeader::ACK) == 0) return;
  m_tcp.SetAckNumber(
      ns3::SequenceNumber32(adjust.Acknowledgement(direction, m_tcp.GetAckNumber().GetValue())));
  if (!m_tcp.HasOption(ns3::TcpOption::SACK)) return;
  // SACK edges acknowledge the other direction's bytes, like the ACK number. ns-3's TcpHeader
  // cannot edit an option in place, so the header is rebuilt with the options in their order.
  ns3::TcpHeader rebuilt;
  rebuilt.SetSourcePort(m_tcp.GetSourcePort());
  rebuilt.SetDestinationPort(m_tcp.GetDestinationPort());
  rebuilt.SetSequenceNumber(m_tcp.GetSequenceNumber());
  rebuilt.SetAckNumber(m_tcp.GetAckNumber());
  rebuilt.SetFlags(m_tcp.GetFlags());
  rebuilt.SetWindowSize(m_tcp.GetWindowSize());
  rebuilt.SetUrgentPointer(m_tcp.GetUrgentPointer());
  for (const ns3::Ptr<const ns3::TcpOption>& option : m_tcp.GetOptionList()) {
    const auto sack = ns3::DynamicCast<const ns3::TcpOptionSack>(option);
    if (sack == nullptr) {
      rebuilt.AppendOption(option);
      continue;
    }
    auto shifted = ns3::Create<ns3::TcpOptionSack>();
    for (const ns3::TcpOptionSack::SackBlock& block : sack->GetSackList()) {
      shifted->AddSackBlock(
          {ns3::SequenceNumber32(adjust.Acknowledgement(direction, block.first.GetValue())),
           ns3::SequenceNumber32(adjust.Acknowledgement(direction, block.second.GetValue()))});
    }
    rebuilt.AppendOption(shifted);
  }
  m_tcp = rebuilt;
}

void L4PacketEditor::CopyPayload(std::string& out) const {
  out.resize(m_packet->GetSize());
  if (!out.empty()) {
    m_packet->CopyData(reinterpret_cast<std::uint8_t*>(out.data()),
                       static_cast<std::uint32_t>(out.size()));
  }
}

void L4PacketEditor::ReplacePayload(const std::string& bytes) {
  // Trim and append instead of building a new Packet: packet tags (flow ids, socket tags)
  // belong to the Packet object and survive this way.
  m_packet->RemoveAtEnd(m_packet->GetSize());
  if (!bytes.empty()) {
    m_packet->AddAtEnd(ns3::Create<ns3::Packet>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                static_cast<std::uint32_t>(bytes.size())));
  }
}

ns3::Ptr<ns3::Packet> L4PacketEditor::Close(std::uint16_t sourcePort,
                                            std::uint16_t destinationPort,
                                            ns3::Ipv4Address source,
                                            ns3::Ipv4Address destination, bool checksums) {
  if (m_protocol == L4Protocol::Udp) {
    ns3::UdpHeader udp;
    udp.SetSourcePort(sourcePort);
    udp.SetDestinationPort(destinationPort);
    if (checksums) {
      udp.EnableChecksums();
      udp.InitializeChecksum(source, destination, static_cast<std::uint8_t>(L4Protocol::Udp));
    }
    m_packet->AddHeader(udp);
  } else {
    m_tcp.SetSourcePort(sourcePort);
    m_tcp.SetDestinationPort(destinationPort);
    if (checksums) {
      m_tcp.EnableChecksums();
      m_tcp.InitializeChecksum(source, destination, static_cast<std::uint8_t>(L4Protocol::Tcp));
    }
    m_packet->AddHeader(m_tcp);
  }
  ns3::Ptr<ns3::Packet> done = m_packet;
  m_packet = nullptr;
  return done;
}

}  // namespace alglab::nat
