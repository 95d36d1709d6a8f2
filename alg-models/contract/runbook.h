#ifndef ALGLAB_ALG_MODELS_CONTRACT_RUNBOOK_H
#define ALGLAB_ALG_MODELS_CONTRACT_RUNBOOK_H

/// \file
/// A vendor's remediation runbook: the steps that turn its SIP ALG off, as the field note and
/// the vendor's documentation give them, each with the knob changes it makes. One source for
/// `alglab remediate` (what a person does) and for `alglab run --remediate` (what the
/// simulation then does through the same knobs, with their declared semantics). Written as
/// data in alg-models/<vendor>/runbook.yaml; see docs/adding-a-router-model.md.

#include <string>
#include <utility>
#include <vector>

namespace alglab::alg {

/// What a step needs after its knob changes, in the order written.
enum class RunbookAction {
  Save,    ///< commit/save the running configuration (a reboot restores only what was saved)
  Flush,   ///< clear the router's sessions (existing connections keep the helper otherwise)
  Reboot,  ///< power-cycle the router
};

/// "save" / "flush" / "reboot".
const char* ToString(RunbookAction action);

struct RunbookStep {
  std::string title;       ///< short imperative: "Delete the SIP session helper"
  std::string fieldNote;   ///< the field note's own words for this step; empty if it has none
  std::string ui;          ///< web UI / controller path, as the vendor's UI names it; may be empty
  std::string cli;         ///< CLI lines (newline-separated); empty where the vendor has no CLI
  std::string confidence;  ///< the dossier's marker: "documented", "from-code" or "unverified"
  std::string why;         ///< what the step changes in the router, one line
  /// Knob changes, in order: (dotted name as a scenario's timeline `set:` takes it,
  /// "router.alg.<vendor knob>" or "router.<knob>", value).
  std::vector<std::pair<std::string, std::string>> set;
  std::vector<RunbookAction> then;  ///< save / flush / reboot after the changes
  std::size_t line = 0;             ///< where the step starts in the runbook file
};

struct Runbook {
  std::string vendor;            ///< the model's id (its folder)
  std::string product;           ///< "Fortinet FortiGate (FortiOS)"
  std::string fieldNoteHeading;  ///< the field note's heading for this vendor; empty if none
  std::string file;              ///< alg-models/<vendor>/runbook.yaml
  std::vector<std::string> sources;   ///< what the steps rest on (dossier sections, docs)
  std::vector<RunbookStep> steps;     ///< 1-based in user-facing output
  bool reregister = true;             ///< phones must re-register (or reboot) afterwards
  std::vector<std::string> warnings;  ///< what turning the ALG off may expose, and its fix
};

/// Registers the runbook a runbook file describes (the build embeds every
/// alg-models/<id>/runbook.yaml and calls this at static initialisation). A file that does not
/// parse registers its one-line error, thrown by FindRunbook.
bool RegisterRunbookFile(const char* file, const char* text);

/// Parses runbook text (`file` names it in errors). Throws ModelFileError "file:line: ...".
Runbook ParseRunbook(const std::string& file, const std::string& text);

/// The runbook of `vendor`, or nullptr if its folder has none. Throws ModelFileError (the
/// file's one-line error) for a runbook file that did not parse.
const Runbook* FindRunbook(const std::string& vendor);

}  // namespace alglab::alg

#endif
