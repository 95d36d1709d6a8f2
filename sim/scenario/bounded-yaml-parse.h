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

/// How a trial parse ended, and for any outcome but Finished which text it was working on.
struct TrialParseResult {
  TrialParseOutcome outcome = TrialParseOutcome::Finished;
  std::size_t text = 0;  ///< index into the texts given
};

/// Parses each text (all its documents) in turn in one forked child, within `budget` for their
/// total size: one fork for a scenario file and all its --set values.
TrialParseResult TrialParseInChild(const std::vector<std::string>& texts, const YamlParseBudget& budget);

/// A one-line explanation of an outcome other than Finished for texts of `bytes` in total, e.g.
/// "the YAML parser did not finish within 2 s of CPU time and 512 MiB (...)".
std::string DescribeTrialParse(TrialParseOutcome outcome, std::size_t bytes, const YamlParseBudget& budget);

/// Thrown when a trial parse did not finish; what() is DescribeTrialParse's line, to which the
/// caller prefixes the file or the --set value that TextIndex() names.
class YamlParserGaveUp : public std::runtime_error {
 public:
  YamlParserGaveUp(const std::string& what, std::size_t text) : std::runtime_error(what), m_text(text) {}
  std::size_t TextIndex() const { return m_text; }

 private:
  std::size_t m_text;
};

/// Throws YamlParserGaveUp unless yaml-cpp finishes every text within the process-wide budget.
/// After it returns, parsing any of the texts in-process finishes (parsing is deterministic).
void RequireYamlParsesFinish(const std::vector<std::string>& texts);

/// YAML::LoadAll(text) after RequireYamlParsesFinish({text}). Parse errors are yaml-cpp's own
/// YAML::Exception.
std::vector<YAML::Node> LoadAllBounded(const std::string& text);

}  // namespace alglab::scenario
