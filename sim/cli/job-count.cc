#include "sim/cli/job-count.h"

#include "sim/scenario/scenario-error.h"
#include "sim/scenario/value-parsing.h"

#include <unistd.h>

#include <algorithm>

namespace alglab::cli {

unsigned JobCount(const std::optional<std::string>& text) {
  if (!text) {
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : static_cast<unsigned>(std::min<long>(n, kMaxJobs));
  }
  const auto n = scenario::ParseUnsigned(*text);
  if (!n || *n == 0 || *n > kMaxJobs)
    throw scenario::ScenarioError("--jobs " + *text + ": expected a whole number from 1 to " + std::to_string(kMaxJobs));
  return static_cast<unsigned>(*n);
}

}  // namespace alglab::cli
