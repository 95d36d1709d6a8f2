#ifndef ALGLAB_ALG_MODELS_CONTRACT_CONFIG_MAP_H
#define ALGLAB_ALG_MODELS_CONTRACT_CONFIG_MAP_H

/// \file
/// How a vendor's exported configuration maps onto its model's knobs
/// (alg-models/<vendor>/config-map.yaml), read by the generic engine of `alglab check-config`
/// (sim/config-check/). A configuration is first cut into statements by its syntax (FortiOS
/// blocks, RouterOS paths, Vyatta `set` commands, Cisco's indented modes); each statement is
/// one line of text that names its enclosing blocks ("config system settings > set x y"). The
/// map's rules are regular expressions over those texts. Adding a vendor whose syntax exists
/// is adding this file; the format is documented in docs/check-config.md.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alglab::alg {

/// One way a statement (or its absence) gives a knob a value.
struct ConfigRule {
  /// Regex over a statement's text: a match gives `value`, in which $1..$9 are the groups.
  std::string match;
  /// Or: a statement matching `block` exists while none matches `present`: gives `value` at the
  /// block's line (a table shown in full whose entry was deleted).
  std::string absentBlock;
  std::string absentPresent;
  std::string value;
  /// Vendor text -> knob word (times: convert: seconds).
  std::map<std::string, std::string> map;
  std::string convert;  ///< "" or "seconds" (h:mm:ss, or 1h30m as RouterOS writes times)
  std::size_t line = 0;
};

/// A configuration line that puts a knob into one of its values, in the file's own syntax.
struct ConfigLine {
  std::string line;     ///< what to type (may span lines)
  std::string present;  ///< regex over statements telling it is there already; "" = by the knob
  /// What $1..$9 in `line` stand for when the file gives no groups (the knob is at its
  /// default): `line: "delete $1"` takes the captured entry number, else this list's first.
  std::vector<std::string> groupDefaults;
};

struct ConfigKnobMap {
  std::string knob;  ///< the model's knob (its vendor name)
  std::vector<ConfigRule> rules;  ///< applied in order; a later match overrides an earlier one
  std::map<std::string, std::vector<ConfigLine>> lines;  ///< knob value -> lines that set it
  std::size_t line = 0;
};

/// One condition of `alg_on_when`: every knob at one of its words, and no statement matching
/// `without` (a service the knobs do not model that is still on).
struct AlgOnCondition {
  std::map<std::string, std::string> knobs;
  std::string without;
  std::size_t line = 0;
};

/// A statement that matters but sets no knob: shown with its note.
struct ConfigNote {
  std::string match;
  std::string note;
  std::size_t line = 0;
};

struct ConfigMap {
  std::string vendor;   ///< the model's id (its folder)
  std::string format;   ///< "fortios", "routeros-export", ...: named in the output
  std::string title;    ///< "FortiOS show full-configuration"
  std::string syntax;   ///< fortios | routeros | set-commands | indented
  std::vector<std::string> signatures;  ///< regexes over raw lines; one must match
  std::vector<std::string> sources;     ///< documentation the rules rest on
  std::vector<AlgOnCondition> algOnWhen;  ///< the ALG is on when any holds
  std::vector<ConfigKnobMap> knobs;
  std::vector<ConfigNote> notes;
  /// Where the lines to write go when the file nests its settings in a block of its own (a
  /// FortiGate with VDOMs: `config vdom > edit root > ...`): group 1 of this regex over the
  /// statement a change replaces (or, for a default, the first statement it matches) is the
  /// path the lines are wrapped in; `scopeClose` closes each of its blocks by first word
  /// (config -> end, edit -> next). Empty: lines are written as they are.
  std::string scopeMatch;
  std::map<std::string, std::string> scopeClose;
  std::string file;
};

/// Parses a config map (`file` names it in errors). Checks the structure and that every regex
/// compiles; knob names and values are checked against the model by the engine and a test.
/// Throws ModelFileError "file:line: ...".
ConfigMap ParseConfigMap(const std::string& file, const std::string& text);

/// Registers an embedded alg-models/<vendor>/config-map.yaml (the build calls it at static
/// initialisation). A file that does not parse registers its error, thrown by AllConfigMaps.
bool RegisterConfigMapFile(const char* file, const char* text);

/// Every registered config map, sorted by vendor. Throws ModelFileError for one that did not
/// parse.
std::vector<const ConfigMap*> AllConfigMaps();

}  // namespace alglab::alg

#endif
