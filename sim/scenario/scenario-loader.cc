#include "sim/scenario/scenario-loader.h"

#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-schema.h"
#include "sim/scenario/value-parsing.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

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

  double Duration(const YAML::Node& node, const KeyPath& path) const {
    const std::string s = Scalar(node, path);
    auto v = ParseDuration(s);
    if (!v) Fail(path, node, Quote(s) + " is not a duration (use e.g. 30s, 500ms, 2min, 1h)");
    return *v;
  }

  bool Bool(const YAML::Node& node, const KeyPath& path) const {
    const std::string s = Scalar(node, path);
    auto v = ParseBool(s);
    if (!v) Fail(path, node, Quote(s) + " is not a boolean (valid: true, false)");
    return *v;
  }

  double Ratio(const YAML::Node& node, const KeyPath& path) const {
    const std::string s = Scalar(node, path);
    auto v = ParseRatio(s);
    if (!v) Fail(path, node, Quote(s) + " is not a ratio between 0 and 1 (e.g. 0.01 or 1%)");
    return *v;
  }

  std::uint64_t Unsigned(const YAML::Node& node, const KeyPath& path, std::uint64_t max) const {
    const std::string s = Scalar(node, path);
    auto v = ParseUnsigned(s);
    if (!v || *v > max) Fail(path, node, Quote(s) + " is not a whole number from 0 to " + std::to_string(max));
    return *v;
  }

  std::string Rate(const YAML::Node& node, const KeyPath& path) const {
    const std::string s = Scalar(node, path);
    auto v = ParseDataRate(s);
    if (!v) Fail(path, node, Quote(s) + " is not a data rate (e.g. 100Mbps, 1Gbps)");
    return *v;
  }

  std::string Choice(const YAML::Node& node, const KeyPath& path, const std::vector<std::string>& choices) const {
    const std::string s = Scalar(node, path);
    if (std::find(choices.begin(), choices.end(), s) == choices.end())
      Fail(path, node, "unknown value " + Quote(s) + " (valid: " + JoinChoices(choices) + ")");
    return s;
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

const std::vector<std::string> kKeepaliveKinds{"crlf", "none", "options"};

void ReadServerNat(const Reader& r, const YAML::Node& node, const KeyPath& path, NatTraversalSpec& nat) {
  if (auto n = node["honour_rport"]) nat.honourRport = r.Bool(n, Child(path, "honour_rport"));
  if (auto n = node["fix_contact"]) nat.fixContact = r.Bool(n, Child(path, "fix_contact"));
  if (auto n = node["latch_media"]) nat.latchMedia = r.Bool(n, Child(path, "latch_media"));
  if (auto n = node["nat_keepalive"]) nat.natKeepalive = r.Duration(n, Child(path, "nat_keepalive"));
}

void ReadPhoneSettings(const Reader& r, const YAML::Node& node, const KeyPath& path, PhoneSettings& s) {
  r.CheckMap(node, path);
  if (auto n = node["password"]) s.password = r.Scalar(n, Child(path, "password"));
  if (auto n = node["rport"]) s.rport = r.Bool(n, Child(path, "rport"));
  if (auto n = node["keepalive"]) s.keepalive = r.Choice(n, Child(path, "keepalive"), kKeepaliveKinds);
  if (auto n = node["keepalive_interval"]) s.keepaliveInterval = r.Duration(n, Child(path, "keepalive_interval"));
  if (auto n = node["register_expiry"]) s.registerExpiry = r.Duration(n, Child(path, "register_expiry"));
  if (auto n = node["symmetric_rtp"]) s.symmetricRtp = r.Bool(n, Child(path, "symmetric_rtp"));
  if (auto n = node["answer_after"]) s.answerAfter = r.Duration(n, Child(path, "answer_after"));
  if (auto n = node["sip_port"]) {
    s.sipPort = static_cast<std::uint16_t>(r.Unsigned(n, Child(path, "sip_port"), 65535));
    if (s.sipPort == 0) r.Fail(Child(path, "sip_port"), n, "port 0 is not usable");
  }
  if (s.keepaliveInterval <= 0 && s.keepalive != "none")
    r.Fail(Child(path, "keepalive_interval"), node, "must be above 0s when keepalive is not none");
  if (s.registerExpiry < 10) r.Fail(Child(path, "register_expiry"), node, "must be at least 10s");
}

std::string ExtensionOf(const Reader& r, const YAML::Node& node, const KeyPath& path,
                        const std::set<std::string>& extensions) {
  std::string ext = r.Scalar(node, path);
  if (!extensions.count(ext)) {
    r.Fail(path, node, "unknown extension " + Quote(ext) + " (valid: " +
                           JoinChoices(std::vector<std::string>(extensions.begin(), extensions.end())) + ")");
  }
  return ext;
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
    for (const char* k : {"watch", "call", "inbound", "reboot"}) actions += item[k] ? 1 : 0;
    if (actions != 1) r.Fail(ip, item, "needs exactly one of: call, inbound, reboot, watch");

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
      if (c.to.empty() || !std::all_of(c.to.begin(), c.to.end(), [](unsigned char ch) {
            return std::isdigit(ch) || ch == '+';
          }))
        r.Fail(Child(ap, "to"), n["to"], "must be an extension or a phone number, e.g. 102 or +15557000");
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
    } else {
      ev.action = RebootAction{r.Choice(item["reboot"], Child(ip, "reboot"), {"router"})};
    }
    spec.timeline.push_back(ev);
  }
  std::stable_sort(spec.timeline.begin(), spec.timeline.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) { return a.at < b.at; });
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
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    throw ScenarioError("--set " + o.text + ": value is not valid YAML: " + e.msg);
  }
  if (!value.IsDefined() || value.IsNull()) value = YAML::Node(o.value);

  // Walk with copies of node handles (yaml-cpp nodes are references into the document).
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    YAML::Node parent = chain.back();
    auto entry = SchemaAt(KeyPath(path.begin(), path.begin() + i));
    YAML::Node next;
    if (entry && entry->kind == SchemaKind::List) {
      std::size_t idx = std::stoul(path[i]);
      if (!parent.IsSequence() || idx >= parent.size())
        throw ScenarioError("--set " + o.text + ": " + JoinPath(KeyPath(path.begin(), path.begin() + i)) +
                            " has no item " + path[i]);
      next = parent[idx];
    } else {
      if (!parent[path[i]]) parent[path[i]] = YAML::Node(YAML::NodeType::Map);
      next = parent[path[i]];
    }
    chain.push_back(next);
  }
  YAML::Node parent = chain.back();
  auto parentEntry = SchemaAt(KeyPath(path.begin(), path.end() - 1));
  if (parentEntry && parentEntry->kind == SchemaKind::List) {
    std::size_t idx = std::stoul(path.back());
    if (!parent.IsSequence() || idx >= parent.size())
      throw ScenarioError("--set " + o.text + ": " + JoinPath(KeyPath(path.begin(), path.end() - 1)) +
                          " has no item " + path.back());
    parent[idx] = value;
  } else {
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
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw ScenarioError(path + ": cannot read the scenario file");
  } catch (const YAML::ParserException& e) {
    throw ScenarioError(path + ":" + std::to_string(e.mark.line + 1) + ": YAML syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(path + ": " + e.msg);
  }
  if (!root.IsMap()) throw ScenarioError(path + ":1: a scenario file is a mapping (scenario:, duration:, ...)");

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
    if (spec.duration <= 0 || spec.duration > 7 * 86400)
      r.Fail({"duration"}, root["duration"], "must be above 0s and at most a week");
    if (auto n = root["seed"]) spec.seed = r.Unsigned(n, {"seed"}, 0xFFFFFFFFull);

    if (auto n = root["network"]) {
      const KeyPath p{"network"};
      r.CheckMap(n, p);
      if (auto v = n["lan_delay"]) spec.network.lanDelay = r.Duration(v, Child(p, "lan_delay"));
      if (auto v = n["wan_delay"]) spec.network.wanDelay = r.Duration(v, Child(p, "wan_delay"));
      if (auto v = n["wan_loss"]) spec.network.wanLoss = r.Ratio(v, Child(p, "wan_loss"));
      if (auto v = n["provider_delay"]) spec.network.providerDelay = r.Duration(v, Child(p, "provider_delay"));
      if (auto v = n["wan_rate"]) spec.network.wanRate = r.Rate(v, Child(p, "wan_rate"));
      if (auto v = n["lan_rate"]) spec.network.lanRate = r.Rate(v, Child(p, "lan_rate"));
      for (const auto& [key, field] : {std::pair{"lan_queue", &spec.network.lanQueuePackets},
                                       std::pair{"wan_queue", &spec.network.wanQueuePackets}}) {
        if (auto v = n[key]) {
          *field = static_cast<std::uint32_t>(r.Unsigned(v, Child(p, key), 1000000));
          if (*field == 0) r.Fail(Child(p, key), v, "a queue holds at least 1 packet");
        }
      }
    }

    if (auto n = root["router"]) {
      const KeyPath p{"router"};
      r.CheckMap(n, p);
      auto& rt = spec.router;
      if (auto v = n["vendor"]) rt.vendor = r.Scalar(v, Child(p, "vendor"));
      const std::vector<std::string> behaviours{"address-dependent", "address-port-dependent", "endpoint-independent"};
      if (auto v = n["mapping"]) rt.mapping = r.Choice(v, Child(p, "mapping"), behaviours);
      if (auto v = n["filtering"]) rt.filtering = r.Choice(v, Child(p, "filtering"), behaviours);
      if (auto v = n["udp_timeout"]) rt.udpTimeout = r.Duration(v, Child(p, "udp_timeout"));
      if (rt.udpTimeout < 1) r.Fail(Child(p, "udp_timeout"), n["udp_timeout"], "must be at least 1s");
      if (auto v = n["port_allocation"]) rt.portAllocation = r.Choice(v, Child(p, "port_allocation"), {"random", "sequential"});
      if (auto v = n["port_preservation"]) rt.portPreservation = r.Bool(v, Child(p, "port_preservation"));
      if (auto v = n["boot_time"]) rt.bootTime = r.Duration(v, Child(p, "boot_time"));
      if (auto v = n["reset_config_on_reboot"]) rt.resetConfigOnReboot = r.Bool(v, Child(p, "reset_config_on_reboot"));
      if (auto v = n["alg"]) {
        const KeyPath ap = Child(p, "alg");
        if (!(v.IsMap() || v.IsNull())) r.Fail(ap, v, "expected a mapping of vendor knobs to values");
        if (v.IsMap()) {
          for (auto it = v.begin(); it != v.end(); ++it)
            rt.alg[it->first.Scalar()] = r.Scalar(it->second, Child(ap, it->first.Scalar()));
        }
      }
    }

    if (auto n = root["provider"]) {
      const KeyPath p{"provider"};
      r.CheckMap(n, p);
      if (auto v = n["domain"]) spec.provider.domain = r.Scalar(v, Child(p, "domain"));
      if (auto v = n["answer_after"]) spec.provider.answerAfter = r.Duration(v, Child(p, "answer_after"));
      ReadServerNat(r, n, p, spec.provider.nat);
    }

    // Phones before the PBX: ring groups name extensions.
    if (!root["phones"]) r.Fail({}, root, "missing 'phones' (extensions: [101, 102, ...])");
    {
      const KeyPath p{"phones"};
      YAML::Node n = root["phones"];
      r.CheckMap(n, p);
      PhoneSettings defaults;
      if (auto v = n["defaults"]) ReadPhoneSettings(r, v, Child(p, "defaults"), defaults);
      YAML::Node exts = n["extensions"];
      if (!exts || !exts.IsSequence() || exts.size() == 0)
        r.Fail(Child(p, "extensions"), exts ? exts : n, "expected a non-empty list of extensions, e.g. [101, 102]");
      if (exts.size() > 5000) r.Fail(Child(p, "extensions"), exts, "at most 5000 phones");
      std::set<std::string> seen;
      for (std::size_t i = 0; i < exts.size(); ++i) {
        const KeyPath ep = Child(Child(p, "extensions"), std::to_string(i));
        std::string ext = r.Scalar(exts[i], ep);
        if (ext.empty() || ext.size() > 8 ||
            !std::all_of(ext.begin(), ext.end(), [](unsigned char c) { return std::isdigit(c); }))
          r.Fail(ep, exts[i], Quote(ext) + " is not an extension (1 to 8 digits)");
        if (!seen.insert(ext).second) r.Fail(ep, exts[i], "extension " + ext + " is listed twice");
        spec.phones.push_back(PhoneSpec{ext, defaults});
      }
      if (auto ov = n["overrides"]) {
        const KeyPath op = Child(p, "overrides");
        if (!ov.IsMap()) r.Fail(op, ov, "expected a mapping of extension to settings");
        for (auto it = ov.begin(); it != ov.end(); ++it) {
          const std::string ext = it->first.Scalar();
          auto phone = std::find_if(spec.phones.begin(), spec.phones.end(),
                                    [&](const PhoneSpec& ps) { return ps.extension == ext; });
          if (phone == spec.phones.end())
            r.Fail(Child(op, ext), it->first, "unknown extension " + Quote(ext) + " (valid: " +
                                                   JoinChoices(std::vector<std::string>(seen.begin(), seen.end())) + ")");
          ReadPhoneSettings(r, it->second, Child(op, ext), phone->settings);
        }
      }
      std::set<std::string> extSet(seen);
      if (auto pn = root["pbx"]) {
        const KeyPath pp{"pbx"};
        r.CheckMap(pn, pp);
        auto& pbx = spec.pbx;
        if (auto v = pn["placement"]) pbx.placement = r.Choice(v, Child(pp, "placement"), {"hosted", "on-prem"});
        if (auto v = pn["domain"]) pbx.domain = r.Scalar(v, Child(pp, "domain"));
        ReadServerNat(r, pn, pp, pbx.nat);
        if (auto t = pn["trunk"]) {
          const KeyPath tp = Child(pp, "trunk");
          r.CheckMap(t, tp);
          if (auto v = t["user"]) pbx.trunk.user = r.Scalar(v, Child(tp, "user"));
          if (auto v = t["password"]) pbx.trunk.password = r.Scalar(v, Child(tp, "password"));
          if (auto v = t["expiry"]) pbx.trunk.expiry = r.Duration(v, Child(tp, "expiry"));
          if (auto v = t["keepalive"]) pbx.trunk.keepalive = r.Choice(v, Child(tp, "keepalive"), kKeepaliveKinds);
          if (auto v = t["keepalive_interval"]) pbx.trunk.keepaliveInterval = r.Duration(v, Child(tp, "keepalive_interval"));
          if (pbx.trunk.expiry < 10) r.Fail(Child(tp, "expiry"), t, "must be at least 10s");
        }
        if (auto g = pn["ring_groups"]) {
          const KeyPath gp = Child(pp, "ring_groups");
          if (!g.IsMap()) r.Fail(gp, g, "expected a mapping of DID to a list of extensions");
          for (auto it = g.begin(); it != g.end(); ++it) {
            const std::string did = it->first.Scalar();
            const KeyPath dp = Child(gp, did);
            if (!it->second.IsSequence() || it->second.size() == 0)
              r.Fail(dp, it->second, "expected a non-empty list of extensions");
            std::vector<std::string> members;
            for (std::size_t i = 0; i < it->second.size(); ++i)
              members.push_back(ExtensionOf(r, it->second[i], Child(dp, std::to_string(i)), extSet));
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

}  // namespace alglab::scenario
