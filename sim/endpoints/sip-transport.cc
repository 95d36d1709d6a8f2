#include "sim/endpoints/sip-transport.h"

#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/inet-socket-address.h>
#include <ns3/log.h>
#include <ns3/packet.h>
#include <ns3/simulator.h>
#include <ns3/udp-socket-factory.h>

#include <string_view>

NS_LOG_COMPONENT_DEFINE("AlglabSipTransport");

namespace alglab {

SipTransport::~SipTransport() { Close(); }

bool SipTransport::Open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address localIp, std::uint16_t port) {
  Close();
  m_socket = ns3::Socket::CreateSocket(node, ns3::UdpSocketFactory::GetTypeId());
  if (m_socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port)) != 0) {
    NS_LOG_WARN("cannot bind SIP port " << port);
    m_socket->Close();
    m_socket = nullptr;
    return false;
  }
  m_socket->SetRecvCallback(ns3::MakeCallback(&SipTransport::HandleRead, this));
  m_localIp = localIp;
  m_localHost = Ipv4ToString(localIp);
  m_localPort = port;
  return true;
}

void SipTransport::Close() {
  if (m_socket) {
    m_socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
    m_socket->Close();
    m_socket = nullptr;
  }
}

bool SipTransport::SendBytes(const std::string& bytes, const TransportAddress& destination) {
  if (!m_socket || !destination.IsValid()) {
    ++m_counters.unroutable;
    return false;
  }
  auto packet =
      ns3::Create<ns3::Packet>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  m_socket->SendTo(packet, 0, ns3::InetSocketAddress(destination.ip, destination.port));
  return true;
}

bool SipTransport::Send(const sip::SipMessage& message, const TransportAddress& destination) {
  const std::string bytes = message.Serialize();
  NS_LOG_DEBUG(ns3::Simulator::Now().As(ns3::Time::S) << " " << m_localHost << ":" << m_localPort
                                                      << " -> " << destination.ToString() << "\n"
                                                      << bytes);
  if (!SendBytes(bytes, destination)) {
    return false;
  }
  ++m_counters.sent;
  return true;
}

bool SipTransport::SendResponse(const sip::SipMessage& response) {
  auto top = response.TopVia();
  std::optional<TransportAddress> dest;
  if (top) {
    dest = ResponseDestination(*top);
  }
  if (!dest) {
    NS_LOG_WARN("response without a routable top Via dropped");
    ++m_counters.unroutable;
    return false;
  }
  return Send(response, *dest);
}

bool SipTransport::SendKeepalive(const TransportAddress& destination) {
  static const std::string kDoubleCrlf = "\r\n\r\n";
  if (!SendBytes(kDoubleCrlf, destination)) {
    return false;
  }
  ++m_counters.keepalivesSent;
  return true;
}

sip::Via SipTransport::MakeVia(const std::string& branch) const {
  sip::Via via;
  via.transport = "UDP";
  via.host = m_localHost;
  via.port = m_localPort;
  via.params.Set("branch", branch);
  if (m_requestRport) {
    via.params.SetFlag("rport");
  }
  return via;
}

void SipTransport::StampReceived(sip::SipMessage& request, const TransportAddress& source,
                                 bool honourRport) {
  auto top = request.TopVia();
  if (!top) {
    return;
  }
  const std::string sourceHost = Ipv4ToString(source.ip);
  const bool wantsRport = top->params.Has("rport");
  bool changed = false;
  if (top->host != sourceHost || (wantsRport && honourRport)) {
    top->params.Set("received", sourceHost);
    changed = true;
  }
  if (wantsRport && honourRport) {
    top->params.Set("rport", std::to_string(source.port));
    changed = true;
  }
  if (changed) {
    ReplaceTopVia(request, *top);
  }
}

std::optional<TransportAddress> SipTransport::ResponseDestination(const sip::Via& topVia) {
  const auto received = topVia.params.Get("received");
  const std::string host = received && !received->empty() ? *received : topVia.host;
  std::optional<std::uint16_t> port = topVia.port;
  if (auto rport = topVia.params.Get("rport"); rport && !rport->empty()) {
    if (auto value = ParseDecimal(*rport); value && *value > 0 && *value <= 65535) {
      port = static_cast<std::uint16_t>(*value);
    }
  }
  return MakeTransportAddress(host, port, 5060);
}

void SipTransport::HandleRead(ns3::Ptr<ns3::Socket> socket) {
  ns3::Address from;
  while (auto packet = socket->RecvFrom(from)) {
    if (!ns3::InetSocketAddress::IsMatchingType(from)) {
      continue;
    }
    const auto inet = ns3::InetSocketAddress::ConvertFrom(from);
    const TransportAddress source{inet.GetIpv4(), inet.GetPort()};
    const std::uint32_t size = packet->GetSize();
    m_rxBuffer.resize(size);
    if (size > 0) {
      packet->CopyData(m_rxBuffer.data(), size);
    }
    const std::string_view bytes(reinterpret_cast<const char*>(m_rxBuffer.data()), size);
    if (!bytes.empty() && bytes.find_first_not_of("\r\n") == std::string_view::npos) {
      ++m_counters.keepalivesReceived;
      continue;
    }
    auto parsed = sip::ParseMessage(bytes);
    if (!parsed.Ok()) {
      ++m_counters.malformed;
      NS_LOG_WARN("malformed SIP datagram from " << source.ToString() << ": "
                                                 << parsed.Error().ToString());
      continue;
    }
    sip::SipMessage message = std::move(parsed).Value();
    // The typed accessors are what every layer above relies on; a message whose core headers
    // do not parse is as unusable as one that failed to parse at all.
    if (!message.TopVia() || !message.GetCSeq() || !message.CallId() || !message.From() ||
        !message.To()) {
      ++m_counters.malformed;
      NS_LOG_WARN("SIP datagram from " << source.ToString() << " lacks usable core headers");
      continue;
    }
    ++m_counters.received;
    if (message.IsRequest()) {
      StampReceived(message, source, m_honourRport);
    }
    if (m_handler) {
      m_handler(std::move(message), source);
    }
  }
}

}  // namespace alglab
