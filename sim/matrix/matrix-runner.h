#ifndef ALGLAB_MATRIX_MATRIX_RUNNER_H
#define ALGLAB_MATRIX_MATRIX_RUNNER_H

// Runs a plan's simulations in worker processes, at most `jobs` at a time. Each run is a
// fork of this process that loads its scenario, runs it and leaves its result JSON in a file,
// so runs share nothing (ns-3 keeps global state) and a crash takes one run, not the matrix.

#include "sim/matrix/matrix-plan.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace alglab::matrix {

struct RunOutcome {
  bool ok = false;
  nlohmann::ordered_json result;  ///< the run's result (alglab run --json) when ok
  std::string error;              ///< one line when not ok
  nlohmann::ordered_json evidence;  ///< the report's evidence (RunPlan with `evidence`), else null
};

/// Called after each finished run: (done, total, seconds since the start).
using Progress = std::function<void(std::size_t, std::size_t, double)>;

/// Runs every run of `plan`; outcomes are in plan.runs order. `workDir` must exist and be
/// writable (each run leaves <index>.json there, and <index>.evidence.json with `evidence`).
std::vector<RunOutcome> RunPlan(const Plan& plan, unsigned jobs, const std::string& workDir,
                                const Progress& progress, bool evidence = false);

}  // namespace alglab::matrix

#endif
