#ifndef ALGLAB_ALG_MODELS_SDP_C_ONLY_ALG_H
#define ALGLAB_ALG_MODELS_SDP_C_ONLY_ALG_H

// A deliberately tiny router ALG: it rewrites SDP "c=" lines that name the sender's private
// address to the router's public address, and touches nothing else (no SIP headers, no o=, no
// Content-Length, no pinholes). It exists to show how little a model needs
// (docs/adding-a-router-model.md) and as the simplest "half an ALG" to compare against.
// One mechanism (SdpConnectionRewriter) at outbound-post-snat and inbound-post-dnat.

#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/mechanism.h"

#include <string>

namespace alglab {

/// Replaces every "c=IN IP4 <private source>" with "c=IN IP4 <public address>" in place.
/// Returns the number of lines rewritten. Plain function: the whole model, testable alone.
int RewriteSdpConnectionLines(std::string& payload, const std::string& privateAddress,
                              const std::string& publicAddress);

/// The mechanism: RewriteSdpConnectionLines on the packet's translated address.
class SdpConnectionRewriter : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId();
  alg::Verdict Process(alg::PacketContext& context) override;
  std::string Name() const override { return "sdp-c-rewrite"; }

 private:
  bool m_inbound = false;  ///< also rewrite the public address back to private in inbound SDP
};

/// Vendor "sdp-c-only".
class SdpConnectionOnlyAlg : public alg::AlgModel {
 public:
  static ns3::TypeId GetTypeId();
  SdpConnectionOnlyAlg();
  std::string Name() const override { return "sdp-c-only"; }
};

}  // namespace alglab

#endif
