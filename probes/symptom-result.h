#ifndef ALGLAB_PROBES_SYMPTOM_RESULT_H
#define ALGLAB_PROBES_SYMPTOM_RESULT_H

#include <nlohmann/json.hpp>

#include <string>

namespace alglab::probes {

/// The verdict of one symptom detector: whether the symptom was present, and why.
struct SymptomResult {
  std::string name;          ///< one of the seven symptom names, e.g. "one_way_audio"
  bool present = false;
  nlohmann::json evidence;   ///< a JSON object; keys are documented in probes/README.md
};

}  // namespace alglab::probes

#endif
