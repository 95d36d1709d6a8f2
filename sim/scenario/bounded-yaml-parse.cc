#include "sim/scenario/bounded-yaml-parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>

#include <poll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace alglab::scenario {
namespace {

YamlParseBudget& ProcessBudget() {
  static YamlParseBudget budget;
  return budget;
}

/// Whole seconds (the kernel's CPU limit counts in them), rounded to the nearest.
long CpuLimitSeconds(const std::string& text, const YamlParseBudget& budget) {
  const double seconds = budget.cpuSeconds + budget.cpuSecondsPerMiB * static_cast<double>(text.size()) / (1u << 20);
  return std::max(1L, std::lround(seconds));
}

std::size_t MemoryLimitBytes(const std::string& text, const YamlParseBudget& budget) {
  return budget.memoryBytes + budget.memoryBytesPerByte * text.size();
}

/// Resident bytes of process `pid` (0 when it cannot be read: the process just ended).
std::size_t ResidentBytes(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
  std::FILE* f = std::fopen(path, "r");
  if (f == nullptr) return 0;
  unsigned long size = 0;
  unsigned long resident = 0;
  const int read = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  if (read != 2) return 0;
  return static_cast<std::size_t>(resident) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

double MonotonicSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

[[noreturn]] void RunTrialInChild(const std::string& text, long cpuLimit) {
  // The kernel ends the child at the CPU limit: SIGXCPU at the soft limit (default action:
  // terminate), SIGKILL a second later should a handler have caught it.
  std::signal(SIGXCPU, SIG_DFL);
  const auto soft = static_cast<rlim_t>(cpuLimit);
  rlimit limit{soft, soft + 1};
  ::setrlimit(RLIMIT_CPU, &limit);
  try {
    (void)YAML::LoadAll(text);
  } catch (...) {
    // A parse error is an answer: the parent parses again and reports it with its line.
  }
  ::_exit(0);  // no atexit handlers, no stdio flush: the parent owns those
}

}  // namespace

void SetYamlParseBudget(const YamlParseBudget& budget) { ProcessBudget() = budget; }
YamlParseBudget GetYamlParseBudget() { return ProcessBudget(); }

TrialParseOutcome TrialParseInChild(const std::string& text, const YamlParseBudget& budget) {
  const long cpuLimit = CpuLimitSeconds(text, budget);
  const std::size_t memoryLimit = MemoryLimitBytes(text, budget);
  // The child starts sharing the parent's pages, which count as its resident memory: the
  // budget is growth above that.
  const std::size_t baseline = ResidentBytes(::getpid());
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t child = ::fork();
  if (child < 0) return TrialParseOutcome::Unavailable;
  if (child == 0) RunTrialInChild(text, cpuLimit);

  // Waits on a pidfd so that a child that finishes at once is collected at once; every few ms
  // without news the child's memory is checked. The wall-clock backstop, far above the CPU
  // limit, ends a child that blocked instead.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, child, 0));
  const double wallDeadline = MonotonicSeconds() + 10.0 * static_cast<double>(cpuLimit) + 10;
  bool memoryExceeded = false;
  for (;;) {
    if (pidfd >= 0) {
      pollfd exited{pidfd, POLLIN, 0};
      ::poll(&exited, 1, 5);
    } else {
      timespec pause{0, 1'000'000};
      ::nanosleep(&pause, nullptr);
    }
    int status = 0;
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) {
      if (pidfd >= 0) ::close(pidfd);
      if (memoryExceeded) return TrialParseOutcome::OutOfMemory;
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return TrialParseOutcome::Finished;
      if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))
        return TrialParseOutcome::OutOfTime;
      return TrialParseOutcome::Crashed;
    }
    if (done < 0) {
      if (pidfd >= 0) ::close(pidfd);
      return TrialParseOutcome::Unavailable;
    }
    if (!memoryExceeded && ResidentBytes(child) > baseline + memoryLimit) {
      memoryExceeded = true;
      ::kill(child, SIGKILL);
    } else if (MonotonicSeconds() > wallDeadline) {
      ::kill(child, SIGKILL);
    }
  }
}

std::string DescribeTrialParse(TrialParseOutcome outcome, const std::string& text, const YamlParseBudget& budget) {
  switch (outcome) {
    case TrialParseOutcome::Finished: return "the YAML parser finished";
    case TrialParseOutcome::OutOfTime:
    case TrialParseOutcome::OutOfMemory:
      // One message for both bounds: which one a looping parser hits first may depend on the
      // machine's load, and the same input must give the same error.
      return fmt::format(
          "the YAML parser did not finish within {} s of CPU time and {} MiB (yaml-cpp 0.7 loops forever on "
          "some malformed YAML; check the flow collections [ ] {{ }} and commas)",
          CpuLimitSeconds(text, budget), MemoryLimitBytes(text, budget) >> 20);
    case TrialParseOutcome::Crashed: return "the YAML parser crashed on this text";
    case TrialParseOutcome::Unavailable: return "cannot start a process to parse the YAML safely (fork failed)";
  }
  return "the YAML parser failed";
}

std::vector<YAML::Node> LoadAllBounded(const std::string& text) {
  const YamlParseBudget budget = ProcessBudget();
  const TrialParseOutcome outcome = TrialParseInChild(text, budget);
  if (outcome != TrialParseOutcome::Finished) throw YamlParserGaveUp(DescribeTrialParse(outcome, text, budget));
  return YAML::LoadAll(text);
}

}  // namespace alglab::scenario
