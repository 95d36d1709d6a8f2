#ifndef ALGLAB_ALG_MODELS_CONTRACT_VERDICT_H
#define ALGLAB_ALG_MODELS_CONTRACT_VERDICT_H

/// \file
/// What a mechanism decides about one packet (netfilter's NF_ACCEPT / NF_DROP / NF_STOLEN).

#include <cstdint>

namespace alglab::alg {

enum class VerdictKind : std::uint8_t {
  Accept,  ///< continue: the next mechanism of the chain, then the router's own path
  Drop,    ///< discard; the router reports "alg" or "alg:<reason>"
  Stolen,  ///< the mechanism took the packet; the router forgets it (it may emit others later)
};

/// "accept" / "drop" / "stolen".
const char* ToString(VerdictKind kind);

/// A mechanism's verdict. `reason` names why a packet was dropped; it must outlive the call
/// (use string literals) and is ignored for Accept.
struct Verdict {
  VerdictKind kind = VerdictKind::Accept;
  const char* reason = nullptr;

  static constexpr Verdict Accept() { return Verdict{VerdictKind::Accept, nullptr}; }
  static constexpr Verdict Drop(const char* why = nullptr) { return Verdict{VerdictKind::Drop, why}; }
  static constexpr Verdict Stolen() { return Verdict{VerdictKind::Stolen, nullptr}; }
  bool IsAccept() const { return kind == VerdictKind::Accept; }
};

}  // namespace alglab::alg

#endif
