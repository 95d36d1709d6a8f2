#include "sim/scenario/scenario-loader.h"

#include "sim/scenario/bounded-yaml-parse.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-schema.h"
#include "sim/scenario/value-parsing.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

namespace alglab::scenario {
namespace {

std::string JoinChoices(const std::vector<std::string>& choices) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : ", ") + c;
  return out;
}

std::string Quote(const std::string& s) {
  std::string shown = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  return "'" + shown + "'";
}

/// Strict, typed access to the YAML tree, with every error naming its place.
class Reader {
 public:
  Reader(std::string file, std::map<std::string, std::string> overrideByPath)
      : m_file(std::move(file)), m_overrides(std::move(overrideByPath)) {}

  [[noreturn]] void Fail(const KeyPath& path, const YAML::Node& node, const std::string& what) const {
    // An override anywhere on the path is the origin of this value: name it, not the file.
    for (std::size_t n = path.size(); n > 0; --n) {
      auto it = m_overrides.find(JoinPath(KeyPath(path.begin(), path.begin() + n)));
      if (it != m_overrides.end()) throw ScenarioError("--set " + it->second + ": " + what);
    }
    std::ostringstream os;
    os << m_file;
    if (node.IsDefined() && node.Mark().line >= 0) os << ":" << node.Mark().line + 1;
    os << ": " << (path.empty() ? std::string("document") : JoinPath(path)) << ": " << what;
    throw ScenarioError(os.str());
  }

  /// Fails on keys the schema does not allow at `path`, listing the valid ones.
  void CheckMap(const YAML::Node& node, const KeyPath& path) const {
    if (!node.IsMap()) Fail(path, node, "expected a mapping of keys to values");
    auto schema = SchemaAt(path);
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string key = it->first.Scalar();
      KeyPath child = path;
      child.push_back(key);
      if (!SchemaAt(child)) {
        std::string valid = schema ? JoinChoices(schema->keys) : "";
        Fail(child, it->first, "unknown key " + Quote(key) + " (valid: " + valid + ")");
      }
    }
  }

  std::string Scalar(const YAML::Node& node, const KeyPath& path) const {
    if (!node.IsScalar()) Fail(path, node, "expected a single value");
    return node.Scalar();
  }

  /// A duration of the scenario's own (not a knob): at most a week, so ns-3's Time never wraps.
  double Duration(const YAML::Node& node, const KeyPath& path) const {
    const std::string s = Scalar(node, path);
    auto v = ParseDuration(s);
    if (!v) Fail(path, node, Quote(s) + " is not a duration (use e.g. 30s, 500ms, 2min, 1h)");
    if (*v > kMaxScenarioSeconds)
      Fail(path, node, Quote(s) + " is out of range (allowed: 0s to " + FormatSeconds(kMaxScenarioSeconds) + ")");
    return *v;
  }

  std::uint64_t Seed(const YAML::Node& node, const KeyPath& path) const {
    const std::string s = Scalar(node, path);
    SeedCheck check = CheckSeed(s);
    if (!check.seed) Fail(path, node, check.error);
    return *check.seed;
  }

  std::string Choice(const YAML::Node& node, const KeyPath& path, const std::vector<std::string>& choices) const {
    const std::string s = Scalar(node, path);
    if (std::find(choices.begin(), choices.end(), s) == choices.end())
      Fail(path, node, "unknown value " + Quote(s) + " (valid: " + JoinChoices(choices) + ")");
    return s;
  }

  /// A knob's value, validated by the knob table and its attribute's checker.
  KnobValue Knob(const KnobDef& knob, const YAML::Node& node, const KeyPath& path) const {
    const std::string s = Scalar(node, path);
    KnobCheck check = CheckKnobValue(knob, s);
    if (!check.value) Fail(path, node, check.error);
    return *check.value;
  }

  /// Where the value at `path` came from: "--set k=v" if an override set it, else "file:line".
  std::string Origin(const KeyPath& path, const YAML::Node& node) const {
    for (std::size_t n = path.size(); n > 0; --n) {
      auto it = m_overrides.find(JoinPath(KeyPath(path.begin(), path.begin() + n)));
      if (it != m_overrides.end()) return "--set " + it->second;
    }
    return Location(node);
  }

  std::string Location(const YAML::Node& node) const {
    std::ostringstream os;
    os << m_file;
    if (node.IsDefined() && node.Mark().line >= 0) os << ":" << node.Mark().line + 1;
    return os.str();
  }

 private:
  std::string m_file;
  std::map<std::string, std::string> m_overrides;
};

KeyPath Child(const KeyPath& path, const std::string& key) {
  KeyPath out = path;
  out.push_back(key);
  return out;
}

/// Every knob of `section` at its table default, in table order.
KnobSettings DefaultKnobs(const std::string& section) {
  KnobSettings out;
  for (const KnobDef* k : KnobsIn(section)) {
    KnobCheck check = CheckKnobValue(*k, k->defaultText);
    // test_scenario_loader checks every default; a bad one is a programming error.
    if (!check.value) throw std::logic_error(k->Name() + ": bad default: " + check.error);
    SetKnob(out, k->attribute, check.value->attributeText);
  }
  return out;
}

