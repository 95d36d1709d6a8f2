#ifndef ALGLAB_SCENARIO_SCENARIO_LOADER_H
#define ALGLAB_SCENARIO_SCENARIO_LOADER_H

#include "sim/scenario/scenario-spec.h"

#include <string>
#include <vector>

namespace alglab::scenario {

/// A "--set key=value" override as the user typed it.
struct Override {
  std::string key;    ///< dotted path, e.g. "router.udp_timeout"
  std::string value;  ///< YAML scalar or flow collection, e.g. "30s", "[101, 102]"
  std::string text;   ///< the original "key=value", for error messages
};

/// Parses "key=value"; throws ScenarioError naming the text if it has no '=' or an empty key.
Override ParseOverride(const std::string& text);

/// Reads a scenario file, applies the overrides, validates everything and returns the spec.
/// Every problem throws ScenarioError with a one-line message naming "file:line" or the
/// "--set" text, and listing the valid choices where there is a fixed set.
ScenarioSpec LoadScenario(const std::string& path, const std::vector<Override>& overrides = {});

/// The timeline change `set: {knob: KNOB, value: VALUE}` for `spec`, made in code (a runbook
/// step's knob change) and checked as the loader checks one read from a file. Throws
/// ScenarioError "origin: ..." for an unknown knob or a bad value.
SetAction MakeSetAction(const std::string& origin, const ScenarioSpec& spec, const std::string& knob,
                        const std::string& value);

}  // namespace alglab::scenario

#endif
