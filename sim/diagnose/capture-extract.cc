#include "sim/diagnose/capture-extract.h"

#include "sim/sip/message-framer.h"
#include "sim/sip/rtp-packet.h"

#include <cctype>

namespace alglab::diagnose {

namespace {

bool IsKeepalive(const std::string& payload) {
  if (payload.empty() || payload.size() > 4) return false;
  for (char c : payload)
    if (c != '\r' && c != '\n' && c != '\0') return false;
  return true;
}

/// The Content-Length header's digits as written in the head, or nullopt.
std::optional<std::size_t> DeclaredContentLength(const sip::SipMessage& message) {
  const auto value = message.Get("Content-Length");
  if (!value) return std::nullopt;
  std::size_t n = 0;
  bool any = false;
  for (char c : *value) {
    if (c == ' ' || c == '\t') continue;
    if (c < '0' || c > '9' || n > 100'000'000) return std::nullopt;
    n = n * 10 + std::size_t(c - '0');
    any = true;
  }
  return any ? std::optional<std::size_t>(n) : std::nullopt;
}

std::size_t BytesAfterHeaders(const std::string& raw) {
  auto end = raw.find("\r\n\r\n");
  if (end != std::string::npos) return raw.size() - end - 4;
  end = raw.find("\n\n");
  return end == std::string::npos ? 0 : raw.size() - end - 2;
}

/// Sequence-number order with wrap-around (RFC 1982 style, 32 bits).
std::int32_t SeqDiff(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b); }

}  // namespace

bool LooksLikeSip(const std::string& payload) {
  if (payload.rfind("SIP/2.0 ", 0) == 0) return true;
  // A request line: an upper-case token, a space, then a URI scheme.
  std::size_t i = 0;
  while (i < payload.size() && i < 32 && std::isupper(static_cast<unsigned char>(payload[i]))) ++i;
  if (i < 3 || i >= payload.size() || payload[i] != ' ') return false;
  const std::string rest = payload.substr(i + 1, 5);
  return rest.rfind("sip:", 0) == 0 || rest.rfind("sips:", 0) == 0 || rest.rfind("tel:", 0) == 0;
}

void CaptureExtractor::Add(CapturedSegment&& segment) {
  if (!m_any) m_firstTime = segment.time, m_any = true;
  m_lastTime = segment.time;
  if (segment.transport == Transport::Udp)
    AddUdp(segment);
  else
    AddTcp(segment);
}

void CaptureExtractor::AddDefect(std::uint64_t frame, std::string error) {
  ++m_counts.sipDefects;
  if (m_defects.size() < kMaxDefectsKept) m_defects.push_back(SipDefect{frame, std::move(error)});
}

void CaptureExtractor::AddSip(const CapturedSegment& where, std::string raw, bool fromStream) {
  auto parsed = sip::ParseMessage(raw);
  if (!parsed) {
    AddDefect(where.frame, parsed.Error().ToString());
    return;
  }
  SipRecord record;
  record.frame = where.frame;
  record.time = where.time;
  record.transport = where.transport;
  record.srcIp = where.srcIp, record.dstIp = where.dstIp;
  record.srcPort = where.srcPort, record.dstPort = where.dstPort;
  record.message = std::move(parsed).Value();
  record.declaredContentLength = DeclaredContentLength(record.message);
  record.bytesAfterHeaders = fromStream ? record.message.Body().size() : BytesAfterHeaders(raw);
  record.raw = std::move(raw);
  ++m_counts.sipMessages;
  m_sip.push_back(std::move(record));
}

