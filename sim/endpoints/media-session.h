#ifndef ALGLAB_ENDPOINTS_MEDIA_SESSION_H
#define ALGLAB_ENDPOINTS_MEDIA_SESSION_H

// One RTP stream endpoint of a call: G.711 PCMU, 20 ms frames (160 payload bytes, timestamp
// +160), sequence numbers and SSRC from a deterministic seed. Used three ways:
//  - a handset or the provider generating and receiving audio (generate = true);
//  - one leg of a PBX media relay (generate = false, RelayTo the other leg), like Asterisk
//    with directmedia=no;
//  - with latching (comedia, RFC 4961 symmetric RTP seen from the server side): once RTP
//    arrives, send to its source instead of the SDP address.
// Hot path: one scheduler event per generated packet, a reused frame buffer, no strings.

#include "sim/endpoints/transport-address.h"
#include "sim/sip/sdp.h"

#include <ns3/address.h>
#include <ns3/event-id.h>
#include <ns3/ipv4-address.h>
#include <ns3/node.h>
#include <ns3/nstime.h>
#include <ns3/packet.h>
#include <ns3/ptr.h>
#include <ns3/socket.h>
#include <ns3/traced-callback.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace alglab {

/// (device, callId, sequence, timestamp) — see traces::RtpPacket.
using RtpTrace =
    ns3::TracedCallback<const std::string&, const std::string&, std::uint16_t, std::uint32_t>;

class MediaSession {
 public:
  /// When a generating session waits for the peer's RTP before sending its own.
  enum class WaitForPeer {
    Never,  ///< the 20 ms clock starts at Start(), packets go to the SDP address at once
    /// With latching: send nothing to a private (RFC 1918) SDP address until RTP has arrived
    /// and latched the target. A server on the public internet knows such an address is
    /// unreachable (the peer is behind NAT), so, like rtpengine or Kamailio's NAT helpers, it
    /// waits for the peer's first packet instead of spraying RTP at it. Endpoints whose own
    /// address is public get this instead of Never.
    IfPrivateTarget,
    /// Whatever the SDP address: no packet, and no clock, until the peer's first RTP packet
    /// arrives; then the 20 ms clock starts at once. A media server that waits to hear the
    /// caller before it plays anything (typical of comedia servers), so the peer always opens
    /// the path through its NAT.
    Always,
  };

  struct Options {
    bool symmetric = true;  ///< send from the port we receive on (else from a second socket)
    bool latching = false;  ///< send to where RTP comes from once it has arrived
    bool generate = true;   ///< originate a 50 packet/s stream (false: relay/receive only)
    /// Who sends first: whether we wait for the peer's first RTP packet of the call.
    WaitForPeer waitForPeer = WaitForPeer::Never;
    /// Local address RTP is sent from and received at; any (the default) lets the route pick
    /// the source, as a host with one address does. A device with a separate media address
    /// (a provider's media server) binds to it.
    ns3::Ipv4Address bindAddress = ns3::Ipv4Address::GetAny();
    /// Delay from Start() to the first generated packet. A handset's audio clock has no
    /// relation to the simulator's: endpoints draw this in [0, 20 ms) so that streams started
    /// by simultaneous events do not all send in the same instant of every 20 ms cycle.
    ns3::Time startOffset = ns3::Time(0);
  };

  struct Counters {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    std::uint64_t invalid = 0;      ///< datagrams that are not RTP version 2
    std::uint64_t relatched = 0;    ///< latch target changed after the first latch
  };

  /// `seed` fixes SSRC, first sequence number and first timestamp.
  MediaSession(ns3::Ptr<ns3::Node> node, std::uint16_t localPort, std::uint32_t seed,
               Options options);
  ~MediaSession();
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;

  /// Trace sinks fired per packet; `device` must outlive the session (the endpoint's name).
  void SetTraces(const std::string* device, std::string callId, const RtpTrace* sent,
                 const RtpTrace* received);
  /// Binds the RTP socket (and the separate send socket when not symmetric).
  bool Open();
  void Close();

