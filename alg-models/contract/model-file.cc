#include "alg-models/contract/model-file.h"
#include "alg-models/contract/yaml-file-reader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace alglab::alg {

namespace {

RouterKnobCheck& InstalledRouterKnobCheck() {
  static RouterKnobCheck check;  // function-local: installed during static initialisation
  return check;
}

/// Fails at `at` when the installed check refuses router knob `name` (with `value`).
void CheckRouterKnob(const YamlFileReader& r, const YAML::Node& at, const std::string& where, const std::string& name,
                     const std::string* value) {
  const RouterKnobCheck& check = InstalledRouterKnobCheck();
  if (!check) return;
  const std::string error = check(name, value);
  if (!error.empty()) r.Fail(at, where + ": " + error);
}

std::optional<HookPoint> HookPointNamed(const std::string& name) {
  for (HookPoint p : kAllHookPoints) {
    if (name == ToString(p)) return p;
  }
  return std::nullopt;
}

std::optional<KnobSemantics> SemanticsNamed(const std::string& name) {
  for (KnobSemantics s : {KnobSemantics::Immediate, KnobSemantics::NewSessions, KnobSemantics::AfterReboot}) {
    if (name == ToString(s)) return s;
  }
  return std::nullopt;
}

MechanismSpec ReadMechanism(const YamlFileReader& r, const YAML::Node& n) {
  r.OnlyKeys(n, "mechanisms", {"name", "type", "at", "priority", "set", "connect", "when"});
  MechanismSpec m;
  m.file = r.File();
  m.line = r.Line(n);
  if (!n["name"] || !n["type"]) r.Fail(n, "a mechanism needs name and type");
  m.name = r.Text(n["name"], "name");
  m.type = r.Text(n["type"], "type");
  if (const YAML::Node at = n["at"]) {
    if (!at.IsSequence()) r.Fail(at, "at: expected a list of hook points");
    for (const YAML::Node& p : at) {
      const std::optional<HookPoint> point = HookPointNamed(r.Text(p, "at"));
      if (!point) {
        r.Fail(p, "at: unknown hook point '" + p.Scalar() +
                      "' (valid: inbound-pre-filter, inbound-post-dnat, outbound-post-snat, local-in)");
      }
      m.at.push_back(*point);
    }
  }
  if (const YAML::Node p = n["priority"]) {
    try {
      m.priority = std::stoi(r.Text(p, "priority"));
    } catch (const std::exception&) {
      r.Fail(p, "priority: expected a whole number, got '" + p.Scalar() + "'");
    }
  }
  if (const YAML::Node s = n["set"]) m.set = r.TextMap(s, "set");
  if (const YAML::Node c = n["connect"]) m.connect = r.TextMap(c, "connect");
  if (const YAML::Node w = n["when"]) m.when = r.WhenMap(w);
  return m;
}

VendorKnobSpec ReadKnob(const YamlFileReader& r, const YAML::Node& n) {
  r.OnlyKeys(n, "knobs", {"name", "sets", "default", "values", "confidence", "help", "applies"});
  VendorKnobSpec k;
  k.line = r.Line(n);
  if (!n["name"] || !n["confidence"] || (!n["sets"] && !n["values"])) {
    r.Fail(n, "a knob needs name, sets (or values, for a selector) and confidence");
  }
  k.name = r.Text(n["name"], "name");
  const YAML::Node sets = n["sets"] ? n["sets"] : YAML::Node(YAML::NodeType::Sequence);
  if (n["sets"] && (!sets.IsSequence() || sets.size() == 0)) {
    r.Fail(sets, "sets: expected a list of mechanism.attribute");
  }
  for (const YAML::Node& s : sets) {
    const std::string text = r.Text(s, "sets");
    const std::size_t dot = text.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()) {
      r.Fail(s, "sets: '" + text + "' is not mechanism.attribute");
    }
    k.sets.emplace_back(text.substr(0, dot), text.substr(dot + 1));
  }
  if (const YAML::Node d = n["default"]) k.defaultValue = r.Text(d, "default");
  if (const YAML::Node v = n["values"]) {
    if (!v.IsMap()) r.Fail(v, "values: expected a map");
    for (const auto& kv : v) {
      const std::string word = kv.first.Scalar();
      if (!kv.second.IsMap()) {
        k.values[word] = r.Text(kv.second, "values." + word);
        continue;
      }
      // One text per entry of `sets`, named as `sets` names them.
      std::vector<std::string> texts;
      for (const auto& [mechanism, attribute] : k.sets) {
        const YAML::Node text = kv.second[mechanism + "." + attribute];
        if (!text) r.Fail(kv.second, "values." + word + ": no value for " + mechanism + "." + attribute);
        texts.push_back(r.Text(text, "values." + word));
      }
      if (kv.second.size() != texts.size()) {
        r.Fail(kv.second, "values." + word + ": give one value for each entry of sets, named as sets names it");
      }
      k.targetValues[word] = texts;
    }
    if (!k.values.empty() && !k.targetValues.empty()) {
      r.Fail(v, "values: give every word either one value or one per entry of sets");
    }
  }
  k.confidence = r.Text(n["confidence"], "confidence");
  if (k.confidence != "from-code" && k.confidence != "from-docs" && k.confidence != "unverified") {
    r.Fail(n["confidence"], "confidence: '" + k.confidence + "' (valid: from-code, from-docs, unverified)");
  }
  if (const YAML::Node h = n["help"]) k.help = r.Text(h, "help");
  if (const YAML::Node a = n["applies"]) {
    k.semantics = SemanticsNamed(r.Text(a, "applies"));
    if (!k.semantics) {
      r.Fail(a, "applies: '" + a.Scalar() + "' (valid: " + ToString(KnobSemantics::Immediate) + ", " +
                    ToString(KnobSemantics::NewSessions) + ", " + ToString(KnobSemantics::AfterReboot) + ")");
    }
  }
  return k;
}

