#include "sim/endpoints/sip-transport.h"

#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/boolean.h>
#include <ns3/callback.h>
#include <ns3/inet-socket-address.h>
#include <ns3/ipv4-header.h>
#include <ns3/ipv4-raw-socket-factory.h>
#include <ns3/ipv4-route.h>
#include <ns3/ipv4-routing-protocol.h>
#include <ns3/ipv4.h>
#include <ns3/log.h>
#include <ns3/packet.h>
#include <ns3/simulator.h>
#include <ns3/tcp-socket-factory.h>
#include <ns3/udp-header.h>
#include <ns3/udp-socket-factory.h>
#include <ns3/uinteger.h>

#include <algorithm>
#include <cctype>
#include <string_view>

NS_LOG_COMPONENT_DEFINE("AlglabSipTransport");

namespace alglab {

namespace {
constexpr std::uint8_t kUdpProtocol = 17;
constexpr std::size_t kIpUdpHeaderBytes = 28;
/// RFC 1191: without news of the path, its MTU is the first hop's (Ethernet: 1500).
constexpr std::uint32_t kAssumedPathMtu = 1500;
/// How many TCP requests' sources are remembered for routing their responses.
constexpr std::size_t kMaxRememberedTcpRequests = 4096;
/// Payload bytes per TCP segment: a 1500-byte Ethernet MTU less IP, TCP and timestamp option
/// (ns-3's default of 536 would cut every INVITE in pieces no real handset sends).
constexpr std::uint32_t kTcpSegmentSize = 1448;

ns3::Ptr<ns3::Socket> CreateTcpSocket(ns3::Ptr<ns3::Node> node) {
  ns3::Ptr<ns3::Socket> socket = ns3::Socket::CreateSocket(node, ns3::TcpSocketFactory::GetTypeId());
  socket->SetAttribute("SegmentSize", ns3::UintegerValue(kTcpSegmentSize));
  return socket;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}
}  // namespace

SipTransport::~SipTransport() { Close(); }

bool SipTransport::Open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address localIp, std::uint16_t port, bool bindToLocalIp) {
  Close();
  const ns3::Ipv4Address bindIp = bindToLocalIp ? localIp : ns3::Ipv4Address::GetAny();
  m_boundIp = bindIp;
  m_socket = OpenUdpSocket(node, bindIp, port);
  if (!m_socket) return false;
  // DF datagrams go out through a raw socket (ns-3's UDP sockets never set DF over IPv4).
  m_rawSocket = ns3::Socket::CreateSocket(node, ns3::Ipv4RawSocketFactory::GetTypeId());
  m_rawSocket->SetAttribute("Protocol", ns3::UintegerValue(static_cast<std::uint16_t>(kUdpProtocol)));
  m_rawSocket->SetAttribute("IpHeaderInclude", ns3::BooleanValue(true));
  m_rawSocket->ShutdownRecv();  // it only sends: the UDP sockets receive
  m_node = node;
  if (m_tcpListen) {
    m_listener = CreateTcpSocket(node);  // accepted connections inherit its attributes
    if (m_listener->Bind(ns3::InetSocketAddress(bindIp, port)) != 0 ||
        m_listener->Listen() != 0) {
      NS_LOG_WARN("cannot listen on TCP port " << port);
      Close();
      return false;
    }
    m_listener->SetAcceptCallback(
        ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
        ns3::MakeCallback(&SipTransport::HandleAccept, this));
  }
  if (m_tlsPort != 0 && m_tlsPort != port) {
    m_tlsListener = CreateTcpSocket(node);
    if (m_tlsListener->Bind(ns3::InetSocketAddress(bindIp, m_tlsPort)) != 0 ||
        m_tlsListener->Listen() != 0) {
      NS_LOG_WARN("cannot listen on TLS port " << m_tlsPort);
      Close();
      return false;
    }
    m_tlsListener->SetAcceptCallback(
        ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
        ns3::MakeCallback(&SipTransport::HandleTlsAccept, this));
  }
  m_localIp = localIp;
  m_localHost = Ipv4ToString(localIp);
  m_localPort = port;
  return true;
}

