// `alglab check-config FILE [--json] [--simulate [--scenarios a,b] [--jobs N] [--seed N]]`:
// an exported router configuration read through its vendor's config map: the SIP ALG on or
// off and why, the model knobs it sets, the symptoms to expect, and the fix for this file.
#include "sim/cli/commands.h"
#include "sim/cli/job-count.h"
#include "sim/config-check/check-config-json.h"
#include "sim/config-check/config-evaluation.h"
#include "sim/config-check/config-fix.h"
#include "sim/config-check/config-symptoms.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/value-parsing.h"

#include <iostream>
#include <sstream>

namespace alglab::cli {

namespace {

using configcheck::ConfigReading;

std::string Where(const std::optional<configcheck::Statement>& s) {
  return s ? "line " + std::to_string(s->line) + ": " + s->text : "default (not in the file)";
}

void PrintText(const ConfigReading& r, const configcheck::ConfigFix& fix, const nlohmann::ordered_json& symptoms,
               std::ostream& out) {
  out << r.file << ": " << r.map->title << " (model " << r.map->vendor << ", " << r.statements.size()
      << " statements)\n\n";
  out << "SIP ALG: " << (r.algOn ? "ON" : "off") << "\n";
  for (const std::string& knob : r.decidingKnobs) {
    const configcheck::KnobReading* k = r.Knob(knob);
    out << "  " << knob << " = " << r.ValueOf(knob) << "   <- " << (k ? Where(k->source) : "default") << "\n";
  }
  for (const auto& s : r.decidingStatements) out << "  line " << s.line << ": " << s.text << "\n";
  for (const auto& a : r.decidingAbsent) out << "  no statement matches " << a << "\n";

  out << "\nKnobs (model " << r.map->vendor << "):\n";
  for (const auto& k : r.knobs)
    out << "  " << k.knob << " = " << k.value << (k.value == k.defaultValue ? "" : " (default " + k.defaultValue + ")")
        << "   <- " << Where(k.source) << "\n";
  if (!r.notes.empty()) {
    out << "\nOther statements that matter:\n";
    for (const auto& n : r.notes) out << "  line " << n.statement.line << ": " << n.statement.text << "\n    " << n.note << "\n";
  }

  out << "\nExpected symptoms (" << symptoms.value("source", "") << "): " << symptoms.value("note", "") << "\n";
  if (symptoms["symptoms"].is_array()) {
    if (symptoms["symptoms"].empty()) out << "  none\n";
    for (const auto& s : symptoms["symptoms"]) {
      std::string where;
      for (const auto& w : s["scenarios"]) where += (where.empty() ? "" : ", ") + w.value("scenario", "");
      out << "  " << s.value("name", "") << " (cause " << s.value("cause", "") << "; in " << where << ")\n";
      if (!s.value("mechanism", "").empty()) out << "    " << s.value("mechanism", "") << "\n";
    }
  }

  out << "\nFix";
  if (fix.runbook == nullptr) {
    out << ": the " << r.map->vendor << " model has no runbook\n";
    return;
  }
  out << " (" << fix.runbook->file << "):\n";
  for (const auto& s : fix.steps) {
    out << "  " << s.number << ". " << s.step->title << ": " << (s.needed ? "NEEDED" : "already done") << "\n";
    for (const auto& c : s.changes) {
      out << "     " << c.knob << ": " << c.from << " -> " << c.to;
      if (c.replaces) out << " (replaces line " << c.replaces->line << ": " << c.replaces->text << ")";
      out << "\n";
    }
    for (const auto& d : s.done) out << "     already " << d << "\n";
    if (s.needed && !s.step->cli.empty()) {
      std::istringstream cli(s.step->cli);
      std::string line;
      while (std::getline(cli, line)) out << "       " << line << "\n";
    }
  }
  if (!fix.lines.empty()) {
    out << "\nConfiguration lines to add or change:\n";
    for (const auto& block : fix.lines) {
      std::istringstream lines(block);
      std::string line;
      while (std::getline(lines, line)) out << "  " << line << "\n";
    }
  } else if (!r.algOn) {
    out << "\nNothing to change: this configuration already has the SIP ALG off.\n";
  }
}

}  // namespace

int CheckConfigCommand(const CheckConfigArguments& args) {
  configcheck::SimulationOptions options;
  if (!args.simulate && (args.scenarios || args.jobs || args.seed))
    throw scenario::ScenarioError("--scenarios, --jobs and --seed need --simulate");
  if (args.scenarios) options.scenarios = *args.scenarios;
  if (args.jobs) options.jobs = JobCount(args.jobs);
  if (args.seed) {
    const auto n = scenario::ParseUnsigned(*args.seed);
    if (!n || *n == 0 || *n > 4294944442ULL)
      throw scenario::ScenarioError("--seed " + *args.seed + ": expected a whole number from 1 to 4294944442");
    options.seed = *n;
  }
  const ConfigReading reading = configcheck::ReadConfiguration(args.file);
  const configcheck::ConfigFix fix = configcheck::PlanFix(reading);
  const nlohmann::ordered_json symptoms =
      args.simulate ? configcheck::SimulatedSymptoms(reading, options) : configcheck::GoldenSymptoms(reading);
  if (args.json) {
    std::cout << configcheck::CheckConfigJson(reading, fix, symptoms).dump(2) << "\n";
  } else {
    PrintText(reading, fix, symptoms, std::cout);
  }
  return 0;
}

}  // namespace alglab::cli
