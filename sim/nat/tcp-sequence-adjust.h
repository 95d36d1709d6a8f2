#ifndef ALGLAB_NAT_TCP_SEQUENCE_ADJUST_H
#define ALGLAB_NAT_TCP_SEQUENCE_ADJUST_H

// Keeps one TCP connection's byte numbering consistent after an ALG changed the length of a
// segment's payload. If the router grows an outbound segment by 12 bytes, the remote counts 12
// bytes more than the phone sent: every later outbound sequence number must move up by 12, and
// every acknowledgement coming back must move down by 12 before the phone sees it, or both
// stacks stall on numbers that never match.
//
// The bookkeeping follows the Linux NAT (nf_conntrack_seqadj), which the linux-netfilter model
// must reproduce and which is the common design: per direction one correction point, the
// sequence number (as the sender numbered it) of the last segment whose length changed, with the
// offset in force up to and including that segment and the one after it. A segment at or before
// the point gets the older offset, so a retransmission of the resized segment, rewritten again
// by the ALG, is not counted twice. The known limit, kept on purpose: only the latest change is
// remembered, so a retransmission of a segment from before an earlier change gets the wrong
// offset.
//
// Plain C++: numbers in, numbers out, comparisons in 32-bit serial arithmetic (RFC 1982), so a
// connection whose sequence space wraps is handled.

#include "sim/nat/nat-types.h"

#include <array>
#include <cstdint>

namespace alglab::nat {

class TcpSequenceAdjust {
 public:
  /// A segment travelling `direction` with sequence number `sequence` (as its sender numbered
  /// it) had its payload length changed by `delta` bytes (the ALG's new length minus the old).
  /// Zero deltas change nothing.
  void RecordResize(Direction direction, std::uint32_t sequence, std::int32_t delta);

  /// The sequence number to put in a segment travelling `direction`.
  std::uint32_t Sequence(Direction direction, std::uint32_t sequence) const;
  /// The acknowledgement number (or SACK block edge) to put in a segment travelling
  /// `direction`: it acknowledges the other direction's bytes, so that direction's offsets apply
  /// backwards.
  std::uint32_t Acknowledgement(Direction direction, std::uint32_t ack) const;

  /// True once any resize was recorded (only then do segments need rewriting).
  bool Active() const { return m_active; }
  /// A new connection on the same 4-tuple starts with no offsets.
  void Reset() { *this = TcpSequenceAdjust{}; }

  /// Offsets of one direction, for reports and tests.
  struct Way {
    std::uint32_t correctionPoint = 0;  ///< sequence number of the last resized segment
    std::int32_t offsetBefore = 0;      ///< for segments at or before the correction point
    std::int32_t offsetAfter = 0;       ///< for segments after it
  };
  const Way& WayOf(Direction direction) const { return m_ways[Index(direction)]; }

  /// RFC 1982 serial comparison: a is after b within half the sequence space.
  static bool After(std::uint32_t a, std::uint32_t b) {
    return static_cast<std::int32_t>(a - b) > 0;
  }

 private:
  static std::size_t Index(Direction direction) { return direction == Direction::Outbound ? 0 : 1; }
  static Direction Other(Direction direction) {
    return direction == Direction::Outbound ? Direction::Inbound : Direction::Outbound;
  }

  std::array<Way, 2> m_ways{};
  bool m_active = false;
};

}  // namespace alglab::nat

#endif
