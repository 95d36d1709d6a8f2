#ifndef ALGLAB_CONFIG_CHECK_CONFIG_EVALUATION_H
#define ALGLAB_CONFIG_CHECK_CONFIG_EVALUATION_H

/// \file
/// `alglab check-config`'s reading of one file: which vendor's format it is (the syntax that
/// accepts it and the vendor map whose signatures match), the model knob values its statements
/// give (the model's default where none does), whether the SIP ALG is on and which statements
/// decide it. The rules are data (alg-models/<vendor>/config-map.yaml); nothing here knows a
/// vendor.

#include "alg-models/contract/config-map.h"
#include "sim/config-check/config-statements.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alglab::configcheck {

struct KnobReading {
  std::string knob;
  std::string value;
  std::string defaultValue;          ///< the model's default (what an export may leave out)
  std::optional<Statement> source;   ///< the statement that gave `value`; none: the default
  std::vector<std::string> groups;   ///< the deciding match's groups ($1.. of the map's lines)
};

struct NoteReading {
  Statement statement;
  std::string note;
};

struct ConfigReading {
  std::string file;
  const alg::ConfigMap* map = nullptr;
  std::vector<std::string> lines;       ///< the file's lines
  std::vector<Statement> statements;
  std::vector<KnobReading> knobs;       ///< in the map's order
  bool algOn = false;
  /// The knob readings and statements that decide `algOn`: with the ALG on, those of the
  /// condition that holds; with it off, what breaks each condition.
  std::vector<std::string> decidingKnobs;
  std::vector<Statement> decidingStatements;  ///< `without:` statements that keep the ALG off
  std::vector<std::string> decidingAbsent;    ///< `without:` regexes whose absence keeps it on
  std::vector<NoteReading> notes;
  std::map<std::string, std::string> modelDefaults;  ///< every knob of the model, as shipped

  const KnobReading* Knob(const std::string& name) const;
  /// The knob's value: the reading's, else the model's default.
  std::string ValueOf(const std::string& knob) const;
  bool Matches(const std::string& regex) const;  ///< any statement matches
};

/// Reads `path`: refuses what is not a readable text configuration of a known format, then
/// applies the vendor's map. Throws scenario::ScenarioError "FILE:LINE: what" (exit 2).
ConfigReading ReadConfiguration(const std::string& path);

/// The same from text already read (`file` names it in errors).
ConfigReading ReadConfigurationText(const std::string& file, const std::string& text);

}  // namespace alglab::configcheck

#endif