/// Reads the knobs of `section` present in `node` (a map already checked against the schema).
/// `onValue`, if given, sees each value read, for sections with typed consumers.
template <typename OnValue>
void ReadKnobs(const Reader& r, const YAML::Node& node, const KeyPath& path, const std::string& section,
               KnobSettings& knobs, OnValue onValue) {
  for (const KnobDef* k : KnobsIn(section)) {
    if (auto n = node[k->leaf]) {
      KnobValue v = r.Knob(*k, n, Child(path, k->leaf));
      SetKnob(knobs, k->attribute, v.attributeText);
      onValue(*k, v);
    }
  }
}

void ReadKnobs(const Reader& r, const YAML::Node& node, const KeyPath& path, const std::string& section,
               KnobSettings& knobs) {
  ReadKnobs(r, node, path, section, knobs, [](const KnobDef&, const KnobValue&) {});
}

/// BuildOfficeNetwork reads typed link fields; this is where the network knobs reach them.
void SetNetworkField(NetworkSpec& net, const KnobDef& knob, const KnobValue& v) {
  const std::string leaf = knob.leaf;
  if (leaf == "lan_delay") net.lanDelay = v.number;
  else if (leaf == "lan_rate") net.lanRate = v.text;
  else if (leaf == "wan_delay") net.wanDelay = v.number;
  else if (leaf == "wan_rate") net.wanRate = v.text;
  else if (leaf == "wan_loss") net.wanLoss = v.number;
  else if (leaf == "wan_mtu") net.wanMtu = static_cast<std::uint16_t>(v.number);
  else if (leaf == "provider_delay") net.providerDelay = v.number;
  else if (leaf == "lan_queue") net.lanQueuePackets = static_cast<std::uint32_t>(v.number);
  else if (leaf == "wan_queue") net.wanQueuePackets = static_cast<std::uint32_t>(v.number);
  else throw std::logic_error("network knob " + leaf + " has no NetworkSpec field");
}

/// Rules between knobs of one phone, after defaults and overrides are merged.
void CheckPhoneKnobs(const Reader& r, const YAML::Node& node, const KeyPath& path, const KnobSettings& knobs) {
  const std::string* kind = FindKnobValue(knobs, "KeepaliveKind");
  const std::string* interval = FindKnobValue(knobs, "KeepaliveInterval");
  if (kind && interval && *kind != "none" && *interval == "0ns")
    r.Fail(Child(path, "keepalive_interval"), node, "must be above 0s when keepalive is not none");
}

constexpr std::size_t kMaxPhones = 5000;

/// Extensions for an error message: all of them for a small office, the first few otherwise.
std::string ExtensionList(const std::vector<std::string>& extensions) {
  constexpr std::size_t kShown = 12;
  if (extensions.size() <= kShown) return JoinChoices(extensions);
  std::vector<std::string> head(extensions.begin(), extensions.begin() + kShown);
  return JoinChoices(head) + ", ... (" + std::to_string(extensions.size()) + " in all)";
}

bool IsDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

/// `phones.extensions`: single extensions ("101") and inclusive ranges ("101-299"), mixed, in
/// the order written. A range keeps the width of its first end when that has leading zeros
/// ("0100-0102" gives 0100, 0101, 0102). Each extension may appear once across all entries.
std::vector<std::string> ReadExtensions(const Reader& r, const YAML::Node& phones, const KeyPath& path) {
  YAML::Node exts = phones["extensions"];
  if (!exts || !exts.IsSequence() || exts.size() == 0)
    r.Fail(path, exts ? exts : phones, "expected a non-empty list of extensions, e.g. [101, 102] or [101-199]");
  std::vector<std::string> out;
  std::map<std::string, std::string> entryOf;  // extension -> the entry that listed it
  for (std::size_t i = 0; i < exts.size(); ++i) {
    const KeyPath ep = Child(path, std::to_string(i));
    const std::string entry = r.Scalar(exts[i], ep);
    const auto dash = entry.find('-');
    std::string first = entry, last = entry;
    if (dash != std::string::npos) {
      first = entry.substr(0, dash);
      last = entry.substr(dash + 1);
    }
    const bool padded = first.size() > 1 && first[0] == '0';
    if (!IsDigits(first) || !IsDigits(last) || first.size() > 8 || last.size() > 8)
      r.Fail(ep, exts[i], Quote(entry) + " is not an extension (1 to 8 digits) or a range of them (e.g. 101-199)");
    if (padded && first.size() != last.size())
      r.Fail(ep, exts[i], "range " + Quote(entry) + ": both ends need the same number of digits when the first has leading zeros");
    const std::uint64_t lo = std::stoull(first), hi = std::stoull(last);
    if (hi < lo) r.Fail(ep, exts[i], "range " + Quote(entry) + " ends below its start");
    // Checked before expanding, so a huge range costs nothing.
    if (hi - lo + 1 > kMaxPhones - out.size())
      r.Fail(ep, exts[i], "at most " + std::to_string(kMaxPhones) + " phones (this entry brings the total to " +
                              std::to_string(out.size() + (hi - lo + 1)) + ")");
    for (std::uint64_t n = lo; n <= hi; ++n) {
      std::string ext = std::to_string(n);
      if (padded && ext.size() < first.size()) ext.insert(0, first.size() - ext.size(), '0');
      if (dash == std::string::npos) ext = entry;  // a single extension keeps its spelling
      auto [it, fresh] = entryOf.emplace(ext, entry);
      if (!fresh) {
        r.Fail(ep, exts[i], it->second == entry && dash == std::string::npos
                                ? "extension " + ext + " is listed twice"
                                : "extension " + ext + " is listed twice (in " + it->second + " and in " + entry + ")");
      }
      out.push_back(ext);
    }
  }
  return out;
}

