#include "sim/scenario/scenario-schema.h"

#include "sim/scenario/knob-table.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace alglab::scenario {
namespace {

bool IsIndex(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::vector<std::string> With(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  return a;
}

/// Normalised path ("timeline.#.call", "phones.overrides.*") -> entry. Structure is listed
/// here; knob keys come from the knob table.
const std::map<std::string, SchemaEntry>& Table() {
  static const std::map<std::string, SchemaEntry> table{
      {"", {SchemaKind::Map, {"description", "duration", "matrix", "network", "pbx", "phones", "provider",
                              "router", "scenario", "seed", "timeline"}}},
      {"network", {SchemaKind::Map, KnobLeaves("network")}},
      {"router", {SchemaKind::Map, With({"alg", "vendor"}, KnobLeaves("router"))}},
      {"router.alg", {SchemaKind::FreeMap, {}}},
      {"pbx", {SchemaKind::Map, With({"placement", "ring_groups", "trunk"}, KnobLeaves("pbx"))}},
      {"pbx.trunk", {SchemaKind::Map, KnobLeaves("pbx.trunk")}},
      {"pbx.ring_groups", {SchemaKind::FreeMap, {}}},
      {"pbx.ring_groups.*", {SchemaKind::List, {}}},
      {"provider", {SchemaKind::Map, KnobLeaves("provider")}},
      {"phones", {SchemaKind::Map, {"defaults", "extensions", "overrides"}}},
      {"phones.defaults", {SchemaKind::Map, KnobLeaves("phones")}},
      {"phones.extensions", {SchemaKind::List, {}}},
      {"phones.overrides", {SchemaKind::FreeMap, {}}},
      {"phones.overrides.*", {SchemaKind::Map, KnobLeaves("phones")}},
      {"timeline", {SchemaKind::List, {}}},
      {"timeline.#", {SchemaKind::Map, {"at", "call", "factory_reset", "flush", "hold", "inbound", "link", "mute",
                                        "reboot", "reregister", "resume", "save_config", "set", "watch"}}},
      {"timeline.#.link", {SchemaKind::Map, {"link", "state"}}},
      {"timeline.#.call", {SchemaKind::Map, {"duration", "from", "to"}}},
      {"timeline.#.hold", {SchemaKind::Map, {"phone", "style"}}},
      {"timeline.#.inbound", {SchemaKind::Map, {"did", "duration"}}},
      {"timeline.#.mute", {SchemaKind::Map, {"duration", "phone"}}},
      {"timeline.#.reregister", {SchemaKind::Map, {"downtime", "phone"}}},
      {"timeline.#.resume", {SchemaKind::Map, {"phone"}}},
      {"timeline.#.set", {SchemaKind::Map, {"knob", "value"}}},
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
