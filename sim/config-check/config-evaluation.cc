#include "sim/config-check/config-evaluation.h"

#include "sim/config-check/bounded-regex.h"

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/model-file.h"
#include "sim/scenario/scenario-error.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace alglab::configcheck {

using scenario::ScenarioError;

namespace {

/// Configurations are kilobytes; a bound keeps a wrong file from being read whole.
constexpr std::size_t kMaxConfigBytes = 16 * 1024 * 1024;

/// The map's regexes, compiled once each (a rule is tried on every statement).
const std::regex& Compiled(const std::string& regex) {
  static std::map<std::string, std::regex> cache;
  auto it = cache.find(regex);
  if (it == cache.end()) it = cache.emplace(regex, std::regex(regex, std::regex::ECMAScript)).first;
  return it->second;
}

/// Rules see a statement's first characters only (bounded-regex.h).
bool Search(const std::string& text, const std::string& regex, std::smatch* groups = nullptr) {
  return BoundedSearch(text, Compiled(regex), groups);
}

/// "0:02:00" / "2:00" (Cisco), "1h30m" / "5m" / "30s" (RouterOS) or "120" -> seconds, as
/// text; "" when it is none of these.
std::string Seconds(const std::string& text) {
  static const std::regex hms(R"(^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})$)");
  static const std::regex units(R"(^(?:\d{1,6}[wdhms])+$)");
  std::smatch m;
  if (BoundedMatch(text, hms, &m)) {
    const long h = m[1].matched ? std::stol(m[1]) : 0;
    return std::to_string(h * 3600 + std::stol(m[2]) * 60 + std::stol(m[3]));
  }
  if (BoundedMatch(text, units)) {
    long total = 0, number = 0;
    for (const char c : text) {
      if (c >= '0' && c <= '9') {
        number = number * 10 + (c - '0');
        continue;
      }
      total += number * (c == 'w' ? 604800 : c == 'd' ? 86400 : c == 'h' ? 3600 : c == 'm' ? 60 : 1);
      number = 0;
    }
    return std::to_string(total);
  }
  if (BoundedMatch(text, std::regex(R"(^\d{1,7}$)"))) return text;
  return "";
}

/// `value` with $1..$9 replaced by the groups of `m`.
std::string Substitute(const std::string& value, const std::smatch& m) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '$' && i + 1 < value.size() && value[i + 1] >= '1' && value[i + 1] <= '9') {
      const std::size_t group = static_cast<std::size_t>(value[i + 1] - '0');
      if (group < m.size()) out += m[group].str();
      ++i;
    } else {
      out += value[i];
    }
  }
  return out;
}

/// Refuses bytes no exported configuration holds: NUL and other control characters, and
/// text that is not UTF-8. Returns the 1-based line of the first offending byte, or 0.
std::size_t FirstBinaryLine(const std::string& text, std::string& what) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      continue;
    }
    if (c < 0x20 && c != '\t' && c != '\r' && c != '\f') {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", c);
      what = std::string("binary data (control byte ") + hex + "), not an exported configuration";
      return line;
    }
    if (c >= 0x80) {
      // One UTF-8 sequence: a lead byte and its continuation bytes.
      const std::size_t extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
      bool ok = extra <= 3 && i + extra < text.size() + 0;
      for (std::size_t k = 1; ok && k <= extra; ++k)
        ok = i + k < text.size() && (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
      if (!ok) {
        what = "binary data (bytes that are not UTF-8 text), not an exported configuration";
        return line;
      }
      i += extra;
    }
  }
  return 0;
}

std::string FormatList(const std::vector<const alg::ConfigMap*>& maps) {
  std::string out;
  for (const alg::ConfigMap* m : maps) out += (out.empty() ? "" : ", ") + m->title;
  return out;
}

/// The vendor map the file is in: its syntax accepts the file and one of its signatures
/// matches a line; of several, the one with the most matching lines.
const alg::ConfigMap* DetectFormat(const std::string& file, const std::vector<std::string>& lines,
                                   const std::vector<const alg::ConfigMap*>& maps) {
  const alg::ConfigMap* best = nullptr;
  std::size_t bestHits = 0;
  bool tie = false;
  for (const alg::ConfigMap* map : maps) {
    if (!LooksLike(map->syntax, lines)) continue;
    std::vector<std::regex> signatures;
    for (const std::string& s : map->signatures) signatures.emplace_back(s, std::regex::ECMAScript);
    std::size_t hits = 0;
    for (const std::string& line : lines)
      for (const std::regex& re : signatures)
        if (BoundedSearch(line, re)) {
          ++hits;
          break;
        }
    if (hits == 0) continue;
    if (hits > bestHits) {
      best = map;
      bestHits = hits;
      tie = false;
    } else if (hits == bestHits) {
      tie = true;
    }
  }
  if (best == nullptr)
    throw ScenarioError(file + ":1: not a router configuration alglab reads (expected one of: " + FormatList(maps) + ")");
  if (tie) throw ScenarioError(file + ":1: the format is ambiguous (it matches several vendors' signatures equally)");
  return best;
}

}  // namespace

const KnobReading* ConfigReading::Knob(const std::string& name) const {
  for (const KnobReading& k : knobs)
    if (k.knob == name) return &k;
  return nullptr;
}

std::string ConfigReading::ValueOf(const std::string& knob) const {
  if (const KnobReading* k = Knob(knob)) return k->value;
  const auto it = modelDefaults.find(knob);
  return it == modelDefaults.end() ? "" : it->second;
}

