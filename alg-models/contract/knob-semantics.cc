#include "alg-models/contract/knob-semantics.h"

namespace alglab::alg {

const char* ToString(KnobSemantics semantics) {
  switch (semantics) {
    case KnobSemantics::Immediate:
      return "immediate";
    case KnobSemantics::NewSessions:
      return "new-sessions";
    case KnobSemantics::AfterReboot:
      break;
  }
  return "after-reboot";
}

KnobSemantics SemanticsOf(const KnobSemanticsTable& table, const std::string& knob) {
  const auto it = table.find(knob);
  return it == table.end() ? KnobSemantics::Immediate : it->second;
}

}  // namespace alglab::alg
