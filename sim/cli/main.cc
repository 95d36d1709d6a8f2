// alglab: the command line. Parsing here; each command lives in its own file.
#include "sim/cli/commands.h"
#include "sim/scenario/scenario-error.h"
#include "sim/version/source-version.h"

#include <CLI/CLI.hpp>

#include <iostream>
#include <set>
#include <string>

namespace {

/// Bad input ends with one line on stderr and status 2, whatever produced it.
int UsageError(const std::string& message) {
  std::string line = message;
  for (auto& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  std::cerr << "alglab: " << line << "\n";
  return 2;
}

/// A bug, not bad input: one line naming the broken invariant, status 1.
int InternalError(const std::string& invariant) {
  std::string line = invariant;
  for (auto& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  std::cerr << "alglab: internal error: " << line << " (please report this as a bug)\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"alglab: reproduce, detect and fix SIP ALG damage to VoIP in ns-3 simulations"};
  app.require_subcommand(1);
  // "alglab 0.1.0 (source <hash of the sources that decide a result>)".
  app.set_version_flag("--version", alglab::version::VersionLine(), "Print the version and the source hash, and exit");

  std::string listWhat;
  bool listJson = false;
  auto* list = app.add_subcommand("list", "List vendors (ALG models), symptoms, scenarios or scenario knobs");
  list->add_option("what", listWhat, "vendors | symptoms | scenarios | knobs")->required();
  list->add_flag("--json", listJson, "Print JSON");

  alglab::cli::RunArguments run;
  std::string vendor, seed, outDir, maxEvents;
  auto* runCmd = app.add_subcommand("run", "Run a scenario and measure the seven symptoms");
  runCmd->add_option("scenario", run.scenario, "Scenario name (see `alglab list scenarios`) or file")->required();
  auto* vendorOpt = runCmd->add_option("--vendor", vendor, "Router ALG model (see `alglab list vendors`)");
  auto* seedOpt = runCmd->add_option("--seed", seed, "Random seed (default: the scenario's)");
  runCmd->add_option("--set", run.sets, "Override a scenario key: --set router.udp_timeout=30s")->allow_extra_args(false);
  auto* outOpt = runCmd->add_option("--out", outDir, "Write one pcap per node interface, result.json, evidence.json and run.html here");
  auto* maxEventsOpt = runCmd->add_option(
      "--max-events-per-second", maxEvents,
      "Cost guard: refuse a scenario estimated above N simulator events per simulated second (default 2000000)");
  std::string workarounds;
  auto* workaroundOpt = runCmd->add_option(
      "--workaround", workarounds,
      "Apply workarounds (comma-separated; see README): their settings as --set, below explicit --set");
  runCmd->add_flag("--json", run.json, "Print one JSON object on stdout");
  runCmd->add_flag("--remediate", run.remediate,
                   "Apply the vendor's runbook (see `alglab remediate`) through its knobs, and compare with the same "
                   "run without it");
  std::string remediateAt, remediateSteps;
  auto* remediateAtOpt = runCmd->add_option("--remediate-at", remediateAt,
                                            "When the runbook is applied (default 0s: before the first registration)");
  auto* remediateStepsOpt =
      runCmd->add_option("--remediate-steps", remediateSteps, "Apply only these runbook steps, e.g. 1,3 (default: all)");

  alglab::cli::MangleArguments mangle;
  auto* mangleCmd = app.add_subcommand("mangle", "Replay a flow file through one ALG model and show what arrived");
  mangleCmd->add_option("--model", mangle.model, "ALG model (see `alglab list vendors`)")->required();
  mangleCmd->add_option("--set", mangle.sets, "Set a model knob: --set sip_direct_media=0")->allow_extra_args(false);
  mangleCmd->add_flag("--json", mangle.json, "Print a JSON array, one object per block");
  mangleCmd->add_option("flowfile", mangle.flowFile, "Flow file (see sim/flow/README.md)")->required();

  alglab::cli::MatrixArguments matrix;
  std::string mVendors, mScenarios, mJobs, mSeed, mOut, mJunit, mGolden;
  auto* matrixCmd = app.add_subcommand(
      "matrix", "Run every vendor x scenario with the ALG on and off (and the servers' NAT traversal on and off) "
                "and say which symptoms each vendor's ALG causes, what its own runbook fixes and which workarounds help");
  auto* mVendorsOpt = matrixCmd->add_option("--vendors", mVendors, "Comma-separated vendors (default: all)");
  auto* mScenariosOpt = matrixCmd->add_option("--scenarios", mScenarios, "Comma-separated scenarios or files (default: all shipped)");
  auto* mJobsOpt = matrixCmd->add_option("--jobs", mJobs, "Worker processes (default: the number of CPUs)");
  auto* mSeedOpt = matrixCmd->add_option("--seed", mSeed, "Seed for every run (default: each scenario's)");
  auto* mOutOpt = matrixCmd->add_option("--out", mOut, "Write matrix.json, report.html and every run's result and evidence (runs/VENDOR/SCENARIO/VARIANT[.evidence].json)");
  auto* mJunitOpt = matrixCmd->add_option("--junit", mJunit, "Write JUnit XML: one test case per vendor x scenario");
  auto* mGoldenOpt = matrixCmd->add_option("--golden", mGolden, "Compare with this matrix.json; exit 1 if a cell changed");
  std::string mWorkarounds;
  auto* mWorkaroundsOpt = matrixCmd->add_option(
      "--workarounds", mWorkarounds,
      "Workarounds to try on cells with a symptom (comma-separated, or none; default: all)");
  matrixCmd->add_flag("--json", matrix.json, "Print the matrix as JSON");
  matrixCmd->add_flag("--detect-accuracy", matrix.detectAccuracy,
                      "Also measure the active detector over the vendors' knob variations (confusion matrices)");
  std::string mKernelAccuracy;
  auto* mKernelAccuracyOpt = matrixCmd->add_option(
      "--kernel-accuracy", mKernelAccuracy,
      "Add this bench/kernel-accuracy.py --json file (accuracy through the real kernel) to matrix.json and report.html");

  alglab::cli::RemediateArguments remediate;
  auto* remediateCmd = app.add_subcommand(
      "remediate", "Show how to turn a vendor's SIP ALG off: its runbook's steps (UI path, CLI, save/flush/reboot)");
  remediateCmd->add_option("--vendor", remediate.vendor, "Router model (see `alglab list vendors`)")->required();
  remediateCmd->add_flag("--json", remediate.json, "Print the runbook as JSON");

  alglab::cli::CheckConfigArguments checkConfig;
  auto* checkConfigCmd = app.add_subcommand(
      "check-config", "Read an exported router configuration (FortiOS, RouterOS, EdgeOS, Cisco IOS, ASA): is the SIP "
                      "ALG on, which knobs matter, which symptoms to expect, and the fix for this configuration");
  checkConfigCmd->add_option("file", checkConfig.file, "The configuration file (see docs/check-config.md)")->required();
  checkConfigCmd->add_flag("--json", checkConfig.json, "Print one JSON object (docs/schemas/check-config.schema.json)");
  checkConfigCmd->add_flag("--simulate", checkConfig.simulate,
                           "Compute the symptoms by running the vendor's matrix scenarios with this configuration's knobs");
  std::string ccScenarios, ccJobs, ccSeed;
  auto* ccScenariosOpt = checkConfigCmd->add_option("--scenarios", ccScenarios, "With --simulate: these scenarios only");
  auto* ccJobsOpt = checkConfigCmd->add_option("--jobs", ccJobs, "With --simulate: worker processes (default 2)");
  auto* ccSeedOpt = checkConfigCmd->add_option("--seed", ccSeed, "With --simulate: every run's seed (default: each scenario's)");
  alglab::cli::DiagnoseArguments diagnose;
  std::string diagnoseWan;
  auto* diagnoseCmd = app.add_subcommand(
      "diagnose", "Name the symptoms and SIP ALG fingerprints visible in a capture (and, with --wan, the router's rewrites)");
  diagnoseCmd->add_option("capture", diagnose.capture, "Phone-side capture (pcap or pcapng)")->required();
  auto* diagnoseWanOpt = diagnoseCmd->add_option("--wan", diagnoseWan, "The same router's provider-side capture");
  diagnoseCmd->add_flag("--json", diagnose.json, "Print one JSON object (docs/schemas/diagnose.schema.json)");
  // The active detector: `detect SCENARIO` runs it through a simulated router (sim/detect),
  // `detect --live` its client on a real network, `detect-server` its echo server.
  alglab::cli::DetectArguments detectArgs;
  alglab::cli::DetectLiveArguments detectLive;
  bool detectLiveFlag = false, detectJson = false;
  std::string dScenario, dVendor, dSeed, dOut, dJobs, dServer, dServerAlt, dMaxWait, dBind;
  auto* detectCmd = app.add_subcommand(
      "detect", "Run the active SIP ALG detector through a scenario's simulated router, or (--live) on a real network "
                "against `alglab detect-server`");
  auto* dScenarioOpt = detectCmd->add_option("scenario", dScenario, "Scenario name or file (simulation)");
  auto* dVendorOpt = detectCmd->add_option("--vendor", dVendor, "Simulation: router ALG model (see `alglab list vendors`)");
  auto* dSetOpt =
      detectCmd->add_option("--set", detectArgs.sets, "Simulation: override a scenario key, as for run")->allow_extra_args(false);
  auto* dSeedOpt = detectCmd->add_option("--seed", dSeed, "Simulation: random seed (default: the scenario's)");
  auto* dOutOpt = detectCmd->add_option("--out", dOut, "Simulation: write one pcap per node interface and verdict.json here");
  auto* dJobsOpt = detectCmd->add_option("--jobs", dJobs, "Simulation: worker processes when the family references are first built");
  detectCmd->add_flag("--live", detectLiveFlag, "Probe a real network through the router under test");
  auto* dServerOpt = detectCmd->add_option("--server", dServer, "--live: the detect-server's IPV4:PORT");
  auto* dServerAltOpt = detectCmd->add_option("--server-alt", dServerAlt, "--live: the server's second address (default: as it reports)");
  auto* dMaxWaitOpt = detectCmd->add_option("--max-wait", dMaxWait, "--live: longest binding-timer wait in seconds (default 30)");
  auto* dBindOpt = detectCmd->add_option("--bind", dBind, "--live: local address (default: the one routed to the server)");
  detectCmd->add_flag("--json", detectJson, "Print the verdict as one JSON object");

  alglab::cli::DetectServerArguments detectServer;
  std::string sListenAlt, sDuration;
  auto* detectServerCmd = app.add_subcommand("detect-server", "Run the active detector's echo server (for detect --live)");
  detectServerCmd->add_option("--listen", detectServer.listen, "IPV4:PORT (also uses PORT+10, +11, +20)")->required();
  auto* sListenAltOpt = detectServerCmd->add_option("--listen-alt", sListenAlt, "A second local address (\"other address\" probes)");
  auto* sDurationOpt = detectServerCmd->add_option("--duration", sDuration, "Stop after SECONDS (default: on SIGTERM/SIGINT)");

  alglab::cli::DetectAccuracyArguments accuracyArgs;
  std::string aScenario, aJobs, aOut;
  auto* accuracyCmd = app.add_subcommand(
      "detect-accuracy", "Measure the detector over every model's knob variations and plain NAT (confusion matrices)");
  auto* aScenarioOpt = accuracyCmd->add_option("--scenario", aScenario, "Scenario (default: office)");
  auto* aJobsOpt = accuracyCmd->add_option("--jobs", aJobs, "Worker processes (default: the number of CPUs)");
  auto* aOutOpt = accuracyCmd->add_option("--out", aOut, "Write detect-accuracy.json here");
  accuracyCmd->add_flag("--json", accuracyArgs.json, "Print the matrices as JSON");

  // CLI11 would call a mistyped command "missing subcommand"; name it instead.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string command = argv[1];
    // Every subcommand the app knows, so a new one needs no second list here.
    std::set<std::string> names;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.insert(sub->get_name());
    if (names.count(command) == 0) {
      std::string valid;
      for (const auto& name : names) valid += (valid.empty() ? "" : ", ") + name;
      return UsageError("unknown command '" + command + "' (valid: " + valid + ")");
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return UsageError(std::string(e.what()) + " (see alglab --help)");
  }

  try {
    if (list->parsed()) return alglab::cli::ListCommand(listWhat, listJson);
    if (mangleCmd->parsed()) return alglab::cli::MangleCommand(mangle);
    if (remediateCmd->parsed()) return alglab::cli::RemediateCommand(remediate);
    if (checkConfigCmd->parsed()) {
      if (*ccScenariosOpt) checkConfig.scenarios = ccScenarios;
      if (*ccJobsOpt) checkConfig.jobs = ccJobs;
      if (*ccSeedOpt) checkConfig.seed = ccSeed;
      return alglab::cli::CheckConfigCommand(checkConfig);
    }
    if (diagnoseCmd->parsed()) {
      if (*diagnoseWanOpt) diagnose.wan = diagnoseWan;
      return alglab::cli::DiagnoseCommand(diagnose);
    }
    if (detectServerCmd->parsed()) {
      if (*sListenAltOpt) detectServer.listenAlt = sListenAlt;
      if (*sDurationOpt) detectServer.duration = sDuration;
      return alglab::cli::DetectServerCommand(detectServer);
    }
    if (accuracyCmd->parsed()) {
      if (*aScenarioOpt) accuracyArgs.scenario = aScenario;
      if (*aJobsOpt) accuracyArgs.jobs = aJobs;
      if (*aOutOpt) accuracyArgs.outDir = aOut;
      return alglab::cli::DetectAccuracyCommand(accuracyArgs);
    }
    if (detectCmd->parsed()) {
      const bool liveOnly = *dServerOpt || *dServerAltOpt || *dMaxWaitOpt || *dBindOpt;
      const bool simOnly = *dVendorOpt || *dSetOpt || *dSeedOpt || *dOutOpt || *dJobsOpt;
      if (!detectLiveFlag) {
        if (liveOnly) return UsageError("detect: --server, --server-alt, --max-wait and --bind need --live");
        if (*dScenarioOpt) detectArgs.scenario = dScenario;
        if (*dVendorOpt) detectArgs.vendor = dVendor;
        if (*dSeedOpt) detectArgs.seed = dSeed;
        if (*dOutOpt) detectArgs.outDir = dOut;
        if (*dJobsOpt) detectArgs.jobs = dJobs;
        detectArgs.json = detectJson;
        return alglab::cli::DetectCommand(detectArgs);
      }
      if (*dScenarioOpt) return UsageError("detect --live: takes no scenario ('" + dScenario + "')");
      if (simOnly) return UsageError("detect --live: --vendor, --set, --seed, --out and --jobs are for the simulation");
      if (!*dServerOpt) return UsageError("detect --live: --server HOST:PORT is required");
      detectLive.server = dServer;
      if (*dServerAltOpt) detectLive.serverAlt = dServerAlt;
      if (*dMaxWaitOpt) detectLive.maxWait = dMaxWait;
      if (*dBindOpt) detectLive.bind = dBind;
      detectLive.json = detectJson;
      return alglab::cli::DetectLiveCommand(detectLive);
    }
    if (matrixCmd->parsed()) {
      if (*mVendorsOpt) matrix.vendors = mVendors;
      if (*mScenariosOpt) matrix.scenarios = mScenarios;
      if (*mJobsOpt) matrix.jobs = mJobs;
      if (*mSeedOpt) matrix.seed = mSeed;
      if (*mOutOpt) matrix.outDir = mOut;
      if (*mJunitOpt) matrix.junit = mJunit;
      if (*mGoldenOpt) matrix.golden = mGolden;
      if (*mWorkaroundsOpt) matrix.workarounds = mWorkarounds;
      if (*mKernelAccuracyOpt) matrix.kernelAccuracy = mKernelAccuracy;
      return alglab::cli::MatrixCommand(matrix);
    }
    if (*vendorOpt) run.vendor = vendor;
    if (*seedOpt) run.seed = seed;
    if (*outOpt) run.outDir = outDir;
    if (*maxEventsOpt) run.maxEventsPerSecond = maxEvents;
    if (*remediateAtOpt) run.remediateAt = remediateAt;
    if (*remediateStepsOpt) run.remediateSteps = remediateSteps;
    if (*workaroundOpt) run.workarounds = workarounds;
    return alglab::cli::RunCommand(run);
  } catch (const alglab::scenario::ScenarioError& e) {
    return UsageError(e.what());
  } catch (const std::exception& e) {
    // Input errors are ScenarioError by the time they get here; anything else is a broken
    // invariant of alglab itself, reported as one line too.
    return InternalError(e.what());
  } catch (...) {
    return InternalError("an exception that is not a std::exception");
  }
}
