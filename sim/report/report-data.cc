#include "sim/report/report-data.h"

namespace alglab::report {

namespace {

/// What the page needs of a result: which symptoms are present, and what acted on them.
nlohmann::ordered_json ResultSummary(const ReportRun& run) {
  nlohmann::ordered_json out;
  out["vendor"] = run.vendor;
  out["scenario"] = run.scenario;
  out["variant"] = run.variant;
  out["symptoms"] = nlohmann::ordered_json::object();
  if (run.result == nullptr || !run.result->contains("symptoms")) return out;
  for (const auto& [name, s] : (*run.result)["symptoms"].items()) {
    nlohmann::ordered_json entry;
    entry["present"] = s.value("present", false);
    if (s.contains("mechanisms")) entry["mechanisms"] = s["mechanisms"];
    out["symptoms"][name] = entry;
  }
  return out;
}

void AddRuns(nlohmann::ordered_json& data, const std::vector<ReportRun>& runs) {
  data["runs"] = nlohmann::ordered_json::object();
  data["results"] = nlohmann::ordered_json::object();
  data["evidence"] = nlohmann::ordered_json::object();
  for (const ReportRun& run : runs) {
    const std::string id = "r" + std::to_string(data["results"].size());
    data["runs"][run.vendor][run.scenario][run.variant] = id;
    nlohmann::ordered_json summary = ResultSummary(run);
    const std::string simulation = "s" + std::to_string(run.simulation);
    summary["evidence"] = run.evidence != nullptr && !run.evidence->is_null() ? simulation : "";
    if (run.evidence != nullptr && !run.evidence->is_null() && !data["evidence"].contains(simulation))
      data["evidence"][simulation] = *run.evidence;
    data["results"][id] = summary;
  }
}

}  // namespace

void AddOptionalSections(nlohmann::ordered_json& data, const nlohmann::ordered_json& extras) {
  for (const char* key : {"runbooks", "workarounds", "remediation", "detect_accuracy", "kernel_accuracy"})
    if (extras.is_object() && extras.contains(key)) data[key] = extras[key];
}

nlohmann::ordered_json RunPageData(const nlohmann::ordered_json& result, const nlohmann::ordered_json& evidence,
                                   const nlohmann::ordered_json& extras) {
  nlohmann::ordered_json data;
  data["kind"] = "run";
  const std::string vendor = result.value("vendor", ""), scenario = result.value("scenario", "");
  data["title"] = "alglab run: " + scenario + " through " + vendor;
  ReportRun run{vendor, scenario, "run", &result, &evidence, 0};
  AddRuns(data, {run});
  AddOptionalSections(data, extras);
  // A remediated run's record (alglab run --remediate), without the full "before" symptoms.
  if (result.contains("remediation")) {
    nlohmann::ordered_json remediation = result["remediation"];
    if (remediation.contains("before")) remediation["before"].erase("symptoms");
    data["remediation"] = remediation;
  }
  return data;
}

nlohmann::ordered_json MatrixPageData(const nlohmann::ordered_json& matrix, const std::vector<ReportRun>& runs,
                                      const nlohmann::ordered_json& extras) {
  nlohmann::ordered_json data;
  data["kind"] = "matrix";
  data["title"] = "alglab matrix";
  data["matrix"] = matrix;
  AddRuns(data, runs);
  AddOptionalSections(data, extras);
  return data;
}

}  // namespace alglab::report
