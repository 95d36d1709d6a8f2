#include "fake-detect-network.h"

#include <stdexcept>

namespace alglab::detect::testing {

class FakeDetectNetwork::Host : public DetectIo {
 public:
  Host(FakeDetectNetwork& net, bool lan, std::vector<std::string> addresses)
      : m_net(net), m_lan(lan), m_addresses(std::move(addresses)) {}
  DetectIoSink* sink = nullptr;

  double Now() const override { return m_net.m_now; }
  std::vector<std::string> LocalAddresses() const override { return m_addresses; }
  SocketId OpenUdp(const std::string& address, std::uint16_t port) override {
    return m_net.Open(m_lan, Socket::Kind::Udp, address.empty() ? m_addresses[0] : address, port);
  }
  Endpoint LocalEndpoint(SocketId socket) const override {
    const auto* s = m_net.Find(socket);
    return s ? s->local : Endpoint{};
  }
  SocketId ListenTcp(const std::string& address, std::uint16_t port) override {
    return m_net.Open(m_lan, Socket::Kind::Listener, address.empty() ? m_addresses[0] : address, port);
  }
  SocketId ConnectTcp(const Endpoint& remote, std::uint16_t localPort) override {
    return m_net.Connect(remote, localPort);
  }
  void SendTo(SocketId socket, const Endpoint& to, const std::string& bytes) override {
    m_net.SendDatagram(socket, to, bytes);
  }
  void Send(SocketId connection, const std::string& bytes) override { m_net.SendStream(connection, bytes); }
  void Close(SocketId socket) override {
    if (auto* s = m_net.Find(socket)) s->open = false;
  }
  void After(double seconds, std::function<void()> what) override { m_net.Schedule(seconds, std::move(what)); }

