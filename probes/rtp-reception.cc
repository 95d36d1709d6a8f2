#include "probes/rtp-reception.h"

#include <algorithm>
#include <cmath>

namespace alglab::probes {

void RtpReception::Add(double arrival, std::uint16_t sequence, std::uint32_t timestamp) {
  const double transit = arrival * m_clockRate - static_cast<double>(timestamp);
  if (m_received == 0) {
    m_baseSeq = m_maxSeq = sequence;
    m_lastTransit = transit;
    m_lastArrival = arrival;
    ++m_received;
    return;
  }
  const std::uint16_t delta = static_cast<std::uint16_t>(sequence - m_maxSeq);
  if (delta < kMaxDropout) {
    if (sequence < m_maxSeq) m_cycles += 65536;  // wrapped around
    m_maxSeq = sequence;
  } else if (delta <= 65536 - kMaxMisorder) {
    // A jump no reordering explains: the source restarted its sequence. Close the old run.
    m_expectedBefore = Expected();
    m_baseSeq = m_maxSeq = sequence;
    m_cycles = 0;
  }  // else: a late or duplicate packet, which does not move the highest sequence number
  ++m_received;

  // A.8: D(i-1, i) = (Ri - Ri-1) - (Si - Si-1) = transit difference; J += (|D| - J) / 16.
  const double d = std::abs(transit - m_lastTransit);
  m_lastTransit = transit;
  m_jitter += (d - m_jitter) / 16.0;
  m_maxJitter = std::max(m_maxJitter, m_jitter);
  m_jitterSum += m_jitter;
  ++m_jitterSamples;
  m_longestGap = std::max(m_longestGap, arrival - m_lastArrival);
  m_lastArrival = arrival;
}

std::uint64_t RtpReception::Expected() const {
  if (m_received == 0) return 0;
  const std::uint64_t extendedMax = m_cycles + m_maxSeq;
  return m_expectedBefore + (extendedMax - m_baseSeq + 1);
}

std::uint64_t RtpReception::Lost() const {
  const std::uint64_t expected = Expected();
  return expected > m_received ? expected - m_received : 0;
}

double RtpReception::LossRatio() const {
  const std::uint64_t expected = Expected();
  return expected == 0 ? 0.0 : static_cast<double>(Lost()) / static_cast<double>(expected);
}

double RtpReception::MeanJitterMs() const {
  return m_jitterSamples == 0 ? 0.0 : m_jitterSum / static_cast<double>(m_jitterSamples) / m_clockRate * 1000.0;
}

}  // namespace alglab::probes
