#ifndef ALGLAB_ENDPOINTS_SIP_PROVIDER_H
#define ALGLAB_ENDPOINTS_SIP_PROVIDER_H

// An ITSP (SIP trunk provider) on the internet: registrar for trunk accounts that own DIDs,
// with the server-side NAT traversal knobs of every SipServer; places inbound calls to a DID at
// the registered contact of the owning trunk; answers the trunk's outbound calls itself with
// a media endpoint that sends and receives RTP (the far party of the PSTN, which never hangs
// up first).
//
// Inbound proxies: many ITSPs accept REGISTER at one address and send inbound INVITEs from
// others (an edge proxy farm). With InboundProxies = N the provider also listens on the next N
// addresses of its interface (the network gives them) and InboundFrom picks which address
// each inbound call comes from; every in-dialog request of that call then uses it too. Media
// comes from the main address unless there is a media server: so a proxied call's RTP also has
// another source than its signalling.
//
// Media server: many ITSPs keep RTP off their signalling hosts. With MediaServer = true every
// call's RTP (inbound and outbound calls) is sent from and received at one more address of the
// interface, the one after the inbound proxies' (the network gives it), and the provider's SDP
// (o= and c=) names that address; SIP stays at the main address. A NAT that filters by address
// then admits the provider's RTP only after the office sent RTP to the media address itself.
//
// Comedia: SipServer's LatchMedia makes the provider send each call's RTP to where the peer's
// RTP comes from, not to the peer's SDP address (a private one is never tried: it waits).
//
// Who sends media first (MediaFirst): "provider" (default) starts the 20 ms audio clock as the
// call is answered; "peer" sends nothing until the first RTP packet of the call arrives from
// the other side, then starts the clock at once, like a media server that waits to hear the
// caller. Either way the peer's RTP has to reach the media address for the provider to latch.
//
// Attributes (besides SipServer's Domain and NAT knobs, and SipEndpoint's):
//   AnswerAfter, NoAnswerTimeout, CallerId, InboundProxies, InboundFrom, MediaServer,
//   MediaFirst.
// Trace sources: SipEndpoint's plus "InboundCallPlaced".

#include "sim/endpoints/invite-session.h"
#include "sim/endpoints/media-session.h"
#include "sim/endpoints/sip-server.h"
#include "sim/endpoints/user-agent-call.h"

#include <ns3/ipv4-address.h>
#include <ns3/nstime.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alglab {

class SipProvider : public SipServer {
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

  /// Who sends the first RTP packet of a call (attribute MediaFirst).
  enum MediaFirst { MEDIA_FIRST_PROVIDER, MEDIA_FIRST_PEER };

  std::size_t ActiveCallCount() const { return m_calls.size(); }
  /// The address the provider's RTP uses: the media server's, else the signalling address.
  ns3::Ipv4Address MediaAddress() const;
  /// Media of a call by Call-ID (nullptr if none), for tests.
  const MediaSession* GetMedia(const std::string& callId) const;

 protected:
  void StartServer() override;  // opens the inbound proxies; calls are placed on command
  void StopServer() override;
  void HandleRequest(const sip::SipMessage& request, const TransportAddress& source) override;
  void HandleStrayResponse(const sip::SipMessage& response, const TransportAddress& source) override;
  void HandleAckTimeout(const std::string& callId, std::uint32_t cseq) override;
  std::string Kind() const override { return "provider"; }

 private:
  UserAgentCall* NewCall(const std::string& callId);
  InviteSession::Events CallEvents(const std::string& callId);
  void OnEstablished(const std::string& callId);
  void OnTerminated(const std::string& callId, const std::string& reason);
  void AnswerCall(const std::string& callId);
  void HangupCall(const std::string& callId);
  void AcceptOutboundCall(const sip::SipMessage& invite, const TransportAddress& source);
  std::string Sdp(const UserAgentCall& call) const;
  /// The stack the next inbound call is sent from (InboundFrom's rule).
  SipStack& NextInboundStack();
  /// The interface's addresses after the main one, in the order the network added them: the
  /// inbound proxies', then the media server's.
  std::vector<ns3::Ipv4Address> ExtraAddresses() const;
  /// Requests reaching an inbound proxy: those of its calls; OPTIONS answered; others refused.
  void HandleProxyRequest(SipStack& stack, const sip::SipMessage& request, const TransportAddress& source);

  // Attributes
  ns3::Time m_answerAfter;
  ns3::Time m_noAnswerTimeout;
  std::string m_callerId;
  std::uint32_t m_inboundProxyCount = 0;
  std::string m_inboundFrom = "registrar";
  bool m_mediaServer = false;
  MediaFirst m_mediaFirst = MEDIA_FIRST_PROVIDER;

  std::vector<std::unique_ptr<SipStack>> m_proxies;
  std::uint64_t m_inboundCalls = 0;  // inbound calls placed, for InboundFrom's rotation
  /// The media server's address while running with MediaServer, else any (RTP sockets then
  /// bind as every other endpoint's do).
  ns3::Ipv4Address m_mediaAddress = ns3::Ipv4Address::GetAny();

  // Trunk accounts are the registrar's accounts (SipServer); each owns DIDs.
  std::map<std::string, std::string> m_didOwner;  // did -> user
  std::map<std::string, std::unique_ptr<UserAgentCall>> m_calls;  // by Call-ID

  ns3::TracedCallback<const std::string&, const std::string&, const std::string&>
      m_inboundCallPlaced;
};

}  // namespace alglab

#endif