bool ConfigReading::Matches(const std::string& regex) const {
  for (const Statement& s : statements)
    if (Search(s.text, regex)) return true;
  return false;
}

ConfigReading ReadConfiguration(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw ScenarioError(path + ": cannot read the configuration file (no such file)");
  if (!S_ISREG(st.st_mode)) throw ScenarioError(path + ": not a regular file (a directory, FIFO or device)");
  if (static_cast<std::size_t>(st.st_size) > kMaxConfigBytes)
    throw ScenarioError(path + ": " + std::to_string(st.st_size) + " bytes is larger than any router configuration (limit 16 MiB)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path + ": cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  return ReadConfigurationText(path, text.str());
}

ConfigReading ReadConfigurationText(const std::string& file, const std::string& withBom) {
  // Windows editors and some web UIs save a UTF-8 byte order mark in front: not part of line 1.
  const std::string bom = "\xEF\xBB\xBF";
  const std::string text = withBom.compare(0, bom.size(), bom) == 0 ? withBom.substr(bom.size()) : withBom;
  ConfigReading r;
  r.file = file;
  if (text.find_first_not_of(" \t\r\n\f") == std::string::npos) throw ScenarioError(file + ":1: empty file, no configuration in it");
  std::string binary;
  if (const std::size_t line = FirstBinaryLine(text, binary)) throw ScenarioError(file + ":" + std::to_string(line) + ": " + binary);
  r.lines = SplitLines(text);

  std::vector<const alg::ConfigMap*> maps;
  try {
    maps = alg::AllConfigMaps();
  } catch (const alg::ModelFileError& e) {
    throw std::logic_error(std::string("a config map does not parse: ") + e.what());
  }
  r.map = DetectFormat(file, r.lines, maps);
  try {
    r.statements = ParseStatements(r.map->syntax, r.lines);
  } catch (const SyntaxError& e) {
    throw ScenarioError(file + ":" + std::to_string(e.Line()) + ": " + r.map->title + ": " + e.what());
  }

  // The model decides what a value may be: the map's values are checked by setting them.
  ns3::Ptr<alg::AlgModel> model = alg::CreateAlgModel(r.map->vendor, {});
  if (model == nullptr) throw std::logic_error("config map of '" + r.map->vendor + "': the model has no knobs");
  r.modelDefaults = model->KnobValues();
  for (const alg::ConfigKnobMap& k : r.map->knobs) {
    KnobReading reading;
    reading.knob = k.knob;
    reading.defaultValue = model->GetKnob(k.knob);  // an unknown knob is the map's bug: logic_error
    reading.value = reading.defaultValue;
    for (const alg::ConfigRule& rule : k.rules) {
      if (!rule.match.empty()) {
        for (const Statement& s : r.statements) {
          std::smatch m;
          if (!Search(s.text, rule.match, &m)) continue;
          std::string value = Substitute(rule.value, m);
          if (const auto it = rule.map.find(value); it != rule.map.end()) value = it->second;
          if (rule.convert == "seconds") {
            const std::string seconds = Seconds(value);
            if (seconds.empty())
              throw ScenarioError(file + ":" + std::to_string(s.line) + ": '" + value + "' is not a time for " + k.knob);
            value = seconds;
          }
          reading.value = value;
          reading.source = s;
          reading.groups.clear();
          for (std::size_t g = 1; g < m.size(); ++g) reading.groups.push_back(m[g].str());
        }
      } else if (!r.Matches(rule.absentPresent)) {
        for (const Statement& s : r.statements) {
          if (!Search(s.text, rule.absentBlock)) continue;
          reading.value = rule.value;
          reading.source = s;
          reading.groups.clear();
          break;
        }
      }
    }
    if (reading.source) {
      try {
        model->SetKnob(k.knob, reading.value);
      } catch (const alg::AlgConfigError& e) {
        throw ScenarioError(file + ":" + std::to_string(reading.source->line) + ": '" + reading.source->text +
                            "': not a value the " + r.map->vendor + " model takes (" + e.what() + ")");
      }
    }
    r.knobs.push_back(std::move(reading));
  }

  // On when any condition holds. The deciding knobs: the holding condition's, or, with the
  // ALG off, every knob that breaks a condition.
  std::vector<std::string> breaking;
  for (const alg::AlgOnCondition& c : r.map->algOnWhen) {
    std::vector<std::string> broken, held;
    for (const auto& [knob, word] : c.knobs) (r.ValueOf(knob) == word ? held : broken).push_back(knob);
    std::vector<Statement> without;
    if (!c.without.empty()) {
      for (const Statement& s : r.statements)
        if (Search(s.text, c.without)) without.push_back(s);
    }
    if (broken.empty() && without.empty()) {
      r.algOn = true;
      r.decidingKnobs = held;
      r.decidingStatements.clear();
      if (!c.without.empty()) r.decidingAbsent.push_back(c.without);
      break;
    }
    for (const std::string& k : broken)
      if (std::find(breaking.begin(), breaking.end(), k) == breaking.end()) breaking.push_back(k);
    r.decidingStatements.insert(r.decidingStatements.end(), without.begin(), without.end());
  }
  if (!r.algOn) r.decidingKnobs = breaking;

  for (const alg::ConfigNote& n : r.map->notes)
    for (const Statement& s : r.statements)
      if (Search(s.text, n.match)) r.notes.push_back({s, n.note});
  return r;
}

}  // namespace alglab::configcheck
