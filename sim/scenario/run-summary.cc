// The readable report `alglab run` prints without --json.
#include "sim/scenario/scenario-runner.h"

#include <fmt/core.h>

namespace alglab::scenario {

namespace {

/// One line of a symptom's evidence summary: "key=value" for every non-zero entry.
std::string CompactSummary(const nlohmann::ordered_json& summary) {
  if (summary.is_string()) return summary.get<std::string>();
  if (!summary.is_object()) return summary.dump();
  std::string line;
  for (const auto& [key, value] : summary.items()) {
    if (value.is_number() && value.get<double>() == 0) continue;
    line += fmt::format("{}{}={}", line.empty() ? "(" : ", ", key, value.dump());
  }
  return line.empty() ? "" : line + ")";
}

}  // namespace

std::string FormatSummary(const nlohmann::ordered_json& result) {
  std::string out;
  out += fmt::format("alglab run: scenario '{}', router vendor '{}', seed {}{}\n",
                     result.value("scenario", ""), result.value("vendor", ""),
                     result.value("seed", 0ull), result.value("remediated", false) ? ", remediated" : "");
  std::size_t present = 0;
  out += "\nSymptoms (measured from what the devices experienced):\n";
  for (const auto& [name, symptom] : result["symptoms"].items()) {
    const bool isPresent = symptom.value("present", false);
    present += isPresent ? 1 : 0;
    out += fmt::format("  {:<36} {}", name, isPresent ? "PRESENT" : "absent");
    if (symptom.contains("summary")) out += "  " + CompactSummary(symptom["summary"]);
    out += "\n";
  }
  out += "\nCounts:\n";
  for (const auto& [name, value] : result["metrics"].items())
    out += fmt::format("  {:<36} {}\n", name, value.dump());
  if (result.contains("alg") && result["alg"].value("inspected", 0ull) > 0) {
    const auto& alg = result["alg"];
    out += fmt::format("\nRouter ALG: {} packets inspected, {} rewritten, {} dropped\n",
                       alg.value("inspected", 0ull), alg.value("rewritten", 0ull), alg.value("dropped", 0ull));
    for (const auto& [reason, n] : alg["drop_reasons"].items())
      out += fmt::format("  dropped {}x: {}\n", n.dump(), reason);
    for (const auto& [kind, entry] : alg["messages"].items()) {
      std::string fields;
      for (const auto& [field, n] : entry["fields"].items()) fields += (fields.empty() ? "" : ", ") + field;
      if (!fields.empty()) out += fmt::format("  {:<36} rewrote {}\n", kind, fields);
    }
  }
  out += present == 0 ? "\nVerdict: all seven symptoms absent.\n"
                      : fmt::format("\nVerdict: {} of seven symptoms present.\n", present);
  return out;
}

}  // namespace alglab::scenario
