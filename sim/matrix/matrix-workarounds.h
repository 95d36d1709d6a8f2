#ifndef ALGLAB_MATRIX_MATRIX_WORKAROUNDS_H
#define ALGLAB_MATRIX_MATRIX_WORKAROUNDS_H

// The matrix's second table: which workaround (sim/remediation/workarounds.h) removes which
// symptom, per vendor. Only a cell whose baseline shows a symptom gets workaround runs: its
// defaults (the `alg-on` run) for a workaround the user applies to a working setup, its
// `alg-on-no-traversal` run for server-side NAT traversal, whose "with" run is the matrix's own
// `alg-on` (no extra simulation). The runs are shared as the matrix's are: vendors whose NAT
// defaults and ALG behave alike run one simulation per scenario and workaround.

#include "sim/matrix/matrix-plan.h"
#include "sim/matrix/matrix-runner.h"
#include "sim/remediation/workarounds.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace alglab::matrix {

/// Where a cell's run under a workaround, or its baseline, is: a run of the matrix's own plan,
/// or of the workaround plan.
struct RunRef {
  bool inBase = true;
  std::size_t index = 0;
};

struct WorkaroundPlan {
  /// Only `runs` (and what RunPlan reads: seed, scenario costs) are used; `cells` stays empty.
  Plan plan;
  std::vector<const remediation::Workaround*> workarounds;
  /// (vendor, scenario, workaround) -> baseline and result, for cells with a baseline symptom.
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<RunRef, RunRef>> cells;
};

/// The workaround runs `base` (run, with `baseOutcomes` all ok) calls for. `keys` as MakePlan
/// takes them. Throws std::runtime_error naming a base run that failed.
WorkaroundPlan MakeWorkaroundPlan(const Plan& base, const std::vector<RunOutcome>& baseOutcomes,
                                  const std::map<std::string, VendorKeys>& keys,
                                  const std::vector<const remediation::Workaround*>& workarounds);

/// {V:{W:{"symptoms":{S:{"helps":true|false|"n.a.","removed_in":[...],"remains_in":[...]}},
///        "new_symptoms":{S:[scenarios]}}}}: `helps` is true when the symptom is gone in every
/// scenario whose baseline had it, false when it stays in at least one, "n.a." when no
/// baseline had it; `new_symptoms` are those the workaround brings where the baseline had
/// none. Throws std::runtime_error naming a run that failed.
nlohmann::ordered_json BuildWorkaroundTable(const Plan& base, const std::vector<RunOutcome>& baseOutcomes,
                                            const WorkaroundPlan& plan, const std::vector<RunOutcome>& outcomes,
                                            const std::vector<std::string>& symptoms);

/// The table as text: per vendor with a symptom, a row per workaround, a column per symptom.
std::string FormatWorkaroundTable(const nlohmann::ordered_json& table, const std::vector<std::string>& symptoms);

}  // namespace alglab::matrix

#endif
