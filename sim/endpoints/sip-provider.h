#ifndef ALGLAB_ENDPOINTS_SIP_PROVIDER_H
#define ALGLAB_ENDPOINTS_SIP_PROVIDER_H

// An ITSP (SIP trunk provider) on the internet: registrar for trunk accounts that own DIDs,
// with the same server-side NAT traversal knobs as the PBX; places inbound calls to a DID at
// the registered contact of the owning trunk; answers the trunk's outbound calls itself with
// a media endpoint that sends and receives RTP (the far party of the PSTN, which never hangs
// up first).
//
// Attributes (besides SipEndpoint's Name, LocalAddress, LocalSipPort, RtpPortBase, Rport):
//   Domain, HonourRport, FixContact, LatchMedia, SymmetricRtp, NatKeepaliveInterval, MaxExpiry,
//   AnswerAfter, NoAnswerTimeout, CallerId.
// Trace sources: SipEndpoint's plus "InboundCallPlaced".

#include "sim/endpoints/invite-session.h"
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

class SipProvider : public SipEndpoint {
 public:
  static ns3::TypeId GetTypeId();
  SipProvider();
  ~SipProvider() override;

  /// A trunk account and the DIDs (numbers) it owns.
  void AddAccount(std::string user, std::string password, std::vector<std::string> dids);
  /// Calls `did` at the registered contact of the account owning it; hangs up `duration` after
  /// the answer, CANCELs after NoAnswerTimeout. Without a registration the attempt fails at
  /// once (InboundCallPlaced then CallEnded "480").
  void PlaceInboundCall(std::string did, ns3::Time duration);

  bool IsRegistered(const std::string& user) const;
  std::vector<RegistrarBinding> Bindings(const std::string& user) const;
  std::size_t ActiveCallCount() const { return m_calls.size(); }
  const Registrar* GetRegistrar() const { return m_registrar.get(); }
  /// Media of a call by Call-ID (nullptr if none), for tests.
  const MediaSession* GetMedia(const std::string& callId) const;

 protected:
  void StartEndpoint() override;
  void StopEndpoint() override;
  void HandleRequest(const sip::SipMessage& request, const TransportAddress& source) override;
  void HandleStrayResponse(const sip::SipMessage& response, const TransportAddress& source) override;
  void HandleAckTimeout(const std::string& callId, std::uint32_t cseq) override;
  std::string Kind() const override { return "provider"; }

 private:
  struct ProviderCall;

  std::string DomainName() const;
  ProviderCall* NewCall(const std::string& callId);
  InviteSession::Events CallEvents(const std::string& callId);
  void OnEstablished(const std::string& callId);
  void OnTerminated(const std::string& callId, const std::string& reason);
  void AnswerCall(const std::string& callId);
  void HangupCall(const std::string& callId);
  void AcceptOutboundCall(const sip::SipMessage& invite, const TransportAddress& source);
  std::string Sdp(const ProviderCall& call) const;

  // Attributes
  std::string m_domain;
  bool m_fixContact = true;
  bool m_latchMedia = true;
  bool m_symmetricRtp = true;
  ns3::Time m_natKeepaliveInterval;
  std::uint32_t m_maxExpiry = 3600;
  ns3::Time m_answerAfter;
  ns3::Time m_noAnswerTimeout;
  std::string m_callerId;

  struct Account {
    std::string password;
    std::vector<std::string> dids;
  };
  std::map<std::string, Account> m_accounts;  // user -> account
  std::map<std::string, std::string> m_didOwner;  // did -> user
  std::unique_ptr<Registrar> m_registrar;
  std::map<std::string, std::unique_ptr<ProviderCall>> m_calls;  // by Call-ID

  ns3::TracedCallback<const std::string&, const std::string&, const std::string&>
      m_inboundCallPlaced;
};

}  // namespace alglab

#endif
