#include "sim/endpoints/sip-transaction-layer.h"

#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/log.h>
#include <ns3/simulator.h>

#include <algorithm>
#include <vector>

NS_LOG_COMPONENT_DEFINE("AlglabSipTransactionLayer");

namespace alglab {

namespace {

constexpr const char* kMagicCookie = "z9hG4bK";

void CancelEvents(std::initializer_list<ns3::EventId*> events) {
  for (auto* e : events) {
    ns3::Simulator::Cancel(*e);
  }
}

}  // namespace

struct SipTransactionLayer::ClientTransaction {
  enum class State { Trying, Proceeding, Completed };
  sip::SipMessage request;
  TransportAddress destination;
  ResponseHandler handler;
  bool invite = false;
  bool reliable = false;  // went over TCP: no retransmissions, a timeout fails the connection
  std::uint64_t connection = 0;  // the TCP connection it went over
  bool resentAfterLoss = false;  // re-sent once on a new connection after its own was lost
  State state = State::Trying;
  ns3::Time interval;
  ns3::EventId retransmitTimer;
  ns3::EventId timeoutTimer;
  ns3::EventId lingerTimer;
  bool cancelWanted = false;
  bool cancelSent = false;
  std::optional<sip::SipMessage> ack;  // ACK of a non-2xx final, re-sent on its retransmissions

  ~ClientTransaction() { CancelEvents({&retransmitTimer, &timeoutTimer, &lingerTimer}); }
};

struct SipTransactionLayer::ServerTransaction {
  enum class State { Proceeding, Completed, Accepted, Confirmed };
  bool invite = false;
  std::string callId;
  std::uint32_t cseq = 0;
  std::optional<sip::SipMessage> lastResponse;
  State state = State::Proceeding;
  ns3::Time interval;
  ns3::EventId retransmitTimer;
  ns3::EventId timeoutTimer;
  ns3::EventId lingerTimer;

