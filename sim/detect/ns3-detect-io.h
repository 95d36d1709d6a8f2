#ifndef ALGLAB_DETECT_NS3_DETECT_IO_H
#define ALGLAB_DETECT_NS3_DETECT_IO_H

/// \file
/// The active detector's driver inside the simulation: probes/detect/detect-io.h implemented
/// with ns-3 UDP and TCP sockets on one node, Simulator::Schedule for timers and simulated
/// seconds for the clock. The detector client and the echo server each get one, on their own
/// nodes; the logic they drive is the same code the live (POSIX) driver runs.

#include "probes/detect/detect-io.h"

#include <ns3/ipv4-address.h>
#include <ns3/node.h>
#include <ns3/ptr.h>
#include <ns3/socket.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alglab::detect {

/// An ns-3 IPv4 address as DetectIo's dotted-quad text.
std::string AddressText(ns3::Ipv4Address address);

class Ns3DetectIo : public DetectIo {
 public:
  /// Sockets on `node`, whose addresses (primary first) are `addresses`. The sink receives the
  /// events; set it before the simulation runs (the owner of the logic usually is the sink).
  Ns3DetectIo(ns3::Ptr<ns3::Node> node, std::vector<ns3::Ipv4Address> addresses);
  ~Ns3DetectIo() override;
  Ns3DetectIo(const Ns3DetectIo&) = delete;
  Ns3DetectIo& operator=(const Ns3DetectIo&) = delete;

  void SetSink(DetectIoSink* sink) { m_sink = sink; }

  double Now() const override;
  std::vector<std::string> LocalAddresses() const override;
  SocketId OpenUdp(const std::string& localAddress, std::uint16_t localPort) override;
  Endpoint LocalEndpoint(SocketId socket) const override;
  SocketId ListenTcp(const std::string& localAddress, std::uint16_t localPort) override;
  SocketId ConnectTcp(const Endpoint& remote, std::uint16_t localPort) override;
  void SendTo(SocketId socket, const Endpoint& to, const std::string& bytes) override;
  void Send(SocketId connection, const std::string& bytes) override;
  void Close(SocketId socket) override;
  void After(double seconds, std::function<void()> what) override;

 private:
  /// The address text "" (primary) or a dotted quad, as an ns-3 address.
  ns3::Ipv4Address LocalAddressOf(const std::string& text) const;
  SocketId Add(ns3::Ptr<ns3::Socket> socket);
  SocketId IdOf(const ns3::Ptr<ns3::Socket>& socket) const;
  void WireStream(SocketId id, ns3::Ptr<ns3::Socket> socket);
  void OnUdpReadable(ns3::Ptr<ns3::Socket> socket);
  void OnStreamReadable(ns3::Ptr<ns3::Socket> socket);

  ns3::Ptr<ns3::Node> m_node;
  std::vector<ns3::Ipv4Address> m_addresses;
  DetectIoSink* m_sink = nullptr;
  std::map<SocketId, ns3::Ptr<ns3::Socket>> m_sockets;
  SocketId m_next = 1;
  /// False once destroyed: timers still pending in the simulator then do nothing.
  std::shared_ptr<bool> m_alive;
};

}  // namespace alglab::detect

#endif
