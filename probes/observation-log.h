#ifndef ALGLAB_PROBES_OBSERVATION_LOG_H
#define ALGLAB_PROBES_OBSERVATION_LOG_H

// What the simulated devices experienced, as typed records. Plain C++ (no ns-3): the
// ObservationCollector fills it from trace sources during a run, and tests fill it by hand.
// Detectors only read it. Times are simulation seconds.
//
// Everything but RTP is kept as one record per event. RTP (about 50 packets per second per
// stream) is folded on arrival into one MediaStreamStats per (device, Call-ID): a few counters,
// first/last times and the list of long inter-arrival gaps. Individual packets are not kept.

#include "probes/per-second-counts.h"
#include "probes/rtp-reception.h"
#include "probes/thresholds.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace alglab::probes {

/// Which kind of device produced an observation; decides e.g. whether an alert is a handset.
enum class DeviceKind { Unknown, Phone, Pbx, Provider, Router };

/// Stable lower-case name: "unknown", "phone", "pbx", "provider", "router".
const char* ToString(DeviceKind kind);

/// A REGISTER transaction finished (final response or timeout) at `device`.
struct RegistrationRecord {
  double t = 0.0;
  std::string device;
  std::string registrar;
  bool success = false;
  std::uint16_t status = 0;  ///< SIP status; 408 for a timeout
};

/// `device` sent an initial INVITE toward `target`.
struct CallAttemptRecord {
  double t = 0.0;
  std::string device;
  std::string callId;
  std::string target;
};

/// `device` received an initial INVITE and alerted (on a phone: the handset rang).
struct AlertRecord {
  double t = 0.0;
  std::string device;
  std::string callId;
  std::string from;
};

enum class CallEventKind { Established, Ended };

/// A dialog was confirmed (detail = peer) or terminated (detail = reason) at `device`.
struct CallEventRecord {
  double t = 0.0;
  std::string device;
  std::string callId;
  CallEventKind kind = CallEventKind::Established;
  std::string detail;
};

/// A call toward a DID was placed (by the provider) or arrived (at the PBX).
struct InboundCallRecord {
  double t = 0.0;
  std::string device;
  std::string callId;
  std::string did;
};

/// The PBX offered inbound call `inboundCallId` to ring-group member `extension` on leg
/// `legCallId`; an empty leg means the member had no usable contact (it cannot ring).
struct ForkRecord {
  double t = 0.0;
  std::string pbx;
  std::string inboundCallId;
  std::string extension;
  std::string legCallId;
};

/// The PBX connected caller leg `callerCallId` to callee leg `calleeCallId` (the one that
/// answered) and relays media between them from now on.
struct BridgeRecord {
  double t = 0.0;
  std::string pbx;
  std::string callerCallId;
  std::string calleeCallId;
};

/// The PBX's own view of `extension`'s dialog state changed (RFC 4235 state name).
struct BlfTruthRecord {
  double t = 0.0;
  std::string pbx;
  std::string extension;
  std::string state;
};

/// Handset `watcher` received a NOTIFY; its lamp for `extension` now shows `state`.
struct BlfLampRecord {
  double t = 0.0;
  std::string watcher;
  std::string extension;
  std::string state;
};

/// The router rebooted.
struct RebootRecord {
  double t = 0.0;
};

/// Packets a network device's transmit queue dropped because it was full: the link behind it
/// was saturated (load), which no NAT or ALG causes.
struct QueueDropStats {
  std::uint64_t dropped = 0;
  double first = 0.0;  ///< time of the first drop
  double last = 0.0;   ///< time of the last drop
};

/// An inter-arrival gap in a received RTP stream: no packet arrived in (start, end).
struct RtpGap {
  double start = 0.0;
  double end = 0.0;
};

/// One device's media for one call, folded from its RtpSent / RtpReceived events.
/// Times are meaningful only when the matching count is above zero.
struct MediaStreamStats {
  std::string device;
  std::string callId;
  std::uint64_t packetsSent = 0;
  std::uint64_t packetsReceived = 0;
  double firstTx = 0.0;
  double lastTx = 0.0;
  double firstRx = 0.0;
  double lastRx = 0.0;
  /// Gaps between consecutive received packets longer than the log's gap-record threshold.
  std::vector<RtpGap> gaps;
  /// Gaps between consecutive sent packets longer than that threshold: the device's own
  /// silences (hold, mute, a relay leg with nothing to relay).
  std::vector<RtpGap> sendGaps;
  /// RFC 3550 receiver statistics of what arrived: loss, jitter, longest gap.
  RtpReception reception;
  /// Packets sent / received per whole second (the report's per-second plots).
  PerSecondCounts sentPerSecond;
  PerSecondCounts receivedPerSecond;
};