/// Appends the mechanisms of list `node` (read with `r`), refusing a name already used.
void ReadMechanisms(const YamlFileReader& r, const YAML::Node& node, std::vector<MechanismSpec>& into) {
  if (!node.IsSequence() || node.size() == 0) r.Fail(node, "mechanisms: expected a list");
  for (const YAML::Node& n : node) {
    MechanismSpec m = ReadMechanism(r, n);
    if (m.name == "router" || m.name == "model") {
      r.Fail(n["name"], "mechanism name '" + m.name + "' is reserved (sets: [" + m.name + ".<knob>] names the " +
                            (m.name == "router" ? "router's NAT" : "model itself") + ")");
    }
    for (const MechanismSpec& other : into) {
      if (other.name == m.name) r.Fail(n["name"], "mechanism name '" + m.name + "' used twice");
    }
    into.push_back(std::move(m));
  }
}

/// name -> "file\ntext". Function-local: registrations run during static initialisation, in
/// whatever order the linker chose.
std::map<std::string, std::string>& Compositions() {
  static std::map<std::string, std::string> compositions;
  return compositions;
}

/// `router:`: the vendor's plain-NAT defaults, by router knob name.
void ReadRouterDefaults(const YamlFileReader& r, const YAML::Node& node, ModelSpec& spec) {
  if (!node.IsMap()) r.Fail(node, "router: expected a map of router knobs to values (e.g. {udp_timeout: 300s})");
  std::set<std::string> seen;
  for (const auto& kv : node) {
    RouterDefaultSpec d;
    d.name = kv.first.Scalar();
    if (!seen.insert(d.name).second) r.Fail(kv.first, "router." + d.name + " given twice");
    d.value = r.Text(kv.second, "router." + d.name);
    d.line = r.Line(kv.first);
    CheckRouterKnob(r, kv.first, "router." + d.name, d.name, &d.value);
    spec.router.push_back(std::move(d));
  }
}

/// A knob's `sets: [router.<name>]`: each a router knob, each of the knob's values (or its
/// default, when it has no words of its own) one of that knob's values; no router knob set
/// twice (by two knobs, or by a knob and `router:`).
void CheckRouterTargets(const YamlFileReader& r, const YAML::Node& n, const VendorKnobSpec& k,
                        std::map<std::string, std::string>& setBy) {
  for (std::size_t i = 0; i < k.sets.size(); ++i) {
    const auto& [owner, name] = k.sets[i];
    if (owner != "router") continue;
    const std::string where = "knob '" + k.name + "': router." + name;
    CheckRouterKnob(r, n["sets"], where, name, nullptr);
    if (const auto [it, fresh] = setBy.emplace(name, "knob '" + k.name + "'"); !fresh) {
      r.Fail(n["sets"], "sets: router." + name + " is already set by " + it->second);
    }
    for (const auto& [word, text] : k.values) CheckRouterKnob(r, n["values"], where, name, &text);
    for (const auto& [word, texts] : k.targetValues) CheckRouterKnob(r, n["values"], where, name, &texts[i]);
    if (k.values.empty() && k.targetValues.empty() && k.defaultValue) {
      CheckRouterKnob(r, n["default"], where, name, &*k.defaultValue);
    }
  }
}

}  // namespace

