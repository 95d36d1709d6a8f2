#ifndef ALGLAB_DETECT_DETECT_REFERENCES_H
#define ALGLAB_DETECT_DETECT_REFERENCES_H

/// \file
/// The family ranking's references: the detector's own verdicts in simulation for every
/// model's tuning configurations (detect-variations.h) in the reference scenario, each labelled
/// with its configuration's family (model-family.h). Built on first use and cached as JSON,
/// keyed by the alglab executable, the configurations and the scenario file, so a new model,
/// a changed knob or a rebuilt detector makes a new cache and a stale one is never read.

#include "sim/detect/family-rank.h"

#include <string>
#include <vector>

namespace alglab::detect {

/// The scenario the references are made in.
inline constexpr const char* kReferenceScenario = "office";

/// The references, from the cache or built with `jobs` worker processes (then cached).
/// The cache directory is $ALGLAB_CACHE_DIR, else $XDG_CACHE_HOME/alglab, else
/// ~/.cache/alglab; when none can be written the references are built every time.
std::vector<FamilyReference> LoadReferences(unsigned jobs);

}  // namespace alglab::detect

#endif
