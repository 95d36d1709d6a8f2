#ifndef ALGLAB_ENDPOINTS_SIP_ENDPOINT_H
#define ALGLAB_ENDPOINTS_SIP_ENDPOINT_H

// Common base of the SIP applications (phone, PBX, provider): the attributes and trace sources
// every endpoint has (see endpoint-traces.h for the trace signatures and their meaning), the
// SIP stack's lifetime, and dispatch of incoming requests to the concrete endpoint.
//
// Attributes (all endpoints): Name, LocalAddress, LocalSipPort, RtpPortBase, Rport,
// MediaStartJitter. Random draws come from one stream per endpoint: call AssignStreams.
// Trace sources (all endpoints): RegistrationOutcome, CallAttempt, IncomingCall,
// CallEstablished, CallEnded, RtpSent, RtpReceived.

#include "sim/endpoints/client-keepalive.h"
#include "sim/endpoints/media-session.h"
#include "sim/endpoints/registration-client.h"
#include "sim/endpoints/sip-stack.h"
#include "sim/endpoints/transport-address.h"

#include <ns3/application.h>
#include <ns3/event-id.h>
#include <ns3/nstime.h>
#include <ns3/ipv4-address.h>
#include <ns3/random-variable-stream.h>
#include <ns3/traced-callback.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace alglab {

class SipEndpoint : public ns3::Application {
 public:
  static ns3::TypeId GetTypeId();
  SipEndpoint();
  ~SipEndpoint() override;

  /// The Name attribute, or "<kind>-<node id>" when it is empty. First argument of every trace.
  const std::string& GetName() const;
  /// The address written into Via/Contact/SDP (LocalAddress, or the node's first interface).
  ns3::Ipv4Address GetLocalAddress() const;
  /// Power-cycles the device: stops now (no unregistration, calls dropped without signalling,
  /// as when the power goes), starts again after `downtime`. Identifier counters continue.
  void Reboot(ns3::Time downtime);
  bool IsRunning() const { return m_stack != nullptr; }

  /// Fixes the endpoint's random stream (media clock phase, call set-up delay) to `stream`,
  /// so a run is identical for a seed whatever else draws random numbers. Returns the number
  /// of streams used (1).
  int64_t AssignStreams(int64_t stream);

  /// nullptr while the application is not running.
  SipStack* GetStack() { return m_stack.get(); }
  const SipStack* GetStack() const { return m_stack.get(); }

 protected:
  void DoDispose() override;

  /// Called after the SIP socket is open.
  virtual void StartEndpoint() = 0;
  /// Called before the SIP socket closes; must release sessions and timers.
  virtual void StopEndpoint() = 0;
  /// Every request that is not a retransmission (ACKs for 2xx included).
  virtual void HandleRequest(const sip::SipMessage& request, const TransportAddress& source) = 0;
  /// A 2xx to an INVITE whose transaction already ended (our ACK was lost).
  virtual void HandleStrayResponse(const sip::SipMessage& response,
                                   const TransportAddress& source);
  /// A 2xx we sent was never ACKed.
  virtual void HandleAckTimeout(const std::string& callId, std::uint32_t cseq);
  /// Short kind name for the default Name and the User-Agent ("phone", "pbx", "provider").
  virtual std::string Kind() const = 0;

  /// Server endpoints call this to choose RFC 3581 behaviour for requests they receive.
  void SetHonourRport(bool on);

  /// A second SIP stack of this device on `address`:`port` (another signalling address, e.g. a
  /// provider's inbound proxy), configured as the main one (rport, transports, product) and
  /// reporting stray responses and ACK timeouts to this endpoint; requests go to `onRequest`.
  /// nullptr (logged) when the port cannot be opened.
  using RequestHandler = std::function<void(SipStack& stack, const sip::SipMessage&, const TransportAddress&)>;
  std::unique_ptr<SipStack> OpenExtraStack(const std::string& name, ns3::Ipv4Address address,
                                           std::uint16_t port, RequestHandler onRequest);

  /// Opens an RTP stream on the next free RTP port, traced under `callId`; nullptr (port
  /// released again) when the socket cannot be opened.
  std::unique_ptr<MediaSession> CreateMedia(MediaSession::Options options,
                                            const std::string& callId);
  void ReleaseMedia(std::unique_ptr<MediaSession>& media);
  /// A uniform draw in [0, max) from the endpoint's stream; 0 when max is not positive.
  ns3::Time DrawDelay(ns3::Time max);

  /// NAT keepalives toward the registrar of `registration` (its user and domain in OPTIONS),
  /// whose responses feed its NAT-change detection. `kind` is the text of the attribute named
  /// `kindAttribute` ("none", "crlf", "options"); an unknown kind is logged and sends nothing.
  /// Not started: phones and trunks start keepalives once registered. `registration` must
  /// outlive the sender.
  std::unique_ptr<KeepaliveSender> CreateRegistrationKeepalive(RegistrationClient& registration,
                                                               const std::string& kindAttribute,
                                                               const std::string& kind,
                                                               ns3::Time interval);

  /// The answers every endpoint gives to a request that matches none of its dialogs or
  /// services: 200 to OPTIONS (advertising `allow`, and `accept` unless empty), nothing to a
  /// stray ACK, 481 to what belongs to a dialog (BYE, CANCEL, a To tag), 405 to the rest.
  void AnswerUnmatchedRequest(const sip::SipMessage& request, const std::string& allow,
                              const std::string& accept = "");

  // Attributes
  std::string m_nameAttr;
  ns3::Ipv4Address m_localAddressAttr;
  std::uint16_t m_localSipPort = 5060;
  std::uint16_t m_sipSourcePort = 0;
  bool m_largeRequestsOverTcp = false;
  std::uint16_t m_rtpPortBase = 10000;
  bool m_rport = true;
  bool m_honourRport = true;
  std::string m_transport = "udp";  ///< "udp", "tcp" or "tls": how requests this endpoint originates go
  bool m_listenTcp = true;
  std::uint16_t m_tlsPort = 5061;
  ns3::Time m_mediaStartJitter;
  ns3::Ptr<ns3::UniformRandomVariable> m_random;

  std::unique_ptr<SipStack> m_stack;

  // Trace sources (signatures in endpoint-traces.h)
  ns3::TracedCallback<const std::string&, const std::string&, bool, std::uint16_t>
      m_registrationOutcome;
  ns3::TracedCallback<const std::string&, const std::string&, const std::string&> m_callAttempt;
  ns3::TracedCallback<const std::string&, const std::string&, const std::string&> m_incomingCall;
  ns3::TracedCallback<const std::string&, const std::string&, const std::string&>
      m_callEstablished;
  ns3::TracedCallback<const std::string&, const std::string&, const std::string&> m_callEnded;
  RtpTrace m_rtpSent;
  RtpTrace m_rtpReceived;

 private:
  void StartApplication() override;
  void StopApplication() override;
  /// Settings every stack of this endpoint shares, and the stray-response/ACK-timeout handlers.
  void ConfigureStack(SipStack& stack);

  mutable std::string m_effectiveName;
  std::unique_ptr<SipIdGenerator> m_savedIds;  // identifier state across reboots
  ns3::EventId m_rebootEvent;
};

}  // namespace alglab

#endif