std::string ExtensionOf(const Reader& r, const YAML::Node& node, const KeyPath& path,
                        const std::set<std::string>& extensions) {
  std::string ext = r.Scalar(node, path);
  if (!extensions.count(ext)) {
    r.Fail(path, node, "unknown extension " + Quote(ext) + " (valid: " +
                           ExtensionList(std::vector<std::string>(extensions.begin(), extensions.end())) + ")");
  }
  return ext;
}

/// The names `set` accepts, for the error that lists them.
std::string SettableKnobNames() {
  std::string out;
  for (const auto& k : Knobs())
    if (k.target != KnobTarget::Network) out += (out.empty() ? "" : ", ") + k.Name();
  return out + ", phones.overrides.<ext>.<knob>, router.alg.<vendor knob>";
}

/// `set: {knob: router.udp_timeout, value: 30s}`. The value is validated like the same key in
/// its section; vendor knobs (router.alg.*) are checked against the model when it is built.
SetAction ReadSetAction(const Reader& r, const YAML::Node& n, const KeyPath& ap,
                        const std::set<std::string>& extensions) {
  r.CheckMap(n, ap);
  if (!n["knob"] || !n["value"]) r.Fail(ap, n, "needs knob and value, e.g. {knob: router.udp_timeout, value: 30s}");
  SetAction set;
  set.knob = r.Scalar(n["knob"], Child(ap, "knob"));
  const KeyPath name = SplitPath(set.knob);
  const std::string valueText = r.Scalar(n["value"], Child(ap, "value"));
  if (name.size() == 3 && name[0] == "router" && name[1] == "alg" && !name[2].empty()) {
    set.object = "router.alg";
    set.attribute = name[2];
    set.value = valueText;
    return set;
  }
  const KnobDef* knob = FindKnob(set.knob);
  if (!knob)
    r.Fail(Child(ap, "knob"), n["knob"], "unknown knob " + Quote(set.knob) + " (valid: " + SettableKnobNames() + ")");
  if (knob->target == KnobTarget::Network)
    r.Fail(Child(ap, "knob"), n["knob"], "network knobs cannot change during a run (set " + set.knob + " in network:)");
  if (!knob->changesDuringRun)
    r.Fail(Child(ap, "knob"), n["knob"], set.knob + " is read only when the device starts; it cannot change during a run");
  if (knob->target == KnobTarget::Phone && name[1] == "overrides") {
    if (!extensions.count(name[2]))
      r.Fail(Child(ap, "knob"), n["knob"], "unknown extension " + Quote(name[2]) + " (valid: " +
                                               JoinChoices(std::vector<std::string>(extensions.begin(), extensions.end())) + ")");
    set.extension = name[2];
  }
  switch (knob->target) {
    case KnobTarget::Router: set.object = "router"; break;
    case KnobTarget::Pbx: set.object = "pbx"; break;
    case KnobTarget::Provider: set.object = "provider"; break;
    default: set.object = "phones"; break;
  }
  set.attribute = knob->attribute;
  set.value = r.Knob(*knob, n["value"], Child(ap, "value")).attributeText;
  return set;
}

