#include "sim/scenario/scenario-simulation.h"

#include "alg-models/contract/alg-config-error.h"
#include "alg-models/contract/alg-factory.h"
#include "probes/alg-activity.h"
#include "probes/nat-drops.h"
#include "probes/symptom-mechanisms.h"
#include "probes/observation-collector.h"
#include "probes/symptom-report.h"
#include "sim/endpoints/sip-endpoint-helper.h"
#include "sim/endpoints/sip-pbx.h"
#include "sim/endpoints/sip-phone.h"
#include "sim/endpoints/sip-provider.h"
#include "sim/scenario/link-outage-error-model.h"
#include "sim/nat/nat-router-helper.h"
#include "sim/nat/nat-router.h"
#include "sim/scenario/scenario-error.h"
#include "sim/scenario/vendor-router-settings.h"
#include "sim/report/run-evidence.h"

#include <ns3/core-module.h>
#include <ns3/error-model.h>
#include <ns3/internet-stack-helper.h>
#include <ns3/ipv4-address-generator.h>
#include <ns3/ipv4-static-routing.h>
#include <ns3/ipv4.h>
#include <ns3/mac48-address.h>
#include <ns3/node-list.h>

#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace alglab::scenario {

using namespace ns3;

namespace {

/// ns-3 has one simulator per process: a second live simulation would share its clock.
bool g_live = false;

/// Random stream indices. The router keeps the seed-derived block it always had (so a seed
/// still picks the same random NAT ports); everything else draws from blocks far above it.
int64_t RouterStream(std::uint64_t seed) { return static_cast<int64_t>(seed % 1000) * 10; }
constexpr int64_t kStackStreams = 100000;
constexpr int64_t kDeviceStreams = 200000;
/// Endpoint jitter (call set-up, media clock phase): provider, PBX, then phones in file order.
constexpr int64_t kEndpointStreams = 300000;

/// Applies validated knob values to an object factory's products by attribute name.
void ApplyKnobs(SipEndpointHelper& helper, const KnobSettings& knobs) {
  for (const auto& k : knobs) helper.SetAttribute(k.attribute, StringValue(k.value));
}

std::string StringAttribute(const Ptr<Object>& object, const std::string& name) {
  StringValue v;
  object->GetAttribute(name, v);
  return v.Get();
}

}  // namespace

/// Feeds the router's ALG traces into the plain AlgActivity record.
struct ScenarioSimulation::AlgActivitySink {
  probes::AlgActivity activity;
  probes::NatDrops natDrops;
  /// The same from the measuring window's time on (RunOptions::measureFrom), once it opened.
  std::optional<probes::AlgActivity> windowActivity;
  std::optional<probes::NatDrops> windowNatDrops;
  void OpenWindow() {
    windowActivity.emplace();
    windowNatDrops.emplace();
  }
  const nat::NatRoutingProtocol* router = nullptr;  ///< tells inbound drops (to its public address)
  /// A router drop: the UDP/TCP payload, when the packet carries its L4 header whole.
  void OnDrop(const std::string& reason, ns3::Ptr<const ns3::Packet> packet, const ns3::Ipv4Header& header) {
    std::string payload;
    const std::uint32_t size = packet->GetSize();
    const bool fragment = header.IsLastFragment() == false || header.GetFragmentOffset() != 0;
    if (!fragment && (header.GetProtocol() == 17 || header.GetProtocol() == 6) && size >= 8) {
      std::string bytes(size, '\0');
      packet->CopyData(reinterpret_cast<std::uint8_t*>(bytes.data()), size);
      std::uint32_t l4 = 8;
      if (header.GetProtocol() == 6) l4 = size >= 13 ? (static_cast<unsigned char>(bytes[12]) >> 4) * 4u : size;
      if (l4 < size) payload = bytes.substr(l4);
    }
    const bool inbound = router != nullptr && header.GetDestination() == router->GetPublicAddress();
    natDrops.OnDrop(reason, inbound, payload);
    if (windowNatDrops) windowNatDrops->OnDrop(reason, inbound, payload);
  }
  void OnAction(nat::Direction direction, alg::VerdictKind, std::uint32_t, std::uint32_t, bool) {
    activity.OnInspected(nat::ToString(direction));
    if (windowActivity) windowActivity->OnInspected(nat::ToString(direction));
  }
  void OnMessage(nat::Direction direction, alg::VerdictKind verdict, const std::string& before,
                 const std::string& after, const std::string& reason, const std::string& mechanisms) {
    activity.OnMessage(nat::ToString(direction), verdict == alg::VerdictKind::Drop, before, after, reason,
                       mechanisms);
    if (windowActivity)
      windowActivity->OnMessage(nat::ToString(direction), verdict == alg::VerdictKind::Drop, before, after, reason,
                                mechanisms);
  }
};