  /// Address from the peer's SDP (nullopt: none / hold). Latching overrides it once RTP arrives.
  void SetRemote(std::optional<TransportAddress> sdpAddress);
  /// Our direction (after offer/answer): whether we send and whether we accept.
  void SetDirection(sip::MediaDirection ours);
  sip::MediaDirection Direction() const { return m_direction; }
  /// Starts the 20 ms packet clock after Options::startOffset (generating sessions only;
  /// with WaitForPeer::Always, once the peer's first RTP packet has arrived); idempotent.
  void Start();
  void Stop();
  /// Silence suppression (RFC 3551 section 4.1): while muted the 20 ms clock runs and the RTP
  /// timestamp advances, but no packet is sent; the first packet after it carries the marker
  /// bit (the start of a talkspurt). Nothing is signalled: the peer just hears no packets.
  void SetMuted(bool muted) { m_muted = muted; }
  bool IsMuted() const { return m_muted; }
  /// Relay mode: every RTP packet received here leaves through `peer` (nullptr detaches).
  /// Both sides must detach before either is destroyed.
  void RelayTo(MediaSession* peer) { m_relayPeer = peer; }

  std::uint16_t LocalPort() const { return m_localPort; }
  /// Port our RTP leaves from (LocalPort when symmetric).
  std::uint16_t SendPort() const;
  /// Where we currently send: latched source, else SDP address.
  std::optional<TransportAddress> Target() const;
  bool IsLatched() const { return m_latched.has_value(); }
  std::optional<TransportAddress> LastSource() const { return m_lastSource; }
  std::uint32_t Ssrc() const { return m_ssrc; }
  const Counters& GetCounters() const { return m_counters; }
  std::uint16_t LastReceivedSequence() const { return m_lastReceivedSeq; }
  /// Received packets whose sequence number was not previous + 1.
  std::uint64_t SequenceGaps() const { return m_sequenceGaps; }

 private:
  void SendNext();
  void HandleRead(ns3::Ptr<ns3::Socket> socket);
  void Discard(ns3::Ptr<ns3::Socket> socket);
  void Forward(ns3::Ptr<ns3::Packet> packet, std::uint16_t sequence, std::uint32_t timestamp);
  void RefreshTarget();
  /// Whether the 20 ms clock should tick now: running, generating, sending, and not waiting
  /// for the peer (WaitForPeer::Always before its first packet).
  bool ClockMayRun() const;
  /// Schedules the next SendNext after `delay` unless the clock is stopped or already ticking.
  void StartClock(ns3::Time delay);

  ns3::Ptr<ns3::Node> m_node;
  std::uint16_t m_localPort;
  Options m_options;
  ns3::Ptr<ns3::Socket> m_rtpSocket;
  ns3::Ptr<ns3::Socket> m_sendSocket;  // == m_rtpSocket when symmetric
  std::optional<TransportAddress> m_sdpRemote;
  std::optional<TransportAddress> m_latched;
  std::optional<TransportAddress> m_lastSource;
  ns3::Address m_target;  // pre-built socket address of the current target
  bool m_haveTarget = false;
  sip::MediaDirection m_direction = sip::MediaDirection::SendRecv;
  MediaSession* m_relayPeer = nullptr;

  std::array<std::uint8_t, 12 + 160> m_frame{};
  std::uint32_t m_ssrc;
  std::uint16_t m_sequence;
  std::uint32_t m_timestamp;
  bool m_firstPacket = true;
  bool m_running = false;
  bool m_muted = false;
  ns3::EventId m_sendEvent;

  const std::string* m_device = nullptr;
  std::string m_callId;
  const RtpTrace* m_sentTrace = nullptr;
  const RtpTrace* m_receivedTrace = nullptr;
  Counters m_counters;
  std::uint16_t m_lastReceivedSeq = 0;
  bool m_haveReceived = false;
  std::uint64_t m_sequenceGaps = 0;
};

}  // namespace alglab

#endif
