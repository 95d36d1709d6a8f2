#ifndef ALGLAB_MATRIX_MATRIX_VERDICT_H
#define ALGLAB_MATRIX_MATRIX_VERDICT_H

// Who caused a symptom, from the same scenario run with the ALG on and off on the same router:
//   present with the ALG on only                -> "alg"
//   present both ways, the ALG not acting on it -> "plain-nat" (the NAT alone does it)
//   present both ways and the ALG dropped messages the symptom is about -> "both"
//   present with the ALG off only               -> masked: the ALG hides a plain-NAT problem
// and the matrix built from those verdicts, per vendor, scenario and symptom.

#include "sim/matrix/matrix-plan.h"
#include "sim/matrix/matrix-runner.h"

#include <nlohmann/json.hpp>

#include <string>

namespace alglab::matrix {

struct SymptomVerdict {
  bool present = false;  ///< with the ALG on
  bool masked = false;   ///< absent with the ALG on, present with it off
  std::string cause;     ///< "alg" | "plain-nat" | "both" when present
  std::string mechanism; ///< what acted, one line (the ALG-on run's evidence; the ALG-off run's when masked)
};

/// The verdict on `symptom` from an ALG-on and an ALG-off result (alglab run --json), both
/// with the servers' NAT traversal as `traversal` says (it words a verdict the router's own
/// records cannot name).
SymptomVerdict Judge(const std::string& symptom, const nlohmann::ordered_json& on,
                     const nlohmann::ordered_json& off, bool traversal = true);

/// {"vendors":{V:{"symptoms":{S:{"present","scenarios","mechanism","cause",
///   "masked_in","without_server_nat_traversal":{"scenarios","cause","masked_in"}}},
///   "scenarios":{SC:{S:{"cause","mechanism"} or {"masked":true,...},
///   "without_server_nat_traversal":{S:...}}}}}, "scenarios":[...], "symptoms":[...], "runs":N}
/// Throws std::runtime_error naming the first run that failed.
nlohmann::ordered_json BuildMatrix(const Plan& plan, const std::vector<RunOutcome>& outcomes);

}  // namespace alglab::matrix

#endif