ScenarioSimulation::ScenarioSimulation(const ScenarioSpec& spec, const RunOptions& options)
    : m_spec(spec), m_options(options) {
  if (g_live) throw std::logic_error("ScenarioSimulation: another simulation is still alive in this process");
  g_live = true;
  try {
    ResetGlobalState();
    m_seed = options.seed.value_or(spec.seed);
    RngSeedManager::SetSeed(static_cast<uint32_t>(m_seed == 0 ? 1 : m_seed));
    RngSeedManager::SetRun(1);
    m_collector = std::make_unique<probes::ObservationCollector>();
    m_algSink = std::make_unique<AlgActivitySink>();
    BuildRouter();
    if (!options.networkOnly) {
      BuildServers();
      BuildPhones();
    }
    FixRandomStreams();
    if (options.evidence) {
      m_ladder = std::make_unique<probes::SipLadder>();
      m_ladderSink = std::make_unique<SipLadderSink>(*m_ladder, m_net, m_router);
    }
    if (!options.outDir.empty()) {
      // ns-3 aborts the process on a pcap it cannot open; a missing directory is bad input.
      std::error_code ec;
      if (!std::filesystem::is_directory(options.outDir, ec))
        throw ScenarioError("--out " + options.outDir + ": not a directory");
      EnablePcap(m_net, options.outDir);
    }
  } catch (...) {
    ResetGlobalState();
    g_live = false;
    throw;
  }
}

ScenarioSimulation::~ScenarioSimulation() {
  m_phones.clear();
  m_pbx = nullptr;
  m_provider = nullptr;
  m_router = nullptr;
  ResetGlobalState();
  g_live = false;
}

void ScenarioSimulation::ResetGlobalState() {
  // Simulator::Destroy also empties the node and channel lists (ids restart at 0) and resets
  // the MAC allocation counter through its destroy hooks; the explicit calls make the other
  // registries start clean even when nothing was simulated yet.
  Simulator::Destroy();
  Names::Clear();
  Ipv4AddressGenerator::Reset();
  Mac48Address::ResetAllocationIndex();
}

void ScenarioSimulation::BuildRouter() {
  nat::NatRoutingHelper natHelper;
  // Vendor knobs one at a time first, so a bad one is named where it was written.
  const RouterSpec& rs = m_spec.router;
  for (const auto& [knob, value] : rs.alg) {
    try {
      alg::CreateAlgModel(rs.vendor, {{knob, value}});
    } catch (const alg::AlgConfigError& e) {
      auto origin = rs.algOrigin.find(knob);
      throw ScenarioError((origin == rs.algOrigin.end() ? m_spec.file : origin->second) + ": router.alg." + knob +
                          ": " + e.what());
    }
  }
  Ptr<alg::AlgModel> alg;
  try {
    alg = alg::CreateAlgModel(rs.vendor, rs.alg);
  } catch (const alg::AlgConfigError& e) {
    throw ScenarioError(m_spec.file + ": router.alg: " + e.what());
  }
  // The vendor's plain-NAT defaults where the scenario states nothing (vendor-router-settings.h).
  for (const auto& k : ResolveRouterKnobs(rs, PeekPointer(alg), m_routerKnobs)) {
    if (!natHelper.SetAttribute(k.attribute, StringValue(k.value)))
      throw std::logic_error("router knob " + k.attribute + "=" + k.value + " was validated but is refused");
  }

  m_net = BuildOfficeNetwork(m_spec, natHelper);
  m_router = nat::NatRoutingHelper::GetNatRouter(m_net.router);
  if (!nat::NatRoutingHelper::ConfigureWan(m_net.router, m_net.routerWanInterface, Ipv4Address("203.0.113.2")))
    throw std::logic_error("the NAT router has no inner static routing for its WAN default route");
  m_router->SetAlgModel(alg);

  m_collector->AddRouter(m_router);
  for (const auto& q : m_net.queues) m_collector->AddQueue(q.name, q.queue);
  m_router->TraceConnectWithoutContext("AlgAction", MakeCallback(&AlgActivitySink::OnAction, m_algSink.get()));
  m_router->TraceConnectWithoutContext("AlgMessage", MakeCallback(&AlgActivitySink::OnMessage, m_algSink.get()));
  m_algSink->router = ns3::PeekPointer(m_router);
  m_router->TraceConnectWithoutContext("Drop", MakeCallback(&AlgActivitySink::OnDrop, m_algSink.get()));
}

