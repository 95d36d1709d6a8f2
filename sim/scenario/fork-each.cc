#include "sim/scenario/fork-each.h"

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>

namespace alglab::scenario {

void ForkEach(const std::vector<std::size_t>& order, unsigned jobs, const std::function<void(std::size_t)>& child,
              const std::function<void(std::size_t, int)>& collected) {
  if (jobs == 0) throw std::invalid_argument("ForkEach: jobs must be at least 1");
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0;
  std::size_t done = 0;
  while (done < order.size()) {
    while (running.size() < jobs && next < order.size()) {
      const pid_t pid = fork();
      if (pid < 0) {
        if (running.empty()) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
        break;  // out of processes for now: wait for one to finish
      }
      if (pid == 0) {
        child(order[next]);
        std::_Exit(1);  // a child that returned broke the contract: never run the parent's code
      }
      running[pid] = order[next++];
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;  // not one of ours
    const std::size_t index = it->second;
    running.erase(it);
    ++done;
    collected(index, status);
  }
}

}  // namespace alglab::scenario