ns3::Ptr<ns3::Socket> SipTransport::OpenUdpSocket(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address ip, std::uint16_t port) {
  ns3::Ptr<ns3::Socket> socket = ns3::Socket::CreateSocket(node, ns3::UdpSocketFactory::GetTypeId());
  if (socket->Bind(ns3::InetSocketAddress(ip, port)) != 0) {
    NS_LOG_WARN("cannot bind SIP UDP port " << port);
    socket->Close();
    return nullptr;
  }
  socket->SetRecvCallback(ns3::MakeCallback(&SipTransport::HandleRead, this));
  socket->SetAttribute("IcmpCallback", ns3::CallbackValue(ns3::MakeCallback(&SipTransport::HandleIcmp, this)));
  return socket;
}

void SipTransport::CloseUdpSocket(ns3::Ptr<ns3::Socket>& socket) {
  if (!socket) return;
  socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->Close();
  socket = nullptr;
}

bool SipTransport::SetUdpSendPort(std::uint16_t port) {
  CloseUdpSocket(m_sendSocket);
  if (port == 0 || port == m_localPort || !m_node) return port == 0 || port == m_localPort;
  m_sendSocket = OpenUdpSocket(m_node, m_boundIp, port);
  m_sendPort = port;
  return m_sendSocket != nullptr;
}

void SipTransport::Close() {
  CloseUdpSocket(m_sendSocket);
  if (m_rawSocket) {
    m_rawSocket->Close();
    m_rawSocket = nullptr;
  }
  CloseTcp();
  CloseUdpSocket(m_socket);
}

void SipTransport::CloseTcp() {
  for (ns3::Ptr<ns3::Socket>* listener : {&m_listener, &m_tlsListener}) {
    if (!*listener) continue;
    (*listener)->SetAcceptCallback(
        ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
        ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>());
    (*listener)->Close();
    *listener = nullptr;
  }
  // An endpoint that stops (power-off) drops its connections without telling anyone: the
  // sockets are closed, and no ConnectionLost fires for connections it closed itself.
  for (auto& [remote, connection] : m_connections) {
    connection->socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
    connection->socket->SetCloseCallbacks(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                                          ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
    connection->socket->Close();
  }
  m_connections.clear();
  m_tcpRequestSources.clear();
  m_tcpRequestOrder.clear();
}

SipTransport::Connection* SipTransport::FindConnection(const TransportAddress& remote) {
  auto it = m_connections.find(remote);
  return it == m_connections.end() ? nullptr : it->second.get();
}

SipTransport::Connection& SipTransport::Adopt(ns3::Ptr<ns3::Socket> socket,
                                              const TransportAddress& remote, bool tls) {
  auto connection = std::make_unique<Connection>();
  connection->socket = socket;
  connection->remote = remote;
  connection->tls = tls;
  connection->id = m_nextConnectionId++;
  socket->SetRecvCallback(ns3::MakeCallback(&SipTransport::HandleTcpRead, this));
  socket->SetCloseCallbacks(ns3::MakeCallback(&SipTransport::HandleTcpClosed, this),
                            ns3::MakeCallback(&SipTransport::HandleTcpClosed, this));
  Connection& ref = *connection;
  m_connections[remote] = std::move(connection);  // a newer connection from the same peer wins
  return ref;
}

void SipTransport::HandleAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from) {
  if (!ns3::InetSocketAddress::IsMatchingType(from)) {
    socket->Close();
    return;
  }
  const auto inet = ns3::InetSocketAddress::ConvertFrom(from);
  ++m_counters.connectionsAccepted;
  Adopt(socket, TransportAddress{inet.GetIpv4(), inet.GetPort()}, false);
}

void SipTransport::HandleTlsAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from) {
  if (!ns3::InetSocketAddress::IsMatchingType(from)) {
    socket->Close();
    return;
  }
  const auto inet = ns3::InetSocketAddress::ConvertFrom(from);
  ++m_counters.connectionsAccepted;
  Adopt(socket, TransportAddress{inet.GetIpv4(), inet.GetPort()}, true);
}

bool SipTransport::TlsTo(const TransportAddress& destination) const {
  const auto it = m_connections.find(destination);
  return it != m_connections.end() ? it->second->tls : m_tlsRequests;
}

void SipTransport::HandleTcpClosed(ns3::Ptr<ns3::Socket> socket) {
  for (auto it = m_connections.begin(); it != m_connections.end(); ++it) {
    if (it->second->socket == socket) {
      DropConnection(it);
      return;
    }
  }
}

void SipTransport::FailConnection(const TransportAddress& remote, std::uint64_t connection) {
  auto it = m_connections.find(remote);
  if (it != m_connections.end() && (connection == 0 || it->second->id == connection)) {
    DropConnection(it);
  }
}

