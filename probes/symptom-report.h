#ifndef ALGLAB_PROBES_SYMPTOM_REPORT_H
#define ALGLAB_PROBES_SYMPTOM_REPORT_H

// The probes' output: all seven symptom verdicts in a fixed order plus plain counts, and their
// JSON form {"symptoms": {NAME: {"present": bool, ...evidence}}, "metrics": {...}}.

#include "probes/observation-log.h"
#include "probes/symptom-result.h"
#include "probes/thresholds.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace alglab::probes {

/// One symptom as data, for listings such as `alglab list symptoms`.
struct SymptomInfo {
  const char* name;
  const char* description;  ///< one line
};

/// The seven symptoms in report order.
const std::vector<SymptomInfo>& SymptomCatalog();

/// Raw counts of what happened, independent of any threshold. See probes/README.md.
struct Metrics {
  std::uint64_t registrationsSucceeded = 0;
  std::uint64_t registrationsFailed = 0;  ///< every failed REGISTER outcome, 401s included
  std::uint64_t inboundCalls = 0;         ///< calls the provider placed toward a DID
  std::uint64_t handsetsRang = 0;         ///< alerts at devices that are not PBX/provider/router
  std::uint64_t callsEstablished = 0;     ///< distinct Call-IDs established at a phone/provider
  std::uint64_t rtpPacketsSent = 0;
  std::uint64_t rtpPacketsReceived = 0;
  std::uint64_t blfNotifiesReceived = 0;
  std::uint64_t reboots = 0;
  /// The same counts from the first reboot on (all 0 without a reboot): proof that the office
  /// recovered, not just that it worked before.
  std::uint64_t registrationsSucceededAfterReboot = 0;
  std::uint64_t handsetsRangAfterReboot = 0;
  std::uint64_t callsEstablishedAfterReboot = 0;
  std::uint64_t rtpPacketsSentAfterReboot = 0;
  std::uint64_t rtpPacketsReceivedAfterReboot = 0;
  std::uint64_t blfNotifiesReceivedAfterReboot = 0;
  /// Packets dropped by full transmit queues anywhere in the network (load, not the router).
  std::uint64_t queueDrops = 0;
};

Metrics ComputeMetrics(const ObservationLog& log);

/// Runs the seven detectors in SymptomCatalog() order, then AttributeLoad (every present
/// symptom gets a "cause"). Throws ThresholdError for bad thresholds.
std::vector<SymptomResult> DetectAllSymptoms(const ObservationLog& log,
                                             const Thresholds& thresholds = {});

/// Symptoms and metrics computed together.
struct SymptomReport {
  std::vector<SymptomResult> symptoms;
  Metrics metrics;
};

/// DetectAllSymptoms + ComputeMetrics.
SymptomReport BuildSymptomReport(const ObservationLog& log, const Thresholds& thresholds = {});

/// {"registrations_succeeded": n, ...} with the snake_case names of README.md.
nlohmann::json ToJson(const Metrics& metrics);
/// {NAME: {"present": bool, ...evidence}, ...}.
nlohmann::json ToJson(const std::vector<SymptomResult>& symptoms);
/// {"symptoms": {...}, "metrics": {...}}.
nlohmann::json ToJson(const std::vector<SymptomResult>& symptoms, const Metrics& metrics);
nlohmann::json ToJson(const SymptomReport& report);
/// The thresholds by field name, for recording next to a report.
nlohmann::json ToJson(const Thresholds& thresholds);

}  // namespace alglab::probes

#endif
