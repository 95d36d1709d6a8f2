#include "sim/scenario/scenario-schema.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace alglab::scenario {
namespace {

bool IsIndex(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

const std::vector<std::string> kPhoneSettings{"answer_after",     "keepalive",    "keepalive_interval",
                                              "password",         "register_expiry", "rport",
                                              "sip_port",         "symmetric_rtp"};
const std::vector<std::string> kServerNat{"fix_contact", "honour_rport", "latch_media", "nat_keepalive"};

std::vector<std::string> With(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  return a;
}

/// Normalised path ("timeline.#.call", "phones.overrides.*") -> entry.
const std::map<std::string, SchemaEntry>& Table() {
  static const std::map<std::string, SchemaEntry> table{
      {"", {SchemaKind::Map, {"description", "duration", "network", "pbx", "phones", "provider", "router",
                              "scenario", "seed", "timeline"}}},
      {"network", {SchemaKind::Map, {"lan_delay", "lan_queue", "lan_rate", "provider_delay", "wan_delay", "wan_loss",
                                    "wan_queue", "wan_rate"}}},
      {"router", {SchemaKind::Map, {"alg", "boot_time", "filtering", "mapping", "port_allocation",
                                    "port_preservation", "reset_config_on_reboot", "udp_timeout", "vendor"}}},
      {"router.alg", {SchemaKind::FreeMap, {}}},
      {"pbx", {SchemaKind::Map, With({"domain", "placement", "ring_groups", "trunk"}, kServerNat)}},
      {"pbx.trunk", {SchemaKind::Map, {"expiry", "keepalive", "keepalive_interval", "password", "user"}}},
      {"pbx.ring_groups", {SchemaKind::FreeMap, {}}},
      {"pbx.ring_groups.*", {SchemaKind::List, {}}},
      {"provider", {SchemaKind::Map, With({"answer_after", "domain"}, kServerNat)}},
      {"phones", {SchemaKind::Map, {"defaults", "extensions", "overrides"}}},
      {"phones.defaults", {SchemaKind::Map, kPhoneSettings}},
      {"phones.extensions", {SchemaKind::List, {}}},
      {"phones.overrides", {SchemaKind::FreeMap, {}}},
      {"phones.overrides.*", {SchemaKind::Map, kPhoneSettings}},
      {"timeline", {SchemaKind::List, {}}},
      {"timeline.#", {SchemaKind::Map, {"at", "call", "inbound", "reboot", "watch"}}},
      {"timeline.#.call", {SchemaKind::Map, {"duration", "from", "to"}}},
      {"timeline.#.inbound", {SchemaKind::Map, {"did", "duration"}}},
      {"timeline.#.watch", {SchemaKind::Map, {"target", "watcher"}}},
  };
  return table;
}

}  // namespace

std::optional<SchemaEntry> SchemaAt(const KeyPath& path) {
  const auto& table = Table();
  std::string norm;
  const SchemaEntry* current = &table.at("");
  for (const auto& element : path) {
    std::string next;
    switch (current->kind) {
      case SchemaKind::Map:
        if (!std::binary_search(current->keys.begin(), current->keys.end(), element)) return std::nullopt;
        next = element;
        break;
      case SchemaKind::FreeMap:
        if (element.empty()) return std::nullopt;
        next = "*";
        break;
      case SchemaKind::List:
        if (!IsIndex(element)) return std::nullopt;
        next = "#";
        break;
      case SchemaKind::Scalar:
        return std::nullopt;
    }
    norm = norm.empty() ? next : norm + "." + next;
    auto it = table.find(norm);
    if (it == table.end()) {
      // Leaves are scalars unless listed; list items of a listed list are scalars too.
      static const SchemaEntry kScalar{SchemaKind::Scalar, {}};
      current = &kScalar;
    } else {
      current = &it->second;
    }
  }
  return *current;
}

std::string JoinPath(const KeyPath& path) {
  std::string out;
  for (const auto& p : path) out += (out.empty() ? "" : ".") + p;
  return out;
}

KeyPath SplitPath(const std::string& dotted) {
  KeyPath out;
  std::string cur;
  for (char c : dotted) {
    if (c == '.') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace alglab::scenario
