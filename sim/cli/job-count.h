#ifndef ALGLAB_CLI_JOB_COUNT_H
#define ALGLAB_CLI_JOB_COUNT_H

#include <optional>
#include <string>

namespace alglab::cli {

/// The most worker processes any command forks: each holds a whole simulation.
constexpr unsigned kMaxJobs = 64;

/// Worker processes from `--jobs` as typed: a whole number from 1 to kMaxJobs, else a
/// ScenarioError naming the value. Without the option: the online CPUs (1 to kMaxJobs).
unsigned JobCount(const std::optional<std::string>& text);

}  // namespace alglab::cli

#endif
