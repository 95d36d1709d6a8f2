#include "probes/load-attribution.h"

#include "probes/evidence-format.h"

#include <cstdint>

namespace alglab::probes {

nlohmann::json QueueDropsJson(const ObservationLog& log) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [queue, stats] : log.QueueDrops()) {
    out[queue] = {{"dropped", stats.dropped},
                  {"first", EvidenceTime(stats.first)},
                  {"last", EvidenceTime(stats.last)}};
  }
  return out;
}

void AttributeLoad(const ObservationLog& log, std::vector<SymptomResult>& symptoms) {
  std::uint64_t total = 0;
  for (const auto& entry : log.QueueDrops()) {
    total += entry.second.dropped;
  }
  for (SymptomResult& s : symptoms) {
    if (!s.present) {
      continue;
    }
    if (total == 0) {
      s.evidence["cause"] = kCauseNotLoad;
      continue;
    }
    s.evidence["cause"] = kCauseLoad;
    s.evidence["load"] = {{"dropped_total", total}, {"queue_drops", QueueDropsJson(log)}};
  }
}

}  // namespace alglab::probes
