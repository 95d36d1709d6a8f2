#ifndef ALGLAB_ENDPOINTS_SIP_TRANSPORT_H
#define ALGLAB_ENDPOINTS_SIP_TRANSPORT_H

// SIP over UDP for one endpoint (RFC 3261 section 18): one socket bound to the local SIP port,
// message parsing with malformed datagrams counted and dropped, CRLF keepalives recognised,
// the server half of RFC 3581 (received/rport stamping) and response routing per section 18.2.2.

#include "sim/endpoints/transport-address.h"
#include "sim/sip/sip-message.h"

#include <ns3/node.h>
#include <ns3/ptr.h>
#include <ns3/socket.h>

#include <cstdint>
#include <functional>
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
  };

  SipTransport() = default;
  ~SipTransport();
  SipTransport(const SipTransport&) = delete;
  SipTransport& operator=(const SipTransport&) = delete;

  /// Binds a UDP socket to 0.0.0.0:`port` on `node`; `localIp` is what this endpoint writes into
  /// Via, Contact and SDP (its own interface address, private when behind a NAT).
  bool Open(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address localIp, std::uint16_t port);
  void Close();
  void SetHandler(Handler handler) { m_handler = std::move(handler); }

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

  /// Via for a request we originate: SIP/2.0/UDP <localIp>:<port>;branch=..[;rport].
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
  void HandleRead(ns3::Ptr<ns3::Socket> socket);
  bool SendBytes(const std::string& bytes, const TransportAddress& destination);

  ns3::Ptr<ns3::Socket> m_socket;
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
