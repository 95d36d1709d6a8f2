#include "sim/config-check/config-fix.h"

#include "sim/config-check/bounded-regex.h"

#include "alg-models/contract/model-file.h"

#include <algorithm>
#include <map>
#include <regex>

namespace alglab::configcheck {

namespace {

const std::string kAlgKnobPrefix = "router.alg.";

const alg::ConfigKnobMap* MapOf(const alg::ConfigMap& map, const std::string& knob) {
  for (const alg::ConfigKnobMap& k : map.knobs)
    if (k.knob == knob) return &k;
  return nullptr;
}

/// A map line with $1..$9 from the knob's deciding match, else from the line's defaults.
std::string LineText(const alg::ConfigLine& line, const KnobReading* reading) {
  std::string out;
  for (std::size_t i = 0; i < line.line.size(); ++i) {
    const char c = line.line[i];
    if (c == '$' && i + 1 < line.line.size() && line.line[i + 1] >= '1' && line.line[i + 1] <= '9') {
      const std::size_t group = static_cast<std::size_t>(line.line[i + 1] - '1');
      if (reading != nullptr && group < reading->groups.size() && !reading->groups[group].empty()) {
        out += reading->groups[group];
      } else if (group < line.groupDefaults.size()) {
        out += line.groupDefaults[group];
      }
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

/// The block path the file keeps this knob's settings in (FortiOS VDOMs), or "".
std::string ScopeOf(const ConfigReading& reading, const std::optional<Statement>& replaces) {
  const std::string& regex = reading.map->scopeMatch;
  if (regex.empty()) return "";
  const std::regex re(regex, std::regex::ECMAScript);
  std::smatch m;
  if (replaces) return BoundedSearch(replaces->text, re, &m) && m.size() > 1 ? m[1].str() : "";
  for (const Statement& s : reading.statements)
    if (BoundedSearch(s.text, re, &m) && m.size() > 1) return m[1].str();
  return "";
}

/// `block` inside the blocks of `scope` ("config vdom > edit root"), indented four spaces a
/// level and closed by the map's words.
std::string Wrapped(const std::string& block, const std::string& scope, const std::map<std::string, std::string>& close) {
  if (scope.empty()) return block;
  std::vector<std::string> levels;
  for (std::size_t start = 0; start <= scope.size();) {
    const std::size_t at = scope.find(" > ", start);
    levels.push_back(scope.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + 3;
  }
  std::string out;
  for (std::size_t i = 0; i < levels.size(); ++i) out += std::string(4 * i, ' ') + levels[i] + "\n";
  const std::string indent(4 * levels.size(), ' ');
  std::size_t start = 0;
  while (start <= block.size()) {
    const std::size_t nl = block.find('\n', start);
    out += indent + block.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  for (std::size_t i = levels.size(); i-- > 0;) {
    const std::string word = levels[i].substr(0, levels[i].find(' '));
    const auto it = close.find(word);
    out += std::string(4 * i, ' ') + (it != close.end() ? it->second : "end") + (i == 0 ? "" : "\n");
  }
  return out;
}

}  // namespace

ConfigFix PlanFix(const ConfigReading& reading) {
  ConfigFix fix;
  try {
    fix.runbook = alg::FindRunbook(reading.map->vendor);
  } catch (const alg::ModelFileError& e) {
    throw std::logic_error(std::string("runbook does not parse: ") + e.what());
  }
  if (fix.runbook == nullptr) return fix;
  bool anyNeeded = false;
  for (std::size_t i = 0; i < fix.runbook->steps.size(); ++i) {
    const alg::RunbookStep& step = fix.runbook->steps[i];
    FixStep out;
    out.number = i + 1;
    out.step = &step;
    bool hasKnobs = false;
    for (const auto& [key, target] : step.set) {
      // Router knobs (router.udp_timeout) are plain NAT, which no ALG statement decides.
      if (key.rfind(kAlgKnobPrefix, 0) != 0) continue;
      hasKnobs = true;
      const std::string knob = key.substr(kAlgKnobPrefix.size());
      KnobChange change;
      change.knob = knob;
      change.from = reading.ValueOf(knob);
      change.to = target;
      if (const KnobReading* r = reading.Knob(knob)) change.replaces = r->source;
      const bool inTarget = change.from == target;
      // The map's lines for the target value: all of them when the knob must change; those
      // that say how to tell they are present and are not, when it is already there (IOS
      // keeps `ip nat service sip tcp` on when only the udp one was removed).
      if (const alg::ConfigKnobMap* k = MapOf(*reading.map, knob)) {
        if (const auto it = k->lines.find(target); it != k->lines.end()) {
          for (const alg::ConfigLine& line : it->second) {
            const bool present = line.present.empty() ? inTarget : reading.Matches(line.present);
            if (!present)
              change.lines.push_back(Wrapped(LineText(line, reading.Knob(knob)), ScopeOf(reading, change.replaces),
                                             reading.map->scopeClose));
          }
        }
      }
      if (inTarget && change.lines.empty()) {
        out.done.push_back(knob + "=" + target);
      } else {
        out.changes.push_back(std::move(change));
      }
    }
    out.needed = hasKnobs ? !out.changes.empty() : anyNeeded;
    anyNeeded = anyNeeded || out.needed;
    if (out.needed)
      for (const KnobChange& c : out.changes)
        for (const std::string& line : c.lines)
          if (std::find(fix.lines.begin(), fix.lines.end(), line) == fix.lines.end()) fix.lines.push_back(line);
    fix.steps.push_back(std::move(out));
  }
  return fix;
}

}  // namespace alglab::configcheck