  ~ServerTransaction() { CancelEvents({&retransmitTimer, &timeoutTimer, &lingerTimer}); }
};

SipTransactionLayer::SipTransactionLayer(SipTransport& transport, SipIdGenerator& ids)
    : m_transport(transport), m_ids(ids) {
  // Both live in one SipStack and die together: the handler never outlives this layer.
  m_transport.AddConnectionLostHandler(
      [this](const TransportAddress&, std::uint64_t connection) { OnConnectionLost(connection); });
}

SipTransactionLayer::~SipTransactionLayer() = default;

void SipTransactionLayer::OnConnectionLost(std::uint64_t connection) {
  // A request that got no answer at all on a connection that died may never have arrived:
  // it goes once more, on a new connection (as stacks do when a reused connection turns out
  // dead). Answered ones (Proceeding) stay: their server has them.
  for (auto& [key, t] : m_client) {
    if (!t->reliable || t->connection != connection || t->resentAfterLoss ||
        t->state != ClientTransaction::State::Trying) {
      continue;
    }
    t->resentAfterLoss = true;
    if (m_transport.Send(t->request, t->destination)) {
      t->connection = m_transport.LastSendConnection();
      ++m_counters.retransmissions;
    }
  }
}

std::string SipTransactionLayer::Key(const std::string& branch, const std::string& method) {
  return branch + "|" + method;
}

std::string SipTransactionLayer::ServerKey(const sip::SipMessage& request) {
  const std::string method = request.Method() == "ACK" ? "INVITE" : request.Method();
  auto via = request.TopVia();
  auto branch = via ? via->Branch() : std::nullopt;
  if (branch && branch->rfind(kMagicCookie, 0) == 0) {
    return Key(*branch + "@" + via->host + ":" + std::to_string(via->port.value_or(5060)), method);
  }
  // RFC 2543 peers: no usable branch, match on the dialog-identifying headers instead.
  auto cseq = request.GetCSeq();
  return Key("legacy:" + request.CallId().value_or("") + ":" +
                 std::to_string(cseq ? cseq->sequence : 0) + ":" + FromTag(request).value_or(""),
             method);
}

// --- client side ----------------------------------------------------------------------------

std::string SipTransactionLayer::SendRequest(sip::SipMessage request,
                                             const TransportAddress& destination,
                                             ResponseHandler handler) {
  const std::string branch = m_ids.NewBranch();
  request.Prepend("Via", m_transport.MakeVia(branch).ToString());
  if (!request.Has("Max-Forwards")) {
    request.Set("Max-Forwards", "70");
  }
  auto t = std::make_unique<ClientTransaction>();
  t->invite = request.Method() == "INVITE";
  t->destination = destination;
  t->handler = std::move(handler);
  t->interval = m_timers.t1;
  const std::string key = Key(branch, request.Method());
  t->request = std::move(request);
  const bool sent = m_transport.Send(t->request, destination);
  t->reliable = m_transport.LastSendReliable();
  t->connection = m_transport.LastSendConnection();
  if (!sent) {
    // Transport failure (RFC 3261 section 8.1.3.1): report asynchronously so the caller never
    // sees its handler run inside SendRequest.
    t->timeoutTimer = ns3::Simulator::ScheduleNow([this, key] { ClientTimeout(key); });
  } else {
    // Timers A and E retransmit over unreliable transports only (RFC 3261 section 17.1).
    if (!m_transport.LastSendReliable()) {
      t->retransmitTimer =
          ns3::Simulator::Schedule(m_timers.t1, [this, key] { ClientRetransmit(key); });
    }
    t->timeoutTimer =
        ns3::Simulator::Schedule(m_timers.t1 * 64, [this, key] { ClientTimeout(key); });
  }
  m_client[key] = std::move(t);
  return branch;
}

void SipTransactionLayer::ClientRetransmit(const std::string& key) {
  auto it = m_client.find(key);
  if (it == m_client.end()) {
    return;
  }
  auto& t = *it->second;
  const bool active = t.state == ClientTransaction::State::Trying ||
                      (!t.invite && t.state == ClientTransaction::State::Proceeding);
  if (!active) {
    return;
  }
  m_transport.Send(t.request, t.destination);
  ++m_counters.retransmissions;
  if (t.invite) {
    t.interval = t.interval * 2;  // Timer A doubles without cap
  } else if (t.state == ClientTransaction::State::Proceeding) {
    t.interval = m_timers.t2;
  } else {
    t.interval = std::min(t.interval * 2, m_timers.t2);  // Timer E
  }
  t.retransmitTimer = ns3::Simulator::Schedule(t.interval, [this, key] { ClientRetransmit(key); });
}

void SipTransactionLayer::ClientTimeout(const std::string& key) {
  auto it = m_client.find(key);
  if (it == m_client.end()) {
    return;
  }
  auto t = std::move(it->second);
  m_client.erase(it);
  ++m_counters.timeouts;
  // A missing destination is a transport error (503), anything else a timeout (408).
  const int code = t->destination.IsValid() ? 408 : 503;
  const auto local = MakeLocalResponse(t->request, code);
  if (t->handler) {
    t->handler(ClientResponse{local, t->destination, true});
  }
  // No answer on a connection within 64*T1: it is dead (its NAT binding gone, say). The next
  // request opens a new one; the handset's ConnectionLost handler re-registers over it.
  if (t->reliable) m_transport.FailConnection(t->destination, t->connection);
}

void SipTransactionLayer::EraseClient(const std::string& key) { m_client.erase(key); }

void SipTransactionLayer::Cancel(const std::string& inviteBranch) {
  auto it = m_client.find(Key(inviteBranch, "INVITE"));
  if (it == m_client.end()) {
    return;
  }
  auto& t = *it->second;
  if (t.state == ClientTransaction::State::Completed || t.cancelSent) {
    return;
  }
  if (t.state == ClientTransaction::State::Proceeding) {
    SendCancelNow(t);
  } else {
    t.cancelWanted = true;  // RFC 3261 section 9.1: wait for a provisional response
  }
}

void SipTransactionLayer::SendCancelNow(ClientTransaction& invite) {
  invite.cancelSent = true;
  auto cancel = sip::SipMessage::Request("CANCEL", invite.request.RequestUri());
  // The CANCEL shares the INVITE's top Via (same branch) so the server can match it.
  cancel.Add("Via", invite.request.GetAll("Via").front());
  for (const auto& h : invite.request.Headers()) {
    const std::string name = sip::CanonicalHeaderName(h.name);
    if (name == "From" || name == "To" || name == "Call-ID" || name == "Route") {
      cancel.Add(name, h.value);
    }
  }
  const auto cseq = invite.request.GetCSeq();
  cancel.Add("CSeq", std::to_string(cseq ? cseq->sequence : 1) + " CANCEL");
  cancel.Add("Max-Forwards", "70");
  const std::string branch = invite.request.TopVia()->Branch().value_or("");
  const std::string key = Key(branch, "CANCEL");
  auto t = std::make_unique<ClientTransaction>();
  t->destination = invite.destination;
  t->interval = m_timers.t1;
  t->request = std::move(cancel);
  m_transport.Send(t->request, t->destination);
  t->retransmitTimer = ns3::Simulator::Schedule(m_timers.t1, [this, key] { ClientRetransmit(key); });
  t->timeoutTimer = ns3::Simulator::Schedule(m_timers.t1 * 64, [this, key] { ClientTimeout(key); });
  m_client[key] = std::move(t);
  // RFC 3261 section 9.1: if the INVITE sees no final response within 64*T1 of the CANCEL,
  // consider it cancelled.
  const std::string inviteKey = Key(branch, "INVITE");
  ns3::Simulator::Cancel(invite.timeoutTimer);
  invite.timeoutTimer =
      ns3::Simulator::Schedule(m_timers.t1 * 64, [this, inviteKey] { ClientTimeout(inviteKey); });
}

void SipTransactionLayer::SendAck(sip::SipMessage ack, const TransportAddress& destination) {
  ack.Prepend("Via", m_transport.MakeVia(m_ids.NewBranch()).ToString());
  if (!ack.Has("Max-Forwards")) {
    ack.Set("Max-Forwards", "70");
  }
  m_transport.Send(ack, destination);
}

void SipTransactionLayer::ClientReceive(const sip::SipMessage& response,
                                        const TransportAddress& source) {
  const auto via = response.TopVia();
  const auto cseq = response.GetCSeq();
  const auto branch = via ? via->Branch() : std::nullopt;
  auto it = branch && cseq ? m_client.find(Key(*branch, cseq->method)) : m_client.end();
  if (it == m_client.end()) {
    if (cseq && cseq->method == "INVITE" && response.StatusCode() >= 200 &&
        response.StatusCode() < 300 && m_onStray) {
      m_onStray(response, source);  // retransmitted 2xx: the dialog re-sends its ACK
    } else {
      ++m_counters.absorbed;
    }
    return;
  }
  const std::string key = it->first;
  auto& t = *it->second;
  const int code = response.StatusCode();
  if (t.state == ClientTransaction::State::Completed) {
    if (t.invite && t.ack) {
      m_transport.Send(*t.ack, t.destination);  // our ACK was lost: the final came again
    }
    ++m_counters.absorbed;
    return;
  }
  if (code < 200) {
    if (t.state == ClientTransaction::State::Trying) {
      t.state = ClientTransaction::State::Proceeding;
      if (t.invite) {
        ns3::Simulator::Cancel(t.retransmitTimer);
        if (!t.cancelSent) {
          ns3::Simulator::Cancel(t.timeoutTimer);  // Timer B only runs in "Calling"
        }
      }
    }
    if (t.cancelWanted && !t.cancelSent) {
      SendCancelNow(t);
    }
    auto handler = t.handler;
    if (handler) {
      handler(ClientResponse{response, source, false});
    }
    return;
  }
  ns3::Simulator::Cancel(t.retransmitTimer);
  ns3::Simulator::Cancel(t.timeoutTimer);
  auto handler = t.handler;
  if (t.invite && code < 300) {
    EraseClient(key);
  } else {
    t.state = ClientTransaction::State::Completed;
    if (t.invite) {
      // RFC 3261 section 17.1.1.3: the ACK for a non-2xx belongs to the INVITE transaction.
      auto ack = sip::SipMessage::Request("ACK", t.request.RequestUri());
      ack.Add("Via", t.request.GetAll("Via").front());
      for (const auto& h : t.request.Headers()) {
        const std::string name = sip::CanonicalHeaderName(h.name);
        if (name == "From" || name == "Call-ID" || name == "Route") {
          ack.Add(name, h.value);
        }
      }
      if (auto to = response.Get("To")) {
        ack.Add("To", *to);
      }
      ack.Add("CSeq", std::to_string(cseq->sequence) + " ACK");
      ack.Add("Max-Forwards", "70");
      m_transport.Send(ack, t.destination);
      t.ack = std::move(ack);
    }
    // Timer D (INVITE, 32 s on UDP) / Timer K (non-INVITE, T4) absorb retransmitted finals.
    const ns3::Time linger = t.invite ? ns3::Seconds(32) : m_timers.t4;
    t.lingerTimer = ns3::Simulator::Schedule(linger, [this, key] { EraseClient(key); });
  }
  if (handler) {
    handler(ClientResponse{response, source, false});
  }
}

// --- server side ----------------------------------------------------------------------------

void SipTransactionLayer::Respond(const sip::SipMessage& request, sip::SipMessage response) {
  const std::string key = ServerKey(request);
  auto it = m_server.find(key);
  if (it == m_server.end()) {
    m_transport.SendResponse(response);  // no transaction (e.g. it already ended): stateless
    return;
  }
  auto& t = *it->second;
  if (t.state != ServerTransaction::State::Proceeding) {
    NS_LOG_WARN("second final response to one request ignored: " << key);
    return;
  }
  const int code = response.StatusCode();
  m_transport.SendResponse(response);
  t.lastResponse = std::move(response);
  if (code < 200) {
    return;
  }
  if (!t.invite) {
    t.state = ServerTransaction::State::Completed;
    ScheduleServerErase(key, m_timers.t1 * 64);  // Timer J
    return;
  }
  t.state = code < 300 ? ServerTransaction::State::Accepted : ServerTransaction::State::Completed;
  t.interval = m_timers.t1;
  t.retransmitTimer = ns3::Simulator::Schedule(t.interval, [this, key] { ServerRetransmit(key); });
  t.timeoutTimer = ns3::Simulator::Schedule(m_timers.t1 * 64, [this, key] { ServerTimeout(key); });
}

void SipTransactionLayer::ServerRetransmit(const std::string& key) {
  auto it = m_server.find(key);
  if (it == m_server.end()) {
    return;
  }
  auto& t = *it->second;
  if ((t.state != ServerTransaction::State::Accepted &&
       t.state != ServerTransaction::State::Completed) ||
      !t.lastResponse) {
    return;
  }
  m_transport.SendResponse(*t.lastResponse);
  ++m_counters.retransmissions;
  t.interval = std::min(t.interval * 2, m_timers.t2);  // Timer G / 2xx retransmission
  t.retransmitTimer = ns3::Simulator::Schedule(t.interval, [this, key] { ServerRetransmit(key); });
}

void SipTransactionLayer::ServerTimeout(const std::string& key) {
  auto it = m_server.find(key);
  if (it == m_server.end()) {
    return;
  }
  const bool ackMissing = it->second->state == ServerTransaction::State::Accepted;
  const std::string callId = it->second->callId;
  const std::uint32_t cseq = it->second->cseq;
  m_server.erase(it);
  if (ackMissing && m_onAckTimeout) {
    m_onAckTimeout(callId, cseq);
  }
}

void SipTransactionLayer::EraseServer(const std::string& key) { m_server.erase(key); }

void SipTransactionLayer::ScheduleServerErase(const std::string& key, ns3::Time after) {
  auto it = m_server.find(key);
  if (it == m_server.end()) {
    return;
  }
  ns3::Simulator::Cancel(it->second->lingerTimer);
  it->second->lingerTimer = ns3::Simulator::Schedule(after, [this, key] { EraseServer(key); });
}

void SipTransactionLayer::ServerReceive(sip::SipMessage&& request, const TransportAddress& source) {
  const std::string key = ServerKey(request);
  auto it = m_server.find(key);
  if (request.Method() == "ACK") {
    if (it != m_server.end()) {
      auto& t = *it->second;
      if (t.state == ServerTransaction::State::Completed) {
        // ACK for our non-2xx final: Timer I, then forget. Not passed up (RFC 3261 17.2.1).
        t.state = ServerTransaction::State::Confirmed;
        ns3::Simulator::Cancel(t.retransmitTimer);
        ns3::Simulator::Cancel(t.timeoutTimer);
        ScheduleServerErase(key, m_timers.t4);
        ++m_counters.absorbed;
        return;
      }
      if (t.state == ServerTransaction::State::Confirmed) {
        ++m_counters.absorbed;
        return;
      }
    }
    // ACK for a 2xx is its own transaction: match the accepted INVITE by Call-ID and CSeq.
    const auto cseq = request.GetCSeq();
    const auto callId = request.CallId();
    for (auto s = m_server.begin(); s != m_server.end(); ++s) {
      if (s->second->state == ServerTransaction::State::Accepted && cseq && callId &&
          s->second->callId == *callId && s->second->cseq == cseq->sequence) {
        m_server.erase(s);
        break;
      }
    }
    if (m_onRequest) {
      m_onRequest(request, source);
    }
    return;
  }
  if (it != m_server.end()) {
    if (it->second->lastResponse) {
      m_transport.SendResponse(*it->second->lastResponse);
    }
    ++m_counters.absorbed;
    return;
  }
  auto t = std::make_unique<ServerTransaction>();
  t->invite = request.Method() == "INVITE";
  t->callId = request.CallId().value_or("");
  t->cseq = request.GetCSeq() ? request.GetCSeq()->sequence : 0;
  m_server[key] = std::move(t);
  // A transaction user that never answers must not leak the entry forever.
  ScheduleServerErase(key, ns3::Seconds(300));
  if (m_onRequest) {
    m_onRequest(request, source);
  }
}

void SipTransactionLayer::Receive(sip::SipMessage&& message, const TransportAddress& source) {
  if (message.IsRequest()) {
    ServerReceive(std::move(message), source);
  } else {
    ClientReceive(message, source);
  }
}

}  // namespace alglab