void SetRouterKnobCheck(RouterKnobCheck check) { InstalledRouterKnobCheck() = std::move(check); }

bool RegisterCompositionFile(const char* file, const char* text) {
  std::string name = file;
  const std::size_t slash = name.rfind('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  if (name.size() > 5 && name.compare(name.size() - 5, 5, ".yaml") == 0) name.resize(name.size() - 5);
  Compositions()[name] = std::string(file) + "\n" + text;
  return true;
}

std::optional<CompositionText> EmbeddedComposition(const std::string& name) {
  const auto it = Compositions().find(name);
  if (it == Compositions().end()) return std::nullopt;
  const std::size_t newline = it->second.find('\n');
  return CompositionText{it->second.substr(0, newline), it->second.substr(newline + 1)};
}

ModelSpec ParseModelHeader(const std::string& text, const std::string& file) {
  const YamlFileReader r(file);
  const YAML::Node root = LoadYaml(text, file);
  if (!root.IsMap()) r.Fail(root, "model: expected a map of keys");
  ModelSpec spec;
  spec.file = file;
  for (const char* required : {"id", "summary", "engine", "remediation"}) {
    if (!root[required]) r.Fail(root, std::string("missing '") + required + "'");
  }
  spec.id = r.Text(root["id"], "id");
  spec.summary = r.Text(root["summary"], "summary");
  spec.engine = r.Text(root["engine"], "engine");
  spec.remediation = r.Text(root["remediation"], "remediation");
  if (const YAML::Node e = root["example"]) {
    const std::string text = r.Text(e, "example");
    if (text != "true" && text != "false") r.Fail(e, "example: '" + text + "' (valid: true, false)");
    spec.example = text == "true";
  }
  return spec;
}

ModelSpec ParseModelFile(const std::string& text, const std::string& file, const CompositionLookup& lookup) {
  const YamlFileReader r(file);
  const YAML::Node root = LoadYaml(text, file);
  r.OnlyKeys(root, "model",
             {"id", "summary", "engine", "remediation", "example", "tcp_view", "compose", "mechanisms", "set",
              "knobs", "router"});
  ModelSpec spec = ParseModelHeader(text, file);
  if (const YAML::Node v = root["tcp_view"]) {
    spec.tcpView = r.Text(v, "tcp_view");
    if (spec.tcpView != "segment" && spec.tcpView != "message") {
      r.Fail(v, "tcp_view: '" + spec.tcpView + "' (valid: segment, message)");
    }
  }
  // Each compose entry's `when` with its line, checked once the knobs are known.
  std::vector<std::pair<std::size_t, std::map<std::string, std::vector<std::string>>>> composeWhens;
  if (const YAML::Node compose = root["compose"]) {
    if (!compose.IsSequence()) r.Fail(compose, "compose: expected a list of composition names");
    for (const YAML::Node& c : compose) {
      // `name`, or `{composition: name, when: {...}}` (every mechanism of it runs only then).
      // (A YAML::Node assigned to another overwrites what it refers to: no reassignment here.)
      std::map<std::string, std::vector<std::string>> when;
      if (c.IsMap()) {
        r.OnlyKeys(c, "compose", {"composition", "when"});
        if (!c["composition"]) r.Fail(c, "compose: an entry needs composition");
        if (c["when"]) when = r.WhenMap(c["when"]);
      }
      const std::string name = r.Text(c.IsMap() ? c["composition"] : c, "compose");
      const std::optional<CompositionText> found = lookup ? lookup(name) : EmbeddedComposition(name);
      if (!found) r.Fail(c, "compose: no composition named '" + name + "' (alg-models/contract/compositions/)");
      const YamlFileReader fr(found->file);
      const YAML::Node fragment = LoadYaml(found->text, found->file);
      fr.OnlyKeys(fragment, "composition", {"mechanisms"});
      if (!when.empty()) composeWhens.emplace_back(r.Line(c), when);
      const std::size_t first = spec.mechanisms.size();
      ReadMechanisms(fr, fragment["mechanisms"], spec.mechanisms);
      for (std::size_t i = first; i < spec.mechanisms.size(); ++i) {
        for (const auto& [knob, words] : when) spec.mechanisms[i].when[knob] = words;
      }
    }
  }
  if (const YAML::Node own = root["mechanisms"]) {
    ReadMechanisms(r, own, spec.mechanisms);
  } else if (spec.mechanisms.empty()) {
    r.Fail(root, "missing 'mechanisms' (or 'compose')");
  }
  std::set<std::string> names;
  for (const MechanismSpec& m : spec.mechanisms) names.insert(m.name);
  for (const MechanismSpec& m : spec.mechanisms) {
    for (const auto& [role, other] : m.connect) {
      if (names.count(other) == 0) {
        throw ModelFileError(m.file + ":" + std::to_string(m.line) + ": connect." + role +
                             ": no mechanism named '" + other + "'");
      }
    }
  }
  if (const YAML::Node set = root["set"]) {
    for (const auto& [key, value] : r.TextMap(set, "set")) {
      const std::size_t dot = key.find('.');
      const std::string mechanism = dot == std::string::npos ? key : key.substr(0, dot);
      auto it = std::find_if(spec.mechanisms.begin(), spec.mechanisms.end(),
                             [&](const MechanismSpec& m) { return m.name == mechanism; });
      if (dot == std::string::npos || dot + 1 == key.size() || it == spec.mechanisms.end()) {
        r.Fail(set, "set: '" + key + "' is not mechanism.attribute of a mechanism of this model");
      }
      it->set[key.substr(dot + 1)] = value;
    }
  }
  std::map<std::string, std::string> routerSetBy;  // router knob -> what sets it
  if (const YAML::Node router = root["router"]) {
    ReadRouterDefaults(r, router, spec);
    for (const RouterDefaultSpec& d : spec.router) {
      routerSetBy.emplace(d.name, "router: (line " + std::to_string(d.line) + ")");
    }
  }
  if (const YAML::Node knobs = root["knobs"]) {
    if (!knobs.IsSequence()) r.Fail(knobs, "knobs: expected a list");
    std::set<std::string> knobNames{"tcp_view"};
    for (const YAML::Node& n : knobs) {
      VendorKnobSpec k = ReadKnob(r, n);
      if (!knobNames.insert(k.name).second) r.Fail(n["name"], "knob name '" + k.name + "' used twice");
      for (const auto& [mechanism, attribute] : k.sets) {
        // "model" names the model itself (its tcp_view), "router" the router's NAT.
        if (names.count(mechanism) == 0 && mechanism != "model" && mechanism != "router") {
          r.Fail(n["sets"], "sets: no mechanism named '" + mechanism + "'");
        }
      }
      CheckRouterTargets(r, n, k, routerSetBy);
      if (k.IsSelector() && (k.values.empty() || !k.defaultValue)) {
        r.Fail(n, "a selector knob (no sets) needs values and a default");
      }
      spec.knobs.push_back(std::move(k));
    }
  }
  // Every `when:` names selector knobs of this model and their words; a compose entry's is
  // reported at that entry, a mechanism's at the mechanism.
  const auto checkWhen = [&](const std::string& where, const std::map<std::string, std::vector<std::string>>& when) {
    for (const auto& entry : when) {
      const std::string& knob = entry.first;  // (clang cannot capture a structured binding)
      const std::vector<std::string>& words = entry.second;
      const auto k = std::find_if(spec.knobs.begin(), spec.knobs.end(),
                                  [&](const VendorKnobSpec& v) { return v.name == knob; });
      if (k == spec.knobs.end() || !k->IsSelector()) {
        throw ModelFileError(where + "when." + knob +
                             ": no selector knob (a knob with values and no sets) of that name");
      }
      for (const std::string& word : words) {
        if (k->values.count(word) == 0) {
          std::string valid;
          for (const auto& [w, text] : k->values) valid += (valid.empty() ? "" : ", ") + w;
          throw ModelFileError(where + "when." + knob + ": '" + word + "' is not one of its values (valid: " +
                               valid + ")");
        }
      }
    }
  };
  for (const auto& [line, when] : composeWhens) {
    checkWhen(file + ":" + std::to_string(line) + ": compose: ", when);
  }
  for (const MechanismSpec& m : spec.mechanisms) {
    checkWhen(m.file + ":" + std::to_string(m.line) + ": mechanism '" + m.name + "': ", m.when);
  }
  return spec;
}

}  // namespace alglab::alg