 private:
  FakeDetectNetwork& m_net;
  bool m_lan;
  std::vector<std::string> m_addresses;
};

namespace {
constexpr double kLatency = 0.005;  // one way, each side of the router
}

FakeDetectNetwork::FakeDetectNetwork(FakeNatConfig nat, AlgHook alg)
    : m_client(std::make_unique<Host>(*this, true, std::vector<std::string>{kClient})),
      m_server(std::make_unique<Host>(*this, false, std::vector<std::string>{kServer, kServerAlt})),
      m_nat(nat),
      m_alg(std::move(alg)) {}

FakeDetectNetwork::~FakeDetectNetwork() = default;

DetectIo& FakeDetectNetwork::ClientIo() { return *m_client; }
DetectIo& FakeDetectNetwork::ServerIo() { return *m_server; }
void FakeDetectNetwork::SetClientSink(DetectIoSink* sink) { m_client->sink = sink; }
void FakeDetectNetwork::SetServerSink(DetectIoSink* sink) { m_server->sink = sink; }

void FakeDetectNetwork::Schedule(double delay, std::function<void()> what) {
  m_events.emplace(std::make_pair(m_now + delay, m_sequence++), std::move(what));
}

void FakeDetectNetwork::RunUntil(double until) {
  for (int guard = 0; guard < 1000000 && !m_events.empty(); ++guard) {
    const auto it = m_events.begin();
    if (it->first.first > until) break;
    m_now = it->first.first;
    auto what = std::move(it->second);
    m_events.erase(it);
    what();
  }
  m_now = std::max(m_now, until);
}

void FakeDetectNetwork::Expect(const std::string& remoteAddress, std::uint16_t publicPort, const Endpoint& internal,
                               bool once) {
  m_expectations.push_back({remoteAddress, publicPort, internal, once});
}

SocketId FakeDetectNetwork::Open(bool lan, Socket::Kind kind, const std::string& address, std::uint16_t port) {
  if (port == 0) port = m_nextEphemeral++;
  for (const auto& [id, s] : m_sockets)
    if (s.open && s.kind == kind && s.local == Endpoint{address, port}) return -1;  // in use
  Socket socket;
  socket.kind = kind;
  socket.lan = lan;
  socket.local = {address, port};
  m_sockets[m_nextSocket] = socket;
  return m_nextSocket++;
}

FakeDetectNetwork::Socket* FakeDetectNetwork::Find(SocketId id) {
  const auto it = m_sockets.find(id);
  return it == m_sockets.end() ? nullptr : &it->second;
}

bool FakeDetectNetwork::Alive(const Binding& b) const {
  return m_now - b.lastActive <= (b.sip ? m_nat.sipTimeout : m_nat.udpTimeout);
}

FakeDetectNetwork::Binding& FakeDetectNetwork::Outbound(const Endpoint& internal, const Endpoint& remote) {
  for (auto& b : m_bindings) {
    if (b.internal != internal || !Alive(b)) continue;
    const bool same = m_nat.mapping == Dependence::EndpointIndependent ||
                      (m_nat.mapping == Dependence::AddressDependent && b.addresses.count(remote.address)) ||
                      b.endpoints.count(ToKey(remote));
    if (!same) continue;
    b.addresses.insert(remote.address);
    b.endpoints.insert(ToKey(remote));
    b.lastActive = m_now;
    return b;
  }
  Binding b;
  b.internal = internal;
  std::uint16_t port = internal.port;
  const auto taken = [this](std::uint16_t p) {
    for (const auto& other : m_bindings)
      if (other.external.port == p && Alive(other)) return true;
    return false;
  };
  if (!m_nat.preservePorts || taken(port)) {
    do port = m_nextExternal++;
    while (taken(port));
  }
  b.external = {kPublic, port};
  b.addresses.insert(remote.address);
  b.endpoints.insert(ToKey(remote));
  b.sip = remote.port == 5060;
  b.lastActive = m_now;
  m_bindings.push_back(b);
  return m_bindings.back();
}

std::string FakeDetectNetwork::ToKey(const Endpoint& e) { return e.address + ":" + std::to_string(e.port); }

void FakeDetectNetwork::SendDatagram(SocketId fromId, const Endpoint& to, const std::string& bytes) {
  const auto* from = Find(fromId);
  if (!from || !from->open || from->kind != Socket::Kind::Udp) return;
  if (from->lan) {
    if (to.address != kServer && to.address != kServerAlt) return;  // nothing else out there
    const Endpoint internal = from->local;
    const Endpoint external = Outbound(internal, to).external;
    std::optional<std::string> payload = bytes;
    if (m_alg) payload = m_alg(bytes, AlgContext{true, "udp", internal, external, to, this});
    if (!payload) return;
    Schedule(2 * kLatency, [this, to, external, p = *payload] { DeliverDatagram(false, to, external, p); });
    return;
  }
  // From the internet: only the router's public address is reachable (a LAN address is not
  // routed, so RTP sent to an SDP's private address is lost, as on the real internet).
  if (to.address != kPublic) return;
  const Endpoint remote = from->local;
  Schedule(kLatency, [this, to, remote, bytes] {
    std::optional<Endpoint> internal;
    for (auto& b : m_bindings) {
      if (b.external != to || !Alive(b)) continue;
      const bool admitted = m_nat.filtering == Dependence::EndpointIndependent ||
                            (m_nat.filtering == Dependence::AddressDependent && b.addresses.count(remote.address)) ||
                            b.endpoints.count(ToKey(remote));
      if (admitted) {
        b.lastActive = m_now;
        internal = b.internal;
      }
      break;
    }
    if (!internal)
      for (auto it = m_expectations.begin(); it != m_expectations.end(); ++it) {
        if (it->publicPort != to.port || (!it->remoteAddress.empty() && it->remoteAddress != remote.address))
          continue;
        internal = it->internal;
        if (it->once) m_expectations.erase(it);
        break;
      }
    if (!internal) return;
    std::optional<std::string> payload = bytes;
    if (m_alg) payload = m_alg(bytes, AlgContext{false, "udp", *internal, to, remote, this});
    if (!payload) return;
    const Endpoint target = *internal;
    Schedule(kLatency, [this, target, remote, p = *payload] { DeliverDatagram(true, target, remote, p); });
  });
}

void FakeDetectNetwork::DeliverDatagram(bool toLan, const Endpoint& to, const Endpoint& from, const std::string& bytes) {
  for (const auto& [id, s] : m_sockets) {
    if (!s.open || s.lan != toLan || s.kind != Socket::Kind::Udp || s.local != to) continue;
    ++m_delivered;
    auto* sink = toLan ? m_client->sink : m_server->sink;
    if (sink) sink->OnDatagram(id, from, bytes);
    return;
  }
}

SocketId FakeDetectNetwork::Connect(const Endpoint& remote, std::uint16_t localPort) {
  const SocketId id = Open(true, Socket::Kind::Connection, kClient, localPort);
  if (id < 0) return id;
  auto& client = m_sockets[id];
  client.remote = remote;
  client.external = {kPublic, client.local.port};
  Schedule(2 * kLatency, [this, id, remote] {
    SocketId listener = -1;
    for (const auto& [lid, s] : m_sockets)
      if (s.open && !s.lan && s.kind == Socket::Kind::Listener && s.local == remote) listener = lid;
    if (listener < 0) {
      if (m_client->sink) m_client->sink->OnConnected(id, false);
      return;
    }
    Socket server;
    server.kind = Socket::Kind::Connection;
    server.lan = false;
    server.local = remote;
    server.peer = id;
    server.remote = m_sockets[id].external;
    const SocketId serverId = m_nextSocket++;
    m_sockets[serverId] = server;
    m_sockets[id].peer = serverId;
    if (m_server->sink) m_server->sink->OnAccepted(listener, serverId, server.remote);
    Schedule(2 * kLatency, [this, id] {
      if (m_client->sink) m_client->sink->OnConnected(id, true);
    });
  });
  return id;
}

void FakeDetectNetwork::SendStream(SocketId fromId, const std::string& bytes) {
  const auto* from = Find(fromId);
  if (!from || !from->open || from->kind != Socket::Kind::Connection || from->peer < 0) return;
  const bool outbound = from->lan;
  const SocketId peer = from->peer;
  const Socket& lanSide = outbound ? *from : m_sockets[peer];
  std::optional<std::string> payload = bytes;
  if (m_alg)
    payload = m_alg(bytes, AlgContext{outbound, "tcp", lanSide.local, lanSide.external, lanSide.remote, this});
  if (!payload) return;
  Schedule(2 * kLatency, [this, peer, outbound, p = *payload] {
    const auto* s = Find(peer);
    if (!s || !s->open) return;
    auto* sink = outbound ? m_server->sink : m_client->sink;
    if (sink) sink->OnStreamData(peer, p);
  });
}

}  // namespace alglab::detect::testing
