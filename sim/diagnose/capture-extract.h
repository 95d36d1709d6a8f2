#ifndef ALGLAB_DIAGNOSE_CAPTURE_EXTRACT_H
#define ALGLAB_DIAGNOSE_CAPTURE_EXTRACT_H

// From UDP datagrams and TCP segments to what the diagnosis reasons about: SIP messages (parsed
// by sim/sip, TCP streams reassembled in order and framed by Content-Length) and RTP flows
// (per 5-tuple: packet times). Segments come one at a time, in capture order.

#include "sim/diagnose/captured-segment.h"
#include "sim/sip/sip-message.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace alglab::diagnose {

/// One SIP message as it crossed the capture point.
struct SipRecord {
  std::uint64_t frame = 0;  ///< the frame that completed it (TCP: the last segment)
  double time = 0;
  Transport transport = Transport::Udp;
  std::uint32_t srcIp = 0, dstIp = 0;
  std::uint16_t srcPort = 0, dstPort = 0;
  std::string raw;          ///< the bytes of this message as captured
  sip::SipMessage message;
  /// The Content-Length header as written, when present; the parser keeps only the body.
  std::optional<std::size_t> declaredContentLength;
  std::size_t bytesAfterHeaders = 0;  ///< UDP: every byte after the blank line
};

struct FlowKey {
  std::uint32_t srcIp = 0, dstIp = 0;
  std::uint16_t srcPort = 0, dstPort = 0;
  bool operator<(const FlowKey& o) const {
    return std::tie(srcIp, srcPort, dstIp, dstPort) < std::tie(o.srcIp, o.srcPort, o.dstIp, o.dstPort);
  }
};

/// UDP packets of one direction that look like RTP (version 2, not RTCP).
struct RtpFlow {
  FlowKey key;
  std::uint64_t firstFrame = 0, lastFrame = 0;
  std::vector<double> times;  ///< arrival times in capture order
  std::uint32_t ssrc = 0;
};

/// A datagram or stream frame that looked like SIP but did not parse.
struct SipDefect {
  std::uint64_t frame = 0;
  std::string error;
};

struct ExtractCounts {
  std::uint64_t sipMessages = 0;
  std::uint64_t sipDefects = 0;
  std::uint64_t keepalives = 0;      ///< CRLF keepalives (UDP or TCP)
  std::uint64_t rtpPackets = 0;
  std::uint64_t rtpDropped = 0;      ///< RTP beyond the memory bound (not analysed)
  std::uint64_t otherUdp = 0;
  std::uint64_t tcpOutOfOrderDropped = 0;  ///< segments beyond a stream's reordering window
  std::uint64_t tcpBytesUnframed = 0;      ///< stream bytes left when the capture ended
  std::uint64_t tcpNotSipStreams = 0;      ///< streams whose first bytes were not SIP
};

class CaptureExtractor {
 public:
  void Add(CapturedSegment&& segment);
  /// Ends every TCP stream (bytes still buffered are counted as unframed).
  void Finish();

  const std::vector<SipRecord>& Sip() const { return m_sip; }
  const std::map<FlowKey, RtpFlow>& Rtp() const { return m_rtp; }
  const std::vector<SipDefect>& Defects() const { return m_defects; }
  const ExtractCounts& Counts() const { return m_counts; }
  double FirstTime() const { return m_firstTime; }
  double LastTime() const { return m_lastTime; }

  /// Memory bounds: RTP packet times kept, out-of-order TCP segments held per stream.
  static constexpr std::size_t kMaxRtpPackets = 4'000'000;
  static constexpr std::size_t kMaxHeldSegments = 256;
  static constexpr std::size_t kMaxDefectsKept = 100;

 private:
  struct TcpStream {
    bool started = false;
    std::uint32_t nextSeq = 0;
    std::map<std::uint32_t, CapturedSegment> held;  ///< out-of-order segments by seq
    std::string buffer;  ///< in-order bytes not yet framed
    bool notSip = false;   ///< its first bytes were not SIP (TLS, HTTP, ...): ignored
    bool sawData = false;  ///< any payload byte taken yet
  };
  void AddUdp(CapturedSegment& segment);
  void AddTcp(CapturedSegment& segment);
  void DrainStream(TcpStream& stream, const CapturedSegment& last);
  void AddSip(const CapturedSegment& where, std::string raw, bool fromStream);
  void AddDefect(std::uint64_t frame, std::string error);

  std::vector<SipRecord> m_sip;
  std::map<FlowKey, RtpFlow> m_rtp;
  std::map<FlowKey, TcpStream> m_streams;
  std::vector<SipDefect> m_defects;
  ExtractCounts m_counts;
  std::size_t m_rtpKept = 0;
  double m_firstTime = 0, m_lastTime = 0;
  bool m_any = false;
};

/// True when the bytes start like a SIP request line or status line.
bool LooksLikeSip(const std::string& payload);

}  // namespace alglab::diagnose

#endif
