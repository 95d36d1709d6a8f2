#ifndef ALGLAB_REMEDIATION_RUNBOOK_JSON_H
#define ALGLAB_REMEDIATION_RUNBOOK_JSON_H

/// \file
/// A vendor's remediation runbook (alg-models/contract/runbook.h) as JSON: what
/// `alglab remediate --json` prints, and what the HTML report and a simulated remediation
/// embed, so all three show the same steps. The shape is documented in README.md
/// ("Remediation runbooks").

#include "alg-models/contract/runbook.h"

#include <nlohmann/json.hpp>

namespace alglab::remediation {

/// {"vendor","product","field_note","file","steps":[{"number","title","field_note","ui","cli",
///  "confidence","why","set":[{"knob","value"}],"then":["save"|"flush"|"reboot"]}],
///  "reregister","warnings","sources"}. Text a runbook leaves out is null, never "".
nlohmann::ordered_json RunbookToJson(const alg::Runbook& runbook);

/// One step alone, as it appears in RunbookToJson's "steps" (`number` is 1-based).
nlohmann::ordered_json RunbookStepToJson(const alg::RunbookStep& step, std::size_t number);

}  // namespace alglab::remediation

#endif
