#include "sim/detect/detect-simulation.h"

#include "probes/detect/detect-verdict.h"
#include "probes/detect/detector-client.h"
#include "probes/detect/echo-server.h"
#include "sim/detect/detect-workers.h"
#include "sim/detect/ns3-detect-io.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/scenario-loader.h"
#include "sim/scenario/scenario-simulation.h"

#include <ns3/simulator.h>

#include <sstream>
#include <stdexcept>

namespace alglab::detect {

namespace {

/// The time the simulation may take beyond the client's plan: ARP, retransmissions, the
/// last echoes in flight.
constexpr double kSlackSeconds = 10;
/// The client starts once the router has its routes and the server listens.
constexpr double kClientStart = 1.0;

}  // namespace

nlohmann::ordered_json DetectInSimulation(const DetectRequest& request) {
  std::vector<scenario::Override> overrides;
  // The echo server's second address is the provider host's media-server address; stated
  // first, so a --set of the same key still wins.
  overrides.push_back(scenario::ParseOverride("provider.media_server=true"));
  for (const auto& s : request.sets) overrides.push_back(scenario::ParseOverride(s));
  scenario::ScenarioSpec spec = scenario::LoadScenario(request.scenarioPath, overrides);
  if (request.vendor) spec.router.vendor = *request.vendor;
  if (spec.phones.empty()) throw scenario::ScenarioError(request.scenarioPath + ": the detector needs a phone's host on the LAN (phones: is empty)");

  scenario::RunOptions options;
  options.seed = request.seed;
  options.outDir = request.outDir;
  options.networkOnly = true;
  scenario::ScenarioSimulation sim(spec, options);
  const scenario::OfficeNetwork& net = sim.Network();
  if (net.providerMediaAddress == ns3::Ipv4Address::GetAny())
    throw scenario::ScenarioError(request.scenarioPath + ": provider.media_server must stay true for the detector's second server address");

  Ns3DetectIo serverIo(net.provider, {net.providerAddress, net.providerMediaAddress});
  EchoServer server(serverIo);
  serverIo.SetSink(&server);
  if (!server.Start()) throw std::runtime_error("the echo server could not start: " + server.Error());

  Ns3DetectIo clientIo(net.phones.front(), {net.phoneAddresses.front()});
  DetectorOptions clientOptions;
  clientOptions.serverAddress = AddressText(net.providerAddress);
  clientOptions.serverAlt = AddressText(net.providerMediaAddress);
  DetectorClient client(clientIo, clientOptions);
  clientIo.SetSink(&client);
  std::string startError;
  ns3::Simulator::Schedule(ns3::Seconds(kClientStart), [&client, &startError] {
    if (!client.Start([] { ns3::Simulator::Stop(); })) {
      startError = client.Error();
      ns3::Simulator::Stop();
    }
  });
  ns3::Simulator::Stop(ns3::Seconds(kClientStart + client.PlannedDuration() + kSlackSeconds));
  ns3::Simulator::Run();
  if (!startError.empty()) throw std::runtime_error("the detector client could not start: " + startError);
  if (!client.Done()) throw std::runtime_error("the detector client did not finish its plan in simulated time");

  nlohmann::ordered_json verdict = ToJson(AnalyseObservations(client.Observations()));
  nlohmann::ordered_json out;
  out["scenario"] = spec.name;
  out["vendor"] = spec.router.vendor;
  out["seed"] = request.seed.value_or(spec.seed);
  for (auto& [key, value] : verdict.items()) out[key] = value;
  nlohmann::ordered_json configured = nlohmann::ordered_json::object();
  for (const scenario::EffectiveRouterKnob& k : sim.RouterKnobs()) configured[k.knob->leaf] = k.text;
  out["configured"] = configured;
  server.Stop();
  return out;
}

std::vector<nlohmann::json> DetectVariantsInWorkers(const std::string& scenarioPath,
                                                    const std::vector<DetectVariant>& variants, unsigned jobs) {
  const auto results = RunInWorkers(variants.size(), jobs, [&](std::size_t i) {
    DetectRequest request;
    request.scenarioPath = scenarioPath;
    request.vendor = variants[i].vendor;
    request.sets = variants[i].sets;
    return DetectInSimulation(request).dump();
  });
  std::vector<nlohmann::json> verdicts;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok)
      throw std::runtime_error("detect " + variants[i].vendor + " " + variants[i].label + ": " + results[i].error);
    verdicts.push_back(nlohmann::json::parse(results[i].text));
  }
  return verdicts;
}

std::string DetectedKind(const nlohmann::json& verdict) {
  if (!verdict.value("alg_present", false)) return "none";
  const auto proxy = verdict.find("proxy");
  if (proxy != verdict.end() && proxy->is_object() && proxy->value("re_originates", false)) return "proxy";
  return "rewrite";
}

}  // namespace alglab::detect
