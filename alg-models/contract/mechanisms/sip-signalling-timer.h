#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_SIGNALLING_TIMER_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_SIGNALLING_TIMER_H

/// \file
/// A reusable mechanism: the signalling timer of a SIP-aware NAT. Every datagram with data on a
/// connection its classifier calls SIP restarts the connection's NAT binding at `sip_timeout`
/// (nf_conntrack_sip's sip_timeout, a vendor's "SIP session timeout"), whatever the UDP timeout
/// says. Place it before the mechanism that rewrites, so a datagram that mechanism drops still
/// refreshed the binding, as in the kernel.

#include "alg-models/contract/mechanism.h"

#include <cstdint>
#include <string>

namespace alglab {

/// Decides whether a packet belongs to a SIP connection (the model's own notion: helper ports,
/// pinholes the connection came through). Called at most once per packet by the timer.
class SipConnectionClassifier {
 public:
  virtual ~SipConnectionClassifier() = default;
  virtual bool IsSipConnection(alg::PacketContext& context) = 0;
};

/// Fills `slot` for a "classifier" role with `other` when it is a SipConnectionClassifier.
bool ConnectClassifier(const std::string& role, const ns3::Ptr<alg::Mechanism>& other,
                       SipConnectionClassifier*& slot);

class SipSignallingTimer : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId();
  /// Who tells SIP connections from others; must outlive the timer (the model owns both).
  void SetClassifier(SipConnectionClassifier* classifier) { m_classifier = classifier; }
  /// Role "classifier": any mechanism that is also a SipConnectionClassifier.
  bool Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) override;
  alg::Verdict Process(alg::PacketContext& context) override;
  std::string Name() const override { return "sip-signalling-timer"; }

 private:
  SipConnectionClassifier* m_classifier = nullptr;
  std::uint32_t m_timeoutSeconds = 3600;
};

}  // namespace alglab

#endif
