#ifndef ALGLAB_DETECT_DETECT_SIMULATION_H
#define ALGLAB_DETECT_DETECT_SIMULATION_H

/// \file
/// The active detector in simulation. The scenario's network and router are built as
/// `alglab run` builds them (ScenarioSimulation with networkOnly: the vendor, its knobs, its
/// plain-NAT defaults and the scenario's router settings, by the usual precedence), without
/// the scenario's phones, PBX and provider applications. The detector client
/// (probes/detect/detector-client.h) runs on the first phone's host behind the router, the echo
/// server on the provider's host, which gets a second address (the provider's media-server
/// address, 198.51.100.129) for the filtering and pinhole probes. Both drive the same logic the
/// live detector runs, through Ns3DetectIo.

#include "sim/detect/detect-variations.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alglab::detect {

struct DetectRequest {
  std::string scenarioPath;            ///< a resolved scenario file
  std::optional<std::string> vendor;   ///< replaces the scenario's router.vendor
  std::vector<std::string> sets;       ///< --set overrides, as typed
  std::optional<std::uint64_t> seed;   ///< overrides the scenario's seed
  std::string outDir;                  ///< pcaps of every node interface when not empty (must exist)
};

/// Runs the detector through the router of `request` and returns its verdict
/// (probes/detect/detect-verdict.h's JSON) with "scenario", "vendor", "seed" and "configured"
/// (the router's NAT knobs as built: {"mapping","filtering","udp_timeout",...}, each as
/// written). The family, symptoms and runbook are left empty (detect-diagnosis.h fills them).
/// Bad input throws ScenarioError.
nlohmann::ordered_json DetectInSimulation(const DetectRequest& request);

/// DetectInSimulation for every variant in `scenarioPath` (its default seed), `jobs` worker
/// processes at a time. Throws std::runtime_error naming the first variant that failed.
std::vector<nlohmann::json> DetectVariantsInWorkers(const std::string& scenarioPath,
                                                    const std::vector<DetectVariant>& variants, unsigned jobs);

/// What a verdict says the ALG does: "none" (no ALG acted), "proxy" (it re-originates
/// requests) or "rewrite" (it edits or drops them in place).
std::string DetectedKind(const nlohmann::json& verdict);

}  // namespace alglab::detect

#endif
