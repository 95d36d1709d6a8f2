#ifndef ALGLAB_TESTS_NAT_NAT_TEST_LAB_H
#define ALGLAB_TESTS_NAT_NAT_TEST_LAB_H

// A small office for router tests: three LAN hosts (10.0.0.2-4) on CSMA with the router
// (10.0.0.1), and one WAN host (203.0.113.2) on a point-to-point link to the router's public
// address 203.0.113.1. Checksums are on, so a wrong UDP/TCP checksum after translation makes the
// receiving stack drop the packet. An observer on the WAN host's IP layer records every source
// address it ever sees.

#include "sim/nat/nat-router-helper.h"
#include "sim/nat/nat-router.h"

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <functional>
#include <string>
#include <vector>

namespace alglab::nat::test {

/// One datagram as a UDP socket received it.
struct Datagram {
  ns3::Ipv4Address from;
  std::uint16_t fromPort = 0;
  std::string payload;
  double at = 0;
};

/// A bound UDP socket that records what it receives and can answer automatically.
class UdpProbe {
 public:
  UdpProbe(ns3::Ptr<ns3::Node> node, std::uint16_t port);
  void SendAt(double seconds, ns3::Ipv4Address to, std::uint16_t port, std::string payload);
  /// Answer every datagram to its source with "re:" + payload (or `fixed` when not empty).
  void AutoReply(std::string fixed = {}) {
    m_autoReply = true;
    m_fixedReply = std::move(fixed);
  }
  const std::vector<Datagram>& Received() const { return m_received; }

 private:
  void OnReceive(ns3::Ptr<ns3::Socket> socket);
  ns3::Ptr<ns3::Socket> m_socket;
  std::vector<Datagram> m_received;
  bool m_autoReply = false;
  std::string m_fixedReply;
};

/// One TCP connection across the router: a server on `serverNode` that records the byte stream
/// it receives and echoes every byte back, and a client on `clientNode` that connects at
/// `connectAt` (from `clientPort`, 0: an ephemeral port) and then writes `messages`, one every
/// `spacing` seconds (so each tends to be its own segment), recording what comes back.
class TcpEcho {
 public:
  TcpEcho(ns3::Ptr<ns3::Node> serverNode, std::uint16_t port, ns3::Ptr<ns3::Node> clientNode,
          ns3::Ipv4Address serverAddress, std::vector<std::string> messages, double connectAt,
          double spacing, std::uint16_t clientPort = 0);
  const std::string& ServerReceived() const { return m_serverReceived; }
  const std::string& ClientReceived() const { return m_clientReceived; }
  bool Connected() const { return m_connected; }

 private:
  void WriteNext();
  static void Drain(ns3::Ptr<ns3::Socket> socket, std::string& into);

  ns3::Ptr<ns3::Socket> m_listener;
  ns3::Ptr<ns3::Socket> m_accepted;
  ns3::Ptr<ns3::Socket> m_client;
  std::vector<std::string> m_messages;
  std::size_t m_next = 0;
  double m_spacing;
  std::string m_serverReceived;
  std::string m_clientReceived;
  bool m_connected = false;
};

/// Watches every IP packet a host receives.
struct IpObserver {
  std::uint64_t packets = 0;
  std::uint64_t privateSources = 0;    ///< sources in 10.0.0.0/8
  std::uint64_t badUdpChecksums = 0;
  std::vector<std::uint16_t> udpSourcePorts;
  void Attach(ns3::Ptr<ns3::Node> node);
};

struct DropRecord {
  std::string reason;
  double at = 0;
};

class NatTestLab {
 public:
  static constexpr const char* kPublic = "203.0.113.1";
  static constexpr const char* kWanHost = "203.0.113.2";

  /// `configure` may set router attributes or an ALG on the helper before installation.
  explicit NatTestLab(const std::function<void(NatRoutingHelper&)>& configure = {});
  ~NatTestLab();

  ns3::Ptr<ns3::Node> LanHost(int i) const { return m_lanHosts.Get(i); }
  ns3::Ptr<ns3::Node> WanHost() const { return m_wanHost.Get(0); }
  ns3::Ptr<ns3::Node> Router() const { return m_router.Get(0); }
  ns3::Ptr<NatRoutingProtocol> Nat() const { return m_nat; }
  static ns3::Ipv4Address LanAddress(int i);

  void RunUntil(double seconds);

  IpObserver wanObserver;
  IpObserver lanObserver;  ///< LAN host 0
  std::vector<DropRecord> drops;
  int translations = 0;

 private:
  ns3::NodeContainer m_lanHosts;
  ns3::NodeContainer m_router;
  ns3::NodeContainer m_wanHost;
  ns3::Ptr<NatRoutingProtocol> m_nat;
};

}  // namespace alglab::nat::test

#endif
