#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SOURCE_RESTRICTION_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SOURCE_RESTRICTION_H

/// \file
/// Who may use a media pinhole: anyone (a full-cone hole), only the host the signalling came
/// from (the kernel's sip_direct_media), or only the address the peer's own SDP advertised
/// (what a router that parses both offer and answer can do).

#include <cstdint>
#include <optional>
#include <string_view>

namespace alglab::alg {

enum class SourceRestriction : std::uint8_t { Any, SignallingPeer, SdpAddress };

/// "any" / "signalling-peer" / "sdp-address".
const char* ToString(SourceRestriction restriction);
/// The inverse of ToString; nullopt for anything else.
std::optional<SourceRestriction> ParseSourceRestriction(std::string_view text);

/// The only source address a pinhole admits under `restriction` (host byte order), or nullopt
/// for any source. SdpAddress falls back to the signalling peer while the peer's SDP address is
/// not known yet (an offer whose answer has not arrived).
std::optional<std::uint32_t> RestrictedSource(SourceRestriction restriction,
                                              std::uint32_t signallingPeer,
                                              std::optional<std::uint32_t> peerSdpAddress);

}  // namespace alglab::alg

#endif