void ScenarioSimulation::BuildServers() {
  SipEndpointHelper providerHelper("alglab::SipProvider");
  providerHelper.SetAttribute("Name", StringValue("provider"));
  ApplyKnobs(providerHelper, m_spec.provider.knobs);
  m_provider = DynamicCast<SipProvider>(providerHelper.Install(m_net.provider));

  SipEndpointHelper pbxHelper("alglab::SipPbx");
  pbxHelper.SetAttribute("Name", StringValue("pbx"));
  pbxHelper.SetAttribute("TrunkEnabled", BooleanValue(true));
  pbxHelper.SetAttribute("ProviderAddress", Ipv4AddressValue(m_net.providerAddress));
  // The trunk is configured with the provider's port (provider.sip_port).
  ApplyKnobs(pbxHelper, m_spec.pbx.knobs);
  m_pbx = DynamicCast<SipPbx>(pbxHelper.Install(m_net.pbx));
  // Over TLS, the trunk goes to the provider's TLS port (provider.tls_port).
  UintegerValue providerPort;
  m_provider->GetAttribute(StringAttribute(m_pbx, "Transport") == "tls" ? "TlsPort" : "LocalSipPort", providerPort);
  m_pbx->SetAttribute("ProviderPort", providerPort);

  // The provider knows the trunk account the PBX was configured with.
  std::vector<std::string> dids;
  for (const auto& g : m_spec.pbx.ringGroups) dids.push_back(g.first);
  m_provider->AddAccount(StringAttribute(m_pbx, "TrunkUser"), StringAttribute(m_pbx, "TrunkPassword"), dids);
  for (const auto& [did, members] : m_spec.pbx.ringGroups) m_pbx->AddRingGroup(did, members);

  m_provider->SetStartTime(ns3::Seconds(0));
  m_pbx->SetStartTime(ns3::Seconds(0.5));
  m_collector->AddProvider(m_provider);
  m_collector->AddPbx(m_pbx);
}

void ScenarioSimulation::BuildPhones() {
  const std::string domain = StringAttribute(m_pbx, "Domain");
  for (std::size_t i = 0; i < m_spec.phones.size(); ++i) {
    const PhoneSpec& p = m_spec.phones[i];
    SipEndpointHelper helper("alglab::SipPhone");
    helper.SetAttribute("Name", StringValue("phone-" + p.extension));
    helper.SetAttribute("Extension", StringValue(p.extension));
    helper.SetAttribute("Domain", StringValue(domain));
    helper.SetAttribute("RegistrarAddress", Ipv4AddressValue(m_net.pbxAddress));
    ApplyKnobs(helper, p.knobs);
    Ptr<SipPhone> phone = DynamicCast<SipPhone>(helper.Install(m_net.phones[i]));
    // Handsets register to the PBX's port (pbx.sip_port), over TLS to its TLS port (pbx.tls_port).
    UintegerValue registrarPort;
    m_pbx->GetAttribute(StringAttribute(phone, "Transport") == "tls" ? "TlsPort" : "LocalSipPort", registrarPort);
    phone->SetAttribute("RegistrarPort", registrarPort);
    // The PBX knows each extension with the password its phone was given.
    m_pbx->AddExtension(p.extension, StringAttribute(phone, "Password"));
    // Handsets power up a moment apart, as they do when a switch comes up.
    phone->SetStartTime(ns3::Seconds(1.0 + 0.2 * static_cast<double>(i)));
    m_phones[p.extension] = phone;
    m_collector->AddPhone(phone);
  }
}

