#include "sim/endpoints/media-session.h"

#include "sim/endpoints/audio-sdp.h"
#include "sim/sip/rtp-packet.h"

#include <ns3/inet-socket-address.h>
#include <ns3/log.h>
#include <ns3/simulator.h>
#include <ns3/udp-socket-factory.h>

NS_LOG_COMPONENT_DEFINE("AlglabMediaSession");

namespace alglab {

namespace {

constexpr std::uint8_t kPcmuSilence = 0xff;  // mu-law encoding of a zero sample
const ns3::Time kFrameInterval = ns3::MilliSeconds(20);

}  // namespace

MediaSession::MediaSession(ns3::Ptr<ns3::Node> node, std::uint16_t localPort, std::uint32_t seed,
                           Options options)
    : m_node(node),
      m_localPort(localPort),
      m_options(options),
      m_ssrc(seed),
      m_sequence(static_cast<std::uint16_t>((seed >> 7) ^ (seed >> 21))),
      m_timestamp(seed * 2654435761u) {
  m_frame.fill(kPcmuSilence);
}

MediaSession::~MediaSession() { Close(); }

void MediaSession::SetTraces(const std::string* device, std::string callId, const RtpTrace* sent,
                             const RtpTrace* received) {
  m_device = device;
  m_callId = std::move(callId);
  m_sentTrace = sent;
  m_receivedTrace = received;
}

bool MediaSession::Open() {
  if (m_rtpSocket) {
    return true;
  }
  m_rtpSocket = ns3::Socket::CreateSocket(m_node, ns3::UdpSocketFactory::GetTypeId());
  if (m_rtpSocket->Bind(ns3::InetSocketAddress(m_options.bindAddress, m_localPort)) != 0) {
    NS_LOG_WARN("cannot bind RTP port " << m_options.bindAddress << ":" << m_localPort);
    m_rtpSocket->Close();
    m_rtpSocket = nullptr;
    return false;
  }
  m_rtpSocket->SetRecvCallback(ns3::MakeCallback(&MediaSession::HandleRead, this));
  if (m_options.symmetric) {
    m_sendSocket = m_rtpSocket;
  } else {
    // Asymmetric handsets send from another port (here: an ephemeral one, on the same address);
    // whatever comes back to that port is never listened to.
    m_sendSocket = ns3::Socket::CreateSocket(m_node, ns3::UdpSocketFactory::GetTypeId());
    m_sendSocket->Bind(ns3::InetSocketAddress(m_options.bindAddress, 0));
    m_sendSocket->SetRecvCallback(ns3::MakeCallback(&MediaSession::Discard, this));
  }
  return true;
}

void MediaSession::Close() {
  Stop();
  m_relayPeer = nullptr;
  const auto nullRecv = ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>();
  if (m_sendSocket && m_sendSocket != m_rtpSocket) {
    m_sendSocket->SetRecvCallback(nullRecv);
    m_sendSocket->Close();
  }
  m_sendSocket = nullptr;
  if (m_rtpSocket) {
    m_rtpSocket->SetRecvCallback(nullRecv);
    m_rtpSocket->Close();
    m_rtpSocket = nullptr;
  }
}

std::uint16_t MediaSession::SendPort() const {
  if (!m_sendSocket) {
    return 0;
  }
  ns3::Address local;
  m_sendSocket->GetSockName(local);
  return ns3::InetSocketAddress::ConvertFrom(local).GetPort();
}

std::optional<TransportAddress> MediaSession::Target() const {
  if (m_latched) {
    return m_latched;
  }
  if (m_options.latching && m_options.waitForPeer == WaitForPeer::IfPrivateTarget && m_sdpRemote &&
      IsPrivateAddress(m_sdpRemote->ip)) {
    return std::nullopt;
  }
  return m_sdpRemote;
}

void MediaSession::RefreshTarget() {
  const auto t = Target();
  m_haveTarget = t.has_value();
  if (t) {
    m_target = ns3::InetSocketAddress(t->ip, t->port);
  }
}

void MediaSession::SetRemote(std::optional<TransportAddress> sdpAddress) {
  m_sdpRemote = sdpAddress;
  RefreshTarget();
}

void MediaSession::SetDirection(sip::MediaDirection ours) {
  m_direction = ours;
  StartClock(ns3::Time(0));  // a resume restarts the clock that hold stopped
}

void MediaSession::Start() {
  if (m_running) {
    return;
  }
  m_running = true;
  StartClock(m_options.startOffset);
}

bool MediaSession::ClockMayRun() const {
  return m_running && m_options.generate && DirectionSends(m_direction) &&
         (m_options.waitForPeer != WaitForPeer::Always || m_haveReceived);
}

void MediaSession::StartClock(ns3::Time delay) {
  if (ClockMayRun() && !m_sendEvent.IsRunning()) {
    m_sendEvent = ns3::Simulator::Schedule(delay, &MediaSession::SendNext, this);
  }
}

void MediaSession::Stop() {
  m_running = false;
  ns3::Simulator::Cancel(m_sendEvent);
}

void MediaSession::SendNext() {
  if (!m_running || !DirectionSends(m_direction)) {
    return;  // on hold: the clock stops; SetDirection restarts it
  }
  m_sendEvent = ns3::Simulator::Schedule(kFrameInterval, &MediaSession::SendNext, this);
  if (m_muted) {
    m_timestamp += sip::kG711TimestampStep;  // the audio clock runs on through the silence
    m_firstPacket = true;                    // the next packet starts a talkspurt
    return;
  }
  if (!m_haveTarget || !m_sendSocket) {
    return;
  }
  // RFC 3550 section 5.1 fixed header, written in place: V=2, no padding/extension/CSRC.
  m_frame[0] = 0x80;
  m_frame[1] = static_cast<std::uint8_t>((m_firstPacket ? 0x80 : 0x00) | 0);  // marker, PT 0
  m_frame[2] = static_cast<std::uint8_t>(m_sequence >> 8);
  m_frame[3] = static_cast<std::uint8_t>(m_sequence);
  for (int i = 0; i < 4; ++i) {
    m_frame[4 + i] = static_cast<std::uint8_t>(m_timestamp >> (24 - 8 * i));
    m_frame[8 + i] = static_cast<std::uint8_t>(m_ssrc >> (24 - 8 * i));
  }
  m_sendSocket->SendTo(ns3::Create<ns3::Packet>(m_frame.data(), m_frame.size()), 0, m_target);
  ++m_counters.sent;
  if (m_sentTrace) {
    (*m_sentTrace)(*m_device, m_callId, m_sequence, m_timestamp);
  }
  m_firstPacket = false;
  ++m_sequence;
  m_timestamp += sip::kG711TimestampStep;
}

void MediaSession::Forward(ns3::Ptr<ns3::Packet> packet, std::uint16_t sequence,
                           std::uint32_t timestamp) {
  if (!m_haveTarget || !m_sendSocket || !DirectionSends(m_direction)) {
    return;
  }
  m_sendSocket->SendTo(packet, 0, m_target);
  ++m_counters.sent;
  if (m_sentTrace) {
    (*m_sentTrace)(*m_device, m_callId, sequence, timestamp);
  }
}

void MediaSession::HandleRead(ns3::Ptr<ns3::Socket> socket) {
  ns3::Address from;
  std::uint8_t header[sip::RtpHeader::kSize];
  while (auto packet = socket->RecvFrom(from)) {
    if (packet->GetSize() < sip::RtpHeader::kSize) {
      ++m_counters.invalid;
      continue;
    }
    packet->CopyData(header, sizeof header);
    const auto rtp = sip::RtpHeader::Parse(header, sizeof header);
    if (!rtp) {
      ++m_counters.invalid;
      continue;
    }
    const auto inet = ns3::InetSocketAddress::ConvertFrom(from);
    const TransportAddress source{inet.GetIpv4(), inet.GetPort()};
    m_lastSource = source;
    if (m_options.latching && m_latched != source) {
      if (m_latched) {
        ++m_counters.relatched;  // the NAT binding moved: follow it like a comedia server does
      }
      m_latched = source;
      RefreshTarget();
    }
    if (!m_haveReceived) {
      m_haveReceived = true;
      // A session that waits for the peer starts talking the moment it hears it.
      StartClock(ns3::Time(0));
    } else if (rtp->sequence != static_cast<std::uint16_t>(m_lastReceivedSeq + 1)) {
      ++m_sequenceGaps;
    }
    m_lastReceivedSeq = rtp->sequence;
    ++m_counters.received;
    if (m_receivedTrace) {
      (*m_receivedTrace)(*m_device, m_callId, rtp->sequence, rtp->timestamp);
    }
    if (m_relayPeer) {
      m_relayPeer->Forward(packet, rtp->sequence, rtp->timestamp);
    }
  }
}

void MediaSession::Discard(ns3::Ptr<ns3::Socket> socket) {
  while (socket->Recv()) {
  }
}

}  // namespace alglab
