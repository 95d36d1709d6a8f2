#include "sim/nat/tcp-sequence-adjust.h"

namespace alglab::nat {

void TcpSequenceAdjust::RecordResize(Direction direction, std::uint32_t sequence,
                                     std::int32_t delta) {
  if (delta == 0) return;
  Way& way = m_ways[Index(direction)];
  // Only a segment past the current correction point moves it. The first resize always does
  // (both offsets are equal until then); the same segment again (a retransmission the ALG
  // rewrote the same way) does not.
  if (way.offsetBefore == way.offsetAfter || After(sequence, way.correctionPoint)) {
    way.correctionPoint = sequence;
    way.offsetBefore = way.offsetAfter;
    way.offsetAfter += delta;
  }
  m_active = true;
}

std::uint32_t TcpSequenceAdjust::Sequence(Direction direction, std::uint32_t sequence) const {
  const Way& way = m_ways[Index(direction)];
  const std::int32_t offset =
      After(sequence, way.correctionPoint) ? way.offsetAfter : way.offsetBefore;
  return sequence + static_cast<std::uint32_t>(offset);
}

std::uint32_t TcpSequenceAdjust::Acknowledgement(Direction direction, std::uint32_t ack) const {
  const Way& acked = m_ways[Index(Other(direction))];
  // The acknowledgement is in the receiver's (translated) numbering; taking the older offset off
  // first tells whether it acknowledges bytes past the correction point in the sender's terms.
  const std::uint32_t untranslated = ack - static_cast<std::uint32_t>(acked.offsetBefore);
  const std::int32_t offset =
      After(untranslated, acked.correctionPoint) ? acked.offsetAfter : acked.offsetBefore;
  return ack - static_cast<std::uint32_t>(offset);
}

}  // namespace alglab::nat