void ScenarioSimulation::FixRandomStreams() {
  m_router->AssignStreams(RouterStream(m_seed));
  // Every node's stack (ARP request jitter) and every device (CSMA backoff, loss models), over
  // the whole node list, so nodes a network builder adds are covered too. Node order is
  // creation order, the same in every run.
  NodeContainer all;
  for (auto it = NodeList::Begin(); it != NodeList::End(); ++it) all.Add(*it);
  InternetStackHelper stacks;
  stacks.AssignStreams(all, kStackStreams);

  int64_t stream = kDeviceStreams;
  for (auto node = all.Begin(); node != all.End(); ++node) {
    for (uint32_t d = 0; d < (*node)->GetNDevices(); ++d) {
      Ptr<NetDevice> dev = (*node)->GetDevice(d);
      TypeId::AttributeInformation info;
      if (dev->GetInstanceTypeId().LookupAttributeByName("ReceiveErrorModel", &info)) {
        PointerValue model;
        dev->GetAttribute("ReceiveErrorModel", model);
        Ptr<ErrorModel> loss = model.Get<ErrorModel>();
        if (Ptr<LinkOutageErrorModel> outage = DynamicCast<LinkOutageErrorModel>(loss)) loss = outage->GetInner();
        if (Ptr<RateErrorModel> rate = DynamicCast<RateErrorModel>(loss)) stream += rate->AssignStreams(stream);
      }
    }
  }

  if (m_options.networkOnly) return;  // no endpoints: the caller's applications fix their own
  int64_t endpoint = kEndpointStreams;
  endpoint += m_provider->AssignStreams(endpoint);
  endpoint += m_pbx->AssignStreams(endpoint);
  for (const PhoneSpec& p : m_spec.phones) endpoint += m_phones.at(p.extension)->AssignStreams(endpoint);
}

std::map<std::string, std::string> ScenarioSimulation::HostNames() const {
  const auto text = [](Ipv4Address a) {
    std::ostringstream out;
    a.Print(out);
    return out.str();
  };
  std::map<std::string, std::string> names;
  for (std::size_t i = 0; i < m_net.phoneAddresses.size() && i < m_spec.phones.size(); ++i)
    names[text(m_net.phoneAddresses[i])] = "phone-" + m_spec.phones[i].extension;
  names[text(m_net.pbxAddress)] = "pbx";
  names[text(m_net.providerAddress)] = "provider";
  for (std::size_t i = 0; i < m_net.providerProxyAddresses.size(); ++i)
    names[text(m_net.providerProxyAddresses[i])] = "provider-proxy-" + std::to_string(i + 1);
  if (m_net.providerMediaAddress != Ipv4Address::GetAny()) names[text(m_net.providerMediaAddress)] = "provider-media";
  names[text(m_net.routerLan)] = "router";
  names[text(m_net.routerWan)] = "router";
  return names;
}

[[noreturn]] void ScenarioSimulation::FailAt(const TimelineEvent& ev, const std::string& what) const {
  throw ScenarioError(m_spec.file + (ev.line ? ":" + std::to_string(ev.line) : std::string()) + ": " + what);
}

void ScenarioSimulation::ScheduleEndpointChange(Time at, const SetAction& set, const TimelineEvent& ev) {
  std::vector<Ptr<Object>> targets;
  if (set.object == "pbx") targets.push_back(m_pbx);
  else if (set.object == "provider") targets.push_back(m_provider);
  else if (!set.extension.empty()) targets.push_back(m_phones.at(set.extension));
  else
    for (const auto& [ext, phone] : m_phones) targets.push_back(phone);
  if (targets.empty()) FailAt(ev, "set " + set.knob + ": nothing to change");
  for (const auto& target : targets) {
    const std::string attribute = set.attribute, value = set.value;
    Simulator::Schedule(at, [target, attribute, value] { target->SetAttribute(attribute, StringValue(value)); });
  }
}