void ReadTimeline(const Reader& r, const YAML::Node& node, ScenarioSpec& spec) {
  const KeyPath path{"timeline"};
  if (!node.IsSequence()) r.Fail(path, node, "expected a list of events");
  std::set<std::string> extensions;
  for (const auto& p : spec.phones) extensions.insert(p.extension);
  std::set<std::string> dids;
  for (const auto& g : spec.pbx.ringGroups) dids.insert(g.first);

  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    const KeyPath ip = Child(path, std::to_string(i));
    r.CheckMap(item, ip);
    TimelineEvent ev;
    ev.line = item.Mark().line >= 0 ? static_cast<std::size_t>(item.Mark().line + 1) : 0;
    if (!item["at"]) r.Fail(ip, item, "missing 'at' (when the event happens, e.g. at: 60s)");
    ev.at = r.Duration(item["at"], Child(ip, "at"));
    if (ev.at >= spec.duration)
      r.Fail(Child(ip, "at"), item["at"], "is at or after the end of the scenario (duration " +
                                              FormatSeconds(spec.duration) + ")");
    int actions = 0;
    for (const char* k : {"watch", "call", "inbound", "reboot", "set", "flush", "save_config", "factory_reset", "hold",
                          "resume", "mute", "reregister", "link"})
      actions += item[k] ? 1 : 0;
    if (actions != 1)
      r.Fail(ip, item, "needs exactly one of: call, factory_reset, flush, hold, inbound, link, mute, reboot, "
                       "reregister, resume, save_config, set, watch");
    // hold, resume, mute and reregister act on one handset: {phone: EXT, ...}.
    auto phoneOf = [&](const YAML::Node& n, const KeyPath& ap) {
      r.CheckMap(n, ap);
      if (!n["phone"]) r.Fail(ap, n, "needs phone (an extension in phones.extensions)");
      return ExtensionOf(r, n["phone"], Child(ap, "phone"), extensions);
    };

    if (auto n = item["watch"]) {
      KeyPath ap = Child(ip, "watch");
      r.CheckMap(n, ap);
      if (!n["watcher"] || !n["target"]) r.Fail(ap, n, "needs watcher and target");
      ev.action = WatchAction{ExtensionOf(r, n["watcher"], Child(ap, "watcher"), extensions),
                              ExtensionOf(r, n["target"], Child(ap, "target"), extensions)};
    } else if (auto n = item["call"]) {
      KeyPath ap = Child(ip, "call");
      r.CheckMap(n, ap);
      if (!n["from"] || !n["to"]) r.Fail(ap, n, "needs from and to");
      CallAction c;
      c.from = ExtensionOf(r, n["from"], Child(ap, "from"), extensions);
      c.to = r.Scalar(n["to"], Child(ap, "to"));
      if (!IsDid(c.to))
        r.Fail(Child(ap, "to"), n["to"], Quote(c.to) + " is not an extension or a phone number (1 to 15 digits, optional leading +; e.g. 102 or +15557000)");
      if (c.to == c.from) r.Fail(Child(ap, "to"), n["to"], "a phone cannot call itself");
      if (n["duration"]) c.duration = r.Duration(n["duration"], Child(ap, "duration"));
      ev.action = c;
    } else if (auto n = item["inbound"]) {
      KeyPath ap = Child(ip, "inbound");
      r.CheckMap(n, ap);
      if (!n["did"]) r.Fail(ap, n, "needs did (a number in pbx.ring_groups)");
      InboundAction in;
      in.did = r.Scalar(n["did"], Child(ap, "did"));
      if (!dids.count(in.did))
        r.Fail(Child(ap, "did"), n["did"], "unknown DID " + Quote(in.did) + " (valid: " +
                                               JoinChoices(std::vector<std::string>(dids.begin(), dids.end())) + ")");
      if (n["duration"]) in.duration = r.Duration(n["duration"], Child(ap, "duration"));
      ev.action = in;
    } else if (auto n = item["hold"]) {
      const KeyPath ap = Child(ip, "hold");
      HoldAction hold{phoneOf(n, ap)};
      if (n["style"]) hold.style = r.Choice(n["style"], Child(ap, "style"), {"sendonly", "zero-address"});
      ev.action = hold;
    } else if (auto n = item["resume"]) {
      ev.action = ResumeAction{phoneOf(n, Child(ip, "resume"))};
    } else if (auto n = item["mute"]) {
      const KeyPath ap = Child(ip, "mute");
      MuteAction mute{phoneOf(n, ap)};
      if (!n["duration"]) r.Fail(ap, n, "needs duration (how long no RTP leaves the phone, e.g. 60s)");
      mute.duration = r.Duration(n["duration"], Child(ap, "duration"));
      ev.action = mute;
    } else if (auto n = item["reregister"]) {
      const KeyPath ap = Child(ip, "reregister");
      ReregisterAction power{phoneOf(n, ap)};
      if (n["downtime"]) power.downtime = r.Duration(n["downtime"], Child(ap, "downtime"));
      ev.action = power;
    } else if (auto n = item["link"]) {
      const KeyPath ap = Child(ip, "link");
      r.CheckMap(n, ap);
      if (!n["link"] || !n["state"]) r.Fail(ap, n, "needs link (wan, pbx or phone-EXT) and state (down or up)");
      LinkAction link;
      link.link = r.Scalar(n["link"], Child(ap, "link"));
      const bool phoneCable = link.link.rfind("phone-", 0) == 0 && extensions.count(link.link.substr(6)) != 0;
      const bool pbxCable = link.link == "pbx" && spec.pbx.placement == "on-prem";
      if (link.link != "wan" && !phoneCable && !pbxCable)
        r.Fail(Child(ap, "link"), n["link"],
               "unknown link " + Quote(link.link) + " (valid: wan; phone-EXT, a handset's LAN cable, e.g. phone-" +
                   spec.phones.front().extension + "; pbx, the on-prem PBX's LAN cable)");
      link.up = r.Choice(n["state"], Child(ap, "state"), {"down", "up"}) == "up";
      ev.action = link;
    } else if (auto n = item["set"]) {
      ev.action = ReadSetAction(r, n, Child(ip, "set"), extensions);
    } else if (auto n = item["flush"]) {
      ev.action = FlushAction{r.Choice(n, Child(ip, "flush"), {"router"})};
    } else if (auto n = item["save_config"]) {
      ev.action = ConfigAction{ConfigAction::Kind::Save, r.Choice(n, Child(ip, "save_config"), {"router"})};
    } else if (auto n = item["factory_reset"]) {
      ev.action = ConfigAction{ConfigAction::Kind::FactoryReset, r.Choice(n, Child(ip, "factory_reset"), {"router"})};
    } else {
      ev.action = RebootAction{r.Choice(item["reboot"], Child(ip, "reboot"), {"router"})};
    }
    spec.timeline.push_back(ev);
  }
  std::stable_sort(spec.timeline.begin(), spec.timeline.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) { return a.at < b.at; });
}

