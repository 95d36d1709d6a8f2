#ifndef ALGLAB_DETECT_FAMILY_RANK_H
#define ALGLAB_DETECT_FAMILY_RANK_H

/// \file
/// Names the likely vendor family of an observed detector verdict by its nearest reference
/// verdicts. The references are verdicts the detector itself produced in simulation against
/// every model (sim/detect/detect-references.h), so this file knows no vendor: a new model
/// folder becomes a new reference without a change here.
///
/// A verdict becomes a set of features: every scalar leaf of the JSON object by its path
/// ("alg_present" = true, "nat.timeouts.sip.first_expired" = 120), an array of scalars as one
/// feature per element ("triggers.ports[]=\"udp/5060\""), and a list of records under each
/// record's identity, its first text member ("rewrites[INVITE].fields[]=\"contact\"", so the
/// records of one method on UDP and TCP merge). The free-text `evidence` and the fields this
/// ranking fills are left out. Two feature sets are compared aspect by aspect (the signalling
/// timer, re-origination, media, inbound, drops, rewritten fields, triggers, the NAT): each
/// aspect scores the share of its features that agree over the union of both sets (numbers
/// agree within 10 %, so a timer measured at 178 s matches one of 180 s), and the aspects are
/// averaged with weights that favour the ALG's engine over its scope (WeightOf in the .cc).
///
/// Plain C++17 (no ns-3): the live detector can rank against a saved reference file too.

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace alglab::detect {

/// A verdict's comparable features: path -> scalar JSON value.
using VerdictFeatures = std::map<std::string, nlohmann::json>;

/// The features of `verdict` (a detector verdict object; other keys are ignored as described).
VerdictFeatures FeaturesOf(const nlohmann::json& verdict);

/// Weighted agreement of two feature sets, 0 (nothing alike) to 1 (identical).
double Similarity(const VerdictFeatures& a, const VerdictFeatures& b);

/// One verdict the detector gave in simulation, and what produced it.
struct FamilyReference {
  std::string family;   ///< the family of the model configuration (sim/detect/model-family.h)
  std::string vendor;   ///< the model
  std::string variant;  ///< "defaults" or "knob=value"
  VerdictFeatures features;
};

/// One family's place in a ranking.
struct FamilyScore {
  std::string family;
  double similarity = 0;  ///< to its nearest reference
  double confidence = 0;  ///< share of the evidence among the families (sums to 1)
  std::string vendor;     ///< the nearest reference's model and variant
  std::string variant;
};

/// Every family of `references`, best first (ties: by name). Empty without references.
std::vector<FamilyScore> RankFamilies(const VerdictFeatures& observed,
                                      const std::vector<FamilyReference>& references);

/// The ranking as the verdict's `vendor_family`: [{"family","confidence","similarity",
/// "nearest":{"vendor","variant"}}], best first, confidences rounded to 3 decimals.
nlohmann::ordered_json FamilyRankingToJson(const std::vector<FamilyScore>& ranking);

}  // namespace alglab::detect

#endif
