#ifndef ALGLAB_ENDPOINTS_SIP_TRANSPORT_H
#define ALGLAB_ENDPOINTS_SIP_TRANSPORT_H

// SIP transport for one endpoint (RFC 3261 section 18): a UDP socket bound to the local SIP
// port and, when enabled, SIP over TCP beside it: a listening socket on the same port and one
// connection per remote endpoint, reused in both directions (messages framed by
// sip::MessageFramer). Message parsing with malformed messages counted and dropped, CRLF
// keepalives recognised, the server half of RFC 3581 (received/rport stamping) and response
// routing per section 18.2.2 (over TCP: on the connection the request came in on). SIP over
// TLS (RFC 3261 section 26.2) is a TCP connection to the TLS port whose bytes are TLS records
// no router can read (sip::OpaqueTlsWriter/Reader): the same connection handling otherwise.

#include "sim/endpoints/transport-address.h"
#include "sim/sip/message-framer.h"
#include "sim/sip/opaque-tls.h"
#include "sim/sip/sip-message.h"

#include <ns3/node.h>
#include <ns3/ptr.h>
#include <ns3/socket.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace alglab {

class SipTransport {
 public:
  /// Receives every well-formed message with the address it came from. Requests already carry
  /// the received/rport parameters this transport stamped on their top Via.
  using Handler = std::function<void(sip::SipMessage&& message, const TransportAddress& source)>;

  struct Counters {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    std::uint64_t malformed = 0;          ///< datagrams that did not parse (dropped)
    std::uint64_t keepalivesReceived = 0;  ///< CRLF-only datagrams (RFC 5626 section 3.5.1)
    std::uint64_t keepalivesSent = 0;
    std::uint64_t unroutable = 0;          ///< sends skipped: no usable destination
    std::uint64_t sentTcp = 0;             ///< messages (of `sent`) that went over TCP
    std::uint64_t connectionsOpened = 0;   ///< TCP connections this endpoint opened
    std::uint64_t connectionsAccepted = 0;
    std::uint64_t connectionsLost = 0;     ///< closed by the peer, reset or failed
    std::uint64_t fragmentationNeeded = 0;  ///< ICMP "fragmentation needed" received
    std::uint64_t sentTls = 0;             ///< messages (of `sentTcp`) that went over TLS
  };
  /// Called when a TCP connection to `remote` (its ConnectionId) closed or failed: a handset
  /// then re-registers, the transaction layer re-sends what was unanswered on it.
  using ConnectionLostHandler =
      std::function<void(const TransportAddress& remote, std::uint64_t connection)>;

  SipTransport() = default;
  ~SipTransport();
  SipTransport(const SipTransport&) = delete;
  SipTransport& operator=(const SipTransport&) = delete;

