#ifndef ALGLAB_ENDPOINTS_SIP_PBX_H
#define ALGLAB_ENDPOINTS_SIP_PBX_H

// An IP PBX in the style of Asterisk/FreePBX: registrar with digest auth for its extensions,
// back-to-back user agent for extension, ring-group and trunk calls (media anchored and relayed
// through its own RTP ports), BLF notifier, and a registered trunk to the SIP provider.
// Works on the LAN (phones direct, trunk across the NAT) or hosted (phones across the NAT);
// its server-side NAT traversal is a set of knobs.
//
// Attributes (besides SipServer's Domain and NAT knobs, and SipEndpoint's):
//   RingTimeout, SubscribeMaxExpiry, TrunkEnabled, ProviderAddress, ProviderPort,
//   TrunkDomain, TrunkUser, TrunkPassword, TrunkExpiry, TrunkRetryInterval,
//   TrunkKeepaliveKind, TrunkKeepaliveInterval, TrunkRebindOnNatChange.
// Trace sources: SipEndpoint's plus "CallForked", "CallBridged", "InboundCall", "DialogState".

#include "sim/endpoints/client-keepalive.h"
#include "sim/endpoints/dialog-event-notifier.h"
#include "sim/endpoints/pbx-call.h"
#include "sim/endpoints/registration-client.h"
#include "sim/endpoints/sip-server.h"

#include <ns3/nstime.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alglab {

class SipPbx : public SipServer, private PbxCallHost {
 public:
  static ns3::TypeId GetTypeId();
  SipPbx();
  ~SipPbx() override;

  /// An extension that may register (digest username = extension) and be called.
  void AddExtension(std::string extension, std::string password);
  /// Calls to `did` (from the trunk, or dialled internally) ring all `members` in parallel.
  void AddRingGroup(std::string did, std::vector<std::string> members);

  bool IsTrunkRegistered() const;
  /// The PBX's BLF view of an extension: "terminated" (idle), "trying", "early", "confirmed".
  std::string ExtensionState(const std::string& extension) const;
  std::size_t ActiveCallCount() const { return m_calls.size(); }
  const DialogEventNotifier* GetNotifier() const { return m_notifier.get(); }
  const RegistrationClient* GetTrunkRegistration() const { return m_trunk.get(); }
  /// The call that has `callId` on one of its legs (nullptr if none), for tests.
  const PbxCall* FindCall(const std::string& callId) const;

 protected:
  void StartServer() override;
  void StopServer() override;
  void HandleRequest(const sip::SipMessage& request, const TransportAddress& source) override;
  void HandleStrayResponse(const sip::SipMessage& response, const TransportAddress& source) override;
  void HandleAckTimeout(const std::string& callId, std::uint32_t cseq) override;
  std::string Kind() const override { return "pbx"; }

 private:
  // PbxCallHost
  SipStack& Stack() override { return *m_stack; }
  const std::string& DeviceName() const override { return GetName(); }
  std::unique_ptr<MediaSession> NewLegMedia(const std::string& callId) override;
  void ReleaseLegMedia(std::unique_ptr<MediaSession>& media) override { ReleaseMedia(media); }
  void RegisterLeg(const std::string& callId, PbxCall* call) override;
  void CallFinished(PbxCall* call) override;
  void ExtensionDialog(const std::string& extension, const std::string& callId,
                       sip::DialogState state, bool initiator) override;
  bool FixContact() const override { return m_fixContact; }
  ns3::Time RingTimeout() const override { return m_ringTimeout; }
  void TraceCallAttempt(const std::string& callId, const std::string& target) override;
  void TraceIncomingCall(const std::string& callId, const std::string& from) override;
  void TraceEstablished(const std::string& callId, const std::string& peer) override;
  void TraceEnded(const std::string& callId, const std::string& reason) override;
  void TraceForked(const std::string& inboundCallId, const std::string& extension,
                   const std::string& legCallId) override;
  void TraceBridged(const std::string& callerCallId, const std::string& calleeCallId) override;

  void HandleNewInvite(const sip::SipMessage& invite, const TransportAddress& source);
  std::vector<PbxCall::Target> ExtensionTargets(const std::string& extension,
                                                const sip::NameAddress& from) const;
  /// A ring group's DID or an extension: a number the PBX rings itself.
  bool IsLocalNumber(const std::string& number) const;
  /// Every registration of every ring-group member, or of the extension (empty otherwise).
  std::vector<PbxCall::Target> LocalTargets(const std::string& number,
                                            const sip::NameAddress& from) const;
  PbxCall::Target TrunkTarget(const std::string& number) const;
  bool FromTrunk(const TransportAddress& source) const;
  std::string TrunkDomainName() const;
  void ReapFinishedCalls();

  // Attributes
  std::uint32_t m_subscribeMaxExpiry = 3600;
  ns3::Time m_ringTimeout;
  bool m_trunkEnabled = false;
  std::string m_trunkIdentify = "registrar-address";
  ns3::Ipv4Address m_providerAddress;
  std::uint16_t m_providerPort = 5060;
  std::string m_trunkDomain;
  std::string m_trunkUser;
  std::string m_trunkPassword;
  std::uint32_t m_trunkExpiry = 300;
  ns3::Time m_trunkRetry;
  std::string m_trunkKeepaliveKind;
  ns3::Time m_trunkKeepaliveInterval;
  bool m_trunkRebind = true;

  // Extensions are the registrar's accounts (SipServer); ring groups come on top.
  std::map<std::string, std::vector<std::string>> m_ringGroups;  // did -> members
  std::unique_ptr<DialogEventNotifier> m_notifier;
  std::unique_ptr<RegistrationClient> m_trunk;
  std::unique_ptr<KeepaliveSender> m_trunkKeepalive;
  // Calls keyed by creation order (never by pointer value: iteration must be deterministic).
  std::map<std::uint64_t, std::unique_ptr<PbxCall>> m_calls;
  std::uint64_t m_nextCallNo = 0;
  std::map<std::string, PbxCall*> m_legs;  // Call-ID -> call
  std::vector<PbxCall*> m_finished;
  ns3::EventId m_reapEvent;

  ns3::TracedCallback<const std::string&, const std::string&, const std::string&,
                      const std::string&>
      m_callForked;
  ns3::TracedCallback<const std::string&, const std::string&, const std::string&> m_callBridged;
  ns3::TracedCallback<const std::string&, const std::string&, const std::string&> m_inboundCall;
  ns3::TracedCallback<const std::string&, const std::string&, const std::string&> m_dialogState;
};

}  // namespace alglab

#endif
