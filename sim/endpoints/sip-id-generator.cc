#include "sim/endpoints/sip-id-generator.h"

#include <cstdio>

namespace alglab {

namespace {

std::string Hex32(std::uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

// Mixes a counter into a hash so consecutive values look unrelated (splitmix-style finaliser).
std::uint32_t Mix(std::uint32_t hash, std::uint64_t n) {
  std::uint64_t z = (static_cast<std::uint64_t>(hash) << 32) ^ (n * 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<std::uint32_t>(z);
}

}  // namespace

std::uint32_t Fnv1a32(std::string_view text, std::uint32_t seed) {
  std::uint32_t h = seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

SipIdGenerator::SipIdGenerator(std::string_view name) {
  for (char c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_';
    m_token += safe ? c : '_';
  }
  if (m_token.empty()) {
    m_token = "ua";
  }
  m_hash = Fnv1a32(m_token);
}

std::string SipIdGenerator::CallIdAt(std::uint64_t n, std::string_view host) const {
  std::string id = m_token + "-" + std::to_string(n);
  if (!host.empty()) {
    id += '@';
    id += host;
  }
  return id;
}

std::string SipIdGenerator::NewCallId(std::string_view host) { return CallIdAt(++m_callIds, host); }

std::string SipIdGenerator::NewTag() { return Hex32(m_hash) + "-" + std::to_string(++m_tags); }

std::string SipIdGenerator::NewBranch() {
  return "z9hG4bK" + m_token + "." + std::to_string(++m_branches);
}

std::string SipIdGenerator::NewNonce() {
  ++m_nonces;
  return Hex32(Mix(m_hash, m_nonces)) + Hex32(Mix(m_hash ^ 0x5a5a5a5au, m_nonces));
}

std::string SipIdGenerator::NewCnonce() { return Hex32(Mix(m_hash ^ 0xc0c0c0c0u, ++m_cnonces)); }

std::uint32_t SipIdGenerator::NewMediaSeed() { return Mix(m_hash ^ 0x12345678u, ++m_media); }

}  // namespace alglab
