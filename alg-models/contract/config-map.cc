#include "alg-models/contract/config-map.h"

#include "alg-models/contract/yaml-file-reader.h"

#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>

namespace alglab::alg {

namespace {

/// A regex of the file, compiled once here so a broken one is the file's error, not a run's.
std::string Regex(const YamlFileReader& r, const YAML::Node& n, const std::string& key) {
  const std::string text = r.Text(n, key);
  try {
    std::regex compiled(text, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    r.Fail(n, key + ": '" + text + "' is not a regular expression (" + e.what() + ")");
  }
  return text;
}

std::vector<std::string> RegexList(const YamlFileReader& r, const YAML::Node& n, const std::string& key) {
  if (!n.IsSequence() || n.size() == 0) r.Fail(n, key + ": expected a list of regular expressions");
  std::vector<std::string> out;
  for (const YAML::Node& item : n) out.push_back(Regex(r, item, key));
  return out;
}

ConfigRule ReadRule(const YamlFileReader& r, const YAML::Node& n, const std::string& where) {
  r.OnlyKeys(n, where, {"match", "absent", "value", "map", "convert"});
  ConfigRule rule;
  rule.line = r.Line(n);
  if (n["match"] && n["absent"]) r.Fail(n, where + ": 'match' or 'absent', not both");
  if (n["match"]) {
    rule.match = Regex(r, n["match"], where + ".match");
  } else if (n["absent"]) {
    const YAML::Node a = n["absent"];
    r.OnlyKeys(a, where + ".absent", {"block", "present"});
    if (!a["block"] || !a["present"]) r.Fail(a, where + ".absent: needs 'block' and 'present'");
    rule.absentBlock = Regex(r, a["block"], where + ".absent.block");
    rule.absentPresent = Regex(r, a["present"], where + ".absent.present");
  } else {
    r.Fail(n, where + ": needs 'match' or 'absent'");
  }
  if (!n["value"]) r.Fail(n, where + ": missing 'value' (a knob word, or $1 for the first group)");
  rule.value = r.Text(n["value"], where + ".value");
  if (n["map"]) rule.map = r.TextMap(n["map"], where + ".map");
  if (n["convert"]) {
    rule.convert = r.Text(n["convert"], where + ".convert");
    if (rule.convert != "seconds") r.Fail(n["convert"], where + ".convert: '" + rule.convert + "' (valid: seconds)");
  }
  return rule;
}

ConfigKnobMap ReadKnob(const YamlFileReader& r, const YAML::Node& n, std::size_t index) {
  const std::string where = "knobs[" + std::to_string(index) + "]";
  r.OnlyKeys(n, where, {"knob", "rules", "lines"});
  ConfigKnobMap k;
  k.line = r.Line(n);
  if (!n["knob"]) r.Fail(n, where + ": missing 'knob' (the model's knob name)");
  k.knob = r.Text(n["knob"], where + ".knob");
  if (!n["rules"] || !n["rules"].IsSequence() || n["rules"].size() == 0)
    r.Fail(n, where + ": needs 'rules', a list of {match|absent, value}");
  for (std::size_t i = 0; i < n["rules"].size(); ++i)
    k.rules.push_back(ReadRule(r, n["rules"][i], where + ".rules[" + std::to_string(i) + "]"));
  if (n["lines"]) {
    const YAML::Node lines = n["lines"];
    if (!lines.IsMap()) r.Fail(lines, where + ".lines: expected a map of knob value -> lines");
    for (const auto& kv : lines) {
      const std::string value = kv.first.Scalar();
      const std::string key = where + ".lines." + value;
      if (!kv.second.IsSequence() || kv.second.size() == 0) r.Fail(kv.second, key + ": expected a list");
      for (const YAML::Node& item : kv.second) {
        ConfigLine line;
        if (item.IsScalar()) {
          line.line = item.Scalar();
        } else {
          r.OnlyKeys(item, key, {"line", "present", "group_defaults"});
          if (!item["line"]) r.Fail(item, key + ": missing 'line'");
          line.line = r.Text(item["line"], key + ".line");
          if (item["present"]) line.present = Regex(r, item["present"], key + ".present");
          if (item["group_defaults"]) {
            if (!item["group_defaults"].IsSequence()) r.Fail(item["group_defaults"], key + ".group_defaults: expected a list");
            for (const YAML::Node& g : item["group_defaults"]) line.groupDefaults.push_back(r.Text(g, key + ".group_defaults"));
          }
        }
        while (!line.line.empty() && (line.line.back() == '\n' || line.line.back() == ' ')) line.line.pop_back();
        k.lines[value].push_back(line);
      }
    }
  }
  return k;
}

struct ConfigMapEntry {
  std::unique_ptr<ConfigMap> map;
  std::string error;
};

/// Function-local: config maps register during static initialisation.
std::map<std::string, ConfigMapEntry>& ConfigMaps() {
  static std::map<std::string, ConfigMapEntry> maps;
  return maps;
}

}  // namespace

ConfigMap ParseConfigMap(const std::string& file, const std::string& text) {
  const YamlFileReader r(file);
  const YAML::Node doc = LoadYaml(text, file);
  r.OnlyKeys(doc, "config map", {"vendor", "format", "title", "syntax", "signatures", "sources", "alg_on_when",
                                  "knobs", "notes", "scope"});
  ConfigMap m;
  m.file = file;
  for (const char* key : {"vendor", "format", "title", "syntax", "signatures", "alg_on_when", "knobs"})
    if (!doc[key]) r.Fail(doc, std::string("missing '") + key + "'");
  m.vendor = r.Text(doc["vendor"], "vendor");
  m.format = r.Text(doc["format"], "format");
  m.title = r.Text(doc["title"], "title");
  m.syntax = r.Text(doc["syntax"], "syntax");
  static const std::set<std::string> syntaxes = {"fortios", "routeros", "set-commands", "indented"};
  if (syntaxes.count(m.syntax) == 0)
    r.Fail(doc["syntax"], "syntax: '" + m.syntax + "' (valid: fortios, indented, routeros, set-commands)");
  m.signatures = RegexList(r, doc["signatures"], "signatures");
  if (doc["sources"]) {
    if (!doc["sources"].IsSequence()) r.Fail(doc["sources"], "sources: expected a list");
    for (const YAML::Node& s : doc["sources"]) m.sources.push_back(r.Text(s, "sources"));
  }
  const YAML::Node on = doc["alg_on_when"];
  if (!on.IsSequence() || on.size() == 0) r.Fail(on, "alg_on_when: expected a list of {knob: value, ...}");
  for (const YAML::Node& c : on) {
    if (!c.IsMap() || c.size() == 0) r.Fail(c, "alg_on_when: expected {knob: value, ...}");
    AlgOnCondition condition;
    condition.line = r.Line(c);
    for (const auto& kv : c) {
      const std::string key = kv.first.Scalar();
      if (key == "without") {
        condition.without = Regex(r, kv.second, "alg_on_when.without");
      } else {
        condition.knobs[key] = r.Text(kv.second, "alg_on_when." + key);
      }
    }
    m.algOnWhen.push_back(condition);
  }
  const YAML::Node knobs = doc["knobs"];
  if (!knobs.IsSequence() || knobs.size() == 0) r.Fail(knobs, "knobs: expected a list");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < knobs.size(); ++i) {
    ConfigKnobMap k = ReadKnob(r, knobs[i], i);
    if (!seen.insert(k.knob).second) r.Fail(knobs[i], "knob '" + k.knob + "' is mapped twice");
    m.knobs.push_back(std::move(k));
  }
  for (const AlgOnCondition& c : m.algOnWhen) {
    for (const auto& [knob, value] : c.knobs) {
      (void)value;
      if (seen.count(knob) == 0) r.Fail(on, "alg_on_when: knob '" + knob + "' has no entry under knobs");
    }
  }
  if (doc["notes"]) {
    const YAML::Node notes = doc["notes"];
    if (!notes.IsSequence()) r.Fail(notes, "notes: expected a list of {match, note}");
    for (const YAML::Node& n : notes) {
      r.OnlyKeys(n, "notes", {"match", "note"});
      if (!n["match"] || !n["note"]) r.Fail(n, "notes: needs 'match' and 'note'");
      m.notes.push_back({Regex(r, n["match"], "notes.match"), r.Text(n["note"], "notes.note"), r.Line(n)});
    }
  }
  if (doc["scope"]) {
    const YAML::Node scope = doc["scope"];
    r.OnlyKeys(scope, "scope", {"match", "close"});
    if (!scope["match"] || !scope["close"]) r.Fail(scope, "scope: needs 'match' (group 1: the block path) and 'close'");
    m.scopeMatch = Regex(r, scope["match"], "scope.match");
    m.scopeClose = r.TextMap(scope["close"], "scope.close");
  }
  return m;
}

bool RegisterConfigMapFile(const char* file, const char* text) {
  ConfigMapEntry entry;
  const std::string vendor = DataFileFolder(file);
  try {
    entry.map = std::make_unique<ConfigMap>(ParseConfigMap(file, text));
    if (entry.map->vendor != vendor) {
      entry.error = std::string(file) + ": vendor '" + entry.map->vendor + "' is not its folder's name '" + vendor + "'";
      entry.map.reset();
    }
  } catch (const ModelFileError& e) {
    entry.error = e.what();
  }
  ConfigMaps()[vendor] = std::move(entry);
  return true;
}

std::vector<const ConfigMap*> AllConfigMaps() {
  std::vector<const ConfigMap*> out;
  for (const auto& [vendor, entry] : ConfigMaps()) {
    if (!entry.error.empty()) throw ModelFileError(entry.error);
    out.push_back(entry.map.get());
  }
  return out;
}

}  // namespace alglab::alg
