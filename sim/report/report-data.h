#ifndef ALGLAB_REPORT_REPORT_DATA_H
#define ALGLAB_REPORT_REPORT_DATA_H

// The data a report page shows, assembled from what the commands already have: a run's result
// and evidence, or the matrix and its runs. The page's script (assets/report.js) renders
// whatever of it is present, so sections added later (a vendor's runbook, the workaround table)
// need a key here and a renderer there, nothing else.
//
// {"kind": "run" | "matrix", "title",
//  "matrix": the matrix JSON (kind "matrix"),
//  "runs": {vendor: {scenario: {variant: run id}}},
//  "results": {run id: {"vendor","scenario","variant","symptoms":{S:{"present","mechanisms"}}}},
//  "evidence": {run id: run-evidence.h's object},
//  "runbooks": {vendor: runbook JSON}, "workarounds": ...   (when given)}

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace alglab::report {

/// One simulation of a report: its result (alglab run --json) and evidence (null: none).
struct ReportRun {
  std::string vendor;
  std::string scenario;
  std::string variant;  ///< "run" for alglab run; a matrix variant name otherwise
  const nlohmann::ordered_json* result = nullptr;
  const nlohmann::ordered_json* evidence = nullptr;
  /// Runs that are the same simulation share this key (their evidence is embedded once).
  std::size_t simulation = 0;
};

/// The keys of `extras` the page knows how to render ("runbooks", "workarounds"), copied into
/// `data` when present.
void AddOptionalSections(nlohmann::ordered_json& data, const nlohmann::ordered_json& extras);

/// The data of alglab run's page (run.html).
nlohmann::ordered_json RunPageData(const nlohmann::ordered_json& result, const nlohmann::ordered_json& evidence,
                                   const nlohmann::ordered_json& extras = nlohmann::ordered_json::object());

/// The data of alglab matrix's page (report.html): the matrix and the runs given.
nlohmann::ordered_json MatrixPageData(const nlohmann::ordered_json& matrix, const std::vector<ReportRun>& runs,
                                      const nlohmann::ordered_json& extras = nlohmann::ordered_json::object());

}  // namespace alglab::report

#endif