/// The largest scenario file read. The shipped ones are a few kB; a 5000-phone office is
/// still under 100 kB. The cap keeps /dev/zero-like input from exhausting memory.
constexpr std::uintmax_t kMaxScenarioBytes = 4u << 20;

/// The number (1-based) of the first line of `text` for which `isBad(line)` holds, or 0.
template <typename Predicate>
std::size_t FirstLineWhere(const std::string& text, Predicate isBad) {
  std::size_t lineNo = 0;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++lineNo;
    if (isBad(std::string_view(text.data() + pos, end - pos))) return lineNo;
    pos = end + 1;
  }
  return 0;
}

/// YAML streams hold printable text only: tab, LF and CR are the only C0 characters allowed.
bool IsControlByte(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

/// The line (1-based) of the first line whose first non-blank character is a flow entry `,`,
/// or 0. yaml-cpp 0.7 (Debian 12) never returns from several such texts (a document that starts
/// with `,`; a node, a comment line, then `,`; a `,` line inside a block sequence: all found by
/// fuzzing). The bounded parse ends those too, but this check names the line and the remedy:
/// a flow collection split over lines can always end the previous line with its comma instead.
std::size_t LineStartingWithComma(const std::string& text) {
  return FirstLineWhere(text, [](std::string_view line) {
    const std::size_t first = line.find_first_not_of(" \t\r");
    return first != std::string_view::npos && line[first] == ',';
  });
}

/// Whether `line`, the first line of a document holding a token, starts with something that
/// cannot begin a block mapping. A block mapping begins with "? " or with a key: text, maybe
/// quoted, then ':' followed by a blank or the end of the line.
bool CannotStartAMapping(std::string_view rest) {
  // '?' opens an explicit key only before a blank ("?s" is a plain scalar). A flow mapping
  // ('{') is refused too: yaml-cpp 0.7 loops on a top-level one followed by ',' ("{a:@},").
  if (rest[0] == '?' && (rest.size() == 1 || rest[1] == ' ' || rest[1] == '\t')) return false;
  if (rest[0] == '{') return true;
  std::size_t from = 0;
  if (rest[0] == '"' || rest[0] == '\'') {
    const std::size_t close = rest.find(rest[0], 1);
    if (close == std::string_view::npos) return true;
    from = close + 1;
  }
  for (std::size_t colon = rest.find(':', from); colon != std::string_view::npos; colon = rest.find(':', colon + 1)) {
    if (colon + 1 == rest.size() || rest[colon + 1] == ' ' || rest[colon + 1] == '\t' || rest[colon + 1] == '\r')
      return false;
  }
  return true;
}

/// The line of the first document's first token when that token cannot begin a block mapping,
/// else 0. A scenario file is a block mapping; yaml-cpp 0.7 can loop on a document that is a
/// scalar or a flow mapping (found by fuzzing: "s", a comment line, then ","; "{a:@},"), and
/// this check says what a scenario file is instead of the bounded parse's generic verdict.
std::size_t FirstTokenCannotStartAMapping(const std::string& text) {
  bool decided = false;
  const std::size_t line = FirstLineWhere(text, [&decided](std::string_view line) {
    if (decided) return false;
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') return false;
    std::string_view rest = line.substr(first);
    if (first == 0 && rest[0] == '%') return false;  // a directive
    if (first == 0 && (rest.substr(0, 3) == "---" || rest.substr(0, 3) == "...") &&
        (rest.size() == 3 || rest[3] == ' ' || rest[3] == '\t' || rest[3] == '\r')) {
      rest = rest.substr(3);
      const std::size_t next = rest.find_first_not_of(" \t\r");
      if (next == std::string_view::npos || rest[next] == '#') return false;
      rest = rest.substr(next);
    }
    decided = true;
    return CannotStartAMapping(rest);
  });
  return line;
}

/// Reads `path`: a regular file (a FIFO would block forever) of at most kMaxScenarioBytes,
/// refusing before any parse the texts yaml-cpp 0.7 is known to loop on, with their line.
std::string ReadScenarioText(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw ScenarioError(path + ": cannot read the scenario file");
  if (!std::filesystem::is_regular_file(status))
    throw ScenarioError(path + ": not a regular file (a scenario is a YAML file)");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw ScenarioError(path + ": cannot read the scenario file (" + ec.message() + ")");
  if (size > kMaxScenarioBytes)
    throw ScenarioError(path + ": " + std::to_string(size) + " bytes is too large for a scenario file (at most " +
                        std::to_string(kMaxScenarioBytes) + ")");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in) throw ScenarioError(path + ": cannot read the scenario file");
  const std::string text = buffer.str();
  if (const std::size_t line = FirstLineWhere(text, [](std::string_view l) {
        return std::any_of(l.begin(), l.end(), IsControlByte);
      })) {
    // yaml-cpp 0.7 also mis-scans some of them (a NUL before a leading ',' never returns).
    const auto c = static_cast<unsigned char>(*std::find_if(text.begin(), text.end(), IsControlByte));
    static const char* const kHex = "0123456789abcdef";
    throw ScenarioError(path + ":" + std::to_string(line) + ": a scenario file holds text only (control byte 0x" +
                        std::string{kHex[c >> 4], kHex[c & 0xf]} + ")");
  }
  if (const std::size_t line = LineStartingWithComma(text))
    throw ScenarioError(path + ":" + std::to_string(line) +
                        ": YAML syntax error: a line cannot start with ',' (end the previous line with it)");
  if (const std::size_t line = FirstTokenCannotStartAMapping(text))
    throw ScenarioError(path + ":" + std::to_string(line) +
                        ": a scenario file is a mapping (scenario:, duration:, ..., one key per line)");
  return text;
}

