#ifndef ALGLAB_ENDPOINTS_REGISTRAR_H
#define ALGLAB_ENDPOINTS_REGISTRAR_H

// Server side of registration, shared by the PBX (extensions) and the provider (trunks):
// digest challenge (RFC 3261 section 22.4, qop=auth), a location service with one or more
// expiring bindings per user, and the server-side NAT traversal deployed servers do:
//  - FixContact: store the address the REGISTER really came from instead of the Contact's
//    (Asterisk force_rport+rewrite_contact, Kamailio fix_nated_register);
//  - NAT keepalive: OPTIONS pings to every binding that looks NATed (source differs from the
//    Contact), which keeps the binding's NAT mapping open for inbound INVITEs.
// Whether responses go back to the source port (HonourRport) is the transport's knob.

#include "sim/endpoints/lifetime-token.h"
#include "sim/endpoints/sip-stack.h"
#include "sim/endpoints/transport-address.h"

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace alglab {

struct RegistrarBinding {
  std::string user;
  sip::Uri contact;        ///< the Contact as registered
  sip::Uri requestUri;     ///< Request-URI for requests to this binding (host fixed with FixContact)
  TransportAddress source; ///< where the REGISTER came from
  /// Where requests to this binding are sent: the source with FixContact, else the Contact's
  /// host:port (nullopt when that is not an IPv4 literal).
  std::optional<TransportAddress> target;
  bool behindNat = false;  ///< source differs from the Contact's host:port
  ns3::Time expiresAt;
  std::string callId;
};

class Registrar {
 public:
  struct Config {
    std::string realm = "alglab";
    bool fixContact = true;
    ns3::Time natKeepaliveInterval = ns3::Seconds(30);  ///< 0 disables the OPTIONS pings
    std::uint32_t maxExpiry = 3600;
    std::uint32_t defaultExpiry = 3600;
  };

  struct Counters {
    std::uint64_t registrations = 0;   ///< successful REGISTERs (refreshes included)
    std::uint64_t challenges = 0;      ///< 401 sent
    std::uint64_t rejected = 0;        ///< 403/404 sent
    std::uint64_t keepalivesSent = 0;  ///< NAT keepalive OPTIONS
    std::uint64_t keepalivesAnswered = 0;
  };

  Registrar(SipStack& stack, Config config);
  ~Registrar();
  Registrar(const Registrar&) = delete;
  Registrar& operator=(const Registrar&) = delete;

  void AddAccount(const std::string& user, const std::string& password);
  bool HasAccount(const std::string& user) const { return m_accounts.count(user) != 0; }

  /// Authenticates and applies a REGISTER, and responds to it.
  void HandleRegister(const sip::SipMessage& request, const TransportAddress& source);

  /// Live bindings of `user` in registration order (expired ones dropped).
  std::vector<RegistrarBinding> Lookup(const std::string& user) const;
  bool IsRegistered(const std::string& user) const { return !Lookup(user).empty(); }

  /// Starts / stops the NAT keepalive pinger.
  void Start();
  void Stop();

  const Config& GetConfig() const { return m_config; }
  const Counters& GetCounters() const { return m_counters; }

 private:
  void Challenge(const sip::SipMessage& request, bool stale);
  void Reject(const sip::SipMessage& request, int code);
  void PingNatedBindings();
  void PingBinding(const std::string& user, const RegistrarBinding& binding);
  void Prune();

  SipStack& m_stack;
  Config m_config;
  LifetimeToken m_life;
  std::map<std::string, std::string> m_accounts;  // user -> password
  // user -> bindings in registration order
  std::map<std::string, std::vector<RegistrarBinding>> m_bindings;
  std::set<std::string> m_nonces;  // nonces we issued
  ns3::EventId m_pingTimer;
  std::string m_pingCallId;
  std::string m_pingTag;
  std::uint32_t m_pingCseq = 0;
  Counters m_counters;
};

}  // namespace alglab

#endif
