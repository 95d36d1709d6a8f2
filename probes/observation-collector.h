#ifndef ALGLAB_PROBES_OBSERVATION_COLLECTOR_H
#define ALGLAB_PROBES_OBSERVATION_COLLECTOR_H

// The ns-3 side of the probes: a trace sink for every endpoint and router trace source that
// writes what happened, stamped with Simulator::Now(), into an ObservationLog. It connects by
// trace-source name only (see sim/endpoints/endpoint-traces.h), so it needs neither the
// endpoint nor the router classes, and it never reads a model's internal state.

#include "probes/observation-log.h"
#include "probes/thresholds.h"

#include <ns3/callback.h>
#include <ns3/nstime.h>
#include <ns3/object.h>
#include <ns3/ptr.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace alglab::probes {

/// Wires devices' trace sources into an ObservationLog. Keep it alive for as long as the
/// devices can fire (until Simulator::Destroy); its destructor disconnects every sink it
/// connected, so destroying it earlier is safe too.
class ObservationCollector {
 public:
  /// `gapRecordSeconds`: see ObservationLog. Throws ObservationError if not finite and > 0.
  explicit ObservationCollector(double gapRecordSeconds = Thresholds{}.rtpGapSeconds);
  ~ObservationCollector();
  ObservationCollector(const ObservationCollector&) = delete;
  ObservationCollector& operator=(const ObservationCollector&) = delete;

  /// Connects an alglab::SipPhone: the endpoint sources plus "BlfNotify".
  /// Throws ProbeWiringError (nothing connected) for a null object, a missing source or an
  /// object added before. The same holds for every Add method.
  void AddPhone(ns3::Ptr<ns3::Object> phone);
  /// Connects an alglab::SipPbx: the endpoint sources plus "CallForked", "CallBridged", "InboundCall",
  /// "DialogState".
  void AddPbx(ns3::Ptr<ns3::Object> pbx);
  /// Connects an alglab::SipProvider: the endpoint sources plus "InboundCallPlaced".
  void AddProvider(ns3::Ptr<ns3::Object> provider);
  /// Connects the router's "Reboot" source, assumed to be TracedCallback<ns3::Time>.
  void AddRouter(ns3::Ptr<ns3::Object> router);
  /// As AddRouter, for a "Reboot" source with another signature, e.g.
  /// AddRouterWithRebootSignature<>() for TracedCallback<>. The arguments are ignored: a
  /// reboot's time is Simulator::Now(). ns-3 aborts (NS_FATAL_ERROR) on a signature mismatch.
  template <typename... RebootArgs>
  void AddRouterWithRebootSignature(ns3::Ptr<ns3::Object> router) {
    ConnectAll(router, DeviceKind::Router,
               {{"Reboot", ns3::MakeCallback(&ObservationCollector::RebootSignal<RebootArgs...>,
                                             this)}});
  }

  /// Connects the "Drop" trace of a network device's transmit queue (an ns3::Queue<Packet>, or
  /// the ns3::QueueDisc in front of a device),
  /// recording its drops under `name` (e.g. "router-wan"): evidence that a symptom came from
  /// load, not from the router. Throws ProbeWiringError for a null object, an empty name, an
  /// object without a "Drop" source or one added before.
  void AddQueue(const std::string& name, ns3::Ptr<ns3::Object> queue);

  /// Declares a handset's configured BLF key (ObservationLog::ExpectBlfWatch): device
  /// configuration, so a subscription broken from the start is still noticed.
  void ExpectBlfWatch(const std::string& watcher, const std::string& extension);

  /// The router rebooted now. The sink behind every "Reboot" connection.
  void OnRouterReboot();

  /// Marks the end of the observation at Simulator::Now(); call after Simulator::Run().
  void Finish();
  /// Opens the log's window now (ObservationLog::OpenWindow): symptoms measured from now on.
  void OpenWindowNow();

  const ObservationLog& Log() const { return m_log; }

 private:
  class DeviceSink;
  struct SourceBinding {
    std::string source;
    ns3::CallbackBase callback;
  };
  struct Connection {
    ns3::Ptr<ns3::Object> object;
    std::string source;
    ns3::CallbackBase callback;
  };

  template <typename... Ignored>
  void RebootSignal(Ignored...) {
    OnRouterReboot();
  }

  /// The endpoint sources every SIP device has, bound to `sink`.
  static std::vector<SourceBinding> EndpointBindings(DeviceSink* sink);
  DeviceSink* NewSink(DeviceKind kind);
  class QueueSink;
  /// Checks every source exists first (so a failure connects nothing), then connects.
  void ConnectAll(ns3::Ptr<ns3::Object> object, DeviceKind kind,
                  const std::vector<SourceBinding>& bindings);

  ObservationLog m_log;
  std::vector<std::unique_ptr<DeviceSink>> m_sinks;
  std::vector<Connection> m_connections;
  /// Objects connected so far: a second Add of one would record every event twice.
  std::set<const ns3::Object*> m_connected;
  std::vector<std::unique_ptr<QueueSink>> m_queueSinks;
};

}  // namespace alglab::probes

#endif
