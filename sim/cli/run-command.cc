#include "alg-models/contract/alg-model-registry.h"
#include "alg-models/contract/model-file.h"
#include "alg-models/contract/runbook.h"
#include "sim/remediation/remediation-run.h"
#include "sim/remediation/runbook-json.h"
#include "sim/cli/commands.h"
#include "sim/report/html-page.h"
#include "sim/report/report-data.h"
#include "sim/remediation/workarounds.h"
#include "sim/scenario/scenario-catalog.h"
#include "sim/scenario/knob-table.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"
#include "sim/scenario/scenario-runner.h"
#include "sim/scenario/value-parsing.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

namespace alglab::cli {

namespace {

void CheckVendor(const std::string& vendor, const std::string& origin) {
  const auto& registry = alg::AlgModelRegistry::Instance();
  if (registry.Find(vendor)) return;
  std::string valid;
  for (const auto& n : registry.Names()) valid += (valid.empty() ? "" : ", ") + n;
  throw scenario::ScenarioError(origin + "unknown vendor '" + vendor + "' (valid: " + valid + ")");
}

/// Seed and limit are checked here, not by CLI11, so "--seed -1" is refused instead of wrapping
/// around to 4294967295.
std::uint64_t ParseLimit(const std::string& text) {
  auto n = scenario::ParseUnsigned(text);
  if (!n || *n == 0)
    throw scenario::ScenarioError("--max-events-per-second " + text + ": expected a whole number above 0");
  return *n;
}

bool IsRunOutput(const std::filesystem::path& p) {
  static const std::set<std::string> kFiles{"result.json", "result.json.partial", "evidence.json",
                                            "evidence.json.partial", "run.html", "run.html.partial"};
  return p.extension() == ".pcap" || kFiles.count(p.filename().string()) != 0;
}

/// The report's files beside result.json: the run's evidence and its page.
void WriteReportFiles(const std::string& dir, const scenario::RunResult& result) {
  namespace fs = std::filesystem;
  const std::string evidence = (fs::path(dir) / "evidence.json").string();
  if (!report::WriteFileAtomically(
          evidence, result.evidence.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n"))
    throw scenario::ScenarioError("--out " + dir + ": cannot write " + evidence);
  const std::string page = (fs::path(dir) / "run.html").string();
  // The vendor's runbook beside the evidence: what would turn this ALG off.
  nlohmann::ordered_json extras = nlohmann::ordered_json::object();
  const std::string vendor = result.json.value("vendor", "");
  if (const alg::Runbook* runbook = alg::FindRunbook(vendor))
    extras["runbooks"] = {{vendor, remediation::RunbookToJson(*runbook)}};
  if (!report::WriteFileAtomically(page,
                                   report::RenderPage(report::RunPageData(result.json, result.evidence, extras))))
    throw scenario::ScenarioError("--out " + dir + ": cannot write " + page);
}

/// Makes `dir` ready for this run's pcaps and result.json, or says why it cannot be. ns-3
/// aborts the process on a pcap it cannot open, so everything it could trip on is checked
/// here first: the path, its type, write permission, and entries named like our outputs.
void PrepareOutDir(const std::string& dir) {
  namespace fs = std::filesystem;
  const std::string where = "--out " + (dir.empty() ? std::string("''") : dir) + ": ";
  if (dir.empty()) throw scenario::ScenarioError(where + "empty directory name");
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw scenario::ScenarioError(where + "exists and is not a directory");
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec))
    throw scenario::ScenarioError(where + "cannot create the directory (" + ec.message() + ")");
  // Stale pcaps from an earlier run would be mistaken for this run's.
  fs::directory_iterator it(dir, ec), end;
  if (ec) throw scenario::ScenarioError(where + "cannot read the directory (" + ec.message() + ")");
  for (; it != end; it.increment(ec)) {
    if (ec) throw scenario::ScenarioError(where + "cannot read the directory (" + ec.message() + ")");
    if (!IsRunOutput(it->path())) continue;
    if (!it->is_regular_file(ec) && !it->is_symlink(ec))
      throw scenario::ScenarioError(where + it->path().filename().string() +
                                    " is in the way (not a regular file; remove it or choose another directory)");
    fs::remove(it->path(), ec);
    if (ec)
      throw scenario::ScenarioError(where + "cannot remove the earlier " + it->path().filename().string() + " (" +
                                    ec.message() + ")");
  }
  // Write permission, by trying: access(2) would not see read-only mounts or ACLs.
  const fs::path probe = fs::path(dir) / "result.json.partial";
  {
    std::ofstream f(probe, std::ios::binary | std::ios::trunc);
    if (!f) throw scenario::ScenarioError(where + "cannot write files in the directory");
  }
  fs::remove(probe, ec);
}

/// After a failed run, the outputs it had begun are removed: a half set of pcaps without a
/// result.json must not pass for a run.
void RemoveRunOutputs(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec))
    if (IsRunOutput(it->path()) && it->is_regular_file(ec)) fs::remove(it->path(), ec);
}

