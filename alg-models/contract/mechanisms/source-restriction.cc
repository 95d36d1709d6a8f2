#include "alg-models/contract/mechanisms/source-restriction.h"

namespace alglab::alg {

const char* ToString(SourceRestriction restriction) {
  switch (restriction) {
    case SourceRestriction::Any:
      return "any";
    case SourceRestriction::SignallingPeer:
      return "signalling-peer";
    case SourceRestriction::SdpAddress:
      return "sdp-address";
  }
  return "?";
}

std::optional<SourceRestriction> ParseSourceRestriction(std::string_view text) {
  for (SourceRestriction r :
       {SourceRestriction::Any, SourceRestriction::SignallingPeer, SourceRestriction::SdpAddress}) {
    if (text == ToString(r)) return r;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> RestrictedSource(SourceRestriction restriction,
                                              std::uint32_t signallingPeer,
                                              std::optional<std::uint32_t> peerSdpAddress) {
  switch (restriction) {
    case SourceRestriction::Any:
      return std::nullopt;
    case SourceRestriction::SignallingPeer:
      return signallingPeer;
    case SourceRestriction::SdpAddress:
      return peerSdpAddress.value_or(signallingPeer);
  }
  return std::nullopt;
}

}  // namespace alglab::alg