/// Parses the text of `path` (RequireYamlParsesFinish has seen it finish): exactly one document.
YAML::Node ParseScenarioText(const std::string& path, const std::string& text) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::ParserException& e) {
    throw ScenarioError(path + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(path + ": " + e.msg);
  }
  if (documents.empty()) throw ScenarioError(path + ":1: a scenario file is a mapping (scenario:, duration:, ...)");
  if (documents.size() > 1) {
    const int line = documents[1].Mark().line;
    throw ScenarioError(path + ":" + std::to_string(line >= 0 ? line + 1 : 1) +
                        ": a second YAML document; a scenario file holds exactly one");
  }
  return documents.front();
}

/// yaml-cpp keeps the first of two equal keys and drops the second without a word, so a
/// file that sets a knob twice would run with the value its author did not read last. Walks
/// the whole tree (bounded in depth and node count: aliases can make a small file a big tree).
/// `where` gives the message prefix for a node: "file:line: " or "--set k=v: ".
void CheckDuplicateKeys(const YAML::Node& root, const std::function<std::string(const YAML::Node&)>& where) {
  constexpr std::size_t kMaxDepth = 64;
  constexpr std::size_t kMaxNodes = 1u << 20;
  std::size_t visited = 0;
  std::function<void(const YAML::Node&, std::size_t)> walk = [&](const YAML::Node& node, std::size_t depth) {
    if (++visited > kMaxNodes) throw ScenarioError(where(root) + "too many YAML nodes for a scenario file");
    if (depth > kMaxDepth) throw ScenarioError(where(node) + "YAML nested more than 64 levels deep");
    if (node.IsMap()) {
      std::set<std::string> seen;
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->first.IsScalar() && !seen.insert(it->first.Scalar()).second)
          throw ScenarioError(where(it->first) + "duplicate key " + Quote(it->first.Scalar()) +
                              " (each key may appear once in a mapping)");
        walk(it->first, depth + 1);
        walk(it->second, depth + 1);
      }
    } else if (node.IsSequence()) {
      for (const auto& item : node) walk(item, depth + 1);
    }
  };
  walk(root, 0);
}

void CheckDuplicateKeys(const std::string& path, const YAML::Node& root) {
  CheckDuplicateKeys(root, [&](const YAML::Node& n) {
    return path + ":" + std::to_string(n.Mark().line >= 0 ? n.Mark().line + 1 : 1) + ": ";
  });
}

/// The item number path[i] names in `list`, checked against the list as the file has it.
std::size_t ListIndex(const YAML::Node& list, const KeyPath& path, std::size_t i, const Override& o) {
  const std::string listName = JoinPath(KeyPath(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(i)));
  if (!list.IsSequence())
    throw ScenarioError("--set " + o.text + ": " + listName + " is not a list in the scenario file");
  auto idx = ParseUnsigned(path[i]);
  if (!idx || *idx >= list.size())
    throw ScenarioError("--set " + o.text + ": " + listName + " has no item " + Quote(path[i]) + " (it has " +
                        std::to_string(list.size()) + " items, numbered from 0)");
  return static_cast<std::size_t>(*idx);
}

/// path[i] is a key inside path[0..i): that must be a mapping (or absent) in the file.
void RequireMap(const YAML::Node& parent, const KeyPath& path, std::size_t i, const Override& o) {
  if (parent.IsMap() || parent.IsNull() || !parent.IsDefined()) return;
  throw ScenarioError("--set " + o.text + ": " + JoinPath(KeyPath(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(i))) +
                      " is a single value in the scenario file, not a mapping");
}