/// The vendor's runbook, or a one-line reason there is none to apply.
const alg::Runbook& RunbookFor(const std::string& vendor) {
  const alg::Runbook* runbook = nullptr;
  try {
    runbook = alg::FindRunbook(vendor);
  } catch (const alg::ModelFileError& e) {
    throw scenario::ScenarioError(std::string("--remediate: ") + e.what());
  }
  if (!runbook)
    throw scenario::ScenarioError("--remediate: vendor '" + vendor + "' has no runbook" +
                                  (vendor == "none" ? " (a router without a SIP ALG: nothing to turn off)" : ""));
  return *runbook;
}

/// --remediate-at as seconds ("90s", "2min", "0").
double ParseRemediateAt(const std::string& text) {
  const auto seconds = scenario::ParseDuration(text);
  if (!seconds || *seconds < 0) throw scenario::ScenarioError("--remediate-at " + text + ": expected a time, e.g. 300s");
  return *seconds;
}

}  // namespace

nlohmann::ordered_json RunJson(const RunArguments& args) {
  const std::string path = scenario::ResolveScenario(args.scenario);
  std::vector<scenario::Override> overrides;
  scenario::RunOptions options;
  if (args.workarounds) {
    // Applied first, so an explicit --set of the same key (applied later) wins.
    const auto chosen = remediation::ParseWorkaroundList(*args.workarounds);
    for (const auto& s : remediation::SettingsOf(chosen)) overrides.push_back(scenario::ParseOverride(s));
    for (const auto* w : chosen) options.workarounds.push_back(w->name);
  }
  for (const auto& s : args.sets) overrides.push_back(scenario::ParseOverride(s));
  if (args.vendor) CheckVendor(*args.vendor, "--vendor: ");
  if (args.seed) {
    scenario::SeedCheck check = scenario::CheckSeed(*args.seed);
    if (!check.seed) throw scenario::ScenarioError("--seed " + *args.seed + ": " + check.error);
    options.seed = *check.seed;
  }
  if (args.maxEventsPerSecond) options.maxEventsPerSecond = ParseLimit(*args.maxEventsPerSecond);
  if (!args.remediate && (args.remediateAt || args.remediateSteps))
    throw scenario::ScenarioError(std::string(args.remediateAt ? "--remediate-at" : "--remediate-steps") +
                                  " needs --remediate");
  scenario::ScenarioSpec spec = scenario::LoadScenario(path, overrides);
  if (args.vendor) spec.router.vendor = *args.vendor;
  else CheckVendor(spec.router.vendor, path + ": router.vendor: ");
  const alg::Runbook* runbook = args.remediate ? &RunbookFor(spec.router.vendor) : nullptr;
  remediation::RemediationRequest request;
  if (args.remediateAt) request.at = ParseRemediateAt(*args.remediateAt);
  if (runbook && args.remediateSteps) request.steps = remediation::ParseStepList(*args.remediateSteps, runbook->steps.size());
  // Everything the spec alone can refuse is refused before the output directory is touched.
  scenario::CheckEventRate(spec, options.maxEventsPerSecond);
  if (args.outDir) {
    PrepareOutDir(*args.outDir);
    options.outDir = *args.outDir;
    options.evidence = true;
  }

  // With --out, the runner leaves result.json beside the pcaps.
  scenario::RunResult result;
  try {
    // Every steps' runs only when the user did not pick the steps.
    result = runbook ? remediation::RunRemediated(spec, options, *runbook, request, !args.remediateSteps)
                     : scenario::RunScenario(spec, options);
    if (args.outDir) WriteReportFiles(*args.outDir, result);
  } catch (...) {
    if (args.outDir) RemoveRunOutputs(*args.outDir);
    throw;
  }
  return std::move(result.json);
}

int RunCommand(const RunArguments& args) {
  const nlohmann::ordered_json result = RunJson(args);
  if (args.json) {
    std::cout << result.dump() << "\n";
  } else {
    std::cout << scenario::FormatSummary(result);
  }
  return 0;
}

}  // namespace alglab::cli
