#ifndef ALGLAB_PROBES_RTP_RECEPTION_H
#define ALGLAB_PROBES_RTP_RECEPTION_H

// What an RTP receiver reports about one incoming stream (RFC 3550 section 6.4.1, appendix
// A.3 and A.8): packets expected from the sequence numbers and lost, interarrival jitter, and
// the longest silence between two packets. Folded packet by packet, O(1) memory.
//
// Jitter follows A.8 exactly (J += (|D| - J) / 16, D from arrival time and RTP timestamp in
// timestamp units), so the figures match what a phone's RTCP receiver report or Wireshark's RTP
// stream analysis says of the same packets. Sequence numbers are extended across wrap-around
// as in A.1; a jump of more than MAX_DROPOUT (3000) starts a new sequence (a source restart)
// whose expected count adds to the earlier ones'.

#include <cstdint>

namespace alglab::probes {

class RtpReception {
 public:
  /// RTP timestamp units per second (8000 for G.711).
  explicit RtpReception(double clockRate = 8000.0) : m_clockRate(clockRate) {}

  /// One packet arrived at `arrival` seconds with these header fields.
  void Add(double arrival, std::uint16_t sequence, std::uint32_t timestamp);

  std::uint64_t Received() const { return m_received; }
  /// Packets the sequence numbers say were sent (0 before the first packet).
  std::uint64_t Expected() const;
  /// Expected minus received, never below 0 (duplicates can make the difference negative).
  std::uint64_t Lost() const;
  /// Lost / expected (0 when nothing was expected).
  double LossRatio() const;
  /// The RFC 3550 jitter estimate after the last packet, its largest value and its mean over
  /// every packet after the first, in milliseconds.
  double JitterMs() const { return m_jitter / m_clockRate * 1000.0; }
  double MaxJitterMs() const { return m_maxJitter / m_clockRate * 1000.0; }
  double MeanJitterMs() const;
  /// The longest time between two consecutive arrivals, in milliseconds.
  double LongestGapMs() const { return m_longestGap * 1000.0; }

 private:
  static constexpr std::uint32_t kMaxDropout = 3000;
  static constexpr std::uint32_t kMaxMisorder = 100;

  double m_clockRate;
  std::uint64_t m_received = 0;
  // Sequence state of the current run (A.1): base, highest seen, wrap-arounds.
  std::uint16_t m_baseSeq = 0;
  std::uint16_t m_maxSeq = 0;
  std::uint64_t m_cycles = 0;
  std::uint64_t m_expectedBefore = 0;  ///< expected packets of earlier runs (restarts)
  // Jitter state (A.8), in timestamp units.
  double m_lastTransit = 0.0;
  double m_jitter = 0.0;
  double m_maxJitter = 0.0;
  double m_jitterSum = 0.0;
  std::uint64_t m_jitterSamples = 0;
  double m_lastArrival = 0.0;
  double m_longestGap = 0.0;
};

}  // namespace alglab::probes

#endif
