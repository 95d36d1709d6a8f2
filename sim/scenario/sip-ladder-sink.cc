#include "sim/scenario/sip-ladder-sink.h"

#include <ns3/callback.h>
#include <ns3/channel.h>
#include <ns3/ipv4-address.h>
#include <ns3/simulator.h>

#include <algorithm>
#include <stdexcept>

namespace alglab::scenario {

namespace {

constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kPppHeader = 2;
/// Link, IPv4 (with options) and TCP headers and the payload's first byte fit in this.
constexpr std::size_t kHeadBytes = 14 + 60 + 60 + 1;

std::uint32_t Be16(const std::string& b, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 8) |
         static_cast<unsigned char>(b[at + 1]);
}

std::string AddressText(const std::string& b, std::size_t at) {
  std::string out;
  for (std::size_t i = 0; i < 4; ++i)
    out += (i ? "." : "") + std::to_string(static_cast<unsigned char>(b[at + i]));
  return out;
}

/// The first `limit` bytes of `packet` (all of it by default): most frames are RTP, and the
/// headers alone tell them apart.
std::string Bytes(ns3::Ptr<const ns3::Packet> packet, std::size_t limit = std::string::npos) {
  std::string bytes(std::min<std::size_t>(packet->GetSize(), limit), '\0');
  packet->CopyData(reinterpret_cast<std::uint8_t*>(bytes.data()), bytes.size());
  return bytes;
}

}  // namespace

SipLadderSink::SipLadderSink(probes::SipLadder& ladder, const OfficeNetwork& net,
                             ns3::Ptr<nat::NatRoutingProtocol> router)
    : m_ladder(ladder), m_wanAddress(net.routerWan) {
  bool lan = false, wan = false;
  for (const auto& [device, name] : net.tracedDevices) {
    if (device->GetNode() != net.router) continue;
    if (device->GetChannel() && device->GetChannel()->GetInstanceTypeId().GetName().find("EthernetLinkChannel") !=
                                    std::string::npos) {
      m_lanDevice = device;
      m_lanMac = ns3::Mac48Address::ConvertFrom(device->GetAddress());
      device->GetChannel()->TraceConnectWithoutContext("Sniffer", ns3::MakeCallback(&SipLadderSink::OnLanFrame, this));
      lan = true;
    } else {
      device->TraceConnectWithoutContext("PromiscSniffer", ns3::MakeCallback(&SipLadderSink::OnWanFrame, this));
      wan = true;
    }
  }
  if (!lan || !wan) throw std::logic_error("SipLadderSink: the router has no LAN cable or no WAN device");
  router->TraceConnectWithoutContext("AlgMessage", ns3::MakeCallback(&SipLadderSink::OnAlgMessage, this));
}

void SipLadderSink::OnLanFrame(ns3::Ptr<const ns3::NetDevice> device, ns3::Ptr<const ns3::Packet> frame) {
  if (device != m_lanDevice) return;
  const std::string bytes = Bytes(frame, kHeadBytes);
  if (bytes.size() < kEthernetHeader + 20 || Be16(bytes, 12) != 0x0800) return;
  std::uint8_t source[6];
  m_lanMac.CopyTo(source);
  const bool sent = bytes.compare(6, 6, reinterpret_cast<const char*>(source), 6) == 0;
  OnIpv4(probes::LadderSide::Lan, !sent, frame, bytes, kEthernetHeader);
}

void SipLadderSink::OnWanFrame(ns3::Ptr<const ns3::Packet> frame) {
  const std::string bytes = Bytes(frame, kHeadBytes);
  if (bytes.size() < kPppHeader + 20 || Be16(bytes, 0) != 0x0021) return;
  std::uint8_t wan[4];
  m_wanAddress.Serialize(wan);
  const bool sent = bytes.compare(kPppHeader + 12, 4, reinterpret_cast<const char*>(wan), 4) == 0;
  OnIpv4(probes::LadderSide::Wan, !sent, frame, bytes, kPppHeader);
}

void SipLadderSink::OnIpv4(probes::LadderSide side, bool received, ns3::Ptr<const ns3::Packet> frame,
                           const std::string& head, std::size_t at) {
  const std::string& bytes = head;
  const auto ihl = static_cast<std::size_t>(static_cast<unsigned char>(bytes[at]) & 0x0f) * 4;
  const std::size_t total = Be16(bytes, at + 2);
  const bool ipv4 = (static_cast<unsigned char>(bytes[at]) >> 4) == 4;
  if (!ipv4 || ihl < 20 || total < ihl || at + total > frame->GetSize()) return;
  if ((Be16(bytes, at + 6) & 0x1fff) != 0) return;  // a later fragment: no transport header
  const int protocol = static_cast<unsigned char>(bytes[at + 9]);
  const std::size_t l4 = at + ihl;
  const std::size_t end = at + total;
  std::size_t payload = 0;
  std::string transport;
  if (protocol == 17 && end >= l4 + 8) {
    payload = l4 + 8;
    transport = "udp";
  } else if (protocol == 6 && end >= l4 + 20 && l4 + 13 <= bytes.size()) {
    payload = l4 + static_cast<std::size_t>(static_cast<unsigned char>(bytes[l4 + 12]) >> 4) * 4;
    transport = "tcp";
    if (payload > end) return;
  } else {
    return;
  }
  if (end - payload < 12 || payload >= bytes.size()) return;
  const char first = bytes[payload];
  if (first < 'A' || first > 'Z') return;  // RTP, CRLF keepalives, TLS: not a SIP start line
  const std::string whole = Bytes(frame);
  m_ladder.OnSighting(ns3::Simulator::Now().GetSeconds(), side, received,
                      AddressText(bytes, at + 12) + ":" + std::to_string(Be16(bytes, l4)),
                      AddressText(bytes, at + 16) + ":" + std::to_string(Be16(bytes, l4 + 2)), transport,
                      whole.substr(payload, end - payload));
}

void SipLadderSink::OnAlgMessage(nat::Direction, alg::VerdictKind verdict, const std::string& before,
                                 const std::string& after, const std::string& reason, const std::string& mechanisms) {
  const char* what = verdict == alg::VerdictKind::Drop     ? "dropped"
                     : verdict == alg::VerdictKind::Stolen ? "stolen"
                                                           : "rewrote";
  m_ladder.OnAlgMessage(what, before, after, reason, mechanisms);
}

}  // namespace alglab::scenario
