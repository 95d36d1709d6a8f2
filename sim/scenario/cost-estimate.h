#ifndef ALGLAB_SCENARIO_COST_ESTIMATE_H
#define ALGLAB_SCENARIO_COST_ESTIMATE_H

/// \file
/// A cost guard: an estimate, from the spec alone, of how many simulator events one simulated
/// second of the busiest part of a scenario takes, so a scenario that would run for hours (a
/// keepalive every millisecond on thousands of phones, a thousand calls at once) is refused up
/// front instead of looking like a hang in CI.

#include "sim/scenario/scenario-spec.h"

#include <cstdint>

namespace alglab::scenario {

/// The default limit, `alglab run --max-events-per-second`. At the measured ~300k events per
/// wall second (about 45k packets, 7 events each), 2M events per simulated second is about
/// 7 wall seconds per simulated second: the largest offices the project runs stay far below
/// (200 handsets with 80 concurrent calls estimate about 0.11M, 1000 with 400 about 0.56M).
constexpr std::uint64_t kDefaultMaxEventsPerSecond = 2000000;

/// The estimate: packets per simulated second times 7 events per packet, where packets are
///  - per phone: its NAT keepalives (2 packets per keepalive_interval unless keepalive is
///    none) and registration refreshes (4 packets every half register_expiry);
///  - the PBX's trunk the same way, and the PBX's and provider's NAT keepalive OPTIONS to each
///    registration (2 packets per nat_keepalive interval);
///  - RTP at the timeline's peak of concurrent calls and inbound calls: 50 packets per second
///    per direction per leg, two legs per call (phone to PBX, PBX to phone or trunk).
double EstimateEventsPerSecond(const ScenarioSpec& spec);

/// Throws ScenarioError (one line, naming the estimate, the limit and the flag) when the
/// estimate is above `limit`.
void CheckEventRate(const ScenarioSpec& spec, std::uint64_t limit);

}  // namespace alglab::scenario

#endif
