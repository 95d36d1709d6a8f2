// The acceptance bar: every flow of tests/data/flows replayed through linux-netfilter yields
// exactly what the real Linux kernel delivered (the .kernel.json golden files recorded by
// tests/oracle/kernel_oracle.py), byte for byte, dropped blocks included. Also this area's own
// probe flows (tests/mangle/flows), recorded the same way, which pin individual kernel quirks,
// and probes recorded with module parameters (tests/mangle/flows-with-params/<NAME=VALUE,...>/,
// replayed with the same-named knobs).

#include "sim/flow/base64.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"
#include "sim/mangle/mangle-report.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace alglab;

namespace {

std::vector<fs::path> FlowsIn(const fs::path& dir) {
  std::vector<fs::path> flows;
  if (!fs::is_directory(dir)) return flows;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".flow") flows.push_back(entry.path());
  }
  std::sort(flows.begin(), flows.end());
  return flows;
}

/// Replays one flow and compares every block with its golden entry; returns the number of
/// blocks that differ (each reported with both versions).
int CompareWithGolden(const fs::path& flowPath,
                      const std::map<std::string, std::string>& knobs = {}) {
  fs::path golden = flowPath;
  golden.replace_extension(".kernel.json");
  std::ifstream in(golden);
  BOOST_REQUIRE_MESSAGE(in.good(), "missing golden file " << golden);
  const nlohmann::json expected = nlohmann::json::parse(in);
  const flow::FlowFile flow = flow::ParseFlowFile(flowPath.string());
  const std::vector<mangle::BlockOutcome> got = mangle::ReplayFlow(flow, "linux-netfilter", knobs);
  BOOST_REQUIRE_EQUAL(expected.size(), got.size());
  int mismatches = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const nlohmann::json& want = expected[i];
    BOOST_TEST(want["dir"].get<std::string>() == flow::DirectionName(got[i].dir));
    const std::optional<std::string> wantBytes =
        want["delivered"].is_null()
            ? std::nullopt
            : std::optional<std::string>(want["delivered"].get<std::string>());
    const std::optional<std::string> gotBytes =
        got[i].delivered ? std::optional<std::string>(flow::EncodeBase64(*got[i].delivered))
                         : std::nullopt;
    if (wantBytes != gotBytes) {
      ++mismatches;
      BOOST_ERROR(flowPath.filename().string()
                  << " block " << i + 1 << " (line " << got[i].line << "): kernel "
                  << (wantBytes ? "delivered" : "dropped") << ", model "
                  << (gotBytes ? "delivered" : "dropped (" + got[i].dropReason + ")")
                  << "\nmodel diff:\n"
                  << mangle::FormatDiff({got[i]}));
    }
  }
  return mismatches;
}

/// "sip_direct_media=0,sip_timeout=60" -> knobs (module parameter names are knob names).
std::map<std::string, std::string> KnobsFromName(const std::string& name) {
  std::map<std::string, std::string> knobs;
  std::size_t pos = 0;
  while (pos < name.size()) {
    std::size_t comma = name.find(',', pos);
    if (comma == std::string::npos) comma = name.size();
    const std::string item = name.substr(pos, comma - pos);
    const std::size_t eq = item.find('=');
    BOOST_REQUIRE_MESSAGE(eq != std::string::npos, "bad parameter directory name " << name);
    knobs[item.substr(0, eq)] = item.substr(eq + 1);
    pos = comma + 1;
  }
  return knobs;
}

void CheckDirectory(const fs::path& dir, std::size_t minimum,
                    const std::map<std::string, std::string>& knobs = {}) {
  const std::vector<fs::path> flows = FlowsIn(dir);
  BOOST_TEST(flows.size() >= minimum);
  int matching = 0;
  for (const fs::path& path : flows) {
    BOOST_TEST_CONTEXT(path.filename().string()) {
      if (CompareWithGolden(path, knobs) == 0) ++matching;
    }
  }
  BOOST_TEST_MESSAGE(dir.string() << ": " << matching << "/" << flows.size()
                                  << " flows match the kernel byte for byte");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(corpus_golden)

BOOST_AUTO_TEST_CASE(every_corpus_flow_matches_the_kernel) {
  CheckDirectory(fs::path(ALGLAB_SOURCE_DIR) / "tests" / "data" / "flows", 1);
}

BOOST_AUTO_TEST_CASE(every_tcp_corpus_flow_matches_the_kernel) {
  // SIP over TCP: sip_help_tcp's framing, several messages per segment, split messages, and
  // the NAT's sequence adjustment, segment by segment as the kernel's receiver read them.
  CheckDirectory(fs::path(ALGLAB_SOURCE_DIR) / "tests" / "data" / "flows-tcp", 3);
}

BOOST_AUTO_TEST_CASE(every_probe_flow_matches_the_kernel) {
  CheckDirectory(fs::path(ALGLAB_SOURCE_DIR) / "tests" / "mangle" / "flows", 1);
}

BOOST_AUTO_TEST_CASE(every_probe_flow_recorded_with_parameters_matches_the_kernel) {
  const fs::path root = fs::path(ALGLAB_SOURCE_DIR) / "tests" / "mangle" / "flows-with-params";
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  BOOST_TEST(!dirs.empty());
  for (const fs::path& dir : dirs) {
    CheckDirectory(dir, 1, KnobsFromName(dir.filename().string()));
  }
}

BOOST_AUTO_TEST_SUITE_END()
