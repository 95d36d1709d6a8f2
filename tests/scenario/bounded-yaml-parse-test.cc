#define BOOST_TEST_MODULE bounded_yaml_parse
#include "sim/scenario/bounded-yaml-parse.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

using namespace alglab::scenario;

namespace {

/// A text yaml-cpp 0.7 never returns from: fuzz/regressions/scenario_loader/
/// timeout-empty-key-then-flow-sequence-comma.txt, which passes every pattern check the loader
/// makes before parsing (a mapping with an empty key, then a flow sequence and a comma).
const std::string kLoopingText = " :\n[],";

double SecondsOf(const std::chrono::steady_clock::time_point& start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

BOOST_AUTO_TEST_CASE(valid_and_invalid_yaml_both_finish_and_parse_in_process) {
  const YamlParseBudget budget;
  BOOST_TEST((TrialParseInChild({"a: 1\nb: [x, y]\n"}, budget).outcome == TrialParseOutcome::Finished));
  // A syntax error is an answer, not a failure of the bound: the in-process parse reports it.
  BOOST_TEST((TrialParseInChild({"a: [1, 2\n"}, budget).outcome == TrialParseOutcome::Finished));
  BOOST_CHECK_THROW(LoadAllBounded("a: [1, 2\n"), YAML::ParserException);
  const auto documents = LoadAllBounded("a: 1\n---\nb: 2\n");
  BOOST_TEST(documents.size() == 2u);
  BOOST_TEST(documents[1]["b"].as<int>() == 2);
}

BOOST_AUTO_TEST_CASE(a_looping_parser_ends_at_the_cpu_limit) {
  // Memory out of reach, so the kernel's CPU limit is what ends the child.
  YamlParseBudget budget;
  budget.cpuSeconds = 1;
  budget.cpuSecondsPerMiB = 0;
  budget.memoryBytes = std::size_t{64} << 30;
  const auto start = std::chrono::steady_clock::now();
  const TrialParseOutcome outcome = TrialParseInChild({kLoopingText}, budget).outcome;
  BOOST_TEST((outcome == TrialParseOutcome::OutOfTime || outcome == TrialParseOutcome::OutOfMemory));
  BOOST_TEST(SecondsOf(start) < 30.0);
}

BOOST_AUTO_TEST_CASE(a_looping_parser_ends_at_the_memory_limit) {
  // The loop grows by hundreds of MB a second: a 64 MiB bound ends it long before a minute of CPU.
  YamlParseBudget budget;
  budget.cpuSeconds = 60;
  budget.memoryBytes = std::size_t{64} << 20;
  budget.memoryBytesPerByte = 0;
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST((TrialParseInChild({kLoopingText}, budget).outcome == TrialParseOutcome::OutOfMemory));
  BOOST_TEST(SecondsOf(start) < 30.0);
}

BOOST_AUTO_TEST_CASE(the_process_budget_applies_and_its_error_is_one_line) {
  const YamlParseBudget saved = GetYamlParseBudget();
  YamlParseBudget quick;
  quick.cpuSeconds = 1;
  quick.memoryBytes = std::size_t{128} << 20;
  SetYamlParseBudget(quick);
  std::string message;
  try {
    (void)LoadAllBounded(kLoopingText);
  } catch (const YamlParserGaveUp& e) {
    message = e.what();
  }
  SetYamlParseBudget(saved);
  BOOST_TEST(message.find("did not finish within 1 s of CPU time and 128 MiB") != std::string::npos, message);
  BOOST_TEST(message.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(one_child_parses_several_texts_and_names_the_one_that_looped) {
  // A scenario file and its --set values share one trial: the result says which one looped.
  YamlParseBudget budget;
  budget.cpuSeconds = 1;
  budget.memoryBytes = std::size_t{128} << 20;
  const TrialParseResult trial = TrialParseInChild({"a: 1\n", "[x, y]", kLoopingText, "b: 2\n"}, budget);
  BOOST_TEST((trial.outcome != TrialParseOutcome::Finished));
  BOOST_TEST(trial.text == 2u);
  const TrialParseResult fine = TrialParseInChild({"a: 1\n", "30s", "{x: [1, 2]}"}, budget);
  BOOST_TEST((fine.outcome == TrialParseOutcome::Finished));
  std::size_t index = 99;
  try {
    RequireYamlParsesFinish({"a: 1\n", kLoopingText});
  } catch (const YamlParserGaveUp& e) {
    index = e.TextIndex();
  }
  BOOST_TEST(index == 1u);
}

BOOST_AUTO_TEST_CASE(the_budget_grows_with_the_text) {
  // A big valid file must never be refused for its size: 4 MiB gets 2 + 4 * 5 s and 1 GiB more.
  const YamlParseBudget budget;
  const std::string big(4u << 20, 'x');
  const std::string line = DescribeTrialParse(TrialParseOutcome::OutOfTime, big.size(), budget);
  BOOST_TEST(line.find("within 22 s of CPU time and 1536 MiB") != std::string::npos, line);
}
