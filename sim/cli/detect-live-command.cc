// `alglab detect --live`: the active detector's client on a real network, through the router
// under test, against `alglab detect-server` on the other side.
#include "probes/detect/detect-verdict.h"
#include "probes/detect/detector-client.h"
#include "probes/detect/posix-detect-io.h"
#include "sim/cli/commands.h"
#include "sim/cli/job-count.h"
#include "sim/cli/detect-live-arguments.h"
#include "sim/detect/detect-diagnosis.h"
#include "sim/detect/detect-references.h"
#include "sim/scenario/scenario-error.h"

#include <iostream>
#include <algorithm>
#include <sstream>

namespace alglab::cli {
namespace {

/// The binding-lifetime ladder, cut at --max-wait.
const double kTimerLadder[] = {1, 2, 5, 15, 30, 60, 120, 180, 300, 600};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

std::string Seconds(const std::optional<double>& value) {
  if (!value) return "-";
  std::ostringstream out;
  out << *value << " s";
  return out.str();
}

std::string YesNo(const std::optional<bool>& value) { return !value ? "not measured" : *value ? "yes" : "no"; }

void PrintText(const detect::DetectVerdict& v, const detect::DetectObservations& o, const nlohmann::json& meaning) {
  std::cout << "server " << detect::ToString(o.server) << (o.serverAlt.empty() ? "" : " (second address " + o.serverAlt + ")")
            << ", client " << o.clientAddress << "\n";
  if (!v.serverReached) {
    std::cout << "no echo came back: the server is unreachable, nothing concluded\n";
    return;
  }
  std::cout << "SIP ALG: " << (v.algPresent ? "present" : "not detected") << "\n";
  for (const auto& r : v.rewrites)
    std::cout << "  rewrites " << r.method << " on " << r.transport << "/" << r.port << ": " << Join(r.fields) << "\n";
  if (!v.dropped.empty()) std::cout << "  lost: " << Join(v.dropped) << "\n";
  std::cout << "  triggers: ports " << Join(v.triggers.ports) << "; methods " << Join(v.triggers.methods) << "\n";
  std::cout << "  proxy (re-originates): " << (v.proxy.reOriginates ? "yes" : "no") << "\n";
  for (const auto& i : v.inbound)
    std::cout << "  inbound from " << i.from << ": " << (i.arrived ? "arrived" : "blocked")
              << (i.rewritten.empty() ? "" : ", rewritten " + Join(i.rewritten)) << "\n";
  std::cout << "  media pinhole: " << (v.media.pinhole ? "yes" : "no") << " (RTP from SDP peer "
            << YesNo(v.media.fromPeer) << ", from another address " << YesNo(v.media.fromOther) << ")\n";
  std::cout << "NAT: mapping " << v.nat.mapping << ", filtering " << v.nat.filtering << ", port preservation "
            << YesNo(v.nat.portPreservation) << "\n";
  std::cout << "  binding lifetime, plain UDP: alive after " << Seconds(v.nat.udpTimeout.longestAlive)
            << ", expired after " << Seconds(v.nat.udpTimeout.firstExpired) << "\n";
  std::cout << "  binding lifetime, SIP port: alive after " << Seconds(v.nat.sipTimeout.longestAlive)
            << ", expired after " << Seconds(v.nat.sipTimeout.firstExpired) << "\n";
  for (const auto& e : v.evidence)
    std::cout << "  evidence: " << e.conclusion << " <- " << e.probe << " " << e.field << ": " << e.detail << "\n";
  std::cout << detect::FormatVerdictMeaning(meaning);
}

}  // namespace

int DetectLiveCommand(const DetectLiveArguments& args) {
  const auto server = CheckedEndpoint("--server", args.server);
  detect::DetectorOptions options;
  options.serverAddress = server.address;
  options.ports = detect::ServerPorts::Around(server.port);
  if (args.serverAlt) options.serverAlt = CheckedAddress("--server-alt", *args.serverAlt);
  const double maxWait = args.maxWait ? CheckedSeconds("--max-wait", *args.maxWait, 3600) : 30;
  options.maxTimerWait = maxWait;
  options.timerIntervals.clear();
  for (double t : kTimerLadder)
    if (t <= maxWait) options.timerIntervals.push_back(t);
  options.probeWait = std::min(1.5, maxWait);
  std::string local;
  if (args.bind) {
    local = CheckedAddress("--bind", *args.bind);
  } else {
    const auto routed = detect::LocalAddressTowards(server.address);
    if (!routed) throw scenario::ScenarioError("--server '" + args.server + "': no route to " + server.address);
    local = *routed;
  }

  detect::PosixDetectIo io({local});
  detect::DetectorClient client(io, options);
  io.SetSink(&client);
  if (!client.Start())
    throw scenario::ScenarioError((args.bind ? "--bind '" + *args.bind + "': " : std::string()) + client.Error() +
                                  (io.LastError().empty() ? "" : " (" + io.LastError() + ")"));
  // The client ends itself after PlannedDuration(); the deadline is a backstop.
  io.Run([&client] { return client.Done(); }, io.Now() + client.PlannedDuration() + 5);
  const auto& observations = client.Observations();
  const auto verdict = detect::AnalyseObservations(observations);
  // The same meaning as in simulation: the family ranked against the detector's own verdicts on
  // every simulated model, the symptoms that follow, and the top family's runbook. Nothing is
  // ranked when no echo came back.
  nlohmann::ordered_json json = detect::ToJson(verdict);
  if (verdict.serverReached)
    detect::CompleteVerdict(json, detect::LoadReferences(JobCount(std::nullopt)));
  if (args.json)
    std::cout << json.dump(2) << "\n";
  else
    PrintText(verdict, observations, json);
  return verdict.serverReached ? 0 : 1;
}

}  // namespace alglab::cli
