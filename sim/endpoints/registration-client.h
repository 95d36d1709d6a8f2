#ifndef ALGLAB_ENDPOINTS_REGISTRATION_CLIENT_H
#define ALGLAB_ENDPOINTS_REGISTRATION_CLIENT_H

// Client side of registration (RFC 3261 section 10.2) as handsets and PBX trunks do it:
//  - REGISTER with the private Contact, one Call-ID for the binding's lifetime, CSeq counting;
//  - MD5 digest (RFC 2617, RFC 3261 section 22): answers 401/407 once per nonce, reuses the
//    challenge (nc+1) on refreshes, a second challenge for a nonce it answered = bad password;
//  - refresh at RefreshPercent of the granted expiry, retry after a failure with a fixed backoff;
//  - learns its public address from received/rport in the response Via (RFC 3581) and, like
//    pjsip/modern handsets, re-registers at once when a later response (REGISTER or keepalive
//    OPTIONS) shows a different one: the NAT binding moved.

#include "sim/endpoints/lifetime-token.h"
#include "sim/endpoints/sip-stack.h"
#include "sim/endpoints/transport-address.h"
#include "sim/sip/digest-auth.h"

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace alglab {

class RegistrationClient {
 public:
  struct Config {
    std::string user;            ///< AOR user and digest username
    std::string password;
    std::string domain;          ///< Request-URI host and AOR domain
    TransportAddress registrar;  ///< where REGISTERs are sent
    std::uint32_t expiry = 300;  ///< requested Expires (seconds)
    std::uint32_t refreshPercent = 80;
    ns3::Time retryInterval = ns3::Seconds(30);
    bool rebindOnNatChange = true;
  };

  struct Events {
    /// A registration attempt finished: 2xx, or a failure the client will not answer itself
    /// (403, a rejected digest, 404, 408 timeout, ...). Intermediate 401/407 are not reported.
    std::function<void(bool success, std::uint16_t status)> onOutcome;
    /// The public address seen by the registrar moved (a NAT rebooted or re-mapped us) and the
    /// client re-registers now. Other dialogs of the device (BLF subscriptions) are refreshed
    /// from here, as phones do, so their far ends learn the new binding too.
    std::function<void()> onNatRebind;
  };

  struct Counters {
    std::uint64_t requests = 0;     ///< REGISTER transactions started
    std::uint64_t successes = 0;
    std::uint64_t failures = 0;
    std::uint64_t natRebinds = 0;   ///< immediate re-registrations after a public address change
  };

  RegistrationClient(SipStack& stack, Config config, Events events);
  ~RegistrationClient();
  RegistrationClient(const RegistrationClient&) = delete;
  RegistrationClient& operator=(const RegistrationClient&) = delete;

  void Start();
  void Stop();
  /// Sends the next REGISTER now instead of at the refresh time (a lost TCP connection).
  void RegisterSoon();
  /// A REGISTER was sent and has no final answer yet.
  bool Pending() const { return m_pending; }

  bool IsRegistered() const;
  /// Public address as the registrar saw us (received/rport of the last response Via).
  std::optional<TransportAddress> PublicAddress() const { return m_public; }
  std::uint32_t GrantedExpiry() const { return m_granted; }
  const std::string& CallId() const { return m_callId; }
  const Counters& GetCounters() const { return m_counters; }
  const Config& GetConfig() const { return m_config; }

  /// The top Via of a response to another request we sent to the same server (keepalive
  /// OPTIONS): triggers a re-registration if our public address changed.
  void ObserveResponseVia(const sip::Via& via);

  /// (received or sent-by host, rport value or sent-by port) of a response Via.
  static std::optional<TransportAddress> PublicAddressFromVia(const sip::Via& via);

 private:
  void SendRegister();
  void OnResponse(const ClientResponse& response);
  void Fail(std::uint16_t status);
  bool LearnPublicAddress(const sip::Via& via);
  std::uint32_t GrantedFrom(const sip::SipMessage& ok) const;
  void ScheduleNext(ns3::Time delay);

  SipStack& m_stack;
  Config m_config;
  Events m_events;
  LifetimeToken m_life;
  bool m_running = false;
  std::string m_callId;
  std::string m_fromTag;
  std::uint32_t m_cseq = 0;
  std::optional<sip::DigestChallenge> m_challenge;
  bool m_challengeIsProxy = false;
  unsigned m_nonceCount = 0;
  std::string m_answeredNonce;  // nonce the in-flight REGISTER carried credentials for
  bool m_registered = false;
  bool m_pending = false;
  ns3::Time m_expiresAt;
  std::uint32_t m_granted = 0;
  std::optional<TransportAddress> m_public;
  ns3::EventId m_timer;
  Counters m_counters;
};

}  // namespace alglab

#endif
