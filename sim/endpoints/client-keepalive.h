#ifndef ALGLAB_ENDPOINTS_CLIENT_KEEPALIVE_H
#define ALGLAB_ENDPOINTS_CLIENT_KEEPALIVE_H

// NAT keepalives a handset (or PBX trunk) sends to its registrar so the NAT binding that
// carries inbound INVITEs stays open: RFC 5626 double-CRLF datagrams, or SIP OPTIONS pings
// (what many handsets do; their responses also reveal the current public address via
// received/rport, which feeds NAT-change detection).

#include "sim/endpoints/lifetime-token.h"
#include "sim/endpoints/sip-stack.h"
#include "sim/endpoints/transport-address.h"

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace alglab {

enum class KeepaliveKind { None, Crlf, Options };

/// "none" | "crlf" | "options" (case-insensitive).
std::optional<KeepaliveKind> ParseKeepaliveKind(const std::string& text);
const char* ToString(KeepaliveKind kind);

class KeepaliveSender {
 public:
  struct Config {
    KeepaliveKind kind = KeepaliveKind::Options;
    ns3::Time interval = ns3::Seconds(25);
    TransportAddress target;
    std::string user;    ///< From user of OPTIONS
    std::string domain;  ///< Request-URI host of OPTIONS
  };

  struct Counters {
    std::uint64_t sent = 0;
    std::uint64_t answered = 0;  ///< OPTIONS that got a real (not local timeout) response
  };

  /// `onResponse` sees every real response to a keepalive OPTIONS.
  KeepaliveSender(SipStack& stack, Config config,
                  std::function<void(const sip::SipMessage& response)> onResponse);
  ~KeepaliveSender();
  KeepaliveSender(const KeepaliveSender&) = delete;
  KeepaliveSender& operator=(const KeepaliveSender&) = delete;

  /// First keepalive one interval from now, then every interval. No-op for kind None or a
  /// zero interval.
  void Start();
  void Stop();
  bool IsRunning() const { return m_running; }
  const Counters& GetCounters() const { return m_counters; }

 private:
  void SendOne();

  SipStack& m_stack;
  Config m_config;
  std::function<void(const sip::SipMessage&)> m_onResponse;
  LifetimeToken m_life;
  bool m_running = false;
  std::string m_callId;
  std::string m_fromTag;
  std::uint32_t m_cseq = 0;
  ns3::EventId m_timer;
  Counters m_counters;
};

}  // namespace alglab

#endif
