#include "sim/matrix/matrix-runner.h"

#include "alg-models/contract/runbook.h"
#include "sim/remediation/remediation-plan.h"
#include "sim/scenario/fork-each.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"
#include "sim/scenario/scenario-runner.h"

#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace alglab::matrix {

namespace {

std::string ResultFile(const std::string& dir, std::size_t index) {
  return dir + "/" + std::to_string(index) + ".json";
}
std::string EvidenceFile(const std::string& dir, std::size_t index) {
  return dir + "/" + std::to_string(index) + ".evidence.json";
}
std::string ErrorFile(const std::string& dir, std::size_t index) {
  return dir + "/" + std::to_string(index) + ".error";
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

/// The child's whole life: one run, its result or one line of error, and an exit status that
/// says which. Never returns.
[[noreturn]] void RunChild(const Plan& plan, std::size_t index, const std::string& dir, bool evidence) {
  int status = 0;
  try {
    const Run& run = plan.runs[index];
    std::vector<scenario::Override> overrides;
    for (const auto& s : run.sets) overrides.push_back(scenario::ParseOverride(s));
    scenario::ScenarioSpec spec = scenario::LoadScenario(run.scenarioPath, overrides);
    spec.router.vendor = run.vendor;
    std::vector<double> undoneAt;
    if (run.variant.remediated) {
      const alg::Runbook* runbook = alg::FindRunbook(run.vendor);
      if (!runbook) throw scenario::ScenarioError("vendor " + run.vendor + " has no runbook to apply");
      undoneAt = remediation::PlanRemediation(spec, *runbook, {}).undoneAt;
    }
    scenario::RunOptions options;
    options.seed = plan.seed;
    options.evidence = evidence;
    scenario::RunResult result = scenario::RunScenario(spec, options);
    if (run.variant.remediated) {
      result.json["remediated"] = true;
      result.json["remediation"] = {{"at", 0}, {"undone_at", undoneAt}};
    }
    if (evidence)
      WriteText(EvidenceFile(dir, index), result.evidence.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    const std::string tmp = ResultFile(dir, index) + ".partial";
    WriteText(tmp, result.json.dump());
    if (std::rename(tmp.c_str(), ResultFile(dir, index).c_str()) != 0) status = 3;
  } catch (const scenario::ScenarioError& e) {
    WriteText(ErrorFile(dir, index), e.what());
    status = 2;
  } catch (const std::exception& e) {
    WriteText(ErrorFile(dir, index), std::string("internal error: ") + e.what());
    status = 1;
  } catch (...) {
    status = 1;
  }
  std::_Exit(status);  // no atexit handlers or static destructors of the parent's copy
}

RunOutcome Collect(const Plan& plan, std::size_t index, int waitStatus, const std::string& dir) {
  RunOutcome out;
  const Run& run = plan.runs[index];
  const std::string what = run.vendor + " x " + run.scenario + " (" + run.variant.Name() + ")";
  if (WIFEXITED(waitStatus) && WEXITSTATUS(waitStatus) == 0) {
    std::ifstream in(ResultFile(dir, index), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    try {
      out.result = nlohmann::ordered_json::parse(buffer.str());
      out.ok = true;
      std::ifstream evidence(EvidenceFile(dir, index), std::ios::binary);
      if (evidence) out.evidence = nlohmann::ordered_json::parse(evidence);
    } catch (const std::exception& e) {
      out.error = what + ": unreadable result (" + e.what() + ")";
    }
    return out;
  }
  std::ifstream in(ErrorFile(dir, index), std::ios::binary);
  std::string line;
  std::getline(in, line);
  if (WIFSIGNALED(waitStatus))
    out.error = what + ": the run was killed by signal " + std::to_string(WTERMSIG(waitStatus));
  else
    out.error = what + ": " + (line.empty() ? "the run failed with status " + std::to_string(WEXITSTATUS(waitStatus)) : line);
  return out;
}

}  // namespace

std::vector<RunOutcome> RunPlan(const Plan& plan, unsigned jobs, const std::string& workDir,
                                const Progress& progress, bool evidence) {
  if (jobs == 0) throw std::invalid_argument("RunPlan: jobs must be at least 1");
  const auto start = std::chrono::steady_clock::now();
  std::vector<RunOutcome> outcomes(plan.runs.size());
  // Dearest first (longest-processing-time order), ties in plan order: the makespan is then
  // within one run of the best.
  std::vector<std::size_t> order(plan.runs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto cost = [&plan](std::size_t i) {
    const auto it = plan.scenarioCost.find(plan.runs[i].scenario);
    return it == plan.scenarioCost.end() ? 0.0 : it->second;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost(a) > cost(b); });
  std::size_t done = 0;
  scenario::ForkEach(
      order, jobs, [&](std::size_t index) { RunChild(plan, index, workDir, evidence); },
      [&](std::size_t index, int status) {
        outcomes[index] = Collect(plan, index, status, workDir);
        ++done;
        if (progress)
          progress(done, plan.runs.size(),
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      });
  return outcomes;
}

}  // namespace alglab::matrix
