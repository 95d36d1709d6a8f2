#include "sim/scenario/scenario-spec.h"

#include <algorithm>

namespace alglab::scenario {

void SetKnob(KnobSettings& knobs, const std::string& attribute, const std::string& value) {
  auto it = std::find_if(knobs.begin(), knobs.end(), [&](const KnobSetting& k) { return k.attribute == attribute; });
  if (it == knobs.end()) {
    knobs.push_back({attribute, value});
  } else {
    it->value = value;
  }
}

const std::string* FindKnobValue(const KnobSettings& knobs, const std::string& attribute) {
  auto it = std::find_if(knobs.begin(), knobs.end(), [&](const KnobSetting& k) { return k.attribute == attribute; });
  return it == knobs.end() ? nullptr : &it->value;
}

}  // namespace alglab::scenario
