#include "sim/detect/ns3-detect-io.h"

#include <ns3/inet-socket-address.h>
#include <ns3/packet.h>
#include <ns3/simulator.h>
#include <ns3/tcp-socket-factory.h>
#include <ns3/udp-socket-factory.h>

#include <sstream>

namespace alglab::detect {

std::string AddressText(ns3::Ipv4Address address) {
  std::ostringstream out;
  address.Print(out);
  return out.str();
}

namespace {

Endpoint EndpointOf(const ns3::Address& address) {
  if (!ns3::InetSocketAddress::IsMatchingType(address)) return {};
  const auto inet = ns3::InetSocketAddress::ConvertFrom(address);
  return {AddressText(inet.GetIpv4()), inet.GetPort()};
}

ns3::InetSocketAddress SocketAddressOf(const Endpoint& endpoint) {
  return ns3::InetSocketAddress(ns3::Ipv4Address(endpoint.address.c_str()), endpoint.port);
}

ns3::Ptr<ns3::Packet> PacketOf(const std::string& bytes) {
  return ns3::Create<ns3::Packet>(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                  static_cast<std::uint32_t>(bytes.size()));
}

std::string BytesOf(const ns3::Ptr<ns3::Packet>& packet) {
  std::string bytes(packet->GetSize(), '\0');
  packet->CopyData(reinterpret_cast<std::uint8_t*>(bytes.data()), packet->GetSize());
  return bytes;
}

}  // namespace

Ns3DetectIo::Ns3DetectIo(ns3::Ptr<ns3::Node> node, std::vector<ns3::Ipv4Address> addresses)
    : m_node(std::move(node)), m_addresses(std::move(addresses)), m_alive(std::make_shared<bool>(true)) {}

Ns3DetectIo::~Ns3DetectIo() {
  *m_alive = false;
  while (!m_sockets.empty()) Close(m_sockets.begin()->first);
}

double Ns3DetectIo::Now() const { return ns3::Simulator::Now().GetSeconds(); }

std::vector<std::string> Ns3DetectIo::LocalAddresses() const {
  std::vector<std::string> texts;
  for (const auto& a : m_addresses) texts.push_back(AddressText(a));
  return texts;
}

ns3::Ipv4Address Ns3DetectIo::LocalAddressOf(const std::string& text) const {
  if (text.empty()) return m_addresses.empty() ? ns3::Ipv4Address::GetAny() : m_addresses.front();
  return ns3::Ipv4Address(text.c_str());
}

SocketId Ns3DetectIo::Add(ns3::Ptr<ns3::Socket> socket) {
  const SocketId id = m_next++;
  m_sockets[id] = socket;
  return id;
}

SocketId Ns3DetectIo::IdOf(const ns3::Ptr<ns3::Socket>& socket) const {
  for (const auto& [id, s] : m_sockets)
    if (s == socket) return id;
  return -1;
}

SocketId Ns3DetectIo::OpenUdp(const std::string& localAddress, std::uint16_t localPort) {
  auto socket = ns3::Socket::CreateSocket(m_node, ns3::UdpSocketFactory::GetTypeId());
  if (socket->Bind(ns3::InetSocketAddress(LocalAddressOf(localAddress), localPort)) != 0) {
    socket->Close();
    return -1;
  }
  socket->SetRecvCallback(ns3::MakeCallback(&Ns3DetectIo::OnUdpReadable, this));
  return Add(socket);
}

Endpoint Ns3DetectIo::LocalEndpoint(SocketId id) const {
  auto it = m_sockets.find(id);
  if (it == m_sockets.end()) return {};
  ns3::Address address;
  it->second->GetSockName(address);
  return EndpointOf(address);
}

SocketId Ns3DetectIo::ListenTcp(const std::string& localAddress, std::uint16_t localPort) {
  auto socket = ns3::Socket::CreateSocket(m_node, ns3::TcpSocketFactory::GetTypeId());
  if (socket->Bind(ns3::InetSocketAddress(LocalAddressOf(localAddress), localPort)) != 0 || socket->Listen() != 0) {
    socket->Close();
    return -1;
  }
  const SocketId listener = Add(socket);
  const std::weak_ptr<bool> alive = m_alive;
  socket->SetAcceptCallback(
      ns3::Callback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(
          [](ns3::Ptr<ns3::Socket>, const ns3::Address&) { return true; }),
      ns3::Callback<void, ns3::Ptr<ns3::Socket>, const ns3::Address&>(
          [this, alive, listener](ns3::Ptr<ns3::Socket> connection, const ns3::Address& from) {
            if (alive.expired() || !*alive.lock()) return;
            const SocketId id = Add(connection);
            WireStream(id, connection);
            if (m_sink) m_sink->OnAccepted(listener, id, EndpointOf(from));
          }));
  return listener;
}

SocketId Ns3DetectIo::ConnectTcp(const Endpoint& remote, std::uint16_t localPort) {
  auto socket = ns3::Socket::CreateSocket(m_node, ns3::TcpSocketFactory::GetTypeId());
  if (socket->Bind(ns3::InetSocketAddress(LocalAddressOf(""), localPort)) != 0) {
    socket->Close();
    return -1;
  }
  const SocketId id = Add(socket);
  const std::weak_ptr<bool> alive = m_alive;
  socket->SetConnectCallback(ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, alive, id](ns3::Ptr<ns3::Socket>) {
                               if (!alive.expired() && *alive.lock() && m_sink) m_sink->OnConnected(id, true);
                             }),
                             ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, alive, id](ns3::Ptr<ns3::Socket>) {
                               if (!alive.expired() && *alive.lock() && m_sink) m_sink->OnConnected(id, false);
                             }));
  WireStream(id, socket);
  if (socket->Connect(SocketAddressOf(remote)) != 0) {
    // Reported like a refused connection, from the event loop as a live driver would.
    After(0, [this, id] {
      if (m_sink) m_sink->OnConnected(id, false);
    });
  }
  return id;
}

