#ifndef ALGLAB_ALG_MODELS_CONTRACT_KNOB_SEMANTICS_H
#define ALGLAB_ALG_MODELS_CONTRACT_KNOB_SEMANTICS_H

/// \file
/// When a knob changed at run time takes effect, declared per knob by whoever owns it (the
/// router for its attributes, a mechanism or model for its own), as real routers document it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace alglab::alg {

enum class KnobSemantics : std::uint8_t {
  /// At once, for every packet from now on (a sysctl, a module parameter that is read per
  /// packet).
  Immediate,
  /// For connections that start from now on: existing mappings keep the ALG configuration they
  /// started with until they end, are flushed, or the router reboots (a conntrack helper is
  /// bound when the connection is created).
  NewSessions,
  /// Only after a reboot: the running configuration shows the new value, the router keeps
  /// behaving as before; a reboot applies what was saved (so save it first) (a read-only
  /// module parameter, a firmware setting that needs a restart).
  AfterReboot,
};

/// "immediate" / "new-sessions" / "after-reboot".
const char* ToString(KnobSemantics semantics);

/// knob name -> semantics; a knob not listed is Immediate.
using KnobSemanticsTable = std::map<std::string, KnobSemantics>;

/// The semantics `table` declares for `knob` (Immediate when not listed).
KnobSemantics SemanticsOf(const KnobSemanticsTable& table, const std::string& knob);

}  // namespace alglab::alg

#endif
