#include "probes/observation-collector.h"

#include "probes/probe-errors.h"
#include "sim/endpoints/endpoint-traces.h"

#include <ns3/packet.h>
#include <ns3/queue-disc.h>
#include <ns3/simulator.h>
#include <ns3/string.h>
#include <ns3/type-id.h>

#include <cstdint>

namespace alglab::probes {

namespace {

double NowSeconds() { return ns3::Simulator::Now().GetSeconds(); }

/// Compiles only when a sink method takes exactly the arguments of the trace signature, so a
/// change in endpoint-traces.h breaks the build here instead of aborting a run.
template <typename C, typename... A>
constexpr bool SameArguments(void (C::*)(A...), void (*)(A...)) {
  return true;
}

/// Every trace source `tid` and its parents declare, for the error message.
std::string ListTraceSources(ns3::TypeId tid) {
  std::string names;
  for (;;) {
    for (std::size_t i = 0; i < tid.GetTraceSourceN(); ++i) {
      names += (names.empty() ? "" : ", ") + tid.GetTraceSource(i).name;
    }
    ns3::TypeId parent = tid.GetParent();
    if (parent == tid) {
      break;
    }
    tid = parent;
  }
  return names.empty() ? "none" : names;
}

}  // namespace

/// The sinks of one connected device. Each device gets its own so that events can carry the
/// device kind (which decides, e.g., whether an alert is a handset ringing) without a lookup.
class ObservationCollector::DeviceSink {
 public:
  DeviceSink(ObservationLog& log, DeviceKind kind) : m_log(log), m_kind(kind) {}

  void OnRegistrationOutcome(const std::string& device, const std::string& registrar,
                             bool success, std::uint16_t status) {
    m_log.SetDeviceKind(device, m_kind);
    m_log.OnRegistrationOutcome(NowSeconds(), device, registrar, success, status);
  }
  void OnCallAttempt(const std::string& device, const std::string& callId,
                     const std::string& target) {
    m_log.SetDeviceKind(device, m_kind);
    m_log.OnCallAttempt(NowSeconds(), device, callId, target);
  }
  void OnIncomingCall(const std::string& device, const std::string& callId,
                      const std::string& from) {
    m_log.SetDeviceKind(device, m_kind);
    m_log.OnIncomingCall(NowSeconds(), device, callId, from);
  }
  void OnCallEstablished(const std::string& device, const std::string& callId,
                         const std::string& peer) {
    m_log.SetDeviceKind(device, m_kind);
    m_log.OnCallEstablished(NowSeconds(), device, callId, peer);
  }
  void OnCallEnded(const std::string& device, const std::string& callId,
                   const std::string& reason) {
    m_log.SetDeviceKind(device, m_kind);
    m_log.OnCallEnded(NowSeconds(), device, callId, reason);
  }
  // RTP sinks skip the kind bookkeeping: they fire ~50 times a second per stream, and every
  // media-carrying device has already announced itself with CallEstablished.
  void OnRtpSent(const std::string& device, const std::string& callId, std::uint16_t seq,
                 std::uint32_t /*timestamp: the receiver's figures need it, the sender's not*/) {
    m_log.OnRtpSent(NowSeconds(), device, callId, seq);
  }
  void OnRtpReceived(const std::string& device, const std::string& callId, std::uint16_t seq,
                     std::uint32_t timestamp) {
    m_log.OnRtpReceived(NowSeconds(), device, callId, seq, timestamp);
  }
  void OnCallForked(const std::string& pbx, const std::string& inboundCallId,
                    const std::string& extension, const std::string& legCallId) {
    m_log.SetDeviceKind(pbx, m_kind);
    m_log.OnCallForked(NowSeconds(), pbx, inboundCallId, extension, legCallId);
  }
  void OnCallBridged(const std::string& pbx, const std::string& callerCallId,
                     const std::string& calleeCallId) {
    m_log.SetDeviceKind(pbx, m_kind);
    m_log.OnCallBridged(NowSeconds(), pbx, callerCallId, calleeCallId);
  }
  void OnInboundCall(const std::string& device, const std::string& callId,
                     const std::string& did) {
    m_log.SetDeviceKind(device, m_kind);
    if (m_kind == DeviceKind::Provider) {
      m_log.OnInboundCallPlaced(NowSeconds(), device, callId, did);
    } else {
      m_log.OnInboundCallReceived(NowSeconds(), device, callId, did);
    }
  }
  void OnDialogState(const std::string& pbx, const std::string& extension,
                     const std::string& state) {
    m_log.SetDeviceKind(pbx, m_kind);
    m_log.OnDialogState(NowSeconds(), pbx, extension, state);
  }
  void OnBlfNotify(const std::string& watcher, const std::string& extension,
                   const std::string& state) {
    m_log.SetDeviceKind(watcher, m_kind);
    m_log.OnBlfNotify(NowSeconds(), watcher, extension, state);
  }

