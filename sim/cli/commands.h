#ifndef ALGLAB_CLI_COMMANDS_H
#define ALGLAB_CLI_COMMANDS_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alglab::cli {

// Each command the Python module offers has two functions: `XJson` computes what the command
// prints with --json (and writes its --out files), throwing ScenarioError on bad input; `XCommand`
// is the CLI's, which calls it and prints. So the module and the CLI give the same results and
// the same one-line errors.

/// `alglab list vendors|symptoms|scenarios|knobs --json`: the array it prints.
nlohmann::ordered_json ListJson(const std::string& what);

/// `alglab list vendors|symptoms|scenarios|knobs [--json]`. Returns the exit status.
int ListCommand(const std::string& what, bool json);

struct RunArguments {
  std::string scenario;
  std::optional<std::string> vendor;
  std::optional<std::string> seed;     ///< as typed; checked like the scenario's seed: key
  std::vector<std::string> sets;
  std::optional<std::string> outDir;   ///< as typed; an empty --out '' is refused, not ignored
  std::optional<std::string> maxEventsPerSecond;  ///< the cost guard's limit, as typed
  /// "a,b": workarounds (sim/remediation/workarounds.h) applied as --set settings that an
  /// explicit --set of the same key overrides.
  std::optional<std::string> workarounds;
  bool json = false;
  bool remediate = false;                     ///< apply the vendor's runbook (--remediate)
  std::optional<std::string> remediateAt;     ///< --remediate-at, as typed
  std::optional<std::string> remediateSteps;  ///< --remediate-steps "1,3", as typed
};

/// `alglab run SCENARIO ... --json`: the run's result (result.json), with --out's files written.
nlohmann::ordered_json RunJson(const RunArguments& args);

/// `alglab run SCENARIO ...`. Returns the exit status; bad input throws ScenarioError.
int RunCommand(const RunArguments& args);

struct MangleArguments {
  std::string model;
  std::string flowFile;
  std::vector<std::string> sets;  ///< model knobs, knob=value
  bool json = false;
};

/// `alglab mangle ... --json`: the array it prints, one object per block (and emitted datagram).
nlohmann::ordered_json MangleJson(const MangleArguments& args);

/// `alglab mangle --model M [--set knob=value]... [--json] FLOWFILE`: replays a flow file
/// through one model in the fixed mangle topology and shows what arrived.
int MangleCommand(const MangleArguments& args);

struct MatrixArguments {
  std::optional<std::string> vendors;    ///< "a,b" (default: every model)
  std::optional<std::string> scenarios;  ///< "x,y" (default: every shipped scenario)
  std::optional<std::string> jobs;       ///< worker processes, as typed (default: the CPUs)
  std::optional<std::string> seed;       ///< every run's seed (default: each scenario's)
  std::optional<std::string> outDir;     ///< matrix.json and every run's result
  std::optional<std::string> junit;      ///< JUnit XML, one test case per vendor x scenario
  std::optional<std::string> golden;     ///< a matrix.json to compare with (exit 1 on a change)
  std::optional<std::string> workarounds;  ///< "a,b" or "none" (default: every workaround)
  bool json = false;
  /// Also measure the active detector over the vendors' knob variations ("detect_accuracy" in
  /// matrix.json and report.html).
  bool detectAccuracy = false;
  /// A bench/kernel-accuracy.py --json file: the detector's and diagnose's accuracy measured
  /// through the real kernel, copied as "kernel_accuracy" into matrix.json and report.html.
  std::optional<std::string> kernelAccuracy;
};

/// A computed matrix: what `--json` prints and, with --golden, the cells that differ from it
/// (vendor, scenario) -> one line per difference.
struct MatrixOutput {
  nlohmann::ordered_json json;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> goldenDifferences;
};

/// Progress of the matrix's worker rounds: (runs done, runs in the round, seconds elapsed).
/// `workarounds` is true for the workaround round.
using MatrixProgress = std::function<void(std::size_t done, std::size_t total, double elapsed, bool workarounds)>;

/// Runs the matrix and writes --out's files (not --junit's, which is the CLI's). Bad input,
/// --junit's and --golden's included, throws ScenarioError before any simulation runs.
/// `progress` may be empty (no progress is reported).
MatrixOutput MatrixJson(const MatrixArguments& args, const MatrixProgress& progress);

/// `alglab matrix ...`: every vendor x scenario with the ALG on and off. Returns the exit
/// status (1 when cells differ from --golden); bad input throws ScenarioError.
int MatrixCommand(const MatrixArguments& args);

struct RemediateArguments {
  std::string vendor;
  bool json = false;
};