void ScheduleRouterChange(Time at, Ptr<nat::NatRoutingProtocol> router, const TimelineEvent& event,
                          const std::string& origin) {
  if (std::holds_alternative<FlushAction>(event.action)) {
    Simulator::Schedule(at, &nat::NatRoutingProtocol::FlushConnections, router);
    return;
  }
  if (const auto* config = std::get_if<ConfigAction>(&event.action)) {
    Simulator::Schedule(at, config->kind == ConfigAction::Kind::Save ? &nat::NatRoutingProtocol::SaveConfig
                                                                     : &nat::NatRoutingProtocol::FactoryReset,
                        router);
    return;
  }
  // Both kinds of set go through the router's ChangeKnob, which applies the knob's declared
  // semantics (at once, for new sessions only, or after a reboot). The name and value are
  // checked now, against the router as built, so a bad one is a load error naming its line
  // rather than an exception in the middle of the simulation.
  const auto& set = std::get<SetAction>(event.action);
  std::string name = set.attribute;
  if (set.object != "router") {
    Ptr<alg::AlgModel> alg = router->GetAlgModel();
    if (!alg) throw ScenarioError(origin + ": set " + set.knob + ": this router has no ALG (vendor none) to set");
    if (!alg->HasKnob(set.attribute)) {
      std::string valid;
      for (const auto& k : alg->Knobs()) valid += (valid.empty() ? "" : ", ") + k.name;
      throw ScenarioError(origin + ": set " + set.knob + ": the ALG " + alg->Name() + " has no knob '" +
                          set.attribute + "' (valid: " + valid + ")");
    }
    Ptr<alg::AlgModel> changed;
    try {
      changed = alg::CreateAlgModel(alg->Name(), {{set.attribute, set.value}});
    } catch (const alg::AlgConfigError& e) {
      throw ScenarioError(origin + ": set " + set.knob + ": " + e.what());
    }
    // A vendor knob that sets router knobs changes them too, as router knobs change.
    for (const auto& [attribute, value] : RouterChangesOf(*changed, set.attribute)) {
      Simulator::Schedule(at, [router, attribute = attribute, value = value] {
        router->ChangeKnob(attribute, value);
      });
    }
    name = "alg." + set.attribute;
  }
  try {
    (void)router->KnobSemanticsOf(name);
  } catch (const std::invalid_argument& e) {
    throw ScenarioError(origin + ": set " + set.knob + ": " + e.what());
  }
  const std::string value = set.value;
  Simulator::Schedule(at, [router, name, value] { router->ChangeKnob(name, value); });
}

void ScenarioSimulation::Schedule() {
  if (m_scheduled) throw std::logic_error("ScenarioSimulation::Schedule: called twice");
  if (m_options.networkOnly) throw std::logic_error("ScenarioSimulation::Schedule: a network-only simulation has no timeline");
  m_scheduled = true;
  // Before the timeline's events at the same time, so the window sees what they do.
  if (m_options.measureFrom > 0) {
    Simulator::Schedule(ns3::Seconds(m_options.measureFrom), &probes::ObservationCollector::OpenWindowNow,
                        m_collector.get());
    Simulator::Schedule(ns3::Seconds(m_options.measureFrom), &AlgActivitySink::OpenWindow, m_algSink.get());
  }
  for (const auto& ev : m_spec.timeline) {
    const Time at = ns3::Seconds(ev.at);
    if (const auto* w = std::get_if<WatchAction>(&ev.action)) {
      m_collector->ExpectBlfWatch("phone-" + w->watcher, w->target);
      Simulator::Schedule(at, &SipPhone::Watch, m_phones.at(w->watcher), w->target);
    } else if (const auto* c = std::get_if<CallAction>(&ev.action)) {
      Simulator::Schedule(at, &SipPhone::Call, m_phones.at(c->from), c->to, ns3::Seconds(c->duration));
    } else if (const auto* in = std::get_if<InboundAction>(&ev.action)) {
      Simulator::Schedule(at, &SipProvider::PlaceInboundCall, m_provider, in->did, ns3::Seconds(in->duration));
    } else if (std::holds_alternative<RebootAction>(ev.action)) {
      Simulator::Schedule(at, &nat::NatRoutingProtocol::Reboot, m_router);
    } else if (const auto* h = std::get_if<HoldAction>(&ev.action)) {
      Simulator::Schedule(at, &SipPhone::Hold, m_phones.at(h->phone),
                          h->style == "zero-address" ? SipPhone::HoldStyle::ZeroAddress : SipPhone::HoldStyle::SendOnly);
    } else if (const auto* res = std::get_if<ResumeAction>(&ev.action)) {
      Simulator::Schedule(at, &SipPhone::Resume, m_phones.at(res->phone));
    } else if (const auto* m = std::get_if<MuteAction>(&ev.action)) {
      Simulator::Schedule(at, &SipPhone::Mute, m_phones.at(m->phone), ns3::Seconds(m->duration));
    } else if (const auto* link = std::get_if<LinkAction>(&ev.action)) {
      for (const auto& end : m_net.linkOutages.at(link->link))
        Simulator::Schedule(at, &LinkOutageErrorModel::SetDown, end, !link->up);
    } else if (const auto* power = std::get_if<ReregisterAction>(&ev.action)) {
      Simulator::Schedule(at, &SipEndpoint::Reboot, m_phones.at(power->phone), ns3::Seconds(power->downtime));
    } else if (const auto* set = std::get_if<SetAction>(&ev.action); set && set->object.rfind("router", 0) != 0) {
      ScheduleEndpointChange(at, *set, ev);
    } else {
      ScheduleRouterChange(at, m_router, ev,
                           !ev.origin.empty() ? ev.origin
                                              : m_spec.file + (ev.line ? ":" + std::to_string(ev.line) : std::string()));
    }
  }
}