/// Everything the devices experienced during one run. Records keep their arrival order, which
/// the collector makes time order; detectors nevertheless sort what they read, so hand-built
/// logs may be in any order.
class ObservationLog {
 public:
  /// `gapRecordSeconds`: RTP inter-arrival gaps longer than this are kept in
  /// MediaStreamStats::gaps. Detectors can only see gaps at least this long, so keep it at or
  /// below the rtpGapSeconds they will use. Throws ObservationError if not finite and > 0.
  explicit ObservationLog(double gapRecordSeconds = Thresholds{}.rtpGapSeconds);

  double GapRecordSeconds() const { return m_gapRecordSeconds; }

  // --- device kinds (registered by the collector; first known kind wins) ---
  void SetDeviceKind(const std::string& device, DeviceKind kind);
  DeviceKind KindOf(const std::string& device) const;
  const std::map<std::string, DeviceKind>& DeviceKinds() const { return m_kinds; }
  /// True unless the device is known to be a PBX, provider or router (i.e. it may be a handset).
  bool IsHandset(const std::string& device) const;

  // --- events; every `t` must be finite, else ObservationError ---
  void OnRegistrationOutcome(double t, const std::string& device, const std::string& registrar,
                             bool success, std::uint16_t status);
  void OnCallAttempt(double t, const std::string& device, const std::string& callId,
                     const std::string& target);
  /// An endpoint alerted for an incoming INVITE ("IncomingCall"): an AlertRecord.
  void OnIncomingCall(double t, const std::string& device, const std::string& callId,
                      const std::string& from);
  void OnCallEstablished(double t, const std::string& device, const std::string& callId,
                         const std::string& peer);
  void OnCallEnded(double t, const std::string& device, const std::string& callId,
                   const std::string& reason);
  void OnInboundCallPlaced(double t, const std::string& provider, const std::string& callId,
                           const std::string& did);
  void OnInboundCallReceived(double t, const std::string& pbx, const std::string& callId,
                             const std::string& did);
  void OnCallForked(double t, const std::string& pbx, const std::string& inboundCallId,
                    const std::string& extension, const std::string& legCallId);
  void OnCallBridged(double t, const std::string& pbx, const std::string& callerCallId,
                     const std::string& calleeCallId);
  /// The PBX's truth for a BLF-monitored extension ("DialogState").
  void OnDialogState(double t, const std::string& pbx, const std::string& extension,
                     const std::string& state);
  /// A handset's lamp after a NOTIFY ("BlfNotify").
  void OnBlfNotify(double t, const std::string& watcher, const std::string& extension,
                   const std::string& state);
  void OnReboot(double t);
  /// The transmit queue named `queue` (e.g. "router-wan") dropped a packet: folded per queue,
  /// one map lookup per drop.
  void OnQueueDrop(double t, const std::string& queue);
  /// Per-packet: one hash lookup (skipped when the same stream repeats) and a few updates.
  void OnRtpSent(double t, const std::string& device, const std::string& callId,
                 std::uint16_t sequence);
  /// Per-packet: as OnRtpSent, plus one comparison to record a long gap and the RFC 3550
  /// receiver statistics (loss, jitter) from the sequence number and the RTP timestamp.
  void OnRtpReceived(double t, const std::string& device, const std::string& callId,
                     std::uint16_t sequence, std::uint32_t timestamp);

  /// Declares that handset `watcher` is configured to show a BLF lamp for `extension`. Without
  /// it a watcher is known only once it received a NOTIFY, so a subscription the ALG broke
  /// from the start would go unnoticed.
  void ExpectBlfWatch(const std::string& watcher, const std::string& extension);
  /// The observation ended at `t` (the simulation stop time); EndTime() is at least this.
  void MarkEnd(double t);

