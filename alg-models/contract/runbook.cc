#include "alg-models/contract/runbook.h"

#include "alg-models/contract/yaml-file-reader.h"

#include <map>
#include <memory>
#include <string>

namespace alglab::alg {

const char* ToString(RunbookAction action) {
  switch (action) {
    case RunbookAction::Save: return "save";
    case RunbookAction::Flush: return "flush";
    case RunbookAction::Reboot: return "reboot";
  }
  return "?";
}

namespace {

/// Function-local: runbook files register during static initialisation, maybe before a
/// namespace-scope set of this file would be constructed.
bool IsConfidence(const std::string& word) {
  static const std::set<std::string> confidences = {"documented", "from-code", "unverified"};
  return confidences.count(word) != 0;
}

std::vector<std::string> TextList(const YamlFileReader& r, const YAML::Node& n, const std::string& key) {
  if (!n.IsSequence()) r.Fail(n, key + ": expected a list");
  std::vector<std::string> out;
  for (const YAML::Node& item : n) out.push_back(r.Text(item, key));
  return out;
}

RunbookStep ReadStep(const YamlFileReader& r, const YAML::Node& n, std::size_t number) {
  const std::string where = "steps[" + std::to_string(number) + "]";
  r.OnlyKeys(n, where, {"title", "field_note", "ui", "cli", "confidence", "why", "set", "then"});
  RunbookStep step;
  step.line = r.Line(n);
  if (!n["title"]) r.Fail(n, where + ": missing 'title'");
  step.title = r.Text(n["title"], where + ".title");
  if (n["field_note"]) step.fieldNote = r.Text(n["field_note"], where + ".field_note");
  if (n["ui"]) step.ui = r.Text(n["ui"], where + ".ui");
  if (n["cli"]) {
    step.cli = r.Text(n["cli"], where + ".cli");
    // A block scalar (cli: |) keeps its last newline; the lines are what matters.
    while (!step.cli.empty() && (step.cli.back() == '\n' || step.cli.back() == ' ')) step.cli.pop_back();
  }
  if (step.ui.empty() && step.cli.empty()) r.Fail(n, where + ": needs 'ui' or 'cli' (what the person does)");
  if (n["why"]) step.why = r.Text(n["why"], where + ".why");
  if (!n["confidence"]) r.Fail(n, where + ": missing 'confidence' (documented, from-code or unverified)");
  step.confidence = r.Text(n["confidence"], where + ".confidence");
  if (!IsConfidence(step.confidence))
    r.Fail(n["confidence"], where + ".confidence: '" + step.confidence + "' (valid: documented, from-code, unverified)");
  if (n["set"]) {
    const YAML::Node set = n["set"];
    // A list of single-key maps keeps the order the changes are made in.
    if (!set.IsSequence()) r.Fail(set, where + ".set: expected a list of {knob: value}");
    for (const YAML::Node& change : set) {
      if (!change.IsMap() || change.size() != 1) r.Fail(change, where + ".set: expected {knob: value}");
      const auto kv = *change.begin();
      const std::string knob = r.Text(kv.first, where + ".set");
      if (knob.rfind("router.", 0) != 0)
        r.Fail(kv.first, where + ".set: '" + knob + "' is not a router knob (router.<knob> or router.alg.<vendor knob>)");
      step.set.emplace_back(knob, r.Text(kv.second, where + ".set." + knob));
    }
  }
  if (n["then"]) {
    for (const std::string& word : TextList(r, n["then"], where + ".then")) {
      if (word == "save") step.then.push_back(RunbookAction::Save);
      else if (word == "flush") step.then.push_back(RunbookAction::Flush);
      else if (word == "reboot") step.then.push_back(RunbookAction::Reboot);
      else r.Fail(n["then"], where + ".then: '" + word + "' (valid: save, flush, reboot)");
    }
  }
  if (step.set.empty() && step.then.empty())
    r.Fail(n, where + ": changes nothing (no 'set' and no 'then'); a runbook step must do something the router sees");
  return step;
}

/// vendor -> runbook, or the file's error.
struct RunbookEntry {
  std::unique_ptr<Runbook> runbook;
  std::string error;
};

std::map<std::string, RunbookEntry>& Runbooks() {
  static std::map<std::string, RunbookEntry> runbooks;  // filled during static initialisation
  return runbooks;
}

}  // namespace

Runbook ParseRunbook(const std::string& file, const std::string& text) {
  const YamlFileReader r(file);
  const YAML::Node root = LoadYaml(text, file);
  if (!root.IsMap()) throw ModelFileError(file + ": expected a map (vendor, product, steps, ...)");
  r.OnlyKeys(root, "runbook", {"vendor", "product", "field_note", "sources", "steps", "reregister", "warnings"});
  Runbook book;
  book.file = file;
  if (!root["vendor"]) r.Fail(root, "missing 'vendor'");
  book.vendor = r.Text(root["vendor"], "vendor");
  if (!root["product"]) r.Fail(root, "missing 'product'");
  book.product = r.Text(root["product"], "product");
  if (root["field_note"]) book.fieldNoteHeading = r.Text(root["field_note"], "field_note");
  if (root["sources"]) book.sources = TextList(r, root["sources"], "sources");
  if (root["warnings"]) book.warnings = TextList(r, root["warnings"], "warnings");
  if (root["reregister"]) {
    const std::string v = r.Text(root["reregister"], "reregister");
    if (v != "true" && v != "false") r.Fail(root["reregister"], "reregister: '" + v + "' (valid: true, false)");
    book.reregister = v == "true";
  }
  if (!root["steps"] || !root["steps"].IsSequence() || root["steps"].size() == 0)
    r.Fail(root["steps"] ? root["steps"] : root, "steps: expected a list of at least one step");
  std::size_t number = 0;
  for (const YAML::Node& n : root["steps"]) book.steps.push_back(ReadStep(r, n, ++number));
  return book;
}

bool RegisterRunbookFile(const char* file, const char* text) {
  const std::string folder = DataFileFolder(file);
  RunbookEntry entry;
  try {
    Runbook book = ParseRunbook(file, text);
    if (book.vendor != folder)
      throw ModelFileError(std::string(file) + ": vendor '" + book.vendor + "' is not its folder's name '" + folder + "'");
    entry.runbook = std::make_unique<Runbook>(std::move(book));
  } catch (const ModelFileError& e) {
    entry.error = e.what();
  }
  Runbooks()[folder] = std::move(entry);
  return true;
}

const Runbook* FindRunbook(const std::string& vendor) {
  const auto it = Runbooks().find(vendor);
  if (it == Runbooks().end()) return nullptr;
  if (!it->second.error.empty()) throw ModelFileError(it->second.error);
  return it->second.runbook.get();
}

}  // namespace alglab::alg
