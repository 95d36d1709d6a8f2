#ifndef ALGLAB_DETECT_DETECT_WORKERS_H
#define ALGLAB_DETECT_DETECT_WORKERS_H

/// \file
/// Runs many independent detector simulations in worker processes, at most `jobs` at a time.
/// ns-3 keeps one simulator per process, and a fork shares nothing with its siblings, so each
/// job is a fork of this process that computes one text and leaves it in a file.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace alglab::detect {

/// One job's outcome: its text, or one line saying why there is none.
struct WorkerResult {
  bool ok = false;
  std::string text;
  std::string error;
};

/// Calls `work(i)` for i in [0, count), each in its own child process, `jobs` at a time
/// (1: in this process, one after another). Results come back in index order. A job that
/// throws or dies is reported in its result, not thrown.
std::vector<WorkerResult> RunInWorkers(std::size_t count, unsigned jobs,
                                       const std::function<std::string(std::size_t)>& work);

}  // namespace alglab::detect

#endif
