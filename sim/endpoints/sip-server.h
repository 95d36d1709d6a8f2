#ifndef ALGLAB_ENDPOINTS_SIP_SERVER_H
#define ALGLAB_ENDPOINTS_SIP_SERVER_H

// Common base of the server endpoints (PBX and provider): a SIP domain with a registrar for its
// digest accounts, and the server-side NAT traversal that deployed servers do for clients
// behind NAT, each a knob so a scenario can switch it off and see what breaks:
//  - HonourRport: answer to the request's source port (RFC 3581);
//  - FixContact: send requests back to where a client's requests come from, not to its Contact;
//  - LatchMedia / SymmetricRtp: send RTP to where the peer's RTP comes from, from the port we
//    receive on;
//  - NatKeepaliveInterval: OPTIONS pings that keep NATed registrations reachable;
//  - MaxExpiry: the longest registration granted (short ones keep NAT mappings fresh too).
//
// Attributes (besides SipEndpoint's Name, LocalAddress, LocalSipPort, RtpPortBase, Rport):
//   Domain, HonourRport, FixContact, LatchMedia, SymmetricRtp, NatKeepaliveInterval, MaxExpiry.

#include "sim/endpoints/media-session.h"
#include "sim/endpoints/registrar.h"
#include "sim/endpoints/sip-endpoint.h"

#include <ns3/nstime.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alglab {

class SipServer : public SipEndpoint {
 public:
  static ns3::TypeId GetTypeId();
  SipServer();
  ~SipServer() override;

  /// Whether `user` has at least one live registration (false before start).
  bool IsRegistered(const std::string& user) const;
  /// Live registrations of `user` (empty before start).
  std::vector<RegistrarBinding> Bindings(const std::string& user) const;
  /// nullptr while the application is not running.
  const Registrar* GetRegistrar() const { return m_registrar.get(); }

 protected:
  /// Opens the registrar with every account added so far, then starts the concrete server.
  void StartEndpoint() final;
  /// Stops the concrete server, then the registrar.
  void StopEndpoint() final;
  /// Called once the registrar runs.
  virtual void StartServer() = 0;
  /// Called before the registrar stops; must release calls and timers.
  virtual void StopServer() = 0;

  /// A digest account of the registrar; takes effect at once when running, else at start.
  void AddRegistrarAccount(const std::string& user, const std::string& password);
  bool HasAccount(const std::string& user) const { return m_accounts.count(user) != 0; }
  /// The Domain attribute, or our address as text when it is empty.
  std::string DomainName() const;
  /// Options for an RTP stream of ours, with the server's SymmetricRtp and LatchMedia knobs.
  MediaSession::Options ServerMediaOptions(bool generate) const;

  // Attributes (HonourRport's member is SipEndpoint's, which applies it to the transport)
  std::string m_domain;
  bool m_fixContact = true;
  bool m_latchMedia = true;
  bool m_symmetricRtp = true;
  ns3::Time m_natKeepaliveInterval;
  std::uint32_t m_maxExpiry = 3600;

  std::unique_ptr<Registrar> m_registrar;

 private:
  std::map<std::string, std::string> m_accounts;  // user -> password
};

}  // namespace alglab

#endif
