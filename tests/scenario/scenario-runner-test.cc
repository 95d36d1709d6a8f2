#define BOOST_TEST_MODULE scenario_runner
// Whole simulations through the runner's stages (build, schedule, run, report).

#include "sim/nat/nat-router.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"
#include "sim/scenario/scenario-runner.h"
#include "sim/scenario/scenario-simulation.h"

#include <ns3/nstime.h>
#include <ns3/simulator.h>

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace alglab::scenario;
namespace fs = std::filesystem;

namespace {

const std::string kScenarios = std::string(ALGLAB_SOURCE_DIR) + "/scenarios/";

fs::path TestRoot() { return fs::temp_directory_path() / ("alglab-runner-test-" + std::to_string(::getpid())); }

/// The pcaps of a few runs are tens of megabytes: leave nothing behind.
struct RemoveTestFiles {
  ~RemoveTestFiles() {
    std::error_code ec;
    fs::remove_all(TestRoot(), ec);
  }
};

fs::path TempDir(const std::string& name) {
  fs::path dir = TestRoot() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  fs::path path = TempDir("files") / (name + ".yaml");
  std::ofstream(path) << text;
  return path.string();
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

/// Every file of a directory: name -> bytes.
std::map<std::string, std::string> FilesIn(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out[entry.path().filename().string()] = ReadBytes(entry.path());
  return out;
}

/// The router's "MappingRemoved" trace: when each mapping left, and why.
struct RemovalLog {
  std::vector<std::pair<double, std::string>> removals;
  void OnRemoved(std::uint8_t, ns3::Ipv4Address, std::uint16_t, std::uint16_t, const std::string& reason) {
    removals.emplace_back(ns3::Simulator::Now().GetSeconds(), reason);
  }
  std::size_t ExpiredBetween(double from, double to) const {
    std::size_t n = 0;
    for (const auto& [t, reason] : removals) n += (reason == "expired" && t >= from && t < to) ? 1 : 0;
    return n;
  }
};

/// One phone behind the NAT, registered to a hosted PBX, refreshing its binding every 25 s:
/// with a 120 s UDP timeout the binding never expires.
const char* kKeepaliveScenario =
    "scenario: timeout-change\n"
    "duration: 400s\n"
    "router:\n"
    "  udp_timeout: 120s\n"
    "pbx:\n"
    "  placement: hosted\n"
    "phones:\n"
    "  defaults: {keepalive: options, keepalive_interval: 25s, register_expiry: 3600s}\n"
    "  extensions: [101]\n"
    "timeline:\n";

struct TimeoutRun {
  RemovalLog log;
  double timeoutAt199 = 0;
  double timeoutAt201 = 0;
};

TimeoutRun RunWithRemovalLog(const std::string& timeline) {
  ScenarioSpec spec = LoadScenario(WriteTemp("timeout", std::string(kKeepaliveScenario) + timeline));
  TimeoutRun out;
  ScenarioSimulation sim(spec, RunOptions{});
  auto router = sim.Router();
  router->TraceConnectWithoutContext("MappingRemoved", ns3::MakeCallback(&RemovalLog::OnRemoved, &out.log));
  auto sample = [router](double* into) {
    ns3::TimeValue v;
    router->GetAttribute("UdpTimeout", v);
    *into = v.Get().GetSeconds();
  };
  ns3::Simulator::Schedule(ns3::Seconds(199), [&] { sample(&out.timeoutAt199); });
  ns3::Simulator::Schedule(ns3::Seconds(201), [&] { sample(&out.timeoutAt201); });
  sim.Schedule();
  sim.Run();
  RunResult result = sim.Report();
  BOOST_TEST(result.simulatedSeconds == 400.0);
  return out;
}

int Shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(RemoveTestFiles);

BOOST_AUTO_TEST_CASE(set_router_udp_timeout_changes_the_binding_only_from_its_time) {
  // Control: the keepalives keep the phone's binding alive for the whole run.
  TimeoutRun control = RunWithRemovalLog("  - at: 100s\n    flush: router\n");
  BOOST_TEST(control.log.ExpiredBetween(0, 400) == 0u);
  BOOST_TEST(control.timeoutAt201 == 120.0);

  // The same run with the timeout shortened to 10 s at 200 s: from the first keepalive after
  // 200 s on, a binding outlives its refresh by 10 s only, so it expires between keepalives.
  TimeoutRun changed = RunWithRemovalLog(
      "  - at: 100s\n    flush: router\n"
      "  - at: 200s\n    set: {knob: router.udp_timeout, value: 10s}\n");
  BOOST_TEST(changed.timeoutAt199 == 120.0);
  BOOST_TEST(changed.timeoutAt201 == 10.0);
  BOOST_TEST(changed.log.ExpiredBetween(0, 200) == 0u);
  BOOST_TEST(changed.log.ExpiredBetween(200, 400) >= 3u);
  // Nothing differs before the change: the removal logs agree up to 200 s.
  std::vector<std::pair<double, std::string>> before, controlBefore;
  for (const auto& r : changed.log.removals)
    if (r.first < 200) before.push_back(r);
  for (const auto& r : control.log.removals)
    if (r.first < 200) controlBefore.push_back(r);
  BOOST_TEST(before == controlBefore);
}

BOOST_AUTO_TEST_CASE(flush_clears_the_router_connections_at_its_time_only) {
  auto clearedAt = [](const RemovalLog& log) {
    std::vector<double> times;
    for (const auto& [t, reason] : log.removals)
      if (reason == "cleared") times.push_back(t);
    return times;
  };
  // Without a flush nothing is ever cleared (no reboot in this scenario).
  TimeoutRun control = RunWithRemovalLog("  - at: 300s\n    set: {knob: router.udp_timeout, value: 120s}\n");
  BOOST_TEST(clearedAt(control.log).empty());
  // With one at 100 s, the phone's live binding (and only at 100 s) is cleared; the keepalives
  // that follow open a new one, which lives on to the end of the run.
  TimeoutRun flushed = RunWithRemovalLog("  - at: 100s\n    flush: router\n");
  const std::vector<double> cleared = clearedAt(flushed.log);
  BOOST_TEST(!cleared.empty());
  for (double t : cleared) BOOST_TEST(t == 100.0);
  BOOST_TEST(flushed.log.ExpiredBetween(0, 400) == 0u);
}

/// Runs the keepalive scenario with `timeline` and reads the router's UdpTimeout at `when`.
double UdpTimeoutAt(const std::string& timeline, double when) {
  ScenarioSpec spec = LoadScenario(WriteTemp("config", std::string(kKeepaliveScenario) + timeline));
  ScenarioSimulation sim(spec, RunOptions{});
  auto router = sim.Router();
  double seconds = -1;
  ns3::Simulator::Schedule(ns3::Seconds(when), [&] {
    ns3::TimeValue v;
    router->GetAttribute("UdpTimeout", v);
    seconds = v.Get().GetSeconds();
  });
  sim.Schedule();
  sim.Run();
  sim.Report();
  return seconds;
}

BOOST_AUTO_TEST_CASE(reboot_restores_the_saved_configuration_and_factory_reset_the_shipped_one) {
  const std::string change = "  - at: 100s\n    set: {knob: router.udp_timeout, value: 10s}\n";
  const std::string reboot = "  - at: 200s\n    reboot: router\n";
  // A change that was never saved is lost at the reboot.
  BOOST_TEST(UdpTimeoutAt(change, 150) == 10.0);
  BOOST_TEST(UdpTimeoutAt(change + reboot, 300) == 120.0);
  // Saved, it survives the reboot.
  const std::string save = "  - at: 150s\n    save_config: router\n";
  BOOST_TEST(UdpTimeoutAt(change + save + reboot, 300) == 10.0);
  // A factory reset brings back what the router shipped with, even over a saved change.
  BOOST_TEST(UdpTimeoutAt(change + save + "  - at: 250s\n    factory_reset: router\n", 350) == 120.0);
}

BOOST_AUTO_TEST_CASE(set_of_a_vendor_knob_is_checked_against_the_alg) {
  ScenarioSpec spec = LoadScenario(WriteTemp("algknob", std::string(kKeepaliveScenario) +
                                                            "  - at: 100s\n    set: {knob: router.alg.no_such_knob, value: 1}\n"));
  auto scheduleError = [&](const std::string& vendor) {
    spec.router.vendor = vendor;
    ScenarioSimulation sim(spec, RunOptions{});
    try {
      sim.Schedule();
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    BOOST_FAIL("expected a ScenarioError");
    return std::string();
  };
  std::string msg = scheduleError("linux-netfilter");
  BOOST_TEST(msg.find(spec.file + ":11:") != std::string::npos, msg);
  BOOST_TEST(msg.find("has no knob 'no_such_knob'") != std::string::npos, msg);
  msg = scheduleError("none");
  BOOST_TEST(msg.find("has no ALG") != std::string::npos, msg);
}

BOOST_AUTO_TEST_CASE(a_missing_output_directory_is_bad_input) {
  ScenarioSpec spec = LoadScenario(WriteTemp("out", std::string(kKeepaliveScenario) + "  []\n"));
  RunOptions options;
  options.outDir = (TempDir("out") / "missing").string();
  BOOST_CHECK_THROW(RunScenario(spec, options), ScenarioError);
  // The failed build left nothing behind: the next simulation builds and runs.
  BOOST_TEST(RunScenario(spec, RunOptions{}).simulatedSeconds == 400.0);
}

BOOST_AUTO_TEST_CASE(only_one_simulation_at_a_time) {
  ScenarioSpec spec = LoadScenario(WriteTemp("one", std::string(kKeepaliveScenario) + "  []\n"));
  {
    ScenarioSimulation first(spec, RunOptions{});
    BOOST_CHECK_THROW(ScenarioSimulation second(spec, RunOptions{}), std::logic_error);
  }
  // Once the first is gone, the next starts from an empty node list: ids begin at 0 again.
  ScenarioSimulation next(spec, RunOptions{});
  BOOST_TEST(next.Network().router->GetId() == 0u);
  BOOST_TEST(next.Phone("101")->GetNode()->GetId() == next.Network().phones.at(0)->GetId());
}

BOOST_AUTO_TEST_CASE(runs_in_one_process_match_fresh_processes_byte_for_byte) {
  // Random NAT ports, WAN loss (the error model's stream) and an ALG: every random stream and
  // every global counter (MAC addresses, node ids, stream indices) would show here.
  const std::vector<std::string> sets{
      "duration=300s", "network.wan_loss=0.02", "router.port_allocation=random",
      "timeline=[{at: 20s, watch: {watcher: 101, target: 102}}, {at: 40s, call: {from: 101, to: 102, duration: 30s}},"
      " {at: 100s, inbound: {did: \"+15550100\", duration: 20s}}, {at: 150s, call: {from: 103, to: \"+15557000\","
      " duration: 20s}}, {at: 200s, reboot: router}, {at: 260s, call: {from: 104, to: 101, duration: 20s}}]"};
  const std::uint64_t seed = 5;

  std::vector<fs::path> fresh;
  for (const char* name : {"fresh-1", "fresh-2"}) {
    fs::path dir = TempDir(name);
    std::string cmd = std::string("'") + ALGLAB_BIN + "' run hosted --vendor linux-netfilter --seed 5 --json --out '" +
                      dir.string() + "'";
    for (const auto& s : sets) cmd += " --set '" + s + "'";
    cmd += " > '" + (dir.string() + ".stdout") + "'";
    BOOST_REQUIRE_EQUAL(Shell(cmd), 0);
    fresh.push_back(dir);
  }

  std::vector<Override> overrides;
  for (const auto& s : sets) overrides.push_back(ParseOverride(s));
  ScenarioSpec hosted = LoadScenario(kScenarios + "hosted.yaml", overrides);
  hosted.router.vendor = "linux-netfilter";
  // Something else in between, so the second run starts after a different simulation.
  ScenarioSpec office = LoadScenario(kScenarios + "office.yaml", {ParseOverride("duration=200s"), ParseOverride("timeline=[]")});

  std::vector<fs::path> inProcess;
  std::vector<std::string> json;
  for (const char* name : {"in-process-1", "in-process-2"}) {
    fs::path dir = TempDir(name);
    RunOptions options;
    options.seed = seed;
    options.outDir = dir.string();
    json.push_back(RunScenario(hosted, options).json.dump());
    inProcess.push_back(dir);
    RunScenario(office, RunOptions{});
  }

  // The command line also writes the report's files (evidence.json, run.html) beside the
  // runner's; those are the CLI's, compared between fresh runs only.
  auto reference = FilesIn(fresh[0]);
  BOOST_TEST(FilesIn(fresh[1]).at("run.html") == reference.at("run.html"));
  BOOST_TEST(FilesIn(fresh[1]).at("evidence.json") == reference.at("evidence.json"));
  reference.erase("run.html");
  reference.erase("evidence.json");
  BOOST_TEST(reference.size() >= 9u);  // pcaps of every node interface and result.json
  BOOST_TEST(reference.count("result.json") == 1u);
  for (const auto& dir : {fresh[1], inProcess[0], inProcess[1]}) {
    auto files = FilesIn(dir);
    files.erase("run.html");
    files.erase("evidence.json");
    BOOST_TEST_CONTEXT(dir.string()) {
      BOOST_REQUIRE_EQUAL(files.size(), reference.size());
      for (const auto& [name, bytes] : reference) {
        BOOST_TEST_CONTEXT(name) {
          BOOST_REQUIRE(files.count(name) == 1u);
          BOOST_TEST(files.at(name).size() == bytes.size());
          BOOST_TEST((files.at(name) == bytes));
        }
      }
    }
  }
  // What --json prints is the same object.
  std::string stdoutText = ReadBytes(fresh[0].string() + ".stdout");
  BOOST_TEST(stdoutText == json[0] + "\n");
  BOOST_TEST(json[0] == json[1]);
}
