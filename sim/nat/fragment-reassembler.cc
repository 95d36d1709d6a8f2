#include "sim/nat/fragment-reassembler.h"

#include <algorithm>
#include <iterator>

namespace alglab::nat {

namespace {
constexpr std::uint32_t kMaxDatagram = 65535;  // total length field, header included
}  // namespace

void FragmentReassembler::Discard(std::map<Key, Queue>::iterator it, const char* reason,
                                  std::vector<Discarded>& discarded) {
  discarded.push_back(Discarded{reason, it->second.sample, it->second.sampleHeader});
  m_heldBytes -= it->second.bytes;
  m_queues.erase(it);
}

void FragmentReassembler::Expire(ns3::Time now, std::vector<Discarded>& discarded) {
  for (auto it = m_queues.begin(); it != m_queues.end();) {
    auto next = std::next(it);
    if (now - it->second.firstArrival >= m_limits.timeout) Discard(it, "fragment-timeout", discarded);
    it = next;
  }
}

std::optional<ns3::Time> FragmentReassembler::NextTimeout() const {
  std::optional<ns3::Time> next;
  for (const auto& [key, queue] : m_queues) {
    const ns3::Time at = queue.firstArrival + m_limits.timeout;
    if (!next || at < *next) next = at;
  }
  return next;
}

bool FragmentReassembler::Complete(const Queue& queue) {
  if (!queue.totalLength || !queue.firstHeader) return false;
  std::uint32_t covered = 0;
  for (const auto& [offset, piece] : queue.pieces) {
    if (offset != covered) return false;  // a hole (overlaps never get in)
    covered += piece->GetSize();
  }
  return covered == *queue.totalLength;
}

std::optional<FragmentReassembler::Datagram> FragmentReassembler::Add(
    ns3::Ptr<const ns3::Packet> fragment, const ns3::Ipv4Header& header, ns3::Time now,
    std::vector<Discarded>& discarded) {
  if (!m_queues.empty()) Expire(now, discarded);
  const Key key{header.GetSource().Get(), header.GetDestination().Get(), header.GetProtocol(),
                header.GetIdentification()};
  auto [it, created] = m_queues.try_emplace(key);
  Queue& queue = it->second;
  if (created) {
    queue.firstArrival = now;
    queue.order = m_nextOrder++;
    queue.sample = fragment;
    queue.sampleHeader = header;
  }
  const std::uint32_t offset = header.GetFragmentOffset();  // ns-3 keeps it in bytes
  const std::uint32_t length = fragment->GetSize();
  const std::uint32_t end = offset + length;
  const bool last = header.IsLastFragment();
  if (end + header.GetSerializedSize() > kMaxDatagram || (!last && (length == 0 || length % 8 != 0))) {
    Discard(it, last ? "fragment-oversize" : "fragment-malformed", discarded);
    return std::nullopt;
  }
  // The last fragment fixes the total; data past it, or a second different end, is corrupt.
  if (last) {
    if ((queue.totalLength && *queue.totalLength != end) ||
        (!queue.pieces.empty() && std::prev(queue.pieces.end())->first +
                                          std::prev(queue.pieces.end())->second->GetSize() > end)) {
      Discard(it, "fragment-overlap", discarded);
      return std::nullopt;
    }
    queue.totalLength = end;
  } else if (queue.totalLength && end > *queue.totalLength) {
    Discard(it, "fragment-overlap", discarded);
    return std::nullopt;
  }
  // An exact repeat of a piece we hold is a retransmission and ignored; any other overlap
  // discards the datagram.
  auto after = queue.pieces.lower_bound(offset);
  if (after != queue.pieces.end() && after->first == offset && after->second->GetSize() == length) {
    return std::nullopt;
  }
  const bool overlapsNext = after != queue.pieces.end() && after->first < end;
  const bool overlapsPrevious =
      after != queue.pieces.begin() &&
      std::prev(after)->first + std::prev(after)->second->GetSize() > offset;
  if (overlapsNext || overlapsPrevious) {
    Discard(it, "fragment-overlap", discarded);
    return std::nullopt;
  }
  queue.pieces.emplace(offset, fragment);
  queue.bytes += length;
  m_heldBytes += length;
  if (offset == 0) queue.firstHeader = header;

  if (Complete(queue)) {
    Datagram whole;
    whole.payload = ns3::Create<ns3::Packet>();
    for (const auto& [pieceOffset, piece] : queue.pieces) whole.payload->AddAtEnd(piece);
    whole.header = *queue.firstHeader;
    whole.header.SetFragmentOffset(0);
    whole.header.SetLastFragment();
    whole.header.SetPayloadSize(static_cast<std::uint16_t>(whole.payload->GetSize()));
    m_heldBytes -= queue.bytes;
    m_queues.erase(it);
    return whole;
  }
  // Over the memory bound: the oldest datagrams go first (possibly this one).
  while (m_heldBytes > m_limits.maxHeldBytes && !m_queues.empty()) {
    auto oldest = std::min_element(m_queues.begin(), m_queues.end(), [](const auto& a, const auto& b) {
      return a.second.order < b.second.order;
    });
    Discard(oldest, "fragment-memory", discarded);
  }
  return std::nullopt;
}

void FragmentReassembler::Clear() {
  m_queues.clear();
  m_heldBytes = 0;
}

}  // namespace alglab::nat
