#ifndef ALGLAB_ENDPOINTS_SIP_TRANSACTION_LAYER_H
#define ALGLAB_ENDPOINTS_SIP_TRANSACTION_LAYER_H

// RFC 3261 section 17 transactions over UDP, simple but real:
//  - client INVITE: Timer A retransmits (T1, doubling) until a provisional, Timer B (64*T1)
//    times out into a local 408; non-2xx finals are ACKed here (same branch) and absorbed for
//    Timer D; a 2xx ends the transaction (its retransmissions reach the stray handler, where
//    the dialog re-sends its ACK).
//  - client non-INVITE: Timer E (T1 doubling, capped at T2; T2 once provisional), Timer F
//    (64*T1) timeout into a local 408, Timer K linger absorbs retransmitted finals.
//  - server: retransmitted requests are absorbed and answered with the last response; INVITE
//    non-2xx finals are retransmitted (Timer G) until the ACK (Timer H gives up); INVITE 2xx
//    are retransmitted until the ACK arrives (RFC 3261 section 13.3.1.4, RFC 6026 "Accepted"),
//    and a missing ACK after 64*T1 is reported so the dialog can hang up.

#include "sim/endpoints/sip-id-generator.h"
#include "sim/endpoints/sip-transport.h"
#include "sim/endpoints/transport-address.h"
#include "sim/sip/sip-message.h"

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace alglab {

/// A response as the transaction user sees it.
struct ClientResponse {
  const sip::SipMessage& message;
  TransportAddress from;   ///< sender; the request's destination for local responses
  bool local = false;      ///< synthesised here (timeout) rather than received
};

class SipTransactionLayer {
 public:
  using ResponseHandler = std::function<void(const ClientResponse& response)>;
  using RequestHandler =
      std::function<void(const sip::SipMessage& request, const TransportAddress& source)>;
  using StrayResponseHandler =
      std::function<void(const sip::SipMessage& response, const TransportAddress& source)>;
  /// A 2xx to an INVITE was never ACKed (Call-ID, CSeq number).
  using AckTimeoutHandler = std::function<void(const std::string& callId, std::uint32_t cseq)>;

  /// RFC 3261 timer values (section 17.1.1.1 / table 4).
  struct Timers {
    ns3::Time t1 = ns3::MilliSeconds(500);
    ns3::Time t2 = ns3::Seconds(4);
    ns3::Time t4 = ns3::Seconds(5);
  };

  struct Counters {
    std::uint64_t retransmissions = 0;   ///< requests and responses sent again by timers
    std::uint64_t timeouts = 0;          ///< client transactions ended by Timer B/F
    std::uint64_t absorbed = 0;          ///< retransmitted requests/responses swallowed here
  };

  SipTransactionLayer(SipTransport& transport, SipIdGenerator& ids);
  ~SipTransactionLayer();
  SipTransactionLayer(const SipTransactionLayer&) = delete;
  SipTransactionLayer& operator=(const SipTransactionLayer&) = delete;

  void SetRequestHandler(RequestHandler h) { m_onRequest = std::move(h); }
  void SetStrayResponseHandler(StrayResponseHandler h) { m_onStray = std::move(h); }
  void SetAckTimeoutHandler(AckTimeoutHandler h) { m_onAckTimeout = std::move(h); }
  void SetTimers(const Timers& t) { m_timers = t; }
  const Timers& GetTimers() const { return m_timers; }

  /// Starts a client transaction: prepends our Via (new branch), sends to `destination`, and
  /// calls `handler` for every response (provisionals included) and for a local 408 on
  /// timeout. The handler is not called after the final response. Returns the branch.
  std::string SendRequest(sip::SipMessage request, const TransportAddress& destination,
                          ResponseHandler handler);

  /// CANCELs the pending INVITE client transaction `inviteBranch` (RFC 3261 section 9.1): sent
  /// once a provisional has arrived (deferred until then), never after a final response.
  /// If no final response follows within 64*T1, the INVITE ends with a local 408.
  void Cancel(const std::string& inviteBranch);

  /// Sends a request outside any transaction (ACK for a 2xx): prepends our Via (new branch).
  void SendAck(sip::SipMessage ack, const TransportAddress& destination);

  /// Answers a request that was delivered to the request handler (or was absorbed by it).
  void Respond(const sip::SipMessage& request, sip::SipMessage response);

  /// Entry point from the transport.
  void Receive(sip::SipMessage&& message, const TransportAddress& source);

  const Counters& GetCounters() const { return m_counters; }
  std::size_t ClientTransactionCount() const { return m_client.size(); }
  std::size_t ServerTransactionCount() const { return m_server.size(); }

 private:
  struct ClientTransaction;
  struct ServerTransaction;

  static std::string Key(const std::string& branch, const std::string& method);
  static std::string ServerKey(const sip::SipMessage& request);

  void ClientRetransmit(const std::string& key);
  void OnConnectionLost(std::uint64_t connection);
  void ClientTimeout(const std::string& key);
  void ClientReceive(const sip::SipMessage& response, const TransportAddress& source);
  void EraseClient(const std::string& key);
  void SendCancelNow(ClientTransaction& invite);

  void ServerRetransmit(const std::string& key);
  void ServerTimeout(const std::string& key);
  void ServerReceive(sip::SipMessage&& request, const TransportAddress& source);
  void EraseServer(const std::string& key);
  void ScheduleServerErase(const std::string& key, ns3::Time after);

  SipTransport& m_transport;
  SipIdGenerator& m_ids;
  Timers m_timers;
  Counters m_counters;
  RequestHandler m_onRequest;
  StrayResponseHandler m_onStray;
  AckTimeoutHandler m_onAckTimeout;
  // Ordered maps: deterministic iteration; keys are "<branch>|<method>".
  std::map<std::string, std::unique_ptr<ClientTransaction>> m_client;
  std::map<std::string, std::unique_ptr<ServerTransaction>> m_server;
};

}  // namespace alglab

#endif
