#include "sim/nat/tcp-message-assembler.h"

#include "sim/sip/message-framer.h"

#include <ns3/tcp-header.h>

#include <utility>

namespace alglab::nat {

namespace {
/// Whether a stream frame can start with `c`: a request's method is an RFC 3261 token, a
/// response starts with "SIP/2.0", a keepalive with CR or LF. A TLS record (content type 20 to
/// 23) cannot: such a connection is not SIP a router can read, and nothing is held for it.
bool CanStartSipFrame(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u == '\r' || u == '\n') return true;
  if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9')) return true;
  for (char t : std::string_view("-.!%*_+`'~"))
    if (c == t) return true;
  return false;
}
}  // namespace

bool TcpMessageAssembler::Cut(std::string_view bytes, std::vector<Piece>& pieces) {
  using Kind = sip::StreamFrame::Kind;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const sip::StreamFrame frame = sip::FirstStreamFrame(bytes.substr(at));
    switch (frame.kind) {
      case Kind::Message:
      case Kind::Keepalive:
        pieces.push_back(Piece{frame.length, frame.kind == Kind::Message});
        at += frame.length;
        break;
      case Kind::Defective:
        // Not SIP as a stream can carry it: nothing will ever complete it, so nothing waits.
        pieces.push_back(Piece{bytes.size() - at, false});
        return true;
      case Kind::Incomplete:
        if (!CanStartSipFrame(bytes[at])) {
          pieces.push_back(Piece{bytes.size() - at, false});
          return true;
        }
        return false;
    }
  }
  return true;
}

TcpMessageAssembler::Decision TcpMessageAssembler::Release(std::uint32_t sequence, std::string bytes,
                                                           std::vector<Piece> pieces) {
  Decision d;
  d.action = Decision::Action::Forward;
  d.sequence = sequence;
  d.pieces = std::move(pieces);
  std::size_t covered = 0;
  for (const Piece& p : d.pieces) covered += p.length;
  if (covered < bytes.size()) d.pieces.push_back(Piece{bytes.size() - covered, false});
  d.bytes = std::move(bytes);
  return d;
}

TcpMessageAssembler::Decision TcpMessageAssembler::Offer(const Key& key, std::uint32_t sequence,
                                                         std::string_view payload, std::uint8_t flags) {
  const MapKey mapKey{key.mappingId, key.remote.address.Get(), key.remote.port,
                      static_cast<int>(key.direction)};
  const bool fin = (flags & ns3::TcpHeader::FIN) != 0;
  const auto it = m_held.find(mapKey);
  if (it == m_held.end()) {
    if (payload.empty() || (flags & ns3::TcpHeader::RST) != 0) return Decision{};
    std::vector<Piece> pieces;
    if (Cut(payload, pieces) || fin) return Release(sequence, std::string(payload), std::move(pieces));
    m_held.emplace(mapKey, Held{sequence, std::string(payload)});
    return Hold();
  }
  Held& held = it->second;
  if ((flags & ns3::TcpHeader::RST) != 0) {
    m_held.erase(it);
    return Decision{};
  }
  if (payload.empty() && !fin) return Decision{};  // an acknowledgement: goes on
  const std::uint32_t next = held.sequence + static_cast<std::uint32_t>(held.bytes.size());
  if (sequence != next) {
    // A retransmission or a gap: the sender is not going to complete the message soon.
    std::vector<Piece> pieces;
    Cut(held.bytes, pieces);
    Decision d = Release(held.sequence, std::move(held.bytes), std::move(pieces));
    m_held.erase(it);
    return d;
  }
  held.bytes.append(payload.data(), payload.size());
  std::vector<Piece> pieces;
  if (Cut(held.bytes, pieces) || fin || held.bytes.size() > kMaxHeldBytes) {
    Decision d = Release(held.sequence, std::move(held.bytes), std::move(pieces));
    m_held.erase(it);
    return d;
  }
  return Hold();
}

void TcpMessageAssembler::ForgetMapping(std::uint64_t mappingId) {
  for (auto it = m_held.lower_bound(MapKey{mappingId, 0, 0, 0});
       it != m_held.end() && std::get<0>(it->first) == mappingId;) {
    it = m_held.erase(it);
  }
}

}  // namespace alglab::nat