  // --- reading ---
  const std::vector<RegistrationRecord>& Registrations() const { return m_registrations; }
  const std::vector<CallAttemptRecord>& CallAttempts() const { return m_callAttempts; }
  const std::vector<AlertRecord>& Alerts() const { return m_alerts; }
  const std::vector<CallEventRecord>& CallEvents() const { return m_callEvents; }
  const std::vector<InboundCallRecord>& InboundPlaced() const { return m_inboundPlaced; }
  const std::vector<InboundCallRecord>& InboundReceived() const { return m_inboundReceived; }
  const std::vector<ForkRecord>& Forks() const { return m_forks; }
  const std::vector<BridgeRecord>& Bridges() const { return m_bridges; }
  const std::vector<BlfTruthRecord>& BlfTruth() const { return m_blfTruth; }
  const std::vector<BlfLampRecord>& BlfLamps() const { return m_blfLamps; }
  const std::vector<RebootRecord>& Reboots() const { return m_reboots; }
  /// Queue drops by queue name (only queues that dropped something), in name order.
  const std::map<std::string, QueueDropStats>& QueueDrops() const { return m_queueDrops; }
  /// RTP packets sent / received at or after the first router reboot (0 without a reboot):
  /// counted on the fly because streams keep no per-packet history.
  std::uint64_t RtpSentAfterFirstReboot() const { return m_rtpSentAfterReboot; }
  std::uint64_t RtpReceivedAfterFirstReboot() const { return m_rtpReceivedAfterReboot; }
  /// Streams in the order they were first seen (deterministic for a deterministic run).
  const std::vector<MediaStreamStats>& Streams() const { return m_streams; }
  /// The stream of (device, callId), or nullptr.
  const MediaStreamStats* FindStream(const std::string& device, const std::string& callId) const;
  const std::set<std::pair<std::string, std::string>>& ExpectedBlfWatches() const {
    return m_expectedWatches;
  }
  /// The later of MarkEnd() and the latest event time; 0 for an empty log.
  double EndTime() const;

  // --- a window: what happened from a time on (symptoms after a remediation) ---
  /// Opens the window at `t`, the current time (events arrive in time order): a second log
  /// that starts with what is still true at `t`, stamped `t` (device kinds, expected BLF
  /// watches, each lamp and each PBX state as last seen, calls established and not ended with
  /// the PBX bridges between them), and receives every event from now on. Detectors run on
  /// Window() judge only what happened from `t` on. Throws ObservationError if a window is
  /// open already or `t` is before the latest event.
  void OpenWindow(double t);
  /// The window, or nullptr if none was opened.
  const ObservationLog* Window() const { return m_window.get(); }
  /// Everything up to the window's time, as the log stood when the window opened (ended
  /// there), or nullptr if none was opened: what the devices experienced before it.
  const ObservationLog* BeforeWindow() const { return m_beforeWindow.get(); }

 private:
  void Note(double t);
  MediaStreamStats& StreamFor(const std::string& device, const std::string& callId);

  double m_gapRecordSeconds;
  double m_latest = 0.0;
  double m_markedEnd = 0.0;
  std::map<std::string, DeviceKind> m_kinds;
  std::vector<RegistrationRecord> m_registrations;
  std::vector<CallAttemptRecord> m_callAttempts;
  std::vector<AlertRecord> m_alerts;
  std::vector<CallEventRecord> m_callEvents;
  std::vector<InboundCallRecord> m_inboundPlaced;
  std::vector<InboundCallRecord> m_inboundReceived;
  std::vector<ForkRecord> m_forks;
  std::vector<BridgeRecord> m_bridges;
  std::vector<BlfTruthRecord> m_blfTruth;
  std::vector<BlfLampRecord> m_blfLamps;
  std::vector<RebootRecord> m_reboots;
  std::map<std::string, QueueDropStats> m_queueDrops;
  std::uint64_t m_rtpSentAfterReboot = 0;
  std::uint64_t m_rtpReceivedAfterReboot = 0;
  std::set<std::pair<std::string, std::string>> m_expectedWatches;

  std::vector<MediaStreamStats> m_streams;
  /// device -> callId -> index into m_streams. Nested so a lookup builds no key string.
  std::unordered_map<std::string, std::unordered_map<std::string, std::size_t>> m_streamIndex;
  /// The stream touched last: consecutive packets of one stream skip the hash lookups.
  std::size_t m_lastStream = kNoStream;
  static constexpr std::size_t kNoStream = static_cast<std::size_t>(-1);
  /// OpenWindow's log; every event is passed on to it. Shared, so a log stays copyable (a
  /// copy passes its events to the same window).
  std::shared_ptr<ObservationLog> m_window;
  /// The log as it stood when the window opened.
  std::shared_ptr<const ObservationLog> m_beforeWindow;
};

}  // namespace alglab::probes

#endif