/// `alglab remediate --vendor V [--json]`: the vendor's remediation runbook, numbered steps as
/// a person follows them, or JSON (remediation::RunbookToJson). `none` has nothing to turn off
/// (an empty runbook, status 0). Bad input (an unknown vendor, one without a runbook, a runbook
/// file that does not parse) throws ScenarioError.
int RemediateCommand(const RemediateArguments& args);

struct CheckConfigArguments {
  std::string file;
  bool json = false;
  bool simulate = false;                 ///< run the vendor's matrix row with the file's knobs
  std::optional<std::string> scenarios;  ///< "a,b" with --simulate (default: the matrix's)
  std::optional<std::string> jobs;       ///< worker processes with --simulate, as typed
  std::optional<std::string> seed;       ///< with --simulate, as typed
};

/// `alglab check-config FILE [--json] [--simulate ...]`: reads an exported router
/// configuration (sim/config-check/). Bad input throws ScenarioError (exit 2).
int CheckConfigCommand(const CheckConfigArguments& args);
struct DiagnoseArguments {
  std::string capture;             ///< the phone side (LAN) capture, pcap or pcapng
  std::optional<std::string> wan;  ///< the same router's provider side (--wan)
  bool json = false;
};

/// `alglab diagnose CAPTURE [--wan WAN] --json`: the object it prints (keys sorted, as printed).
nlohmann::json DiagnoseJson(const DiagnoseArguments& args);

/// `alglab diagnose CAPTURE [--wan WAN] [--json]`: symptoms and ALG fingerprints visible in a
/// capture, and with --wan the rewrites, drops and additions across the router. An unreadable
/// capture throws ScenarioError naming the file.
int DiagnoseCommand(const DiagnoseArguments& args);
struct DetectArguments {
  std::optional<std::string> scenario;  ///< in simulation; absent with --live
  std::optional<std::string> vendor;
  std::vector<std::string> sets;
  std::optional<std::string> seed;    ///< as typed
  std::optional<std::string> outDir;  ///< pcaps of every node interface and verdict.json
  std::optional<std::string> jobs;    ///< worker processes for the family references (first run)
  bool json = false;
};

/// `alglab detect SCENARIO ... --json`: the verdict it prints, with verdict.json and the pcaps
/// written under --out.
nlohmann::ordered_json DetectJson(const DetectArguments& args);

/// `alglab detect SCENARIO [--vendor V] [--set k=v]... [--seed N] [--json] [--out DIR]`: the
/// active detector (probes/detect) through the scenario's simulated router, its verdict with
/// the ranked vendor family, predicted symptoms and runbook. Bad input throws ScenarioError.
int DetectCommand(const DetectArguments& args);

struct DetectAccuracyArguments {
  std::optional<std::string> scenario;  ///< default: the reference scenario (office)
  std::optional<std::string> jobs;
  std::optional<std::string> outDir;    ///< detect-accuracy.json
  bool json = false;
};

/// `alglab detect-accuracy [--json] [--jobs N] [--out DIR]`: the detector over every model's
/// knob variations and plain NAT of every RFC 4787 class, as confusion matrices
/// (sim/detect/detect-accuracy.h). Returns 0 (the targets are reported, not enforced).
int DetectAccuracyCommand(const DetectAccuracyArguments& args);

struct DetectLiveArguments {
  std::string server;                    ///< --server IPV4:PORT (the echo server's SIP port)
  std::optional<std::string> serverAlt;  ///< --server-alt IPV4 (default: what the server reports)
  std::optional<std::string> maxWait;    ///< --max-wait SECONDS: the longest binding-timer wait
  std::optional<std::string> bind;       ///< --bind IPV4 (default: the address routed to the server)
  bool json = false;
};

/// `alglab detect --live --server HOST:PORT ...`: the active detector (probes/detect) on a real
/// network against `alglab detect-server`. Returns 0, or 1 when no echo came back (nothing can
/// be concluded); bad input throws ScenarioError.
int DetectLiveCommand(const DetectLiveArguments& args);

struct DetectServerArguments {
  std::string listen;                    ///< --listen IPV4:PORT
  std::optional<std::string> listenAlt;  ///< --listen-alt IPV4: the second address
  std::optional<std::string> duration;   ///< --duration SECONDS (default: until SIGTERM/SIGINT, at most a day)
};

/// `alglab detect-server --listen ADDR:PORT [--listen-alt ADDR] [--duration SECONDS]`: the
/// detector's echo server. Returns 0 when stopped; bad input throws ScenarioError.
int DetectServerCommand(const DetectServerArguments& args);

}  // namespace alglab::cli

#endif