void CaptureExtractor::AddUdp(CapturedSegment& segment) {
  if (IsKeepalive(segment.payload)) {
    ++m_counts.keepalives;
    return;
  }
  if (LooksLikeSip(segment.payload)) {
    std::string raw = std::move(segment.payload);
    AddSip(segment, std::move(raw), false);
    return;
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(segment.payload.data());
  const auto rtp = sip::RtpHeader::Parse(bytes, segment.payload.size());
  // RTCP shares version 2; its packet types 200-204 read as marker + payload type 72-76.
  const bool rtcp = segment.payload.size() >= 2 && bytes[1] >= 200 && bytes[1] <= 204;
  if (!rtp || rtcp) {
    ++m_counts.otherUdp;
    return;
  }
  ++m_counts.rtpPackets;
  if (m_rtpKept >= kMaxRtpPackets) {
    ++m_counts.rtpDropped;
    return;
  }
  ++m_rtpKept;
  const FlowKey key{segment.srcIp, segment.dstIp, segment.srcPort, segment.dstPort};
  auto& flow = m_rtp[key];
  if (flow.times.empty()) flow.key = key, flow.firstFrame = segment.frame, flow.ssrc = rtp->ssrc;
  flow.lastFrame = segment.frame;
  flow.times.push_back(segment.time);
}

void CaptureExtractor::AddTcp(CapturedSegment& segment) {
  const FlowKey key{segment.srcIp, segment.dstIp, segment.srcPort, segment.dstPort};
  auto& stream = m_streams[key];
  if (segment.tcpSyn) {
    // A new connection on this 4-tuple restarts the stream.
    stream = TcpStream{};
    stream.started = true;
    stream.nextSeq = segment.tcpSeq + 1;
    return;
  }
  if (segment.tcpRst) {
    m_counts.tcpBytesUnframed += stream.buffer.size();
    stream = TcpStream{};
    return;
  }
  if (segment.payload.empty() || stream.notSip) return;
  if (!stream.started) {
    // The capture began in the middle of the connection: start at this segment.
    stream.started = true;
    stream.nextSeq = segment.tcpSeq;
  }
  const std::int32_t ahead = SeqDiff(segment.tcpSeq, stream.nextSeq);
  if (ahead > 0) {
    if (stream.held.size() >= kMaxHeldSegments) {
      ++m_counts.tcpOutOfOrderDropped;
      return;
    }
    stream.held.emplace(segment.tcpSeq, std::move(segment));
    return;
  }
  // A retransmission or an overlap: keep only bytes not seen yet.
  const std::size_t seen = static_cast<std::size_t>(-ahead);
  if (seen >= segment.payload.size()) return;
  // A stream's first bytes decide whether it carries SIP (a capture that starts in the middle
  // of a message loses that stream, and says so in the counts).
  if (!stream.sawData && seen == 0 && !LooksLikeSip(segment.payload) &&
      segment.payload.find_first_not_of("\r\n") != std::string::npos) {
    stream.notSip = true;
    ++m_counts.tcpNotSipStreams;
    return;
  }
  stream.sawData = true;
  stream.buffer.append(segment.payload, seen, std::string::npos);
  stream.nextSeq += static_cast<std::uint32_t>(segment.payload.size() - seen);
  // Segments held for later that now fit.
  for (auto it = stream.held.begin(); it != stream.held.end();) {
    const std::int32_t gap = SeqDiff(it->first, stream.nextSeq);
    if (gap > 0) {
      ++it;
      continue;
    }
    const std::size_t skip = static_cast<std::size_t>(-gap);
    if (skip < it->second.payload.size()) {
      stream.buffer.append(it->second.payload, skip, std::string::npos);
      stream.nextSeq += static_cast<std::uint32_t>(it->second.payload.size() - skip);
    }
    it = stream.held.erase(it);
    it = stream.held.begin();
  }
  DrainStream(stream, segment);
}

void CaptureExtractor::DrainStream(TcpStream& stream, const CapturedSegment& last) {
  for (;;) {
    const sip::StreamFrame frame = sip::FirstStreamFrame(stream.buffer);
    switch (frame.kind) {
      case sip::StreamFrame::Kind::Incomplete:
        return;
      case sip::StreamFrame::Kind::Keepalive:
        ++m_counts.keepalives;
        stream.buffer.erase(0, frame.length);
        break;
      case sip::StreamFrame::Kind::Message:
        AddSip(last, stream.buffer.substr(0, frame.length), true);
        stream.buffer.erase(0, frame.length);
        break;
      case sip::StreamFrame::Kind::Defective:
        // Nothing after an undelimitable frame can be trusted on this stream.
        AddDefect(last.frame, "TCP stream bytes that cannot be framed as SIP");
        m_counts.tcpBytesUnframed += stream.buffer.size();
        stream.buffer.clear();
        return;
    }
  }
}

void CaptureExtractor::Finish() {
  for (auto& [key, stream] : m_streams) m_counts.tcpBytesUnframed += stream.buffer.size(), stream.buffer.clear();
}

}  // namespace alglab::diagnose