void SipTransport::DropConnection(
    std::map<TransportAddress, std::unique_ptr<Connection>>::iterator it) {
  const TransportAddress remote = it->first;
  const std::uint64_t id = it->second->id;
  ns3::Ptr<ns3::Socket> socket = it->second->socket;
  socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->SetCloseCallbacks(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                            ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->Close();  // our half too (a peer's FIN leaves us in CLOSE_WAIT)
  m_connections.erase(it);
  ++m_counters.connectionsLost;
  // Told after the map changed: a handler may send (and so open a new connection). A copy, as
  // a handler could add handlers.
  const std::vector<ConnectionLostHandler> handlers = m_connectionLost;
  for (const ConnectionLostHandler& handler : handlers) handler(remote, id);
}

void SipTransport::CheckPong(TransportAddress remote, ns3::Ptr<ns3::Socket> socket,
                             std::uint64_t ping) {
  auto it = m_connections.find(remote);
  if (it == m_connections.end() || it->second->socket != socket) return;  // already gone
  if (it->second->pongsSeen >= ping) return;
  NS_LOG_INFO(m_localHost << ": no pong from " << remote.ToString() << ": connection failed");
  DropConnection(it);
}

bool SipTransport::SendTcp(const std::string& bytes, const TransportAddress& destination) {
  Connection* connection = FindConnection(destination);
  if (connection == nullptr) {
    // RFC 3261 section 18.1.1: a new connection to the destination, from an ephemeral port
    // (the Via keeps naming the listening port; rport tells servers where it really is).
    ns3::Ptr<ns3::Socket> socket = CreateTcpSocket(m_node);
    if (socket->Bind() != 0 ||
        socket->Connect(ns3::InetSocketAddress(destination.ip, destination.port)) != 0) {
      socket->Close();
      ++m_counters.unroutable;
      return false;
    }
    ++m_counters.connectionsOpened;
    connection = &Adopt(socket, destination, m_tlsRequests);
  }
  // ns-3 queues data written while the handshake is still on (SYN_SENT) and sends it once
  // the connection is up; a full send buffer is a failure like an unreachable peer.
  const std::string sealed = connection->tls ? connection->tlsOut.Seal(bytes) : std::string();
  const std::string& wire = connection->tls ? sealed : bytes;
  auto packet =
      ns3::Create<ns3::Packet>(reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size());
  if (connection->socket->Send(packet) < 0) {
    ++m_counters.unroutable;
    return false;
  }
  m_lastSendConnection = connection->id;
  return true;
}

bool SipTransport::UseTcp(const sip::SipMessage& message,
                          const TransportAddress& destination) const {
  if (message.IsRequest()) {
    if (m_tcpRequests || m_tlsRequests || m_connections.count(destination) != 0) return true;
    if (m_largeRequestsOverTcp && m_tcpListen && message.Serialize().size() > LargeRequestBytes()) return true;
    const auto transport = message.RequestUri().params.Get("transport");
    return transport && EqualsNoCase(*transport, "tcp");
  }
  const auto top = message.TopVia();
  return top && (EqualsNoCase(top->transport, "TCP") || EqualsNoCase(top->transport, "TLS"));
}

bool SipTransport::SendBytes(const std::string& bytes, const TransportAddress& destination) {
  if (!m_socket || !destination.IsValid()) {
    ++m_counters.unroutable;
    return false;
  }
  const std::uint32_t pathMtu = m_pathMtu != 0 ? m_pathMtu : kAssumedPathMtu;
  if (m_rawSocket && bytes.size() + kIpUdpHeaderBytes <= pathMtu) {
    SendDontFragment(bytes, destination, m_sendSocket ? m_sendPort : m_localPort);
    return true;
  }
  auto packet =
      ns3::Create<ns3::Packet>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  (m_sendSocket ? m_sendSocket : m_socket)->SendTo(packet, 0, ns3::InetSocketAddress(destination.ip, destination.port));
  return true;
}

void SipTransport::SendDontFragment(const std::string& bytes, const TransportAddress& destination,
                                    std::uint16_t sourcePort) {
  // A transport bound to one of several addresses (an inbound proxy) sends from that one; else
  // from the address the route leaves from (the one an ns-3 UDP socket would use), which need
  // not be the address this endpoint writes into its headers.
  ns3::Ipv4Address source = m_boundIp;
  if (source.IsAny()) {
    ns3::Ipv4Header probe;
    probe.SetDestination(destination.ip);
    probe.SetProtocol(kUdpProtocol);
    ns3::Socket::SocketErrno error = ns3::Socket::ERROR_NOTERROR;
    const auto route = m_node->GetObject<ns3::Ipv4>()->GetRoutingProtocol()->RouteOutput(
        ns3::Create<ns3::Packet>(), probe, nullptr, error);
    if (!route) {
      ++m_counters.unroutable;
      return;
    }
    source = route->GetSource();
  }
  auto packet =
      ns3::Create<ns3::Packet>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  ns3::UdpHeader udp;
  udp.SetSourcePort(sourcePort);
  udp.SetDestinationPort(destination.port);
  if (ns3::Node::ChecksumEnabled()) {
    udp.EnableChecksums();
    udp.InitializeChecksum(source, destination.ip, kUdpProtocol);
  }
  packet->AddHeader(udp);
  ns3::Ipv4Header ip;
  ip.SetSource(source);
  ip.SetDestination(destination.ip);
  ip.SetProtocol(kUdpProtocol);
  ip.SetPayloadSize(packet->GetSize());
  ip.SetTtl(64);
  ip.SetDontFragment();
  ip.SetIdentification(m_ipIdentification++);
  if (ns3::Node::ChecksumEnabled()) ip.EnableChecksum();
  packet->AddHeader(ip);
  m_rawSocket->SendTo(packet, 0, ns3::InetSocketAddress(destination.ip, destination.port));
}

void SipTransport::HandleIcmp(ns3::Ipv4Address, std::uint8_t, std::uint8_t type, std::uint8_t code,
                              std::uint32_t info) {
  // Destination unreachable (3), fragmentation needed and DF set (4): RFC 1191's next-hop MTU.
  if (type != 3 || code != 4 || info < 68) return;
  ++m_counters.fragmentationNeeded;
  m_pathMtu = info;
}

bool SipTransport::Send(const sip::SipMessage& message, const TransportAddress& destination) {
  const bool tcp = m_node != nullptr && destination.IsValid() && UseTcp(message, destination);
  m_lastSendReliable = tcp;
  m_lastSendConnection = 0;
  std::string bytes;
  const auto top = message.IsRequest() ? message.TopVia() : std::nullopt;
  const bool tls = tcp && TlsTo(destination);
  const std::string wanted = tls ? "TLS" : tcp ? "TCP" : "UDP";
  if (top && top->host == m_localHost && top->port == m_localPort && top->transport != wanted) {
    // The transport layer names the transport it really uses in our own Via (section 18.1.1).
    sip::SipMessage copy = message;
    sip::Via via = *top;
    via.transport = wanted;
    ReplaceTopVia(copy, via);
    bytes = copy.Serialize();
  } else {
    bytes = message.Serialize();
  }
  NS_LOG_DEBUG(ns3::Simulator::Now().As(ns3::Time::S) << " " << m_localHost << ":" << m_localPort
                                                      << " -> " << destination.ToString()
                                                      << (tls ? " tls" : tcp ? " tcp" : " udp") << "\n"
                                                      << bytes);
  if (!(tcp ? SendTcp(bytes, destination) : SendBytes(bytes, destination))) {
    return false;
  }
  ++m_counters.sent;
  if (tcp) ++m_counters.sentTcp;
  if (tls) ++m_counters.sentTls;
  return true;
}

bool SipTransport::SendResponse(const sip::SipMessage& response) {
  auto top = response.TopVia();
  std::optional<TransportAddress> dest;
  if (top && (EqualsNoCase(top->transport, "TCP") || EqualsNoCase(top->transport, "TLS"))) {
    // Reliable transport: back on the connection the request came in on, while it is open.
    const auto branch = top->params.Get("branch");
    auto it = branch ? m_tcpRequestSources.find(*branch) : m_tcpRequestSources.end();
    if (it != m_tcpRequestSources.end() && FindConnection(it->second) != nullptr) {
      dest = it->second;
    }
  }
  if (top && !dest) {
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
  // RFC 5626 section 4.4.1: on a connection-oriented flow the ping is CRLFCRLF on it, and a
  // ping without its CRLF pong within 10 s means the flow failed.
  const bool tcp =
      m_node != nullptr && (m_tcpRequests || m_tlsRequests || FindConnection(destination) != nullptr);
  if (!(tcp ? SendTcp(kDoubleCrlf, destination) : SendBytes(kDoubleCrlf, destination))) {
    return false;
  }
  if (tcp) {
    if (Connection* c = FindConnection(destination)) {
      const std::uint64_t ping = ++c->pingsSent;
      ns3::Simulator::Schedule(ns3::Seconds(kPongTimeoutSeconds), &SipTransport::CheckPong, this,
                               destination, c->socket, ping);
    }
  }
  ++m_counters.keepalivesSent;
  return true;
}

sip::Via SipTransport::MakeVia(const std::string& branch) const {
  sip::Via via;
  via.transport = m_tlsRequests ? "TLS" : m_tcpRequests ? "TCP" : "UDP";
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
    Deliver(sip::ParseMessage(bytes), source, false);
  }
}

void SipTransport::HandleTcpRead(ns3::Ptr<ns3::Socket> socket) {
  Connection* connection = nullptr;
  for (auto& [remote, c] : m_connections) {
    if (c->socket == socket) connection = c.get();
  }
  if (connection == nullptr) return;
  const TransportAddress source = connection->remote;
  while (auto packet = socket->Recv()) {
    const std::uint32_t size = packet->GetSize();
    m_rxBuffer.resize(size);
    if (size > 0) packet->CopyData(m_rxBuffer.data(), size);
    const std::string_view bytes(reinterpret_cast<const char*>(m_rxBuffer.data()), size);
    if (connection->tls) {
      connection->framer.Feed(connection->tlsIn.Feed(bytes));
    } else {
      connection->framer.Feed(bytes);
    }
  }
  if (connection->tls && connection->tlsIn.Failed()) {
    // Not TLS records (or not ones this end can read): the stream cannot be delimited any
    // more, so the connection is given up, as a TLS stack does on a bad record.
    ++m_counters.malformed;
    NS_LOG_WARN(m_localHost << ": unreadable TLS record from " << source.ToString());
    FailConnection(source, connection->id);
    return;
  }
  const std::size_t keepalivesBefore = connection->framer.KeepalivesSeen();
  const std::size_t pingsBefore = connection->framer.PingsSeen();
  const std::size_t pongsBefore = connection->framer.PongsSeen();
  while (true) {
    // Re-find it every time: a handler may close connections (a reboot, a lost registrar).
    connection = FindConnection(source);
    if (connection == nullptr || connection->socket != socket) return;
    auto next = connection->framer.Next();
    if (!next) break;
    Deliver(std::move(*next), source, true);
  }
  connection = FindConnection(source);
  if (connection == nullptr || connection->socket != socket) return;
  m_counters.keepalivesReceived += connection->framer.KeepalivesSeen() - keepalivesBefore;
  connection->pongsSeen += connection->framer.PongsSeen() - pongsBefore;
  // Every ping is answered with a pong on the same connection (RFC 5626 section 4.4.1).
  static const std::string kCrlf = "\r\n";
  for (std::size_t i = pingsBefore; i < connection->framer.PingsSeen(); ++i) {
    SendTcp(kCrlf, source);
  }
}

void SipTransport::Deliver(sip::ParseResult<sip::SipMessage> parsed, const TransportAddress& source,
                           bool overTcp) {
  if (!parsed.Ok()) {
    ++m_counters.malformed;
    NS_LOG_WARN("malformed SIP message from " << source.ToString() << ": "
                                              << parsed.Error().ToString());
    return;
  }
  sip::SipMessage message = std::move(parsed).Value();
  // The typed accessors are what every layer above relies on; a message whose core headers
  // do not parse is as unusable as one that failed to parse at all.
  if (!message.TopVia() || !message.GetCSeq() || !message.CallId() || !message.From() ||
      !message.To()) {
    ++m_counters.malformed;
    NS_LOG_WARN("SIP message from " << source.ToString() << " lacks usable core headers");
    return;
  }
  ++m_counters.received;
  if (message.IsRequest()) {
    StampReceived(message, source, m_honourRport);
    if (overTcp) {
      const auto branch = message.TopVia()->params.Get("branch");
      if (branch && m_tcpRequestSources.emplace(*branch, source).second) {
        m_tcpRequestOrder.push_back(*branch);
        if (m_tcpRequestOrder.size() > kMaxRememberedTcpRequests) {
          m_tcpRequestSources.erase(m_tcpRequestOrder.front());
          m_tcpRequestOrder.erase(m_tcpRequestOrder.begin());
        }
      }
    }
  }
  if (m_handler) {
    m_handler(std::move(message), source);
  }
}

}  // namespace alglab
