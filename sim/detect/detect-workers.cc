#include "sim/detect/detect-workers.h"

#include "sim/scenario/fork-each.h"

#include <sys/wait.h>
#include <unistd.h>  // mkdtemp

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace alglab::detect {

namespace {

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

[[noreturn]] void RunChild(const std::function<std::string(std::size_t)>& work, std::size_t index,
                           const std::filesystem::path& dir) {
  int status = 0;
  try {
    const std::string text = work(index);
    std::ofstream(dir / (std::to_string(index) + ".out"), std::ios::binary) << text;
  } catch (const std::exception& e) {
    std::ofstream(dir / (std::to_string(index) + ".err"), std::ios::binary) << e.what();
    status = 2;
  } catch (...) {
    status = 3;
  }
  // No static destructors or atexit handlers of the parent's state: leave at once.
  std::_Exit(status);
}

}  // namespace

std::vector<WorkerResult> RunInWorkers(std::size_t count, unsigned jobs,
                                       const std::function<std::string(std::size_t)>& work) {
  std::vector<WorkerResult> results(count);
  if (jobs <= 1) {
    for (std::size_t i = 0; i < count; ++i) {
      try {
        results[i] = {true, work(i), ""};
      } catch (const std::exception& e) {
        results[i] = {false, "", e.what()};
      }
    }
    return results;
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "alglab-detect-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error(std::string("cannot create a work directory: ") + std::strerror(errno));
  const std::filesystem::path dir = pattern;
  std::vector<std::size_t> order(count);
  for (std::size_t i = 0; i < count; ++i) order[i] = i;
  scenario::ForkEach(
      order, jobs, [&](std::size_t i) { RunChild(work, i, dir); },
      [&](std::size_t i, int status) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
          results[i] = {true, ReadAll(dir / (std::to_string(i) + ".out")), ""};
          return;
        }
        std::string error = ReadAll(dir / (std::to_string(i) + ".err"));
        if (error.empty())
          error = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                      : "failed with status " + std::to_string(WEXITSTATUS(status));
        results[i] = {false, "", error};
      });
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return results;
}

}  // namespace alglab::detect
