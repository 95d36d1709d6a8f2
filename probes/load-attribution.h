#ifndef ALGLAB_PROBES_LOAD_ATTRIBUTION_H
#define ALGLAB_PROBES_LOAD_ATTRIBUTION_H

// Says whether a present symptom can come from load. Lost packets have two kinds of cause in
// this lab: something on the path refused or misdirected them (a NAT binding, an ALG rewrite,
// an endpoint), or a link was saturated and a device's transmit queue overflowed. Only the
// second leaves queue drops behind (ObservationLog::QueueDrops, from the queues' "Drop" trace
// sources). A symptom present while queues dropped packets is marked as load, with the queues
// that dropped and when, so the report does not blame the router's ALG for a full uplink.

#include "probes/observation-log.h"
#include "probes/symptom-result.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace alglab::probes {

/// Cause values written into a present symptom's evidence ("cause").
inline constexpr const char* kCauseLoad = "load";          ///< queues overflowed during the run
inline constexpr const char* kCauseNotLoad = "not_load";  ///< no queue dropped anything

/// {"<queue>": {"dropped": n, "first": t, "last": t}, ...} in queue name order.
nlohmann::json QueueDropsJson(const ObservationLog& log);

/// Writes "cause" into every present symptom; with queue drops also "load": {"queue_drops":
/// QueueDropsJson, "dropped_total": n}. Absent symptoms are left alone.
void AttributeLoad(const ObservationLog& log, std::vector<SymptomResult>& symptoms);

}  // namespace alglab::probes

#endif
