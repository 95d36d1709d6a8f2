#include "alg-models/contract/packet-context.h"

#include <algorithm>

namespace alglab::alg {

PacketContext::PacketContext(HookPoint point_, nat::Direction direction_,
                             const nat::FiveTuple& original_, const nat::FiveTuple& translated_,
                             const PayloadSource& source, std::string& buffer,
                             nat::NatTable& nat_, ns3::Time now_, const RouterView& router_,
                             PacketEmitter& emitter_)
    : point(point_),
      direction(direction_),
      original(original_),
      translated(translated_),
      nat(nat_),
      now(now_),
      router(router_),
      emitter(emitter_),
      m_source(source),
      m_buffer(buffer) {}

const nat::Mapping* PacketContext::Mapping() const {
  return mappingId == 0 ? nullptr : nat.FindMappingById(mappingId, now);
}

std::uint32_t PacketContext::PayloadSize() const {
  return m_copied ? static_cast<std::uint32_t>(m_buffer.size()) : m_source.Size();
}

const std::string& PacketContext::Payload() {
  if (!m_copied) {
    m_source.CopyTo(m_buffer);
    m_copied = true;
  }
  return m_buffer;
}

std::string& PacketContext::MutablePayload() {
  Payload();
  m_mutable = true;
  if (m_acting != nullptr && std::find(m_writers.begin(), m_writers.end(), m_acting) == m_writers.end())
    m_writers.push_back(m_acting);
  m_parsed = false;  // a rewrite makes the parsed message stale
  m_sip.reset();
  return m_buffer;
}

std::string PacketContext::Actors() const {
  if (decidedBy != nullptr) return *decidedBy;
  std::string out;
  for (const std::string* w : m_writers) out += (out.empty() ? "" : "+") + *w;
  return out;
}

const sip::SipMessage* PacketContext::Sip() {
  if (!m_parsed) {
    m_parsed = true;
    sip::ParseResult<sip::SipMessage> parsed = sip::ParseMessage(Payload());
    if (parsed.Ok()) {
      m_sip.emplace(std::move(parsed).Value());
    } else {
      m_sip.reset();
    }
  }
  return m_sip ? &*m_sip : nullptr;
}

}  // namespace alglab::alg
