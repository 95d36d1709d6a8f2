// Messages per second through an ALG model over the flow corpus, against a plain
// parse-and-serialize pass (alglab::sip) of the same messages, measured in the same run.
//
//   alglab-bench-alg [--flows DIR] [--model linux-netfilter] [--seconds 1.0]
//
// Prints one JSON object. Each pass repeats over the whole corpus until --seconds of wall time
// have passed; the rate is messages / wall second. The replay passes go through
// mangle::ReplayFlow (a fresh NAT table and model per flow, as `alglab mangle` does), so the
// "none" pass measures that bookkeeping alone and the model's own cost is the difference.
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"
#include "sim/sip/sip-message.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <sys/resource.h>

namespace {

using Clock = std::chrono::steady_clock;

/// Runs `pass` (which handles `perPass` messages) repeatedly for at least `seconds`; returns
/// messages per wall second.
template <typename Pass>
double Rate(double seconds, std::size_t perPass, Pass pass) {
  pass();  // warm caches and allocators
  std::size_t messages = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    pass();
    messages += perPass;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return static_cast<double>(messages) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ALG model throughput over the flow corpus vs plain parse-and-serialize"};
  std::string flowsDir = std::string(ALGLAB_SOURCE_DIR) + "/tests/data/flows";
  std::string model = "linux-netfilter";
  double seconds = 1.0;
  app.add_option("--flows", flowsDir, "Folder of *.flow files");
  app.add_option("--model", model, "ALG model to measure");
  app.add_option("--seconds", seconds, "Wall time per pass")->check(CLI::Range(0.05, 60.0));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "alglab-bench-alg: " << e.what() << "\n";
    return 2;
  }

  std::vector<alglab::flow::FlowFile> flows;
  std::vector<std::string> messages;
  try {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(flowsDir))
      if (entry.path().extension() == ".flow") paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      flows.push_back(alglab::flow::ParseFlowFile(p.string()));
      for (const auto& b : flows.back().blocks) messages.push_back(b.payload);
    }
    alglab::mangle::ReplayFlow(flows.front(), model);  // validates the model name
  } catch (const std::exception& e) {
    std::cerr << "alglab-bench-alg: " << e.what() << "\n";
    return 2;
  }
  if (flows.empty()) {
    std::cerr << "alglab-bench-alg: no *.flow files in " << flowsDir << "\n";
    return 2;
  }

  std::size_t sink = 0;  // keeps the optimiser from discarding the work
  const double parseRate = Rate(seconds, messages.size(), [&] {
    for (const auto& m : messages) {
      auto parsed = alglab::sip::ParseMessage(m);
      if (parsed.Ok()) sink += parsed.Value().Serialize().size();
    }
  });
  auto replay = [&](const std::string& vendor) {
    return Rate(seconds, messages.size(), [&] {
      for (const auto& f : flows) sink += alglab::mangle::ReplayFlow(f, vendor).size();
    });
  };
  const double noneRate = replay("none");
  const double modelRate = replay(model);

  // Per-message cost: the model's own share is its replay cost minus the NAT-only replay.
  const double parseCost = 1.0 / parseRate;
  const double modelOwnCost = std::max(0.0, 1.0 / modelRate - 1.0 / noneRate);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  nlohmann::ordered_json out{
      {"model", model},
      {"flows", flows.size()},
      {"messages", messages.size()},
      {"parse_serialize_messages_per_second", parseRate},
      {"replay_none_messages_per_second", noneRate},
      {"replay_model_messages_per_second", modelRate},
      {"model_cost_vs_parse_serialize", modelOwnCost / parseCost},
      {"model_replay_cost_vs_parse_serialize", parseRate / modelRate},
      {"peak_rss_kb", usage.ru_maxrss},
      {"checksum", sink % 1000}};
  std::cout << out.dump() << "\n";
  return 0;
}