void ApplyOverride(YAML::Node& root, const Override& o) {
  const KeyPath path = SplitPath(o.key);
  if (!SchemaAt(path)) {
    // Name the first element that is wrong and what would have been valid there.
    KeyPath prefix;
    for (const auto& element : path) {
      auto parent = SchemaAt(prefix);
      prefix.push_back(element);
      if (!SchemaAt(prefix)) {
        std::string valid;
        if (parent && parent->kind == SchemaKind::Map) valid = " (valid: " + JoinChoices(parent->keys) + ")";
        else if (parent && parent->kind == SchemaKind::List) valid = " (list items are numbered from 0)";
        else if (parent && parent->kind == SchemaKind::Scalar) valid = " (" + JoinPath(KeyPath(prefix.begin(), prefix.end() - 1)) + " is a single value)";
        throw ScenarioError("--set " + o.text + ": unknown key " + Quote(element) + valid);
      }
    }
  }
  YAML::Node value;
  try {
    // RequireYamlParsesFinish has seen this value's parse finish.
    const std::vector<YAML::Node> documents = YAML::LoadAll(o.value);
    if (documents.size() > 1)
      throw ScenarioError("--set " + o.text + ": value is not valid YAML: it holds more than one document");
    if (!documents.empty()) value = documents.front();
  } catch (const YAML::Exception& e) {
    throw ScenarioError("--set " + o.text + ": value is not valid YAML: " + e.msg);
  }
  if (!value.IsDefined() || value.IsNull()) value = YAML::Node(o.value);
  CheckDuplicateKeys(value, [&](const YAML::Node&) { return "--set " + o.text + ": "; });

  // Walk with copies of node handles (yaml-cpp nodes are references into the document).
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    YAML::Node parent = chain.back();
    auto entry = SchemaAt(KeyPath(path.begin(), path.begin() + i));
    YAML::Node next;
    if (entry && entry->kind == SchemaKind::List) {
      next = parent[ListIndex(parent, path, i, o)];
    } else {
      RequireMap(parent, path, i, o);
      if (!parent[path[i]]) parent[path[i]] = YAML::Node(YAML::NodeType::Map);
      next = parent[path[i]];
    }
    chain.push_back(next);
  }
  YAML::Node parent = chain.back();
  auto parentEntry = SchemaAt(KeyPath(path.begin(), path.end() - 1));
  if (parentEntry && parentEntry->kind == SchemaKind::List) {
    parent[ListIndex(parent, path, path.size() - 1, o)] = value;
  } else {
    RequireMap(parent, path, path.size() - 1, o);
    parent[path.back()] = value;
  }
}

}  // namespace

Override ParseOverride(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError("--set " + text + ": expected key=value, e.g. --set router.udp_timeout=30s");
  return Override{text.substr(0, eq), text.substr(eq + 1), text};
}

