#ifndef ALGLAB_DETECT_DETECT_ACCURACY_H
#define ALGLAB_DETECT_DETECT_ACCURACY_H

/// \file
/// The detector's accuracy over the configurations of detect-variations.h: each one detected
/// in simulation, compared with the model's own truth (model-family.h), tallied in confusion
/// matrices: presence, rewrite kind, proxy vs rewrite (among configurations whose ALG acts)
/// and vendor family (top-1), the last for tuning and held-out configurations apart.
///
/// Family rankings are made against the references of the tuning configurations; a tuning
/// configuration is ranked with its own reference left out (leave-one-out), so its figure is
/// not trivially perfect. The targets (issue 12): presence 100 %, rewrite kind 100 %, vendor
/// family >= 95 % on held-out configurations, no false alarm on `none` and plain NAT.

#include "sim/detect/detect-variations.h"
#include "sim/detect/model-family.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace alglab::detect {

/// One configuration: what it is, what the model says, what the detector said.
struct AccuracyCase {
  DetectVariant variant;
  ModelTruth truth;
  bool detectedPresent = false;
  std::string detectedKind = "none";
  std::string detectedFamily = "none";  ///< top-1 of the ranking
  double familyConfidence = 0;
};

/// Detects every configuration of `variants` in `scenario` (worker processes, `jobs` at a
/// time) and ranks each against the others' tuning references. Throws ScenarioError for bad
/// input and std::runtime_error when a detection fails.
std::vector<AccuracyCase> MeasureAccuracy(const std::string& scenario, const std::vector<DetectVariant>& variants,
                                          unsigned jobs);

/// {"scenario","configurations":N,"held_out":[labels...],"presence":{...},"rewrite_kind":{...},
///  "proxy_vs_rewrite":{...},"family_tuning":{...},"family_held_out":{...},"false_alarms":N,
///  "targets_met":bool,"cases":[...]}; each matrix is {"labels":[...],"counts":{truth:{detected:n}},
///  "correct":n,"total":n,"accuracy":x}.
nlohmann::ordered_json AccuracyToJson(const std::string& scenario, const std::vector<AccuracyCase>& cases);

/// The matrices as text tables, with the targets and whether each is met.
std::string FormatAccuracy(const nlohmann::ordered_json& accuracy);

}  // namespace alglab::detect

#endif