void ScenarioSimulation::Run() {
  if (m_ran) throw std::logic_error("ScenarioSimulation::Run: called twice");
  if (!m_scheduled) Schedule();
  m_ran = true;
  Simulator::Stop(ns3::Seconds(m_spec.duration));
  Simulator::Run();
  m_collector->Finish();
}

RunResult ScenarioSimulation::Report() {
  if (!m_ran) throw std::logic_error("ScenarioSimulation::Report: Run() first");
  RunResult result;
  result.simulatedSeconds = Simulator::Now().GetSeconds();
  result.routerPacketsForwarded = m_router->GetPacketsForwarded();
  const probes::ObservationLog& log = m_collector->Log();
  const probes::SymptomReport report = probes::BuildSymptomReport(log);
  // With a window, the symptoms are those of what happened from its time on.
  const std::vector<probes::SymptomResult> symptoms =
      log.Window() ? probes::DetectAllSymptoms(*log.Window()) : report.symptoms;

  nlohmann::ordered_json j;
  j["scenario"] = m_spec.name;
  j["vendor"] = m_spec.router.vendor;
  j["seed"] = m_seed;
  j["remediated"] = false;
  const nlohmann::json alg = m_algSink->activity.ToJson();
  const nlohmann::json natDrops = m_algSink->natDrops.ToJson();
  j["symptoms"] = nlohmann::ordered_json::object();
  // A windowed symptom is attributed to what acted in the window.
  const nlohmann::json windowAlg = m_algSink->windowActivity ? m_algSink->windowActivity->ToJson() : alg;
  const nlohmann::json windowNatDrops = m_algSink->windowNatDrops ? m_algSink->windowNatDrops->ToJson() : natDrops;
  for (const auto& s : symptoms) {
    nlohmann::ordered_json entry;
    entry["present"] = s.present;
    for (const auto& [k, v] : s.evidence.items()) entry[k] = v;
    // What acted on the messages this symptom is about: the mechanism, the message, the field.
    if (s.present) entry["mechanisms"] = probes::SymptomMechanisms(s.name, windowAlg, windowNatDrops);
    j["symptoms"][s.name] = entry;
  }
  j["metrics"] = probes::ToJson(report.metrics);
  j["metrics"]["router_packets_forwarded"] = m_router->GetPacketsForwarded();
  j["metrics"]["router_packets_dropped"] = m_router->GetPacketsDropped();
  j["metrics"]["simulated_seconds"] = result.simulatedSeconds;
  j["alg"] = alg;
  // What the devices experienced before the measuring window (before a remediation).
  if (const probes::ObservationLog* before = log.BeforeWindow()) {
    j["symptoms_before_window"] = nlohmann::ordered_json::object();
    for (const auto& s : probes::DetectAllSymptoms(*before)) {
      nlohmann::ordered_json entry;
      entry["present"] = s.present;
      for (const auto& [k, v] : s.evidence.items()) entry[k] = v;
      j["symptoms_before_window"][s.name] = entry;
    }
  }
  // What the ALG did in the measuring window alone (a remediation's effect).
  if (m_algSink->windowActivity)
    j["alg_window"] = {{"dropped", windowAlg.value("dropped", 0)}, {"rewritten", windowAlg.value("rewritten", 0)}};
  j["nat"] = {{"drops", natDrops}};
  // The router's NAT as it was built: each router knob's value and where it came from
  // (default, vendor, vendor knob '<name>', scenario, router.alg.<name>).
  j["router"] = nlohmann::ordered_json::object();
  for (const EffectiveRouterKnob& k : m_routerKnobs) {
    j["router"][k.knob->leaf] = {{"value", k.text}, {"from", k.from}};
  }
  j["workarounds"] = m_options.workarounds;
  result.json = j;
  if (m_ladder) result.evidence = report::BuildRunEvidence(m_collector->Log(), *m_ladder, j["symptoms"], HostNames());
  if (!m_options.outDir.empty()) WriteResultFile(m_options.outDir, result.json);
  return result;
}

}  // namespace alglab::scenario
