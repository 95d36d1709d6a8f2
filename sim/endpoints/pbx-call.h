#ifndef ALGLAB_ENDPOINTS_PBX_CALL_H
#define ALGLAB_ENDPOINTS_PBX_CALL_H

// One call through the PBX's back-to-back user agent: the inbound leg (A, where the INVITE came
// from) and one or more outbound legs (B: an extension's bindings, ring-group members in
// parallel, or the provider trunk). First 2xx wins; the other B legs are CANCELled (or BYEd if
// they answered too). The PBX anchors media like Asterisk with directmedia=no: every leg has its
// own RTP port and the winner's RTP is relayed to the A leg and back.

#include "sim/endpoints/invite-session.h"
#include "sim/endpoints/media-session.h"
#include "sim/endpoints/sip-stack.h"
#include "sim/endpoints/transport-address.h"
#include "sim/sip/dialog-info.h"

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace alglab {

/// What a call needs from the PBX that owns it (implemented by SipPbx).
class PbxCallHost {
 public:
  virtual ~PbxCallHost() = default;
  virtual SipStack& Stack() = 0;
  virtual const std::string& DeviceName() const = 0;
  /// A media relay leg on a fresh RTP port (nullptr if none is free).
  virtual std::unique_ptr<MediaSession> NewLegMedia(const std::string& callId) = 0;
  virtual void ReleaseLegMedia(std::unique_ptr<MediaSession>& media) = 0;
  /// Route future requests with this Call-ID to `call`.
  virtual void RegisterLeg(const std::string& callId, class PbxCall* call) = 0;
  /// Every leg ended; the host deletes the call later (never inside this callback).
  virtual void CallFinished(class PbxCall* call) = 0;
  /// The PBX's view of an extension's dialog (BLF truth).
  virtual void ExtensionDialog(const std::string& extension, const std::string& callId,
                               sip::DialogState state, bool initiator) = 0;
  /// In-dialog next hop policy: FixContact (source address) or the peer's Contact.
  virtual bool FixContact() const = 0;
  virtual ns3::Time RingTimeout() const = 0;
  // Trace sources (see endpoint-traces.h).
  virtual void TraceCallAttempt(const std::string& callId, const std::string& target) = 0;
  virtual void TraceIncomingCall(const std::string& callId, const std::string& from) = 0;
  virtual void TraceEstablished(const std::string& callId, const std::string& peer) = 0;
  virtual void TraceEnded(const std::string& callId, const std::string& reason) = 0;
  virtual void TraceForked(const std::string& inboundCallId, const std::string& extension,
                           const std::string& legCallId) = 0;
  virtual void TraceBridged(const std::string& callerCallId, const std::string& calleeCallId) = 0;
};

class PbxCall {
 public:
  /// One place to ring.
  struct Target {
    std::string extension;   ///< the extension rung (empty for the trunk)
    sip::Uri requestUri;
    sip::NameAddress from;
    sip::NameAddress to;
    std::optional<TransportAddress> destination;  ///< nullopt: no usable contact
    bool followContact = false;  ///< in-dialog requests follow the callee's Contact
  };

  /// `callerExtension`: the extension that placed the call ("" for trunk calls). `forked`:
  /// fire CallForked for every target (ring groups).
  PbxCall(PbxCallHost& host, const sip::SipMessage& invite, const TransportAddress& source,
          std::string callerExtension, bool forked);
  ~PbxCall();
  PbxCall(const PbxCall&) = delete;
  PbxCall& operator=(const PbxCall&) = delete;

  /// Answers 100, rings every target; rejects the caller if none can be reached.
  void Start(const std::vector<Target>& targets);
  /// A request whose Call-ID belongs to one of our legs.
  void HandleRequest(const sip::SipMessage& request, const TransportAddress& source);
  void HandleRetransmitted2xx(const sip::SipMessage& response);
  void HandleAckTimeout(const std::string& callId);
  /// Drops everything without signalling (application stop).
  void Abort();

  const std::string& InboundCallId() const;
  bool IsFinished() const { return m_finished; }
  /// Every Call-ID this call uses (A leg first).
  std::vector<std::string> CallIds() const;
  /// Media of the A leg and the winning B leg (nullptr when absent), for tests.
  const MediaSession* InboundMedia() const;
  const MediaSession* OutboundMedia() const;

 private:
  struct Leg;

  void StartTarget(const Target& target);
  void OnBProvisional(Leg& leg, int code);
  void OnBEstablished(Leg& leg);
  void OnBTerminated(Leg& leg, int code, const std::string& reason);
  void OnAEstablished();
  void OnATerminated(int code, const std::string& reason);
  void OnRingTimeout();
  void RejectCaller();
  void EndLegMedia(Leg& leg);
  void CheckFinished();
  Leg* FindLeg(const std::string& callId);

  PbxCallHost& m_host;
  std::string m_callerExtension;
  bool m_forked;
  std::unique_ptr<Leg> m_a;
  std::vector<std::unique_ptr<Leg>> m_b;
  Leg* m_winner = nullptr;
  bool m_finished = false;
  bool m_aRinging = false;
  ns3::EventId m_ringTimer;
};

}  // namespace alglab

#endif
