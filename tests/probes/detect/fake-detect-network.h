#ifndef ALGLAB_TESTS_PROBES_DETECT_FAKE_DETECT_NETWORK_H
#define ALGLAB_TESTS_PROBES_DETECT_FAKE_DETECT_NETWORK_H

// An in-memory network for the detector's logic: a client host on a LAN (10.0.0.2), a router
// with one public address (198.51.100.1) doing NAT of a programmable RFC 4787 class, an
// optional fake ALG hooked into it, and a server host with two addresses (203.0.113.2 and
// .3). Time is simulated: After() callbacks and deliveries run from one event queue.

#include "probes/detect/detect-io.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace alglab::detect::testing {

enum class Dependence { EndpointIndependent, AddressDependent, AddressAndPortDependent };

struct FakeNatConfig {
  Dependence mapping = Dependence::EndpointIndependent;
  Dependence filtering = Dependence::AddressAndPortDependent;
  bool preservePorts = true;
  double udpTimeout = 1e9;  ///< idle lifetime of a UDP binding
  double sipTimeout = 1e9;  ///< ... of one made towards port 5060 (an ALG's own timer)
};

class FakeDetectNetwork;

/// What a fake ALG sees of one message crossing the router.
struct AlgContext {
  bool outbound = true;         ///< LAN to internet
  std::string transport;        ///< "udp" or "tcp"
  Endpoint internal;            ///< the LAN endpoint
  Endpoint external;            ///< its public binding
  Endpoint remote;              ///< the internet endpoint
  FakeDetectNetwork* network = nullptr;
};
/// Returns the payload to forward (changed or not), or nullopt to drop it.
using AlgHook = std::function<std::optional<std::string>(const std::string& payload, const AlgContext& context)>;

class FakeDetectNetwork {
 public:
  static constexpr const char* kClient = "10.0.0.2";
  static constexpr const char* kPublic = "198.51.100.1";
  static constexpr const char* kServer = "203.0.113.2";
  static constexpr const char* kServerAlt = "203.0.113.3";

  explicit FakeDetectNetwork(FakeNatConfig nat = {}, AlgHook alg = {});
  ~FakeDetectNetwork();
  DetectIo& ClientIo();
  DetectIo& ServerIo();
  void SetClientSink(DetectIoSink* sink);
  void SetServerSink(DetectIoSink* sink);
  /// Runs events up to `until` seconds (bounded in count).
  void RunUntil(double until);
  double Now() const { return m_now; }

  /// An ALG's expectation: datagrams from `remoteAddress` ("" = any) to the public port go to
  /// `internal` even without a binding that admits them. `once`: used up by the first packet.
  void Expect(const std::string& remoteAddress, std::uint16_t publicPort, const Endpoint& internal, bool once);
  /// Datagrams that reached a host (for tests that look at raw traffic).
  std::size_t Delivered() const { return m_delivered; }

  // --- used by the fake hosts -----------------------------------------------------------
  struct Socket {
    enum class Kind { Udp, Listener, Connection } kind = Kind::Udp;
    bool lan = true;
    Endpoint local;
    SocketId peer = -1;     ///< the other end of a connection
    Endpoint remote;        ///< a connection's remote endpoint
    Endpoint external;      ///< a LAN connection's public endpoint
    bool open = true;
  };
  SocketId Open(bool lan, Socket::Kind kind, const std::string& address, std::uint16_t port);
  Socket* Find(SocketId id);
  void SendDatagram(SocketId from, const Endpoint& to, const std::string& bytes);
  SocketId Connect(const Endpoint& remote, std::uint16_t localPort);
  void SendStream(SocketId from, const std::string& bytes);
  void Schedule(double delay, std::function<void()> what);

 private:
  struct Binding {
    Endpoint internal;
    Endpoint external;
    std::set<std::string> addresses;  ///< remote addresses contacted
    std::set<std::string> endpoints;  ///< remote endpoints contacted
    bool sip = false;                 ///< made towards port 5060
    double lastActive = 0;
  };
  struct Expectation {
    std::string remoteAddress;
    std::uint16_t publicPort = 0;
    Endpoint internal;
    bool once = true;
  };
  Binding& Outbound(const Endpoint& internal, const Endpoint& remote);
  void DeliverDatagram(bool toLan, const Endpoint& to, const Endpoint& from, const std::string& bytes);
  bool Alive(const Binding& binding) const;
  static std::string ToKey(const Endpoint& endpoint);

  class Host;
  std::unique_ptr<Host> m_client, m_server;
  FakeNatConfig m_nat;
  AlgHook m_alg;
  double m_now = 0;
  std::uint64_t m_sequence = 0;
  std::multimap<std::pair<double, std::uint64_t>, std::function<void()>> m_events;
  std::map<SocketId, Socket> m_sockets;
  SocketId m_nextSocket = 1;
  std::uint16_t m_nextEphemeral = 30000;
  std::uint16_t m_nextExternal = 50000;
  std::vector<Binding> m_bindings;
  std::vector<Expectation> m_expectations;
  std::size_t m_delivered = 0;
};

}  // namespace alglab::detect::testing

#endif
