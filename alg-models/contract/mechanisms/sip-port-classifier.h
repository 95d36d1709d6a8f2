#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_PORT_CLASSIFIER_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_PORT_CLASSIFIER_H

/// \file
/// The simplest notion of a SIP connection, which most CPE ALGs have: the remote end talks on
/// one of the configured SIP ports (the destination of a LAN packet, the source of a WAN one).
/// A SipConnectionClassifier for SipSignallingTimer and SipDropPolicy in models with no
/// connection tracking of their own.

#include "alg-models/contract/mechanisms/sip-signalling-timer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alglab {

class SipPortClassifier : public SipConnectionClassifier {
 public:
  /// Port 5060.
  SipPortClassifier();
  /// Replaces the ports from "5060" or "5060, 5080"; throws std::invalid_argument (one line
  /// naming `knob` and the text) for an empty list or a port outside 1..65535.
  void SetPorts(const std::string& text, const std::string& knob);
  const std::string& PortsText() const { return m_text; }

  /// True when the packet's remote port is one of the ports.
  bool IsSipConnection(alg::PacketContext& context) override;

 private:
  std::vector<std::uint16_t> m_ports;
  std::string m_text;
};

}  // namespace alglab

#endif