void Ns3DetectIo::WireStream(SocketId id, ns3::Ptr<ns3::Socket> socket) {
  socket->SetRecvCallback(ns3::MakeCallback(&Ns3DetectIo::OnStreamReadable, this));
  const std::weak_ptr<bool> alive = m_alive;
  auto closed = ns3::Callback<void, ns3::Ptr<ns3::Socket>>([this, alive, id](ns3::Ptr<ns3::Socket>) {
    if (alive.expired() || !*alive.lock()) return;
    if (m_sockets.erase(id) && m_sink) m_sink->OnClosed(id);
  });
  socket->SetCloseCallbacks(closed, closed);
}

void Ns3DetectIo::OnUdpReadable(ns3::Ptr<ns3::Socket> socket) {
  const SocketId id = IdOf(socket);
  ns3::Address from;
  while (ns3::Ptr<ns3::Packet> packet = socket->RecvFrom(from)) {
    if (id >= 0 && m_sink) m_sink->OnDatagram(id, EndpointOf(from), BytesOf(packet));
  }
}

void Ns3DetectIo::OnStreamReadable(ns3::Ptr<ns3::Socket> socket) {
  const SocketId id = IdOf(socket);
  std::string bytes;
  while (ns3::Ptr<ns3::Packet> packet = socket->Recv()) {
    if (packet->GetSize() == 0) break;
    bytes += BytesOf(packet);
  }
  if (id >= 0 && m_sink && !bytes.empty()) m_sink->OnStreamData(id, bytes);
}

void Ns3DetectIo::SendTo(SocketId id, const Endpoint& to, const std::string& bytes) {
  auto it = m_sockets.find(id);
  if (it != m_sockets.end()) it->second->SendTo(PacketOf(bytes), 0, SocketAddressOf(to));
}

void Ns3DetectIo::Send(SocketId id, const std::string& bytes) {
  auto it = m_sockets.find(id);
  if (it != m_sockets.end()) it->second->Send(PacketOf(bytes));
}

void Ns3DetectIo::Close(SocketId id) {
  auto it = m_sockets.find(id);
  if (it == m_sockets.end()) return;
  ns3::Ptr<ns3::Socket> socket = it->second;
  m_sockets.erase(it);
  // Our own close is no event for the logic: silence the socket first.
  socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->SetCloseCallbacks(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>(),
                            ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
  socket->Close();
}

void Ns3DetectIo::After(double seconds, std::function<void()> what) {
  const std::weak_ptr<bool> alive = m_alive;
  ns3::Simulator::Schedule(ns3::Seconds(seconds < 0 ? 0 : seconds), [alive, what = std::move(what)] {
    if (!alive.expired() && *alive.lock()) what();
  });
}

}  // namespace alglab::detect
