// `alglab remediate --vendor V [--json]`: the vendor's remediation runbook
// (alg-models/<vendor>/runbook.yaml), as a person follows it or as JSON.
#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/model-file.h"
#include "alg-models/contract/runbook.h"
#include "sim/cli/commands.h"
#include "sim/remediation/alg-off-exposure.h"
#include "sim/remediation/runbook-json.h"
#include "sim/scenario/scenario-error.h"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace alglab::cli {

namespace {

/// A vendor with no ALG at all (the control, `none`): nothing to turn off.
bool HasNoAlg(const alg::AlgModelInfo& m) { return m.typeId.empty() && !m.create; }

/// What a person does for each action, in the runbook's order.
std::string ActionText(alg::RunbookAction action) {
  switch (action) {
    case alg::RunbookAction::Save: return "save the configuration";
    case alg::RunbookAction::Flush: return "clear the router's connections";
    case alg::RunbookAction::Reboot: return "reboot the router";
  }
  return alg::ToString(action);
}

/// `text` with every line after the first indented by `indent` (the first follows a label).
std::string Indented(const std::string& text, const std::string& indent) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) out += indent + line + "\n";
  return out;
}

void PrintRunbook(const alg::Runbook& book, const nlohmann::ordered_json& exposure, std::ostream& out) {
  out << book.vendor << ": " << book.product << "\n";
  if (!book.fieldNoteHeading.empty()) out << "Field note heading: " << book.fieldNoteHeading << "\n";
  out << "Runbook: " << book.file << "\n";
  std::size_t number = 0;
  for (const alg::RunbookStep& step : book.steps) {
    out << "\n" << ++number << ". " << step.title << "\n";
    if (!step.fieldNote.empty()) out << "   Field note: \"" << step.fieldNote << "\"\n";
    if (!step.ui.empty()) out << "   UI: " << step.ui << "\n";
    if (!step.cli.empty()) out << "   CLI:\n" << Indented(step.cli, "       ");
    std::string then;
    for (const alg::RunbookAction action : step.then) then += (then.empty() ? "" : "; ") + ActionText(action);
    out << "   Then: " << (then.empty() ? "nothing more (the change takes effect as made)" : then) << "\n";
    out << "   Confidence: " << step.confidence << "\n";
    if (!step.why.empty()) out << "   Why: " << step.why << "\n";
    std::string set;
    for (const auto& [knob, value] : step.set) set += (set.empty() ? "" : ", ") + knob + "=" + value;
    if (!set.empty()) out << "   Simulated by: " << set << "\n";
  }
  out << "\n"
      << (book.reregister ? "Afterwards: re-register every phone (reboot it or re-register its lines), so the "
                            "provider stores the phone's own address instead of the one the ALG wrote.\n"
                          : "Afterwards: the phones need not re-register.\n");
  if (!book.warnings.empty()) {
    out << "\nWarnings:\n";
    for (const std::string& w : book.warnings) out << "  - " << w << "\n";
  }
  out << "\nWith the ALG off this router is plain NAT; what the ALG had been doing falls to the servers:\n";
  for (const auto& e : exposure) out << "  - " << e.value("risk", "") << ".\n    Fix: " << e.value("fix", "") << ".\n";
  if (!book.sources.empty()) {
    out << "\nSources:\n";
    for (const std::string& s : book.sources) out << "  - " << s << "\n";
  }
}

}  // namespace

int RemediateCommand(const RemediateArguments& args) {
  const auto& registry = alg::AlgModelRegistry::Instance();
  // The vendors this command knows: every model with a runbook, and those with no ALG.
  std::vector<std::string> valid;
  for (const alg::AlgModelInfo& m : registry.All()) {
    bool hasRunbook = false;
    try {
      hasRunbook = alg::FindRunbook(m.vendor) != nullptr;
    } catch (const alg::ModelFileError&) {
      hasRunbook = true;  // listed; asking for it reports the file's error
    }
    if (hasRunbook || HasNoAlg(m)) valid.push_back(m.vendor);
  }
  const alg::AlgModelInfo* info = registry.Find(args.vendor);
  std::string validText;
  for (const std::string& v : valid) validText += (validText.empty() ? "" : ", ") + v;
  if (info == nullptr) throw scenario::ScenarioError("unknown vendor '" + args.vendor + "' (valid: " + validText + ")");

  alg::Runbook book;
  if (HasNoAlg(*info)) {
    // A router without a SIP ALG: an empty runbook, so --json keeps one shape.
    book.vendor = info->vendor;
    book.product = "a router without a SIP ALG (" + info->summary + ")";
    book.reregister = false;
  } else {
    const alg::Runbook* found = nullptr;
    try {
      found = alg::FindRunbook(info->vendor);
    } catch (const alg::ModelFileError& e) {
      throw scenario::ScenarioError(e.what());
    }
    if (found == nullptr) {
      throw scenario::ScenarioError("vendor '" + args.vendor + "' has no runbook" +
                                    (info->example ? " (a teaching model that stands for no product)" : "") +
                                    " (valid: " + validText + ")");
    }
    book = *found;
  }

  const nlohmann::ordered_json exposure = remediation::AlgOffExposure(book.vendor);
  if (args.json) {
    nlohmann::ordered_json j = remediation::RunbookToJson(book);
    if (!book.steps.empty()) j["with_the_alg_off"] = exposure;
    std::cout << j.dump(2) << "\n";
  } else if (book.steps.empty()) {
    std::cout << book.vendor << ": " << book.product << "\nThis router has no SIP ALG: there is nothing to turn off.\n";
  } else {
    PrintRunbook(book, exposure, std::cout);
  }
  return 0;
}

}  // namespace alglab::cli
