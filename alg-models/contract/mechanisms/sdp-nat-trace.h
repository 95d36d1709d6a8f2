#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SDP_NAT_TRACE_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SDP_NAT_TRACE_H

/// \file
/// A reusable mechanism: SIP NAT tracing ("NAT with IP address conservation", FortiGate's
/// nat-trace and sip-nat-trace). An inside host's SDP leaving on the WAN gets the host's
/// original (private) address in the session-level `i=` line: a new line `i=(o=IN IP4 <address>)`
/// after `s=`, or, when there is one, the same text appended to the existing `i=`. Content-Length
/// is made the body's new length. Place it after the address rewriter (the rewritten SDP keeps
/// the trace); it reads the address from the packet, not from the SDP.

#include "alg-models/contract/mechanism.h"
#include "alg-models/contract/mechanisms/sip-scope.h"

#include <string>

namespace alglab {

/// Adds the trace of `address` to the SDP body of SIP `message` (see the file comment) and
/// corrects Content-Length. False (nothing changed) when there is no SDP body with an `s=` line.
bool AddSdpNatTrace(std::string& message, const std::string& address);

class SdpNatTrace : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId();

  /// Role "classifier": only SIP connections by the model's notion (see SipScope).
  bool Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) override {
    return m_scope.Connect(role, other);
  }
  alg::Verdict Process(alg::PacketContext& context) override;
  std::string Name() const override { return "sdp-nat-trace"; }

 private:
  void SetTransports(std::string text) { m_scope.SetTransports(text, "sip_transports"); }
  std::string GetTransports() const { return m_scope.TransportsText(); }
  SipScope m_scope;
  bool m_trace = true;
};

}  // namespace alglab

#endif
