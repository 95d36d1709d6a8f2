#ifndef ALGLAB_SIM_REMEDIATION_REMEDIATION_RUN_H
#define ALGLAB_SIM_REMEDIATION_REMEDIATION_RUN_H

/// \file
/// `alglab run --remediate`: the same scenario and seed without and with the vendor's runbook
/// applied at a time T (and, for a runbook of several steps, with each step alone), symptoms
/// measured from T on in each, compared, and explained.

#include "alg-models/contract/runbook.h"
#include "sim/remediation/remediation-plan.h"
#include "sim/scenario/scenario-runner.h"
#include "sim/scenario/scenario-spec.h"

namespace alglab::remediation {

/// The remediated run's result: its own JSON (symptoms measured from T on) with
/// "remediated": true and a "remediation" record: the steps and what each changed, the
/// symptoms of the same run without remediation from T on ("before"), what the remediation
/// removed, kept and exposed, the advice for each (remediation-advice.h), and with
/// `eachStepAlone` and several steps, what each step removes on its own. Only the remediated
/// run writes to options.outDir. Throws ScenarioError for bad input.
scenario::RunResult RunRemediated(const scenario::ScenarioSpec& spec, const scenario::RunOptions& options,
                                  const alg::Runbook& runbook, const RemediationRequest& request,
                                  bool eachStepAlone);

/// The names of the present symptoms of a run JSON "symptoms" object, in report order.
std::vector<std::string> PresentSymptoms(const nlohmann::ordered_json& symptoms);

}  // namespace alglab::remediation

#endif
