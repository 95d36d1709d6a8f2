#include "sim/remediation/runbook-json.h"

#include <string>

namespace alglab::remediation {

namespace {

/// Text a runbook may leave out: null rather than "", so a reader tells "none" from "empty".
nlohmann::ordered_json OptionalText(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

}  // namespace

nlohmann::ordered_json RunbookStepToJson(const alg::RunbookStep& step, std::size_t number) {
  nlohmann::ordered_json set = nlohmann::ordered_json::array();
  for (const auto& [knob, value] : step.set) set.push_back({{"knob", knob}, {"value", value}});
  nlohmann::ordered_json then = nlohmann::ordered_json::array();
  for (const alg::RunbookAction action : step.then) then.push_back(alg::ToString(action));
  return {{"number", number},
          {"title", step.title},
          {"field_note", OptionalText(step.fieldNote)},
          {"ui", OptionalText(step.ui)},
          {"cli", OptionalText(step.cli)},
          {"confidence", step.confidence},
          {"why", OptionalText(step.why)},
          {"set", set},
          {"then", then}};
}

nlohmann::ordered_json RunbookToJson(const alg::Runbook& runbook) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < runbook.steps.size(); ++i) steps.push_back(RunbookStepToJson(runbook.steps[i], i + 1));
  return {{"vendor", runbook.vendor},
          {"product", runbook.product},
          {"field_note", OptionalText(runbook.fieldNoteHeading)},
          {"file", OptionalText(runbook.file)},
          {"steps", steps},
          {"reregister", runbook.reregister},
          {"warnings", runbook.warnings},
          {"sources", runbook.sources}};
}

}  // namespace alglab::remediation
