#ifndef ALGLAB_PROBES_PER_SECOND_COUNTS_H
#define ALGLAB_PROBES_PER_SECOND_COUNTS_H

// Events counted per whole simulated second: the report's "RTP packets per second" plots.
// A stream folds its packets on arrival (observation-log.h keeps no per-packet history), so the
// series is a vector of counts indexed by floor(t). Bounded: seconds past kMaxSeconds are
// counted in Overflow() instead of growing the vector.

#include <cstdint>
#include <vector>

namespace alglab::probes {

class PerSecondCounts {
 public:
  /// A day of simulated time; longer runs keep their first day per second.
  static constexpr std::size_t kMaxSeconds = 86400;

  /// One event at time `t` (seconds; negative or non-finite times are ignored).
  void Add(double t);
  /// counts[s] = events in [s, s+1); as long as the last second with an event.
  const std::vector<std::uint32_t>& Counts() const { return m_counts; }
  /// Events at or after kMaxSeconds.
  std::uint64_t Overflow() const { return m_overflow; }

 private:
  std::vector<std::uint32_t> m_counts;
  std::uint64_t m_overflow = 0;
};

}  // namespace alglab::probes

#endif
