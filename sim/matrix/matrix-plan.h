#ifndef ALGLAB_MATRIX_MATRIX_PLAN_H
#define ALGLAB_MATRIX_MATRIX_PLAN_H

// Which simulations a vendor x scenario matrix needs. Each cell runs its scenario four ways:
// the vendor's ALG on and off on the same router, each with the servers' NAT traversal on
// (rport, contact fixing, comedia, keepalives: what modern PBXs and providers do) and off. The
// ALG-off runs of vendors whose routers share their NAT defaults are the same simulation, so
// they run once.

#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <string>
#include <vector>

namespace alglab::matrix {

struct Variant {
  bool alg = true;        ///< router.alg_enabled
  bool traversal = true;  ///< server-side NAT traversal on the PBX and the provider
  /// The ALG-on run with the vendor's whole runbook applied before the first registration.
  bool remediated = false;
  /// "alg-on", "alg-off", "alg-on-no-traversal", "alg-off-no-traversal", "remediated".
  std::string Name() const;
};

/// The four variants, in the order above.
const std::vector<Variant>& AllVariants();

/// The `--set` overrides that turn the servers' NAT traversal off.
const std::vector<std::string>& TraversalOffSettings();

struct Run {
  std::string scenario;      ///< catalog name or the file's stem
  std::string scenarioPath;  ///< resolved file
  std::string vendor;        ///< the model that runs it (for a shared ALG-off run, the first)
  Variant variant;
  std::vector<std::string> sets;  ///< key=value overrides
};

struct Plan {
  std::vector<std::string> vendors;
  std::vector<std::string> scenarios;
  std::map<std::string, std::string> scenarioPaths;
  std::optional<std::uint64_t> seed;
  /// A scenario's expected cost per run (any unit; simulator events): RunPlan starts the
  /// dearest runs first so the last worker is not left with a long one. Missing: 0.
  std::map<std::string, double> scenarioCost;
  std::vector<Run> runs;  ///< each distinct simulation once
  /// (vendor, scenario, variant name) -> index into runs.
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> cells;

  std::size_t RunOf(const std::string& vendor, const std::string& scenario, const Variant& v) const;
};

/// The remediated variant.
Variant RemediatedVariant();

/// Appends a remediated run (the ALG-on run with the vendor's runbook applied) for each
/// (vendor, scenario) of `cells`; returns the index of the first one appended.
std::size_t AddRemediatedRuns(Plan& plan, const std::vector<std::pair<std::string, std::string>>& cells);

/// What decides a vendor's simulations besides the scenario: its router's NAT defaults and its
/// ALG as configured (AlgModel::BehaviourFingerprint; empty: no ALG, as `none`).
struct VendorKeys {
  std::string nat;
  std::string alg;
};

/// The plan for `vendors` x `scenarios` (names already checked). Runs that are the same
/// simulation run once: every ALG-off run of vendors with equal NAT keys, the ALG-on runs of
/// vendors whose NAT and ALG keys are both equal, and the ALG-on runs of a vendor without an
/// ALG, which are its ALG-off runs. A vendor missing from `keys` shares nothing.
Plan MakePlan(const std::vector<std::string>& vendors,
              const std::vector<std::pair<std::string, std::string>>& scenarios,
              const std::map<std::string, VendorKeys>& keys, std::optional<std::uint64_t> seed);

}  // namespace alglab::matrix

#endif
