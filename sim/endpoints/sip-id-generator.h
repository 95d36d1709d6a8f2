#ifndef ALGLAB_ENDPOINTS_SIP_ID_GENERATOR_H
#define ALGLAB_ENDPOINTS_SIP_ID_GENERATOR_H

// Deterministic identifiers for one endpoint: Call-IDs, tags, branches, nonces, SSRCs.
// Everything derives from the endpoint name and per-kind counters (no wall clock, no RNG), so a
// scenario produces byte-identical SIP traffic run after run, and tests can predict values.

#include <cstdint>
#include <string>
#include <string_view>

namespace alglab {

/// 32-bit FNV-1a: a small stable hash for deriving numbers from names.
std::uint32_t Fnv1a32(std::string_view text, std::uint32_t seed = 2166136261u);

class SipIdGenerator {
 public:
  /// `name` is the endpoint's Name; characters that are not token-safe are replaced by '_'.
  explicit SipIdGenerator(std::string_view name = "ua");

  /// Token form of the endpoint name used inside identifiers.
  const std::string& Token() const { return m_token; }

  /// "<token>-<n>@<host>" with n = 1, 2, ... Real handsets put their (private) IP after the '@',
  /// which is exactly the text some ALGs rewrite, so the host is part of the Call-ID here too.
  std::string NewCallId(std::string_view host);
  /// Predicts the n-th Call-ID (1-based) without consuming it (for tests and probes).
  std::string CallIdAt(std::uint64_t n, std::string_view host) const;
  /// "<8 hex digits of the name hash>-<n>"
  std::string NewTag();
  /// RFC 3261 magic cookie followed by "<token>.<n>".
  std::string NewBranch();
  /// Server nonce for digest challenges (hex).
  std::string NewNonce();
  /// Client nonce for qop=auth (hex).
  std::string NewCnonce();
  /// An SSRC/initial sequence seed for the n-th media stream: random-looking, reproducible.
  std::uint32_t NewMediaSeed();

 private:
  std::string m_token;
  std::uint32_t m_hash;
  std::uint64_t m_callIds = 0;
  std::uint64_t m_tags = 0;
  std::uint64_t m_branches = 0;
  std::uint64_t m_nonces = 0;
  std::uint64_t m_cnonces = 0;
  std::uint64_t m_media = 0;
};

}  // namespace alglab

#endif
