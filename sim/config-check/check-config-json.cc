#include "sim/config-check/check-config-json.h"

#include "sim/remediation/runbook-json.h"

namespace alglab::configcheck {

namespace {

nlohmann::ordered_json StatementJson(const Statement& s) { return {{"line", s.line}, {"text", s.text}}; }

nlohmann::ordered_json SourceJson(const std::optional<Statement>& s) {
  return s ? StatementJson(*s) : nlohmann::ordered_json("default");
}

}  // namespace

nlohmann::ordered_json CheckConfigJson(const ConfigReading& reading, const ConfigFix& fix,
                                       const nlohmann::ordered_json& symptoms) {
  nlohmann::ordered_json because = nlohmann::ordered_json::array();
  for (const std::string& knob : reading.decidingKnobs) {
    const KnobReading* k = reading.Knob(knob);
    because.push_back({{"knob", knob}, {"value", reading.ValueOf(knob)},
                       {"source", k != nullptr ? SourceJson(k->source) : nlohmann::ordered_json("default")}});
  }
  for (const Statement& s : reading.decidingStatements)
    because.push_back({{"statement", StatementJson(s)}});
  for (const std::string& regex : reading.decidingAbsent) because.push_back({{"absent", regex}});

  nlohmann::ordered_json knobs = nlohmann::ordered_json::array();
  for (const KnobReading& k : reading.knobs)
    knobs.push_back({{"knob", k.knob}, {"value", k.value}, {"default", k.defaultValue}, {"source", SourceJson(k.source)}});

  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const NoteReading& n : reading.notes)
    notes.push_back({{"line", n.statement.line}, {"text", n.statement.text}, {"note", n.note}});

  nlohmann::ordered_json fixJson;
  if (fix.runbook == nullptr) {
    fixJson = nullptr;
  } else {
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (const FixStep& s : fix.steps) {
      nlohmann::ordered_json step = remediation::RunbookStepToJson(*s.step, s.number);
      step["status"] = s.needed ? "needed" : "already_done";
      nlohmann::ordered_json changes = nlohmann::ordered_json::array();
      for (const KnobChange& c : s.changes) {
        changes.push_back({{"knob", c.knob}, {"from", c.from}, {"to", c.to},
                           {"replaces", c.replaces ? StatementJson(*c.replaces) : nlohmann::ordered_json(nullptr)},
                           {"lines", c.lines}});
      }
      step["changes"] = changes;
      step["already_in_target"] = s.done;
      steps.push_back(step);
    }
    fixJson = {{"runbook", fix.runbook->file},
               {"steps", steps},
               {"config_lines", fix.lines},
               {"reregister", fix.runbook->reregister},
               {"warnings", fix.runbook->warnings}};
  }
  return {{"file", reading.file},
          {"vendor", reading.map->vendor},
          {"format", reading.map->format},
          {"format_title", reading.map->title},
          {"config_map", reading.map->file},
          {"statements", reading.statements.size()},
          {"alg_on", reading.algOn},
          {"alg_on_because", because},
          {"knobs", knobs},
          {"other_statements", notes},
          {"expected_symptoms", symptoms},
          {"fix", fixJson}};
}

}  // namespace alglab::configcheck
