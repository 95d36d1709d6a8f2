#include "alg-models/linux-netfilter/sip-nat-rewriter.h"

#include "alg-models/contract/mechanisms/address-match.h"

#include <algorithm>
#include <string>

namespace alglab::linuxnf {

namespace {

/// IPv4 + UDP header bytes in front of the payload; the kernel refuses to grow a packet past
/// 65535 bytes in total.
constexpr std::size_t kHeaderBytes = 28;
constexpr std::size_t kMaxPacketBytes = 65535;

/// The kernel's "try this port, then up to 128 random ones" bound.
constexpr int kMaxPortAttempts = 128;

}  // namespace

SipNatRewriter::SipNatRewriter(ExpectationTable& table, const HelperConfig& config)
    : m_table(table), m_config(config), m_portRng(config.portSeed == 0 ? 1 : config.portSeed) {}

Ipv4 SipNatRewriter::Printed(const PacketContext& ctx, Ipv4 address) const {
  if (m_config.advertisedAddress != 0 && address == ctx.master.publicAddress) {
    return m_config.advertisedAddress;
  }
  return address;
}

bool SipNatRewriter::Mangle(PacketContext& ctx, std::size_t offset, std::size_t length,
                            std::string_view text) {
  std::string& msg = ctx.msg;
  if (offset > msg.size()) return false;
  length = std::min(length, msg.size() - offset);
  if (text.size() > length && msg.size() + (text.size() - length) + kHeaderBytes > kMaxPacketBytes) {
    return false;
  }
  msg.replace(offset, length, text.data(), text.size());
  return true;
}

bool SipNatRewriter::MapAddress(PacketContext& ctx, std::size_t offset, std::size_t length,
                                Ipv4 address, std::uint16_t port) {
  const ConntrackTuples& t = ctx.master.tuples;
  const CtDirection dir = ctx.dir;
  const CtDirection other = Opposite(dir);
  L4Endpoint replacement;
  // The kernel's predicate is the shared exact one: text names this very source or destination.
  constexpr alg::AddressMatch kExact = alg::AddressMatch::AddressAndPort;
  if (alg::AddressMatches(kExact, address, port, t.Src(dir).address, t.Src(dir).port, nullptr)) {
    replacement = t.Dst(other);
  } else if (alg::AddressMatches(kExact, address, port, t.Dst(dir).address, t.Dst(dir).port,
                                 nullptr)) {
    replacement.address = t.Src(other).address;
    replacement.port = ctx.master.forcedDport != 0 ? ctx.master.forcedDport : t.Src(other).port;
  } else {
    return true;  // not an address of this connection
  }
  if (replacement.address == address && replacement.port == port) return true;
  return Mangle(ctx, offset, length,
                FormatIpv4Port(Printed(ctx, replacement.address), replacement.port));
}

bool SipNatRewriter::MapHeaderUri(PacketContext& ctx, SipHeaderKind kind) {
  const UriResult uri =
      ParseSipHeaderUri(ctx.msg, nullptr, ctx.msg.size(), kind, nullptr, m_config.numberRules);
  if (uri.status <= 0) return true;
  return MapAddress(ctx, uri.offset, uri.length, uri.address, uri.port);
}

bool SipNatRewriter::RewriteMessage(PacketContext& ctx) {
  const ConntrackTuples& t = ctx.master.tuples;
  const CtDirection dir = ctx.dir;
  const CtDirection other = Opposite(dir);
  // Only "SIP/2.0" here (no space): the helper's own request/response test wants the space.
  const bool request = !EqualsNoCaseAt(ctx.msg, 0, "SIP/2.0");
  if (request) {
    const UriResult uri = ParseRequestUri(ctx.msg, ctx.msg.size(), m_config.numberRules);
    if (uri.status > 0 && !MapAddress(ctx, uri.offset, uri.length, uri.address, uri.port)) {
      return ctx.Fail(drop_reason::kCannotMangleSipMessage);
    }
  }

  const SipHeaderKind viaKind =
      t.protocol == kProtoTcp ? SipHeaderKind::ViaTcp : SipHeaderKind::ViaUdp;
  const UriResult via = ParseSipHeaderUri(ctx.msg, nullptr, ctx.msg.size(), viaKind, nullptr,
                                          m_config.numberRules);
  if (via.status > 0) {
    const L4Endpoint& own = request ? t.Src(dir) : t.Dst(dir);
    if (via.address == own.address && via.port == own.port) {
      const std::size_t sizeBefore = ctx.msg.size();
      if (!MapAddress(ctx, via.offset, via.length, via.address, via.port)) {
        return ctx.Fail(drop_reason::kCannotMangleVia);
      }
      // Parameters are searched from the end of the (rewritten) address. The kernel computes
      // this once: later parameter rewrites do not move it.
      const std::size_t paramsFrom = via.offset + via.length + ctx.msg.size() - sizeBefore;

      const ParamResult maddr = FindAddressParam(ctx.msg, paramsFrom, ctx.msg.size(), "maddr=");
      if (maddr.status > 0 && maddr.address == t.Src(dir).address &&
          maddr.address != t.Dst(other).address &&
          !Mangle(ctx, maddr.offset, maddr.length, FormatIpv4(Printed(ctx, t.Dst(other).address)))) {
        return ctx.Fail(drop_reason::kCannotMangleMaddr);
      }
      const ParamResult received =
          FindAddressParam(ctx.msg, paramsFrom, ctx.msg.size(), "received=");
      if (received.status > 0 && received.address == t.Dst(dir).address &&
          received.address != t.Src(other).address &&
          !Mangle(ctx, received.offset, received.length,
                  FormatIpv4(Printed(ctx, t.Src(other).address)))) {
        return ctx.Fail(drop_reason::kCannotMangleReceived);
      }
      const ParamResult rport =
          FindNumericParam(ctx.msg, paramsFrom, ctx.msg.size(), "rport=", m_config.numberRules);
      const auto rportValue = static_cast<std::uint16_t>(rport.number);  // htons() truncation
      const bool rportInRange = m_config.numberRules == NumberRules::Legacy ||
                                (rport.number >= 1024 && rport.number <= 65535);
      if (rport.status > 0 && rportInRange && rportValue == t.Dst(dir).port &&
          rportValue != t.Src(other).port &&
          !Mangle(ctx, rport.offset, rport.length, std::to_string(t.Src(other).port))) {
        return ctx.Fail(drop_reason::kCannotMangleRport);
      }
    }
  }

  // Every Contact value. The cursor is where the previous address ended *before* it was
  // rewritten, exactly as in the kernel, so a longer replacement shifts the next search start.
  std::size_t cursor = 0;
  bool inList = false;
  while (true) {
    const UriResult contact = ParseSipHeaderUri(ctx.msg, &cursor, ctx.msg.size(),
                                                SipHeaderKind::Contact, &inList,
                                                m_config.numberRules);
    if (contact.status <= 0) break;
    if (!MapAddress(ctx, contact.offset, contact.length, contact.address, contact.port)) {
      return ctx.Fail(drop_reason::kCannotMangleContact);
    }
  }

  if (!MapHeaderUri(ctx, SipHeaderKind::From) || !MapHeaderUri(ctx, SipHeaderKind::To)) {
    return ctx.Fail(drop_reason::kCannotMangleFromTo);
  }

  if (dir == CtDirection::Reply && ctx.master.forcedDport != 0) {
    ctx.redirectPort = ctx.master.forcedDport;
  }
  return true;
}

std::uint16_t SipNatRewriter::InsertOnFreePort(PacketContext& ctx, KernelExpectation& exp,
                                               std::uint16_t port) {
  const std::uint16_t first = port;
  const int range = 65535 - static_cast<int>(port);
  int attemptsLeft = std::min(range, kMaxPortAttempts);
  while (true) {
    exp.destination.port = port;
    const ExpectResult result = m_table.Insert(exp, /*anyMaster=*/false, ctx.now);
    if (result == ExpectResult::Inserted) return port;
    if (result != ExpectResult::Busy || --attemptsLeft < 0 || range <= 0) break;
    // The kernel draws uniformly from [first, 65535); any fixed-seed draw models it.
    port = static_cast<std::uint16_t>(first + m_portRng() % static_cast<unsigned>(range));
  }
  return 0;
}

bool SipNatRewriter::ExpectSignalling(PacketContext& ctx, KernelExpectation& exp,
                                      std::size_t offset, std::size_t length) {
  const ConntrackTuples& t = ctx.master.tuples;
  const CtDirection dir = ctx.dir;
  const CtDirection other = Opposite(dir);
  // The connection will come toward the public side of this one.
  const Ipv4 newAddress = t.Src(dir).address == t.Dst(other).address ? exp.destination.address
                                                                     : t.Dst(other).address;
  const std::uint16_t sourcePort =
      ctx.master.forcedDport != 0 ? ctx.master.forcedDport : t.Src(dir).port;
  // A Contact on the signalling port wants the connection's public port, others keep theirs.
  std::uint16_t port =
      exp.destination.port == sourcePort ? t.Dst(other).port : exp.destination.port;

  exp.saved = exp.destination;
  exp.destination.address = newAddress;
  exp.dir = other;
  port = InsertOnFreePort(ctx, exp, port);
  if (port == 0) return ctx.Fail(drop_reason::kAllPortsInUseSip);

  if (exp.destination != exp.saved &&
      !Mangle(ctx, offset, length, FormatIpv4Port(Printed(ctx, newAddress), port))) {
    m_table.Remove(exp.id);
    return ctx.Fail(drop_reason::kCannotManglePacket);
  }
  return true;
}

bool SipNatRewriter::ExpectMedia(PacketContext& ctx, KernelExpectation& rtp,
                                 KernelExpectation& rtcp, std::size_t mediaOffset,
                                 std::size_t mediaLength, Ipv4* rtpAddress) {
  const ConntrackTuples& t = ctx.master.tuples;
  const CtDirection dir = ctx.dir;
  const CtDirection other = Opposite(dir);
  *rtpAddress = t.Src(dir).address == t.Dst(other).address ? rtp.destination.address
                                                           : t.Dst(other).address;
  for (KernelExpectation* e : {&rtp, &rtcp}) {
    e->saved = e->destination;
    e->destination.address = *rtpAddress;
    e->dir = other;
  }

  // Keep the SDP's even port if both it and the next one are free, else try port + 2, ...
  std::uint16_t port = rtp.destination.port;
  for (; port != 0; port = static_cast<std::uint16_t>(port + 2)) {
    rtp.destination.port = port;
    ExpectResult result = m_table.Insert(rtp, /*anyMaster=*/true, ctx.now);
    if (result == ExpectResult::Busy) continue;
    if (result != ExpectResult::Inserted) {
      port = 0;
      break;
    }
    rtcp.destination.port = static_cast<std::uint16_t>(port + 1);
    result = m_table.Insert(rtcp, /*anyMaster=*/true, ctx.now);
    if (result == ExpectResult::Inserted) break;
    m_table.Remove(rtp.id);
    if (result == ExpectResult::Busy) continue;
    port = 0;
    break;
  }
  if (port == 0) return ctx.Fail(drop_reason::kAllPortsInUseSdp);

  if (rtp.destination.port != rtp.saved.port &&
      !RewriteSdpPort(ctx, mediaOffset, mediaLength, port)) {
    m_table.Remove(rtp.id);
    m_table.Remove(rtcp.id);
    return ctx.Fail(drop_reason::kCannotMangleSdpMessage);
  }
  return true;
}

bool SipNatRewriter::RewriteContentLength(PacketContext& ctx) {
  const ScanResult version =
      FindSdpLine(ctx.msg, 0, ctx.msg.size(), SdpLineKind::Version, SdpLineKind::Unspecified);
  if (version.status <= 0) return false;
  // The version value starts two bytes after the "v=" line start.
  const std::size_t sdpBytes = ctx.msg.size() - version.offset + 2;
  const ScanResult header =
      FindSipHeader(ctx.msg, 0, ctx.msg.size(), SipHeaderKind::ContentLength);
  if (header.status <= 0) return false;
  return Mangle(ctx, header.offset, header.length, std::to_string(sdpBytes));
}

int SipNatRewriter::RewriteSdpLine(PacketContext& ctx, std::size_t from, SdpLineKind kind,
                                   SdpLineKind stop, std::string_view text) {
  const ScanResult line = FindSdpLine(ctx.msg, from, ctx.msg.size(), kind, stop);
  if (line.status <= 0) return 1;
  return Mangle(ctx, line.offset, line.length, text) ? 0 : 2;
}

bool SipNatRewriter::RewriteSdpAddress(PacketContext& ctx, std::size_t from, SdpLineKind kind,
                                       SdpLineKind stop, Ipv4 address) {
  if (RewriteSdpLine(ctx, from, kind, stop, FormatIpv4(Printed(ctx, address))) != 0) return false;
  return RewriteContentLength(ctx);
}

bool SipNatRewriter::RewriteSdpPort(PacketContext& ctx, std::size_t offset, std::size_t length,
                                    std::uint16_t port) {
  if (!Mangle(ctx, offset, length, std::to_string(port))) return false;
  return RewriteContentLength(ctx);
}

bool SipNatRewriter::RewriteSdpSession(PacketContext& ctx, std::size_t sdpOffset, Ipv4 address) {
  const std::string text = FormatIpv4(Printed(ctx, address));
  if (RewriteSdpLine(ctx, sdpOffset, SdpLineKind::Owner, SdpLineKind::Media, text) != 0) {
    return false;
  }
  // A session c= line is optional (RFC 2327: not needed when every m= has one).
  if (RewriteSdpLine(ctx, sdpOffset, SdpLineKind::Connection, SdpLineKind::Media, text) == 2) {
    return false;
  }
  return RewriteContentLength(ctx);
}

}  // namespace alglab::linuxnf
