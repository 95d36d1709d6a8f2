#pragma once
// Parsing YAML text with a bound on the parser's CPU time and memory.
//
// yaml-cpp 0.7 (the one Debian 12 ships) never returns from some malformed texts, growing its
// memory by hundreds of MB a second; fuzzing found four shapes in a few hours, and pattern
// checks before the parser only ever end the shapes already found. So the text is first parsed
// in a forked child under a CPU limit and a memory watch; only when the child finished is the
// text parsed again in this process, where the same text then finishes too (parsing is
// deterministic).
//
// fork() copies only the calling thread: call this before starting other threads that may hold
// locks the parser needs (glibc's malloc is safe across fork).
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace alglab::scenario {

/// How much the trial parse may take: a base plus a share per byte of text, so a big but
/// valid file is never refused while a looping 2-byte text ends within the base.
struct YamlParseBudget {
  double cpuSeconds = 2.0;            ///< CPU time for any text...
  double cpuSecondsPerMiB = 5.0;      ///< ...plus this much per MiB of text
  std::size_t memoryBytes = 512u << 20;  ///< memory growth for any text...
  std::size_t memoryBytesPerByte = 256;  ///< ...plus this much per byte of text
};

/// The budget every bounded parse in this process uses. A fuzz target lowers it so that its
/// own per-input timeout never fires first on a looping input.
void SetYamlParseBudget(const YamlParseBudget& budget);
YamlParseBudget GetYamlParseBudget();

/// How the trial parse of a text ended.
enum class TrialParseOutcome {
  Finished,      ///< the parser returned or threw a parse error: safe to parse in-process
  OutOfTime,     ///< the parser used its whole CPU budget
  OutOfMemory,   ///< the parser grew past its memory budget
  Crashed,       ///< the parser died on a signal or a sanitizer report
  Unavailable,   ///< no child process could be started
};

/// Parses `text` (all its documents) in a forked child within `budget`.
TrialParseOutcome TrialParseInChild(const std::string& text, const YamlParseBudget& budget);

/// A one-line explanation of an outcome other than Finished, e.g. "the YAML parser did not
/// finish within 3 s of CPU time (...)".
std::string DescribeTrialParse(TrialParseOutcome outcome, const std::string& text, const YamlParseBudget& budget);

/// Thrown by LoadAllBounded when the trial parse did not finish; what() is DescribeTrialParse's
/// line, to which the caller prefixes the file or the --set value.
class YamlParserGaveUp : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// YAML::LoadAll(text) after a trial parse within the process-wide budget that finished.
/// Parse errors are yaml-cpp's own YAML::Exception; any other outcome is YamlParserGaveUp.
std::vector<YAML::Node> LoadAllBounded(const std::string& text);

}  // namespace alglab::scenario
