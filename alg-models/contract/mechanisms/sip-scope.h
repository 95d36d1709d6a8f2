#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_SCOPE_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_SCOPE_H

/// \file
/// Which packets a SIP mechanism looks at: the transports the vendor inspects (`sip_transports`:
/// udp, tcp or both, as DrayTek's UDP/TCP check-boxes or IOS's `ip nat service sip udp|tcp`)
/// and, once a model connects one, its notion of a SIP connection (a SipConnectionClassifier:
/// the SIP port, the helper's own tracking). Without a classifier every connection of those
/// transports counts. One scope per mechanism, so one model can inspect TCP in one mechanism
/// and not in another.

#include "alg-models/contract/mechanism.h"
#include "alg-models/contract/mechanisms/sip-signalling-timer.h"

#include <string>

namespace alglab {

class SipScope {
 public:
  /// True when the packet's transport is inspected and (with a classifier) it belongs to a
  /// SIP connection.
  bool Covers(alg::PacketContext& context) const;
  /// The transport test alone (for a mechanism that tells SIP connections its own way).
  bool CoversTransport(const alg::PacketContext& context) const {
    return context.original.protocol == nat::L4Protocol::Udp ? m_udp : m_tcp;
  }
  /// "udp", "tcp" or "udp,tcp"; throws std::invalid_argument (one line naming `knob`).
  void SetTransports(const std::string& text, const std::string& knob);
  std::string TransportsText() const;
  /// Role "classifier" (see ConnectClassifier).
  bool Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) {
    return ConnectClassifier(role, other, m_classifier);
  }

 private:
  bool m_udp = true;
  bool m_tcp = false;
  SipConnectionClassifier* m_classifier = nullptr;
};

}  // namespace alglab

#endif
