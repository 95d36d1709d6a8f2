// PerSecondCounts: the per-second RTP series behind the report's plots.
#include "probes/per-second-counts.h"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

using alglab::probes::PerSecondCounts;

BOOST_AUTO_TEST_SUITE(per_second_counts)

BOOST_AUTO_TEST_CASE(counts_events_by_whole_second) {
  PerSecondCounts c;
  c.Add(0.2);
  c.Add(0.99);
  c.Add(2.5);
  BOOST_TEST((c.Counts() == std::vector<std::uint32_t>{2, 0, 1}));
  BOOST_TEST(c.Overflow() == 0u);
}

BOOST_AUTO_TEST_CASE(ignores_bad_times_and_bounds_the_series) {
  PerSecondCounts c;
  c.Add(-1.0);
  c.Add(std::numeric_limits<double>::quiet_NaN());
  c.Add(std::numeric_limits<double>::infinity());
  BOOST_TEST(c.Counts().empty());
  c.Add(static_cast<double>(PerSecondCounts::kMaxSeconds) + 5.0);
  BOOST_TEST(c.Counts().empty());
  BOOST_TEST(c.Overflow() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
