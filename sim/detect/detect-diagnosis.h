#ifndef ALGLAB_DETECT_DETECT_DIAGNOSIS_H
#define ALGLAB_DETECT_DETECT_DIAGNOSIS_H

/// \file
/// Completes a detector verdict with what it means: `vendor_family` (the ranking against the
/// references, family-rank.h), `predicted_symptoms` (what the observed behaviour will do to
/// phones, each naming the verdict fields it follows from) and `runbook` (how to turn off the
/// ALG of the top family's nearest model, remediation/runbook-json.h; null when the top family
/// is "none" or its model has no runbook).
///
/// Predictions, only when an ALG was detected (symptom names as `alglab list symptoms`):
/// - the ALG's SIP binding expires sooner than plain UDP's (its signalling timer) and sooner
///   than a phone's re-registration (3600 s): incoming_calls_not_ringing;
/// - Contact rewritten and the server's request to that binding did not arrive:
///   incoming_calls_not_ringing;
/// - SDP rewritten but no media pinhole let the peer's RTP in: one_way_audio;
/// - the pinhole admits only the SDP peer, not a separate media server: one_way_audio;
/// - requests of a method dropped (SUBSCRIBE/NOTIFY: blf_not_updating; INVITE:
///   calls_not_connecting; REGISTER: registration_failure);
/// - requests from the server's second address blocked while the first got in:
///   incoming_calls_not_ringing (providers that send INVITEs from other proxies);
/// - a NOTIFY to the registered binding blocked while an INVITE got in: blf_not_updating.

#include "sim/detect/family-rank.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace alglab::detect {

/// A phone's usual re-registration interval (the default Expires), seconds.
inline constexpr double kRegisterIntervalSeconds = 3600;

/// The family ranking of `verdict`: among the ALG families when it found an ALG, else among
/// the references without one (an ALG's verdict is never "none", and the reverse).
std::vector<FamilyScore> RankVerdict(const nlohmann::json& verdict, const std::vector<FamilyReference>& references);

/// Fills `vendor_family`, `predicted_symptoms` and `runbook` of `verdict`.
void CompleteVerdict(nlohmann::ordered_json& verdict, const std::vector<FamilyReference>& references);

/// Those three fields as text lines for people ("  vendor family:  ...", "  predicted: ...",
/// "  fix: ..."), the same for the simulated and the live detector.
std::string FormatVerdictMeaning(const nlohmann::json& verdict);

/// The predictions above for `verdict`: [{"symptom","why","evidence":[...]}].
nlohmann::ordered_json PredictSymptoms(const nlohmann::json& verdict);

}  // namespace alglab::detect

#endif