  /// Binds a UDP socket to 0.0.0.0:`port` on `node`; `localIp` is what this endpoint writes into
  /// Via, Contact and SDP (its own interface address, private when behind a NAT). With
  /// `bindToLocalIp` the sockets bind to `localIp` itself, so that a second transport of the same
  /// node can use the same port on another of its addresses.
  bool Open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address localIp, std::uint16_t port, bool bindToLocalIp = false);
  void Close();
  /// Sends every UDP datagram from a second socket on `port` (0: from the listening socket),
  /// while Via and Contact keep naming the listening port: some handsets do this, and only
  /// rport (RFC 3581) then tells a server where the requests really came from. Datagrams
  /// arriving on that port are read too. Call after Open; false if the port cannot be bound.
  bool SetUdpSendPort(std::uint16_t port);
  /// UDP datagrams carry DF as Linux senders set it (path MTU discovery, the default): a
  /// datagram that fits the path MTU leaves with DF; ICMP "fragmentation needed" lowers the
  /// path MTU, and a larger datagram then leaves without DF, fragmented by the stack. ns-3's
  /// UDP sockets never set DF over IPv4, so DF datagrams go out through a raw socket with the
  /// header built here. One path MTU for every destination: ns-3 hands a UDP socket the ICMP's
  /// MTU but not the destination it concerns (a handset has one next hop, its proxy).
  /// The path MTU learned from ICMP (0: none yet, 1500 assumed).
  std::uint32_t PathMtu() const { return m_pathMtu; }
  void SetHandler(Handler handler) { m_handler = std::move(handler); }

  /// TCP (call before Open): `listen` accepts connections on the SIP port; `requests` sends
  /// every request this endpoint originates over TCP (a handset set to TCP). Without it a
  /// request still goes over TCP when a connection to its destination exists (a server
  /// reaching a handset that registered over TCP, RFC 5626's flow reuse) or when its
  /// Request-URI says transport=tcp.
  void SetTcp(bool listen, bool requests) {
    m_tcpListen = listen;
    m_tcpRequests = requests;
  }
  bool TcpForRequests() const { return m_tcpRequests; }
  /// TLS (call before Open): `listenPort` accepts TLS connections (0: none; ignored when it
  /// is the SIP port itself); `requests` sends every request this endpoint originates over a
  /// TLS connection (Via TLS). A request or response to a peer with an open TLS connection
  /// goes on it whatever the setting, as over TCP.
  void SetTls(std::uint16_t listenPort, bool requests) {
    m_tlsPort = listenPort;
    m_tlsRequests = requests;
  }
  bool TlsForRequests() const { return m_tlsRequests; }
  /// RFC 3261 section 18.1.1: a request within kPathMtuMarginBytes of the path MTU goes over
  /// TCP even when UDP is the configured transport; while the path MTU is unknown (no ICMP
  /// "fragmentation needed" heard yet), a request larger than kLargeRequestBytes does. Many
  /// handsets never do this: a knob.
  void SetLargeRequestsOverTcp(bool on) { m_largeRequestsOverTcp = on; }
  static constexpr std::size_t kLargeRequestBytes = 1300;
  static constexpr std::size_t kPathMtuMarginBytes = 200;
  /// The size above which SetLargeRequestsOverTcp sends a request over TCP.
  std::size_t LargeRequestBytes() const {
    return m_pathMtu > kPathMtuMarginBytes ? m_pathMtu - kPathMtuMarginBytes : kLargeRequestBytes;
  }
  void AddConnectionLostHandler(ConnectionLostHandler handler) {
    m_connectionLost.push_back(std::move(handler));
  }
  /// Whether the last Send() went over TCP (a reliable transport: no retransmissions).
  bool LastSendReliable() const { return m_lastSendReliable; }
  /// The connection the last Send() used (ids count from 1, never reused); 0 for UDP.
  std::uint64_t LastSendConnection() const { return m_lastSendConnection; }
  /// Open TCP connections.
  std::size_t ConnectionCount() const { return m_connections.size(); }
  /// The TCP connection to `remote` is considered dead (a request on it timed out, or a ping
  /// got no pong): it is closed and ConnectionLost fires, so the next message opens a new one.
  /// With `connection` non-zero, only if that is still the connection to `remote` (a newer one
  /// that replaced it is left alone).
  void FailConnection(const TransportAddress& remote, std::uint64_t connection = 0);
  /// How long a CRLFCRLF ping on TCP waits for its CRLF pong (RFC 5626 section 4.4.1).
  static constexpr double kPongTimeoutSeconds = 10.0;

  /// Server knob: honour RFC 3581 (write rport=<source port> and send responses back to it).
  void SetHonourRport(bool on) { m_honourRport = on; }
  bool HonoursRport() const { return m_honourRport; }
  /// Client knob: put the empty rport flag into the Via of requests we originate.
  void SetRequestRport(bool on) { m_requestRport = on; }
  bool RequestsRport() const { return m_requestRport; }

  /// Sends as-is to `destination`. False (and nothing sent) if the destination is unusable.
  bool Send(const sip::SipMessage& message, const TransportAddress& destination);
  /// Sends a response where its top Via says (see ResponseDestination).
  bool SendResponse(const sip::SipMessage& response);
  /// A "\r\n\r\n" NAT keepalive datagram (RFC 5626 section 3.5.1 double CRLF).
  bool SendKeepalive(const TransportAddress& destination);

  /// Via for a request we originate: SIP/2.0/<UDP|TCP> <localIp>:<port>;branch=..[;rport]
  /// (the transport is set again when the request is sent, to the one it really takes).
  sip::Via MakeVia(const std::string& branch) const;

  ns3::Ipv4Address LocalIp() const { return m_localIp; }
  std::uint16_t LocalPort() const { return m_localPort; }
  /// "<localIp>" as text (cached).
  const std::string& LocalHost() const { return m_localHost; }
  const Counters& GetCounters() const { return m_counters; }

  /// RFC 3261 section 18.2.1 + RFC 3581 section 4, applied to a request that arrived from
  /// `source`: add received=<source ip> when the sent-by host differs (always when rport is
  /// present and honoured) and fill in rport=<source port> when honouring rport.
  static void StampReceived(sip::SipMessage& request, const TransportAddress& source,
                            bool honourRport);

  /// RFC 3261 section 18.2.2 (unreliable unicast, no maddr) + RFC 3581: to `received` (else the
  /// sent-by host) at the `rport` value when it carries one (it only does if the server honoured
  /// it), else at the sent-by port (5060 by default). nullopt if the host is not an IPv4 literal.
  static std::optional<TransportAddress> ResponseDestination(const sip::Via& topVia);

 private:
  /// One TCP connection: its socket, the stream cut into messages, and who is at the other end.
  struct Connection {
    ns3::Ptr<ns3::Socket> socket;
    TransportAddress remote;
    sip::MessageFramer framer;
    std::uint64_t id = 0;
    std::uint64_t pingsSent = 0;   ///< CRLFCRLF pings this end sent on it
    std::uint64_t pongsSeen = 0;   ///< CRLF pongs that came back
    bool tls = false;              ///< the bytes are TLS records both ways
    sip::OpaqueTlsWriter tlsOut;
    sip::OpaqueTlsReader tlsIn;
  };

  void HandleRead(ns3::Ptr<ns3::Socket> socket);
  /// A UDP socket bound to `ip`:`port` that reads into HandleRead and hears ICMP errors; null
  /// (logged) when the port cannot be bound.
  ns3::Ptr<ns3::Socket> OpenUdpSocket(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address ip, std::uint16_t port);
  static void CloseUdpSocket(ns3::Ptr<ns3::Socket>& socket);
  void HandleIcmp(ns3::Ipv4Address source, std::uint8_t ttl, std::uint8_t type, std::uint8_t code, std::uint32_t info);
  /// A UDP datagram with DF through the raw socket, from `sourcePort`.
  void SendDontFragment(const std::string& bytes, const TransportAddress& destination, std::uint16_t sourcePort);
  bool SendBytes(const std::string& bytes, const TransportAddress& destination);
  /// Parses, checks and hands one received message (or keepalive) up; `bytes` came over UDP.
  void Deliver(sip::ParseResult<sip::SipMessage> parsed, const TransportAddress& source,
               bool overTcp);
  bool UseTcp(const sip::SipMessage& message, const TransportAddress& destination) const;
  bool SendTcp(const std::string& bytes, const TransportAddress& destination);
  Connection* FindConnection(const TransportAddress& remote);
  Connection& Adopt(ns3::Ptr<ns3::Socket> socket, const TransportAddress& remote, bool tls);
  /// Whether a message to `destination` over a connection goes as TLS: the open connection's
  /// kind, else the transport this endpoint opens connections with.
  bool TlsTo(const TransportAddress& destination) const;
  void HandleTcpRead(ns3::Ptr<ns3::Socket> socket);
  void HandleAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
  void HandleTlsAccept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);
  void HandleTcpClosed(ns3::Ptr<ns3::Socket> socket);
  /// Removes the connection, closes its socket and tells the ConnectionLost handler.
  void DropConnection(std::map<TransportAddress, std::unique_ptr<Connection>>::iterator it);
  void CheckPong(TransportAddress remote, ns3::Ptr<ns3::Socket> socket, std::uint64_t ping);
  void CloseTcp();

  ns3::Ptr<ns3::Socket> m_socket;
  ns3::Ptr<ns3::Socket> m_sendSocket;  // SetUdpSendPort's socket, or null
  std::uint16_t m_sendPort = 0;        // its port
  ns3::Ptr<ns3::Socket> m_rawSocket;   // DF datagrams
  std::uint16_t m_ipIdentification = 0;
  std::uint32_t m_pathMtu = 0;
  ns3::Ipv4Address m_boundIp;  // 0.0.0.0 unless Open bound to the local address
  ns3::Ptr<ns3::Socket> m_listener;
  ns3::Ptr<ns3::Socket> m_tlsListener;
  std::uint16_t m_tlsPort = 0;
  bool m_tlsRequests = false;
  ns3::Ptr<ns3::Node> m_node;
  bool m_tcpListen = false;
  bool m_tcpRequests = false;
  bool m_largeRequestsOverTcp = false;
  bool m_lastSendReliable = false;
  std::uint64_t m_lastSendConnection = 0;
  std::uint64_t m_nextConnectionId = 1;
  /// Open connections by remote endpoint (one per peer endpoint, reused both ways).
  std::map<TransportAddress, std::unique_ptr<Connection>> m_connections;
  /// Requests that came over TCP, by their top Via branch: where their responses go (the
  /// connection they came in on, RFC 3261 section 18.2.2). Bounded; oldest forgotten first.
  std::map<std::string, TransportAddress> m_tcpRequestSources;
  std::vector<std::string> m_tcpRequestOrder;
  std::vector<ConnectionLostHandler> m_connectionLost;
  ns3::Ipv4Address m_localIp;
  std::string m_localHost;
  std::uint16_t m_localPort = 0;
  bool m_honourRport = true;
  bool m_requestRport = true;
  Handler m_handler;
  Counters m_counters;
  std::vector<std::uint8_t> m_rxBuffer;
};

}  // namespace alglab

#endif
