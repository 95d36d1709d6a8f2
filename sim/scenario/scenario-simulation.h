#ifndef ALGLAB_SCENARIO_SCENARIO_SIMULATION_H
#define ALGLAB_SCENARIO_SCENARIO_SIMULATION_H

/// \file
/// One simulation of a scenario, in four stages the caller can step through:
///
///   ScenarioSimulation sim(spec, options);  // build: nodes, links, router, devices, probes
///   sim.Schedule();                         // the timeline
///   sim.Run();                              // the simulator, up to the scenario's duration
///   RunResult result = sim.Report();        // the seven symptoms and the metrics as JSON
///
/// ns-3 keeps one simulator per process, so only one ScenarioSimulation may exist at a time.
/// Each one starts from a clean ns-3 state and fixes every random stream, so several
/// simulations one after another in one process give the bytes fresh processes give.

#include "probes/observation-collector.h"
#include "probes/sip-ladder.h"
#include "sim/endpoints/sip-pbx.h"
#include "sim/endpoints/sip-phone.h"
#include "sim/endpoints/sip-provider.h"
#include "sim/nat/nat-router.h"
#include "sim/scenario/office-network.h"
#include "sim/scenario/scenario-runner.h"
#include "sim/scenario/scenario-spec.h"
#include "sim/scenario/sip-ladder-sink.h"
#include "sim/scenario/vendor-router-settings.h"

#include <ns3/nstime.h>
#include <ns3/ptr.h>

#include <map>
#include <memory>
#include <string>


namespace alglab::scenario {

class ScenarioSimulation {
 public:
  /// Build: resets ns-3's global state, seeds it, and creates the network, the router with its
  /// ALG, the provider, the PBX and the phones (through their helpers), with every knob of the
  /// spec applied as a TypeId attribute and every random stream fixed. Throws ScenarioError for
  /// bad input found only now (an ALG knob the vendor lacks), std::logic_error if another
  /// ScenarioSimulation is alive.
  ScenarioSimulation(const ScenarioSpec& spec, const RunOptions& options);
  /// Destroys the simulator and clears ns-3's global registries for the next simulation.
  ~ScenarioSimulation();
  ScenarioSimulation(const ScenarioSimulation&) = delete;
  ScenarioSimulation& operator=(const ScenarioSimulation&) = delete;

  /// Schedules the timeline's events. Throws ScenarioError naming file:line for a `set` the
  /// built objects refuse. Call once, before Run().
  void Schedule();
  /// Runs the simulator until the scenario's duration. Call once.
  void Run();
  /// The measured result. Writes pcaps (enabled at build) and, with an output directory,
  /// result.json there.
  RunResult Report();

  /// The built devices, for callers that attach their own trace sinks between the stages.
  ns3::Ptr<nat::NatRoutingProtocol> Router() const { return m_router; }
  ns3::Ptr<SipPbx> Pbx() const { return m_pbx; }
  ns3::Ptr<SipProvider> Provider() const { return m_provider; }
  /// The phone of `extension`; throws std::out_of_range for an unknown one.
  ns3::Ptr<SipPhone> Phone(const std::string& extension) const { return m_phones.at(extension); }
  const OfficeNetwork& Network() const { return m_net; }
  /// Every router knob as the router was built, with where its value came from.
  const std::vector<EffectiveRouterKnob>& RouterKnobs() const { return m_routerKnobs; }

 private:
  struct AlgActivitySink;

  void ResetGlobalState();
  void BuildRouter();
  void BuildServers();
  void BuildPhones();
  void FixRandomStreams();
  /// A name for each address the report's ladder may show ("phone-101", "provider", ...).
  std::map<std::string, std::string> HostNames() const;
  void ScheduleEndpointChange(ns3::Time at, const SetAction& set, const TimelineEvent& ev);
  [[noreturn]] void FailAt(const TimelineEvent& ev, const std::string& what) const;

  ScenarioSpec m_spec;
  RunOptions m_options;
  std::uint64_t m_seed = 1;
  OfficeNetwork m_net;
  ns3::Ptr<nat::NatRoutingProtocol> m_router;
  ns3::Ptr<SipProvider> m_provider;
  ns3::Ptr<SipPbx> m_pbx;
  std::map<std::string, ns3::Ptr<SipPhone>> m_phones;
  std::unique_ptr<probes::ObservationCollector> m_collector;
  std::unique_ptr<AlgActivitySink> m_algSink;
  std::unique_ptr<probes::SipLadder> m_ladder;  ///< with RunOptions::evidence
  std::unique_ptr<SipLadderSink> m_ladderSink;
  std::vector<EffectiveRouterKnob> m_routerKnobs;  ///< as the router was built, for the report
  bool m_scheduled = false;
  bool m_ran = false;
};

/// Schedules a timeline change of the router at `at`: `set` of a router knob (a
/// NatRoutingProtocol attribute) or of a vendor knob (`router.alg.<knob>`, an attribute of the
/// ALG hook installed at that time), or `flush`. Throws ScenarioError (naming `origin`, e.g.
/// "office.yaml:70") for a vendor knob the installed ALG lacks or refuses.
void ScheduleRouterChange(ns3::Time at, ns3::Ptr<nat::NatRoutingProtocol> router, const TimelineEvent& event,
                          const std::string& origin);

}  // namespace alglab::scenario

#endif
