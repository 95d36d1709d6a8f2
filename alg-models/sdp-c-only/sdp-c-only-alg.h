#ifndef ALGLAB_ALG_MODELS_SDP_C_ONLY_ALG_H
#define ALGLAB_ALG_MODELS_SDP_C_ONLY_ALG_H

// A deliberately tiny router ALG: it rewrites SDP "c=" lines that name the sender's private
// address to the router's public address, and touches nothing else (no SIP headers, no o=, no
// Content-Length, no pinholes). It exists to show how little a model needs
// (docs/adding-a-router-model.md) and as the simplest "half an ALG" to compare against.

#include "sim/nat/alg-hook.h"

#include <string>

namespace alglab {

/// Replaces every "c=IN IP4 <private source>" with "c=IN IP4 <public address>" in place.
/// Returns the number of lines rewritten. Plain function: the whole model, testable alone.
int RewriteSdpConnectionLines(std::string& payload, const std::string& privateAddress,
                              const std::string& publicAddress);

class SdpConnectionOnlyAlg : public nat::AlgHook {
 public:
  static ns3::TypeId GetTypeId();
  nat::AlgVerdict ProcessPacket(nat::AlgContext& context) override;
  std::string Name() const override { return "sdp-c-only"; }

 private:
  bool m_inbound = false;  ///< also rewrite the public address back to private in inbound SDP
};

}  // namespace alglab

#endif
