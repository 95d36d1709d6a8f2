#ifndef ALGLAB_CONFIG_CHECK_CONFIG_FIX_H
#define ALGLAB_CONFIG_CHECK_CONFIG_FIX_H

/// \file
/// The fix for one configuration: the vendor's runbook (alg-models/<vendor>/runbook.yaml)
/// with each step marked needed or already done by this file's knob values, and the
/// configuration lines, in the file's own syntax, that the needed steps come to.

#include "alg-models/contract/runbook.h"
#include "sim/config-check/config-evaluation.h"

#include <optional>
#include <string>
#include <vector>

namespace alglab::configcheck {

/// One knob a step changes: from this file's value to the runbook's.
struct KnobChange {
  std::string knob;
  std::string from;
  std::string to;
  std::optional<Statement> replaces;  ///< the statement that set `from`; none: the default
  std::vector<std::string> lines;     ///< the lines to add or change (the map's, still missing)
};

struct FixStep {
  std::size_t number = 0;  ///< 1-based, as `alglab remediate` numbers it
  const alg::RunbookStep* step = nullptr;
  bool needed = false;
  std::vector<KnobChange> changes;  ///< knobs not in the step's target state, or lines missing
  std::vector<std::string> done;    ///< "knob=value" already in the target state
};

struct ConfigFix {
  const alg::Runbook* runbook = nullptr;  ///< nullptr: the vendor has none
  std::vector<FixStep> steps;
  std::vector<std::string> lines;  ///< every needed step's lines, in order, each once
};

/// The fix for `reading`. A step whose knobs are all in its target state, and whose map lines
/// are all present, is already done; a step without knobs (save, clear, reboot) is needed when
/// a step before it is.
ConfigFix PlanFix(const ConfigReading& reading);

}  // namespace alglab::configcheck

#endif
