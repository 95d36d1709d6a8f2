// Fuzz target: the scenario loader with --set overrides. The input is a scenario's YAML text,
// optionally followed by a line "#set" and one "key=value" override per line. Bad input must end
// as a ScenarioError (the one-line user error); any other exception escapes and is a crash.
#include "fuzz/fuzz-input.h"
#include "sim/scenario/bounded-yaml-parse.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"

#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

namespace {

/// LoadScenario reads a file: one per process, rewritten for every input.
const std::string& ScratchPath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/alglab-fuzz-scenario-" +
           std::to_string(::getpid()) + ".yaml";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // A looping parse must end well inside libFuzzer's own -timeout=10 (wall time, and long runs
  // share the cores among several targets) and -rss_limit_mb: the bound then reports it as the
  // ScenarioError it is, and a timeout left to libFuzzer means the bound failed.
  alglab::scenario::YamlParseBudget budget;
  budget.cpuSeconds = 1;
  budget.memoryBytes = std::size_t{256} << 20;
  alglab::scenario::SetYamlParseBudget(budget);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace alglab;
  const std::string_view text = fuzz::AsText(data, size);
  const std::string_view marker = "\n#set\n";
  const std::size_t split = text.find(marker);
  const std::string_view yaml = text.substr(0, split);

  std::vector<std::string> overrideLines;
  if (split != std::string_view::npos) {
    std::string_view rest = text.substr(split + marker.size());
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      overrideLines.emplace_back(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    }
  }
  {
    std::ofstream out(ScratchPath(), std::ios::binary | std::ios::trunc);
    out.write(yaml.data(), static_cast<std::streamsize>(yaml.size()));
  }
  try {
    std::vector<scenario::Override> overrides;
    for (const std::string& line : overrideLines) overrides.push_back(scenario::ParseOverride(line));
    (void)scenario::LoadScenario(ScratchPath(), overrides);
  } catch (const scenario::ScenarioError& e) {
    const std::string message = e.what();
    if (message.empty() || message.find('\n') != std::string::npos) {
      fuzz::InvariantBroken("a ScenarioError that is not exactly one line");
    }
  }
  return 0;
}