 private:
  ObservationLog& m_log;
  DeviceKind m_kind;
};

/// The drop sink of one named queue.
class ObservationCollector::QueueSink {
 public:
  QueueSink(ObservationLog& log, std::string name) : m_log(log), m_name(std::move(name)) {}
  /// For an ns3::Queue<Packet> (Item = Packet) or an ns3::QueueDisc (Item = QueueDiscItem).
  template <typename Item>
  void OnDrop(ns3::Ptr<const Item>) {
    m_log.OnQueueDrop(NowSeconds(), m_name);
  }

 private:
  ObservationLog& m_log;
  std::string m_name;
};

ObservationCollector::ObservationCollector(double gapRecordSeconds) : m_log(gapRecordSeconds) {
  static_assert(SameArguments(&DeviceSink::OnRegistrationOutcome, traces::RegistrationOutcome{}));
  static_assert(SameArguments(&DeviceSink::OnCallAttempt, traces::CallAttempt{}));
  static_assert(SameArguments(&DeviceSink::OnIncomingCall, traces::IncomingCall{}));
  static_assert(SameArguments(&DeviceSink::OnCallEstablished, traces::CallEvent{}));
  static_assert(SameArguments(&DeviceSink::OnCallEnded, traces::CallEvent{}));
  static_assert(SameArguments(&DeviceSink::OnRtpSent, traces::RtpPacket{}));
  static_assert(SameArguments(&DeviceSink::OnRtpReceived, traces::RtpPacket{}));
  static_assert(SameArguments(&DeviceSink::OnCallForked, traces::CallForked{}));
  static_assert(SameArguments(&DeviceSink::OnCallBridged, traces::CallBridged{}));
  static_assert(SameArguments(&DeviceSink::OnInboundCall, traces::InboundCall{}));
  static_assert(SameArguments(&DeviceSink::OnDialogState, traces::BlfState{}));
  static_assert(SameArguments(&DeviceSink::OnBlfNotify, traces::BlfState{}));
}

ObservationCollector::~ObservationCollector() {
  for (Connection& c : m_connections) {
    c.object->TraceDisconnectWithoutContext(c.source, c.callback);
  }
}

std::vector<ObservationCollector::SourceBinding> ObservationCollector::EndpointBindings(
    DeviceSink* sink) {
  return {
      {"RegistrationOutcome", ns3::MakeCallback(&DeviceSink::OnRegistrationOutcome, sink)},
      {"CallAttempt", ns3::MakeCallback(&DeviceSink::OnCallAttempt, sink)},
      {"IncomingCall", ns3::MakeCallback(&DeviceSink::OnIncomingCall, sink)},
      {"CallEstablished", ns3::MakeCallback(&DeviceSink::OnCallEstablished, sink)},
      {"CallEnded", ns3::MakeCallback(&DeviceSink::OnCallEnded, sink)},
      {"RtpSent", ns3::MakeCallback(&DeviceSink::OnRtpSent, sink)},
      {"RtpReceived", ns3::MakeCallback(&DeviceSink::OnRtpReceived, sink)},
  };
}

ObservationCollector::DeviceSink* ObservationCollector::NewSink(DeviceKind kind) {
  m_sinks.push_back(std::make_unique<DeviceSink>(m_log, kind));
  return m_sinks.back().get();
}

void ObservationCollector::AddPhone(ns3::Ptr<ns3::Object> phone) {
  DeviceSink* sink = NewSink(DeviceKind::Phone);
  auto bindings = EndpointBindings(sink);
  bindings.push_back({"BlfNotify", ns3::MakeCallback(&DeviceSink::OnBlfNotify, sink)});
  ConnectAll(phone, DeviceKind::Phone, bindings);
}

void ObservationCollector::AddPbx(ns3::Ptr<ns3::Object> pbx) {
  DeviceSink* sink = NewSink(DeviceKind::Pbx);
  auto bindings = EndpointBindings(sink);
  bindings.push_back({"CallForked", ns3::MakeCallback(&DeviceSink::OnCallForked, sink)});
  bindings.push_back({"CallBridged", ns3::MakeCallback(&DeviceSink::OnCallBridged, sink)});
  bindings.push_back({"InboundCall", ns3::MakeCallback(&DeviceSink::OnInboundCall, sink)});
  bindings.push_back({"DialogState", ns3::MakeCallback(&DeviceSink::OnDialogState, sink)});
  ConnectAll(pbx, DeviceKind::Pbx, bindings);
}

void ObservationCollector::AddProvider(ns3::Ptr<ns3::Object> provider) {
  DeviceSink* sink = NewSink(DeviceKind::Provider);
  auto bindings = EndpointBindings(sink);
  bindings.push_back(
      {"InboundCallPlaced", ns3::MakeCallback(&DeviceSink::OnInboundCall, sink)});
  ConnectAll(provider, DeviceKind::Provider, bindings);
}

void ObservationCollector::AddRouter(ns3::Ptr<ns3::Object> router) {
  AddRouterWithRebootSignature<ns3::Time>(router);
}

void ObservationCollector::ConnectAll(ns3::Ptr<ns3::Object> object, DeviceKind kind,
                                      const std::vector<SourceBinding>& bindings) {
  const std::string what = std::string("ObservationCollector: ") + ToString(kind);
  if (!object) {
    throw ProbeWiringError(what + ": null object");
  }
  if (m_connected.count(PeekPointer(object)) != 0) {
    // A second set of sinks would record every event twice.
    throw ProbeWiringError(what + ": object already added");
  }
  ns3::TypeId tid = object->GetInstanceTypeId();
  for (const SourceBinding& b : bindings) {
    if (!tid.LookupTraceSourceByName(b.source)) {
      throw ProbeWiringError(what + " " + tid.GetName() + " has no trace source \"" + b.source +
                             "\" (it has: " + ListTraceSources(tid) + ")");
    }
  }
  // Devices often carry their "Name" attribute before they fire anything: registering it now
  // makes a device that never fires show up with the right kind.
  ns3::StringValue name;
  if (object->GetAttributeFailSafe("Name", name) && !name.Get().empty()) {
    m_log.SetDeviceKind(name.Get(), kind);
  }
  for (const SourceBinding& b : bindings) {
    if (!object->TraceConnectWithoutContext(b.source, b.callback)) {
      throw ProbeWiringError(what + " " + tid.GetName() + ": connecting \"" + b.source +
                             "\" failed");
    }
    m_connections.push_back({object, b.source, b.callback});
  }
  m_connected.insert(PeekPointer(object));
}

void ObservationCollector::AddQueue(const std::string& name, ns3::Ptr<ns3::Object> queue) {
  const std::string what = "ObservationCollector: queue " + name;
  if (!queue || name.empty()) {
    throw ProbeWiringError(what + ": null object or empty name");
  }
  if (m_connected.count(PeekPointer(queue)) != 0) {
    throw ProbeWiringError(what + ": object already added");
  }
  ns3::TypeId tid = queue->GetInstanceTypeId();
  if (!tid.LookupTraceSourceByName("Drop")) {
    throw ProbeWiringError(what + " " + tid.GetName() + " has no trace source \"Drop\" (it has: " +
                           ListTraceSources(tid) + ")");
  }
  m_queueSinks.push_back(std::make_unique<QueueSink>(m_log, name));
  QueueSink* sink = m_queueSinks.back().get();
  // Both kinds of queue have a "Drop" source; they differ in what they carry.
  const bool isQueueDisc = tid.IsChildOf(ns3::QueueDisc::GetTypeId());
  ns3::CallbackBase cb =
      isQueueDisc ? ns3::CallbackBase(ns3::MakeCallback(&QueueSink::OnDrop<ns3::QueueDiscItem>, sink))
                  : ns3::CallbackBase(ns3::MakeCallback(&QueueSink::OnDrop<ns3::Packet>, sink));
  if (!queue->TraceConnectWithoutContext("Drop", cb)) {
    throw ProbeWiringError(what + ": connecting \"Drop\" failed");
  }
  m_connections.push_back({queue, "Drop", cb});
  m_connected.insert(PeekPointer(queue));
}

void ObservationCollector::ExpectBlfWatch(const std::string& watcher,
                                          const std::string& extension) {
  m_log.ExpectBlfWatch(watcher, extension);
}

void ObservationCollector::OnRouterReboot() { m_log.OnReboot(NowSeconds()); }

void ObservationCollector::Finish() { m_log.MarkEnd(NowSeconds()); }

void ObservationCollector::OpenWindowNow() { m_log.OpenWindow(NowSeconds()); }

}  // namespace alglab::probes
