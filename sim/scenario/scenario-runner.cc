#include "sim/scenario/scenario-runner.h"

#include "alg-models/contract/alg-factory.h"
#include "alg-models/contract/alg-config-error.h"
#include "probes/alg-activity.h"
#include "probes/observation-collector.h"
#include "probes/symptom-report.h"
#include "sim/endpoints/sip-pbx.h"
#include "sim/endpoints/sip-phone.h"
#include "sim/endpoints/sip-provider.h"
#include "sim/endpoints/sip-server.h"
#include "sim/nat/nat-router-helper.h"
#include "sim/nat/nat-router.h"
#include "sim/scenario/office-network.h"
#include "sim/scenario/scenario-error.h"

#include <ns3/core-module.h>
#include <ns3/ipv4-static-routing.h>
#include <ns3/ipv4.h>

#include <stdexcept>

namespace alglab::scenario {

using namespace ns3;

namespace {

/// Feeds the router's ALG traces into the plain AlgActivity record.
struct AlgActivitySink {
  probes::AlgActivity activity;
  void OnAction(nat::Direction direction, nat::AlgVerdict, std::uint32_t, std::uint32_t, bool) {
    activity.OnInspected(nat::ToString(direction));
  }
  void OnMessage(nat::Direction direction, nat::AlgVerdict verdict, const std::string& before,
                 const std::string& after, const std::string& reason) {
    activity.OnMessage(nat::ToString(direction), verdict == nat::AlgVerdict::Drop, before, after, reason);
  }
};

/// ns-3 keeps one simulator per process; a second run would silently share its state.
bool g_ran = false;

/// The vendor's ALG with the scenario's knobs; bad knobs become the user's one-line error.
Ptr<nat::AlgHook> CreateAlg(const RouterSpec& router) {
  try {
    return alg::CreateAlgHook(router.vendor, router.alg);
  } catch (const alg::AlgConfigError& e) {
    throw ScenarioError(std::string("router.alg: ") + e.what());
  }
}

void ConfigurePhone(Ptr<SipPhone> phone, const PhoneSpec& p, const OfficeNetwork& net, const ScenarioSpec& spec) {
  const PhoneSettings& s = p.settings;
  phone->SetAttribute("Name", StringValue("phone-" + p.extension));
  phone->SetAttribute("Extension", StringValue(p.extension));
  phone->SetAttribute("Password", StringValue(s.password));
  phone->SetAttribute("Domain", StringValue(spec.pbx.domain));
  phone->SetAttribute("RegistrarAddress", Ipv4AddressValue(net.pbxAddress));
  phone->SetAttribute("LocalSipPort", UintegerValue(s.sipPort));
  phone->SetAttribute("Rport", BooleanValue(s.rport));
  phone->SetAttribute("KeepaliveKind", StringValue(s.keepalive));
  phone->SetAttribute("KeepaliveInterval", TimeValue(ns3::Seconds(s.keepaliveInterval)));
  phone->SetAttribute("RegisterExpiry", UintegerValue(static_cast<uint32_t>(s.registerExpiry)));
  phone->SetAttribute("SymmetricRtp", BooleanValue(s.symmetricRtp));
  phone->SetAttribute("AnswerAfter", TimeValue(ns3::Seconds(s.answerAfter)));
}

void ConfigureServerNat(Ptr<SipServer> server, const NatTraversalSpec& nat) {
  server->SetAttribute("HonourRport", BooleanValue(nat.honourRport));
  server->SetAttribute("FixContact", BooleanValue(nat.fixContact));
  server->SetAttribute("LatchMedia", BooleanValue(nat.latchMedia));
  server->SetAttribute("NatKeepaliveInterval", TimeValue(ns3::Seconds(nat.natKeepalive)));
}

}  // namespace

RunResult RunScenario(const ScenarioSpec& spec, const RunOptions& options) {
  if (g_ran) throw std::logic_error("RunScenario: one simulation per process");
  g_ran = true;

  const std::uint64_t seed = options.seed.value_or(spec.seed);
  RngSeedManager::SetSeed(static_cast<uint32_t>(seed == 0 ? 1 : seed));
  RngSeedManager::SetRun(1);

  // --- Router: NAT decorator, vendor ALG ---------------------------------------------------
  nat::NatRoutingHelper natHelper;
  natHelper.SetAttribute("Mapping", StringValue(spec.router.mapping));
  natHelper.SetAttribute("Filtering", StringValue(spec.router.filtering));
  natHelper.SetAttribute("UdpTimeout", TimeValue(ns3::Seconds(spec.router.udpTimeout)));
  natHelper.SetAttribute("PortPreservation", BooleanValue(spec.router.portPreservation));
  natHelper.SetAttribute("PortAllocation", StringValue(spec.router.portAllocation));
  natHelper.SetAttribute("BootTime", TimeValue(ns3::Seconds(spec.router.bootTime)));
  natHelper.SetAttribute("ResetConfigOnReboot", BooleanValue(spec.router.resetConfigOnReboot));
  Ptr<nat::AlgHook> alg = CreateAlg(spec.router);

  OfficeNetwork net = BuildOfficeNetwork(spec, natHelper);
  Ptr<nat::NatRoutingProtocol> router = nat::NatRoutingHelper::GetNatRouter(net.router);
  router->SetWanInterface(net.routerWanInterface);
  router->SetAlgHook(alg);
  router->AssignStreams(static_cast<int64_t>(seed % 1000) * 10);
  {
    Ptr<Ipv4StaticRouting> inner = DynamicCast<Ipv4StaticRouting>(router->GetInnerRoutingProtocol());
    NS_ABORT_MSG_IF(!inner, "the NAT router's inner routing is not static routing");
    inner->SetDefaultRoute(Ipv4Address("203.0.113.2"), net.routerWanInterface);
  }

  // --- Devices ---------------------------------------------------------------------------
  probes::ObservationCollector collector;
  collector.AddRouter(router);
  for (const auto& q : net.queues) collector.AddQueue(q.name, q.queue);
  AlgActivitySink algSink;
  router->TraceConnectWithoutContext("AlgAction", MakeCallback(&AlgActivitySink::OnAction, &algSink));
  router->TraceConnectWithoutContext("AlgMessage", MakeCallback(&AlgActivitySink::OnMessage, &algSink));

  Ptr<SipProvider> provider = CreateObject<SipProvider>();
  provider->SetAttribute("Name", StringValue("provider"));
  provider->SetAttribute("Domain", StringValue(spec.provider.domain));
  provider->SetAttribute("AnswerAfter", TimeValue(ns3::Seconds(spec.provider.answerAfter)));
  ConfigureServerNat(provider, spec.provider.nat);
  std::vector<std::string> dids;
  for (const auto& g : spec.pbx.ringGroups) dids.push_back(g.first);
  provider->AddAccount(spec.pbx.trunk.user, spec.pbx.trunk.password, dids);
  net.provider->AddApplication(provider);
  collector.AddProvider(provider);

  Ptr<SipPbx> pbx = CreateObject<SipPbx>();
  pbx->SetAttribute("Name", StringValue("pbx"));
  pbx->SetAttribute("Domain", StringValue(spec.pbx.domain));
  ConfigureServerNat(pbx, spec.pbx.nat);
  pbx->SetAttribute("TrunkEnabled", BooleanValue(true));
  pbx->SetAttribute("ProviderAddress", Ipv4AddressValue(net.providerAddress));
  pbx->SetAttribute("TrunkUser", StringValue(spec.pbx.trunk.user));
  pbx->SetAttribute("TrunkPassword", StringValue(spec.pbx.trunk.password));
  pbx->SetAttribute("TrunkExpiry", UintegerValue(static_cast<uint32_t>(spec.pbx.trunk.expiry)));
  pbx->SetAttribute("TrunkKeepaliveKind", StringValue(spec.pbx.trunk.keepalive));
  pbx->SetAttribute("TrunkKeepaliveInterval", TimeValue(ns3::Seconds(spec.pbx.trunk.keepaliveInterval)));
  for (const auto& p : spec.phones) pbx->AddExtension(p.extension, p.settings.password);
  for (const auto& [did, members] : spec.pbx.ringGroups) pbx->AddRingGroup(did, members);
  net.pbx->AddApplication(pbx);
  collector.AddPbx(pbx);

  std::map<std::string, Ptr<SipPhone>> phones;
  for (std::size_t i = 0; i < spec.phones.size(); ++i) {
    Ptr<SipPhone> phone = CreateObject<SipPhone>();
    ConfigurePhone(phone, spec.phones[i], net, spec);
    net.phones[i]->AddApplication(phone);
    // Handsets power up a moment apart, as they do when a switch comes up.
    phone->SetStartTime(ns3::Seconds(1.0 + 0.2 * static_cast<double>(i)));
    phones[spec.phones[i].extension] = phone;
    collector.AddPhone(phone);
  }
  // Endpoint jitter (call set-up, media clock phase) from streams fixed per device.
  const int64_t endpointStreams = 100000;
  provider->AssignStreams(endpointStreams);
  pbx->AssignStreams(endpointStreams + 1);
  for (std::size_t i = 0; i < spec.phones.size(); ++i)
    phones.at(spec.phones[i].extension)->AssignStreams(endpointStreams + 2 + static_cast<int64_t>(i));
  provider->SetStartTime(ns3::Seconds(0));
  pbx->SetStartTime(ns3::Seconds(0.5));

  // --- Timeline ----------------------------------------------------------------------------
  for (const auto& ev : spec.timeline) {
    const Time at = ns3::Seconds(ev.at);
    if (const auto* w = std::get_if<WatchAction>(&ev.action)) {
      collector.ExpectBlfWatch("phone-" + w->watcher, w->target);
      Simulator::Schedule(at, &SipPhone::Watch, phones.at(w->watcher), w->target);
    } else if (const auto* c = std::get_if<CallAction>(&ev.action)) {
      Simulator::Schedule(at, &SipPhone::Call, phones.at(c->from), c->to, ns3::Seconds(c->duration));
    } else if (const auto* in = std::get_if<InboundAction>(&ev.action)) {
      Simulator::Schedule(at, &SipProvider::PlaceInboundCall, provider, in->did, ns3::Seconds(in->duration));
    } else {
      Simulator::Schedule(at, &nat::NatRoutingProtocol::Reboot, router);
    }
  }

  if (!options.outDir.empty()) EnablePcap(net, options.outDir);

  Simulator::Stop(ns3::Seconds(spec.duration));
  Simulator::Run();
  collector.Finish();

  RunResult result;
  result.simulatedSeconds = Simulator::Now().GetSeconds();
  result.routerPacketsForwarded = router->GetPacketsForwarded();
  const probes::SymptomReport report = probes::BuildSymptomReport(collector.Log());

  nlohmann::ordered_json j;
  j["scenario"] = spec.name;
  j["vendor"] = spec.router.vendor;
  j["seed"] = seed;
  j["remediated"] = false;
  j["symptoms"] = nlohmann::ordered_json::object();
  for (const auto& s : report.symptoms) {
    nlohmann::ordered_json entry;
    entry["present"] = s.present;
    for (const auto& [k, v] : s.evidence.items()) entry[k] = v;
    j["symptoms"][s.name] = entry;
  }
  j["metrics"] = probes::ToJson(report.metrics);
  j["metrics"]["router_packets_forwarded"] = router->GetPacketsForwarded();
  j["metrics"]["router_packets_dropped"] = router->GetPacketsDropped();
  j["metrics"]["simulated_seconds"] = result.simulatedSeconds;
  j["alg"] = algSink.activity.ToJson();
  result.json = j;

  Simulator::Destroy();
  return result;
}

}  // namespace alglab::scenario
