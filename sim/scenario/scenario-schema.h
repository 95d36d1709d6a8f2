#ifndef ALGLAB_SCENARIO_SCENARIO_SCHEMA_H
#define ALGLAB_SCENARIO_SCENARIO_SCHEMA_H

// Which keys a scenario file may contain, at every level. One table serves both the strict
// file reader (unknown keys are errors, with the valid ones listed) and --set key=value
// overrides (a key must name something a scenario can hold).

#include <optional>
#include <string>
#include <vector>

namespace alglab::scenario {

/// Path elements of a key: "router.udp_timeout" -> {"router","udp_timeout"};
/// list items are numbers ("timeline.2.at").
using KeyPath = std::vector<std::string>;

/// The shape of the value at a path.
enum class SchemaKind {
  Scalar,      ///< a single value
  Map,         ///< a mapping with the fixed keys AllowedKeys() lists
  FreeMap,     ///< a mapping with user-chosen keys (vendor knobs, DIDs, extensions)
  List,        ///< a sequence; items are addressed by index
};

struct SchemaEntry {
  SchemaKind kind;
  std::vector<std::string> keys;  ///< for Map: the allowed keys, sorted
};

/// The schema at `path` (with list indices and free keys already in place), or nullopt if no
/// scenario can hold that path.
std::optional<SchemaEntry> SchemaAt(const KeyPath& path);

/// "a.b.c"
std::string JoinPath(const KeyPath& path);
KeyPath SplitPath(const std::string& dotted);

}  // namespace alglab::scenario

#endif
