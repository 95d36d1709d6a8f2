#include "sim/scenario/bounded-yaml-parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>

#include <fcntl.h>
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
long CpuLimitSeconds(std::size_t bytes, const YamlParseBudget& budget) {
  const double seconds = budget.cpuSeconds + budget.cpuSecondsPerMiB * static_cast<double>(bytes) / (1u << 20);
  return std::max(1L, std::lround(seconds));
}

std::size_t MemoryLimitBytes(std::size_t bytes, const YamlParseBudget& budget) {
  return budget.memoryBytes + budget.memoryBytesPerByte * bytes;
}

std::size_t TotalBytes(const std::vector<std::string>& texts) {
  std::size_t total = 0;
  for (const auto& t : texts) total += t.size();
  return total;
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

[[noreturn]] void RunTrialInChild(const std::vector<std::string>& texts, long cpuLimit, int progress) {
  // The kernel ends the child at the CPU limit: SIGXCPU at the soft limit (default action:
  // terminate), SIGKILL a second later should a handler have caught it.
  std::signal(SIGXCPU, SIG_DFL);
  const auto soft = static_cast<rlim_t>(cpuLimit);
  rlimit limit{soft, soft + 1};
  ::setrlimit(RLIMIT_CPU, &limit);
  for (const std::string& text : texts) {
    try {
      (void)YAML::LoadAll(text);
    } catch (...) {
      // A parse error is an answer: the parent parses again and reports it with its line.
    }
    // One byte per finished text tells the parent which text a loop is in.
    const char done = 1;
    while (::write(progress, &done, 1) < 0 && errno == EINTR) {
    }
  }
  ::_exit(0);  // no atexit handlers, no stdio flush: the parent owns those
}

/// Waits for the trial child; kills it past `memoryLimit` resident bytes, or past a wall-clock
/// backstop far above the CPU limit should it ever block instead of spinning.
TrialParseOutcome WaitForTrial(pid_t child, long cpuLimit, std::size_t memoryLimit) {
  // A pidfd wakes us the moment the child ends (most texts take well under a millisecond);
  // every 5 ms without news the child's memory is checked.
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
    if (done == child || done < 0) {
      if (pidfd >= 0) ::close(pidfd);
      if (done < 0) return TrialParseOutcome::Unavailable;
      if (memoryExceeded) return TrialParseOutcome::OutOfMemory;
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return TrialParseOutcome::Finished;
      if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))
        return TrialParseOutcome::OutOfTime;
      return TrialParseOutcome::Crashed;
    }
    if (!memoryExceeded && ResidentBytes(child) > memoryLimit) {
      memoryExceeded = true;
      ::kill(child, SIGKILL);
    } else if (MonotonicSeconds() > wallDeadline) {
      ::kill(child, SIGKILL);
    }
  }
}

}  // namespace

void SetYamlParseBudget(const YamlParseBudget& budget) { ProcessBudget() = budget; }
YamlParseBudget GetYamlParseBudget() { return ProcessBudget(); }

TrialParseResult TrialParseInChild(const std::vector<std::string>& texts, const YamlParseBudget& budget) {
  const std::size_t bytes = TotalBytes(texts);
  const long cpuLimit = CpuLimitSeconds(bytes, budget);
  int progress[2];
  if (::pipe2(progress, O_CLOEXEC) != 0) return {TrialParseOutcome::Unavailable, 0};
  // The child starts sharing the parent's pages, which count as its resident memory: the
  // budget is growth above that.
  const std::size_t baseline = ResidentBytes(::getpid());
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(progress[0]);
    ::close(progress[1]);
    return {TrialParseOutcome::Unavailable, 0};
  }
  if (child == 0) {
    ::close(progress[0]);
    RunTrialInChild(texts, cpuLimit, progress[1]);
  }
  ::close(progress[1]);
  const TrialParseOutcome outcome = WaitForTrial(child, cpuLimit, baseline + MemoryLimitBytes(bytes, budget));
  // The texts the child finished: one byte each in the pipe (far below a pipe's capacity).
  std::size_t finished = 0;
  char buffer[256];
  for (;;) {
    const ssize_t n = ::read(progress[0], buffer, sizeof buffer);
    if (n > 0) {
      finished += static_cast<std::size_t>(n);
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(progress[0]);
  return {outcome, texts.empty() ? 0 : std::min(finished, texts.size() - 1)};
}

std::string DescribeTrialParse(TrialParseOutcome outcome, std::size_t bytes, const YamlParseBudget& budget) {
  switch (outcome) {
    case TrialParseOutcome::Finished: return "the YAML parser finished";
    case TrialParseOutcome::OutOfTime:
    case TrialParseOutcome::OutOfMemory:
      // One message for both bounds: which one a looping parser hits first may depend on the
      // machine's load, and the same input must give the same error.
      return fmt::format(
          "the YAML parser did not finish within {} s of CPU time and {} MiB (yaml-cpp 0.7 loops forever on "
          "some malformed YAML; check the flow collections [ ] {{ }} and commas)",
          CpuLimitSeconds(bytes, budget), MemoryLimitBytes(bytes, budget) >> 20);
    case TrialParseOutcome::Crashed: return "the YAML parser crashed on this text";
    case TrialParseOutcome::Unavailable: return "cannot start a process to parse the YAML safely (fork failed)";
  }
  return "the YAML parser failed";
}

void RequireYamlParsesFinish(const std::vector<std::string>& texts) {
  const YamlParseBudget budget = ProcessBudget();
  const TrialParseResult trial = TrialParseInChild(texts, budget);
  if (trial.outcome != TrialParseOutcome::Finished)
    throw YamlParserGaveUp(DescribeTrialParse(trial.outcome, TotalBytes(texts), budget), trial.text);
}

std::vector<YAML::Node> LoadAllBounded(const std::string& text) {
  RequireYamlParsesFinish({text});
  return YAML::LoadAll(text);
}

}  // namespace alglab::scenario
