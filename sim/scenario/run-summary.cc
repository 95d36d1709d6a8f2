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

std::string Names(const nlohmann::ordered_json& list) {
  std::string out;
  for (const auto& n : list) out += (out.empty() ? "" : ", ") + n.get<std::string>();
  return out.empty() ? "none" : out;
}

/// `alglab run --remediate`: the steps and what each changed, the symptoms without and with the
/// runbook (from its time on), and the advice.
std::string RemediationSummary(const nlohmann::ordered_json& r) {
  std::string out = fmt::format("\nRemediation ({}) at {} s; symptoms measured from then on:\n",
                                r.value("runbook", ""), r.value("at", 0.0));
  for (const auto& step : r["steps"]) {
    out += fmt::format("  step {}: {}\n", step.value("step", 0), step.value("title", ""));
    for (const auto& c : step["changes"])
      out += fmt::format("    {}: {} -> {} ({})\n", c.value("knob", ""), c.value("from", ""), c.value("to", ""),
                         c.value("applies", ""));
    if (!step["then"].empty()) out += "    then: " + Names(step["then"]) + "\n";
    if (step.contains("alone"))
      out += fmt::format("    alone it removes: {}{}\n", Names(step["alone"]["removed"]),
                         step["alone"].value("alg_still_acts", false) ? " (the ALG still acts)" : "");
  }
  if (r.contains("until_then")) out += "  until then:          " + Names(r["until_then"]["present"]) + "\n";
  out += "  without the runbook: " + Names(r["before"]["present"]) + "\n";
  out += "  with it:             " + Names(r["after"]["present"]) +
         (r.value("alg_still_acts", false) ? " (the ALG still rewrites or drops SIP)" : "") + "\n";
  for (const auto& a : r["advice"])
    out += fmt::format("  {} [{}]: {}\n", a.value("symptom", ""), a.value("verdict", ""), a.value("advice", ""));
  return out;
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
  if (result.contains("remediation")) out += RemediationSummary(result["remediation"]);
  out += present == 0 ? "\nVerdict: all seven symptoms absent.\n"
                      : fmt::format("\nVerdict: {} of seven symptoms present.\n", present);
  return out;
}

}  // namespace alglab::scenario
