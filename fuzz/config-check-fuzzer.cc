// Fuzz target: `alglab check-config`'s reading of a configuration (ReadConfigurationText) and
// its fix. Bad input must end as one ScenarioError line "fuzz.conf:LINE: ..."; a file that
// reads has a vendor, knob values each with a line inside the file, and a fix whose steps are
// the runbook's.
#include "fuzz/fuzz-input.h"
#include "sim/config-check/config-evaluation.h"
#include "sim/config-check/config-fix.h"
#include "sim/scenario/scenario-error.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace alglab;
  const std::string file = "fuzz.conf";
  try {
    const configcheck::ConfigReading r = configcheck::ReadConfigurationText(file, std::string(fuzz::AsText(data, size)));
    if (r.map == nullptr) fuzz::InvariantBroken("a reading without a vendor map");
    for (const configcheck::KnobReading& k : r.knobs) {
      if (k.source && (k.source->line == 0 || k.source->line > r.lines.size()))
        fuzz::InvariantBroken("a knob's source line outside the file");
    }
    const configcheck::ConfigFix fix = configcheck::PlanFix(r);
    if (fix.runbook != nullptr && fix.steps.size() != fix.runbook->steps.size())
      fuzz::InvariantBroken("the fix lost runbook steps");
  } catch (const scenario::ScenarioError& e) {
    const std::string what = e.what();
    if (what.rfind(file + ":", 0) != 0) fuzz::InvariantBroken("an error that does not name the file");
    if (what.find('\n') != std::string::npos) fuzz::InvariantBroken("an error of more than one line");
  }
  return 0;
}
