#ifndef ALGLAB_SCENARIO_FORK_EACH_H
#define ALGLAB_SCENARIO_FORK_EACH_H

// Many independent simulations in worker processes. ns-3 keeps one simulator per process, so
// parallel runs are forks of this process that share nothing with their siblings; a child
// leaves its result in a file and ends with std::_Exit, its parent collects it by pid.

#include <cstddef>
#include <functional>
#include <vector>

namespace alglab::scenario {

/// Forks one child per index of `order` (in that order), at most `jobs` alive at once; each
/// child runs `child(index)`, which must end the process (std::_Exit) and never return. As
/// each child ends, `collected(index, waitStatus)` runs in this process. A fork that fails
/// while other children run waits for one of them; with none running it throws
/// std::runtime_error, as does a failed waitpid.
void ForkEach(const std::vector<std::size_t>& order, unsigned jobs, const std::function<void(std::size_t)>& child,
              const std::function<void(std::size_t, int)>& collected);

}  // namespace alglab::scenario

#endif
