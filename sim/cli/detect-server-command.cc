// `alglab detect-server`: the active detector's echo server on a real network.
#include "probes/detect/echo-server.h"
#include "probes/detect/posix-detect-io.h"
#include "sim/cli/commands.h"
#include "sim/cli/detect-live-arguments.h"
#include "sim/scenario/scenario-error.h"

#include <csignal>
#include <iostream>

namespace alglab::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void StopOnSignal(int) { g_stop = 1; }

/// Without --duration the server runs until SIGTERM/SIGINT, but never longer than a day.
constexpr double kLongestRun = 24 * 3600;

}  // namespace

int DetectServerCommand(const DetectServerArguments& args) {
  const auto listen = CheckedEndpoint("--listen", args.listen);
  std::vector<std::string> addresses{listen.address};
  if (args.listenAlt) {
    addresses.push_back(CheckedAddress("--listen-alt", *args.listenAlt));
    if (addresses[1] == addresses[0])
      throw scenario::ScenarioError("--listen-alt '" + *args.listenAlt + "': must differ from the --listen address");
  }
  const double duration = args.duration ? CheckedSeconds("--duration", *args.duration, kLongestRun) : kLongestRun;

  detect::PosixDetectIo io(addresses);
  detect::EchoServer server(io, detect::ServerPorts::Around(listen.port));
  io.SetSink(&server);
  if (!server.Start()) throw scenario::ScenarioError("--listen '" + args.listen + "': " + io.LastError());

  struct sigaction action {};
  action.sa_handler = StopOnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  std::cout << "alglab detect-server: listening on " << args.listen
            << (args.listenAlt ? " (second address " + *args.listenAlt + ")" : "") << std::endl;
  io.Run([] { return false; }, io.Now() + duration, &g_stop);
  server.Stop();
  std::cout << "alglab detect-server: stopped after " << server.Echoed() << " echoes" << std::endl;
  return 0;
}

}  // namespace alglab::cli