ScenarioSpec LoadScenario(const std::string& path, const std::vector<Override>& overrides) {
  // The file and every --set value go through one trial parse (one child process) before any
  // of them is parsed here, since yaml-cpp 0.7 may never return.
  std::vector<std::string> texts{ReadScenarioText(path)};
  for (const auto& o : overrides) {
    // The same text yaml-cpp 0.7 loops on in a file loops in a value (which may hold newlines).
    if (LineStartingWithComma(o.value) != 0)
      throw ScenarioError("--set " + o.text + ": value is not valid YAML: a line cannot start with ','");
    texts.push_back(o.value);
  }
  try {
    RequireYamlParsesFinish(texts);
  } catch (const YamlParserGaveUp& e) {
    if (e.TextIndex() == 0) throw ScenarioError(path + ": " + e.what());
    throw ScenarioError("--set " + overrides[e.TextIndex() - 1].text + ": value is not valid YAML: " + e.what());
  }
  YAML::Node root = ParseScenarioText(path, texts.front());
  if (!root.IsMap()) throw ScenarioError(path + ":1: a scenario file is a mapping (scenario:, duration:, ...)");
  CheckDuplicateKeys(path, root);

  std::map<std::string, std::string> overrideByPath;
  for (const auto& o : overrides) {
    ApplyOverride(root, o);
    overrideByPath[o.key] = o.text;
  }

  Reader r(path, overrideByPath);
  try {
    r.CheckMap(root, {});
    ScenarioSpec spec;
    spec.file = path;
    if (!root["scenario"]) r.Fail({}, root, "missing 'scenario' (the scenario's name)");
    spec.name = r.Scalar(root["scenario"], {"scenario"});
    if (auto n = root["description"]) spec.description = r.Scalar(n, {"description"});
    if (auto n = root["duration"]) spec.duration = r.Duration(n, {"duration"});
    if (spec.duration <= 0)
      r.Fail({"duration"}, root["duration"], Quote(root["duration"].Scalar()) + " is out of range (allowed: above 0s, at most " +
                                                 FormatSeconds(kMaxScenarioSeconds) + ")");
    if (auto n = root["seed"]) spec.seed = r.Seed(n, {"seed"});
    if (auto n = root["matrix"]) {
      const std::string text = r.Scalar(n, {"matrix"});
      if (text != "true" && text != "false") r.Fail({"matrix"}, n, Quote(text) + " is not true or false");
      spec.inMatrix = text == "true";
    }

    spec.router.knobs = DefaultKnobs("router");
    spec.pbx.knobs = DefaultKnobs("pbx");
    for (const auto& k : DefaultKnobs("pbx.trunk")) spec.pbx.knobs.push_back(k);
    spec.provider.knobs = DefaultKnobs("provider");

    if (auto n = root["network"]) {
      const KeyPath p{"network"};
      r.CheckMap(n, p);
      KnobSettings ignored;  // the links are built from the typed NetworkSpec fields
      ReadKnobs(r, n, p, "network", ignored,
                [&](const KnobDef& k, const KnobValue& v) { SetNetworkField(spec.network, k, v); });
    }

    if (auto n = root["router"]) {
      const KeyPath p{"router"};
      r.CheckMap(n, p);
      auto& rt = spec.router;
      if (auto v = n["vendor"]) rt.vendor = r.Scalar(v, Child(p, "vendor"));
      ReadKnobs(r, n, p, "router", rt.knobs, [&](const KnobDef& k, const KnobValue& v) {
        rt.stated[k.leaf] = {v.text, r.Origin(Child(p, k.leaf), n[k.leaf])};
      });
      if (auto v = n["alg"]) {
        const KeyPath ap = Child(p, "alg");
        if (!(v.IsMap() || v.IsNull())) r.Fail(ap, v, "expected a mapping of vendor knobs to values");
        if (v.IsMap()) {
          for (auto it = v.begin(); it != v.end(); ++it) {
            const std::string knob = it->first.Scalar();
            rt.alg[knob] = r.Scalar(it->second, Child(ap, knob));
            rt.algOrigin[knob] = r.Origin(Child(ap, knob), it->second);
          }
        }
      }
    }

    if (auto n = root["provider"]) {
      const KeyPath p{"provider"};
      r.CheckMap(n, p);
      ReadKnobs(r, n, p, "provider", spec.provider.knobs);
    }

    // Phones before the PBX: ring groups name extensions.
    if (!root["phones"]) r.Fail({}, root, "missing 'phones' (extensions: [101, 102, ...])");
    {
      const KeyPath p{"phones"};
      YAML::Node n = root["phones"];
      r.CheckMap(n, p);
      KnobSettings defaults = DefaultKnobs("phones");
      if (auto v = n["defaults"]) {
        r.CheckMap(v, Child(p, "defaults"));
        ReadKnobs(r, v, Child(p, "defaults"), "phones", defaults);
        CheckPhoneKnobs(r, v, Child(p, "defaults"), defaults);
      }
      const std::vector<std::string> extensions = ReadExtensions(r, n, Child(p, "extensions"));
      std::map<std::string, std::size_t> indexOf;
      for (const auto& ext : extensions) {
        indexOf[ext] = spec.phones.size();
        spec.phones.push_back(PhoneSpec{ext, defaults});
      }
      std::set<std::string> extSet(extensions.begin(), extensions.end());
      if (auto ov = n["overrides"]) {
        const KeyPath op = Child(p, "overrides");
        if (!ov.IsMap()) r.Fail(op, ov, "expected a mapping of extension to settings");
        for (auto it = ov.begin(); it != ov.end(); ++it) {
          const std::string ext = it->first.Scalar();
          auto found = indexOf.find(ext);
          if (found == indexOf.end())
            r.Fail(Child(op, ext), it->first, "unknown extension " + Quote(ext) + " (valid: " + ExtensionList(extensions) + ")");
          PhoneSpec& phone = spec.phones[found->second];
          r.CheckMap(it->second, Child(op, ext));
          ReadKnobs(r, it->second, Child(op, ext), "phones", phone.knobs);
          CheckPhoneKnobs(r, it->second, Child(op, ext), phone.knobs);
        }
      }
      if (auto pn = root["pbx"]) {
        const KeyPath pp{"pbx"};
        r.CheckMap(pn, pp);
        auto& pbx = spec.pbx;
        if (auto v = pn["placement"]) pbx.placement = r.Choice(v, Child(pp, "placement"), {"hosted", "on-prem"});
        ReadKnobs(r, pn, pp, "pbx", pbx.knobs);
        if (auto t = pn["trunk"]) {
          const KeyPath tp = Child(pp, "trunk");
          r.CheckMap(t, tp);
          ReadKnobs(r, t, tp, "pbx.trunk", pbx.knobs);
        }
        if (auto g = pn["ring_groups"]) {
          const KeyPath gp = Child(pp, "ring_groups");
          if (!g.IsMap()) r.Fail(gp, g, "expected a mapping of DID to a list of extensions");
          for (auto it = g.begin(); it != g.end(); ++it) {
            const std::string did = r.Scalar(it->first, Child(gp, "?"));
            const KeyPath dp = Child(gp, did);
            if (!IsDid(did))
              r.Fail(dp, it->first, "DID " + Quote(did) + " is not a phone number (1 to 15 digits, optional leading +)");
            if (!it->second.IsSequence() || it->second.size() == 0)
              r.Fail(dp, it->second, "expected a non-empty list of extensions");
            std::vector<std::string> members;
            for (std::size_t i = 0; i < it->second.size(); ++i) {
              const KeyPath mp = Child(dp, std::to_string(i));
              std::string member = ExtensionOf(r, it->second[i], mp, extSet);
              // A phone rung twice for one call would get two INVITEs and fork the dialog.
              if (std::find(members.begin(), members.end(), member) != members.end())
                r.Fail(mp, it->second[i], "extension " + member + " is listed twice in ring group " + did);
              members.push_back(member);
            }
            pbx.ringGroups.emplace_back(did, members);
          }
        }
      }
    }

    if (auto n = root["timeline"]) ReadTimeline(r, n, spec);
    return spec;
  } catch (const YAML::Exception& e) {
    // yaml-cpp throws on type conversions we did not anticipate; still name the place.
    throw ScenarioError(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

SetAction MakeSetAction(const std::string& origin, const ScenarioSpec& spec, const std::string& knob,
                        const std::string& value) {
  YAML::Node n(YAML::NodeType::Map);
  n["knob"] = knob;
  n["value"] = value;
  std::set<std::string> extensions;
  for (const auto& p : spec.phones) extensions.insert(p.extension);
  const Reader r(origin, {});
  return ReadSetAction(r, n, {"timeline", "0", "set"}, extensions);
}

}  // namespace alglab::scenario
