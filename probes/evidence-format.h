#ifndef ALGLAB_PROBES_EVIDENCE_FORMAT_H
#define ALGLAB_PROBES_EVIDENCE_FORMAT_H

// Helpers that keep evidence readable and bounded: rounded numbers, and a JSON array that keeps
// at most kMaxListedItems entries and counts the rest.

#include "probes/symptom-detectors.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

namespace alglab::probes {

/// A time for evidence, rounded to the microsecond so reports stay readable and stable.
inline double EvidenceTime(double t) { return std::round(t * 1e6) / 1e6; }

/// A ratio for evidence, rounded to four decimals.
inline double EvidenceRatio(double r) { return std::round(r * 1e4) / 1e4; }

class EvidenceList {
 public:
  void Add(nlohmann::json item) {
    ++m_total;
    if (m_items.size() < kMaxListedItems) {
      m_items.push_back(std::move(item));
    }
  }
  std::size_t Total() const { return m_total; }
  /// Writes `key` (the array) into `into`, and `key + "_not_listed"` when entries were dropped.
  void WriteTo(nlohmann::json& into, const std::string& key) const {
    into[key] = m_items;
    if (m_total > m_items.size()) {
      into[key + "_not_listed"] = m_total - m_items.size();
    }
  }

 private:
  nlohmann::json m_items = nlohmann::json::array();
  std::size_t m_total = 0;
};

}  // namespace alglab::probes

#endif
