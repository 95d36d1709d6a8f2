#include "probes/per-second-counts.h"

#include <cmath>

namespace alglab::probes {

void PerSecondCounts::Add(double t) {
  if (!(t >= 0.0) || !std::isfinite(t)) return;
  if (t >= static_cast<double>(kMaxSeconds)) {
    ++m_overflow;
    return;
  }
  const auto second = static_cast<std::size_t>(t);
  if (second >= m_counts.size()) m_counts.resize(second + 1, 0);
  ++m_counts[second];
}

}  // namespace alglab::probes
