#include "alg-models/linux-netfilter/sip-conntrack-helper.h"

#include "alg-models/contract/mechanisms/source-restriction.h"

#include "alg-models/linux-netfilter/sdp-scanner.h"
#include "alg-models/linux-netfilter/sip-scanner.h"

#include <string_view>

namespace alglab::linuxnf {

namespace {

enum Method : int { kInvite, kUpdate, kAck, kPrack, kBye, kRegister, kMethodCount };

struct MethodSpec {
  std::string_view name;
  bool handlesRequest;
  bool handlesResponse;
};

/// The helper's handler table, in the kernel's order (the first match wins).
constexpr MethodSpec kMethods[kMethodCount] = {
    {"INVITE", true, true}, {"UPDATE", true, true},  {"ACK", true, false},
    {"PRACK", true, true},  {"BYE", true, false},    {"REGISTER", true, true},
};

struct MediaSpec {
  std::string_view prefix;  ///< type and the space after it, matched case-sensitively
  ExpectClass klass;
};
constexpr MediaSpec kMediaTypes[] = {
    {"audio ", ExpectClass::Audio},
    {"video ", ExpectClass::Video},
    {"image ", ExpectClass::Image},
};
/// The kernel stops after as many counted m= lines as it knows media types.
constexpr int kMaxMediaLines = 3;

bool IsSuccessOrProvisional(std::uint32_t code) { return code >= 100 && code <= 299; }

}  // namespace

SipConntrackHelper::SipConntrackHelper(ExpectationTable& table, const HelperConfig& config)
    : m_table(table), m_config(config), m_rewriter(table, config) {}

bool SipConntrackHelper::Process(PacketContext& ctx) {
  if (ctx.msg.size() < kMinSipBytes) return true;
  const bool ok = EqualsNoCaseAt(ctx.msg, 0, "SIP/2.0 ") ? ProcessResponse(ctx)
                                                         : ProcessRequest(ctx);
  if (!ok) return false;
  if (ctx.master.tuples.IsNatted()) return m_rewriter.RewriteMessage(ctx);
  return true;
}

std::optional<std::uint32_t> SipConntrackHelper::ReadCseq(PacketContext& ctx, std::size_t* end) {
  const ScanResult cseq = FindSipHeader(ctx.msg, 0, ctx.msg.size(), SipHeaderKind::CSeq);
  if (cseq.status <= 0) {
    ctx.Fail(drop_reason::kCannotParseCseq);
    return std::nullopt;
  }
  const ParsedNumber number = ReadNumber(ctx.msg, cseq.offset, ctx.msg.size(), Rules());
  const auto value = static_cast<std::uint32_t>(number.value);
  const bool unreadable = Rules() == NumberRules::Bounded
                              ? number.end == cseq.offset
                              : value == 0 && ByteAt(ctx.msg, cseq.offset) != '0';
  if (unreadable) {
    ctx.Fail(drop_reason::kCannotGetCseq);
    return std::nullopt;
  }
  if (end != nullptr) *end = cseq.offset + cseq.length;
  return value;
}

bool SipConntrackHelper::ProcessRequest(PacketContext& ctx) {
  const ConntrackTuples& t = ctx.master.tuples;
  // Phones that send from a high port but listen on the Via port: remember it (the kernel looks
  // at UDP Vias only, whatever the transport).
  const UriResult via = ParseSipHeaderUri(ctx.msg, nullptr, ctx.msg.size(),
                                          SipHeaderKind::ViaUdp, nullptr, Rules());
  if (via.status > 0 && via.port != t.Src(ctx.dir).port &&
      via.address == t.Src(ctx.dir).address) {
    ctx.master.forcedDport = via.port;
  }

  for (int m = 0; m < kMethodCount; ++m) {
    const MethodSpec& spec = kMethods[m];
    if (!spec.handlesRequest) continue;
    if (ctx.msg.size() < spec.name.size() + 2 || !EqualsNoCaseAt(ctx.msg, 0, spec.name)) continue;
    if (ctx.msg[spec.name.size()] != ' ' || !KernelIsAlpha(ctx.msg[spec.name.size() + 1])) {
      continue;
    }
    const std::optional<std::uint32_t> cseq = ReadCseq(ctx, nullptr);
    if (!cseq) return false;
    return HandleRequest(m, ctx, *cseq);
  }
  return true;
}

bool SipConntrackHelper::ProcessResponse(PacketContext& ctx) {
  const auto code = static_cast<std::uint32_t>(ReadNumber(ctx.msg, 8, ctx.msg.size(), Rules()).value);
  if (code == 0) return ctx.Fail(drop_reason::kCannotGetCode);
  std::size_t cseqEnd = 0;
  const std::optional<std::uint32_t> cseq = ReadCseq(ctx, &cseqEnd);
  if (!cseq) return false;
  const std::size_t methodAt = cseqEnd + 1;  // assumes exactly one space after the number
  for (int m = 0; m < kMethodCount; ++m) {
    const MethodSpec& spec = kMethods[m];
    if (!spec.handlesResponse) continue;
    if (ctx.msg.size() < methodAt + spec.name.size() ||
        !EqualsNoCaseAt(ctx.msg, methodAt, spec.name)) {
      continue;
    }
    return HandleResponse(m, ctx, *cseq, code);
  }
  return true;
}

bool SipConntrackHelper::HandleRequest(int method, PacketContext& ctx, std::uint32_t cseq) {
  switch (method) {
    case kInvite: {
      m_table.Flush(ctx.master.id, /*media=*/true, ctx.now);
      if (!ProcessSdp(ctx)) return false;
      ctx.master.inviteCseq = cseq;
      return true;
    }
    case kUpdate:
    case kAck:
    case kPrack:
      return ProcessSdp(ctx);
    case kBye:
      m_table.Flush(ctx.master.id, /*media=*/true, ctx.now);
      return true;
    case kRegister:
      return ProcessRegisterRequest(ctx, cseq);
    default:
      return true;
  }
}

bool SipConntrackHelper::HandleResponse(int method, PacketContext& ctx, std::uint32_t cseq,
                                        std::uint32_t code) {
  if (method == kRegister) return ProcessRegisterResponse(ctx, cseq, code);
  // INVITE, UPDATE and PRACK responses alike.
  if (IsSuccessOrProvisional(code)) return ProcessSdp(ctx);
  if (ctx.master.inviteCseq == cseq) m_table.Flush(ctx.master.id, /*media=*/true, ctx.now);
  return true;
}

bool SipConntrackHelper::ProcessSdp(PacketContext& ctx) {
  const bool natted = ctx.master.tuples.IsNatted();
  const ScanResult version =
      FindSdpLine(ctx.msg, 0, ctx.msg.size(), SdpLineKind::Version, SdpLineKind::Unspecified);
  if (version.status <= 0) return true;
  const std::size_t sdpOffset = version.offset;

  // Session-level connection address: up to the first m= line.
  const SdpAddress session = FindSdpAddress(ctx.msg, sdpOffset, ctx.msg.size(),
                                            SdpLineKind::Connection, SdpLineKind::Media);
  const bool haveSession = session.status > 0;
  // Zero is what an unfixed kernel built with zeroed stack variables passes along.
  Ipv4 rtpAddress = 0;
  bool haveRtpAddress = false;
  if (m_config.sessionAddressFix && haveSession) {
    rtpAddress = session.address;
    haveRtpAddress = true;
  }

  std::size_t mediaOffset = sdpOffset;
  for (int counted = 0; counted < kMaxMediaLines;) {
    const ScanResult media = FindSdpLine(ctx.msg, mediaOffset, ctx.msg.size(),
                                         SdpLineKind::Media, SdpLineKind::Unspecified);
    if (media.status <= 0) break;
    mediaOffset = media.offset;
    std::size_t mediaLength = media.length;

    const MediaSpec* type = nullptr;
    for (const MediaSpec& candidate : kMediaTypes) {
      if (mediaLength >= candidate.prefix.size() &&
          EqualsAt(ctx.msg, mediaOffset, candidate.prefix)) {
        type = &candidate;
        break;
      }
    }
    if (type == nullptr) {  // unknown media types are skipped and not counted
      mediaOffset += mediaLength;
      continue;
    }
    mediaOffset += type->prefix.size();
    mediaLength -= type->prefix.size();

    const auto port =
        static_cast<std::uint32_t>(ReadNumber(ctx.msg, mediaOffset, ctx.msg.size(), Rules()).value);
    if (port == 0) continue;  // an inactive (or unreadable) stream is not counted either
    if (port < 1024 || port > 65535) return ctx.Fail(drop_reason::kWrongPort);

    // A media-level c= line overrides the session's.
    const SdpAddress mediaAddress = FindSdpAddress(ctx.msg, mediaOffset, ctx.msg.size(),
                                                   SdpLineKind::Connection, SdpLineKind::Media);
    const bool haveMediaAddress = mediaAddress.status > 0;
    if (haveMediaAddress) {
      rtpAddress = mediaAddress.address;
    } else if (haveSession) {
      rtpAddress = session.address;
    } else {
      return ctx.Fail(drop_reason::kCannotParseSdp);
    }
    haveRtpAddress = true;

    if (!ExpectRtpRtcp(ctx, &rtpAddress, static_cast<std::uint16_t>(port), type->klass,
                       mediaOffset, mediaLength)) {
      return ctx.Fail(drop_reason::kCannotAddVoiceExpectation);
    }
    if (haveMediaAddress && natted &&
        !m_rewriter.RewriteSdpAddress(ctx, mediaOffset, SdpLineKind::Connection,
                                      SdpLineKind::Media, rtpAddress)) {
      return ctx.Fail(drop_reason::kCannotMangleSdp);
    }
    ++counted;
  }

  if (natted && (haveRtpAddress || !m_config.sessionAddressFix) &&
      !m_rewriter.RewriteSdpSession(ctx, sdpOffset, rtpAddress)) {
    return ctx.Fail(drop_reason::kSilentSdpSession);
  }
  return true;
}

bool SipConntrackHelper::ExpectRtpRtcp(PacketContext& ctx, Ipv4* address, std::uint16_t port,
                                       ExpectClass klass, std::size_t mediaOffset,
                                       std::size_t mediaLength) {
  const ConntrackTuples& t = ctx.master.tuples;
  const CtDirection dir = ctx.dir;
  const bool natted = t.IsNatted();

  bool sourceMasked = false;
  Ipv4 source = 0;
  if (m_config.directMedia) {
    // Only SDP describing the sender's own address opens media pinholes, and only the
    // signalling peer may use them (the shared source restriction).
    if (*address != t.Src(dir).address) return true;
    const std::optional<std::uint32_t> only = alg::RestrictedSource(
        alg::SourceRestriction::SignallingPeer, t.Src(Opposite(dir)).address, std::nullopt);
    sourceMasked = only.has_value();
    source = only.value_or(0);
  } else if (m_config.externalMedia && m_config.mediaBesideDestination &&
             m_config.mediaBesideDestination(ctx.master, dir, *address)) {
    return true;
  }

  // The same media may already be expected by another connection (a call forked to several
  // phones, or two phones behind this router calling each other). If that pinhole was NATed,
  // both ends can reach each other directly: advertise the inside address instead.
  L4Endpoint lookup{*address, port};
  bool direct = false;
  bool skip = false;
  while (!skip) {
    const KernelExpectation* other =
        m_table.FindAdmitting(sourceMasked ? source : 0, lookup, kProtoUdp, ctx.now);
    if (other == nullptr || other->master == ctx.master.id || other->klass != klass) break;
    if (!direct && other->saved != other->destination && natted) {
      *address = other->saved.address;
      lookup = other->saved;
      direct = true;
    } else {
      skip = true;
    }
  }

  const auto basePort = static_cast<std::uint16_t>(lookup.port & ~1U);
  if (direct && !m_rewriter.RewriteSdpPort(ctx, mediaOffset, mediaLength, basePort)) return false;
  if (skip) return true;

  KernelExpectation rtp;
  rtp.master = ctx.master.id;
  rtp.klass = klass;
  rtp.protocol = kProtoUdp;
  rtp.sourceMasked = sourceMasked;
  rtp.source.address = source;
  rtp.destination = L4Endpoint{*address, basePort};
  KernelExpectation rtcp = rtp;
  rtcp.destination.port = static_cast<std::uint16_t>(basePort + 1);

  if (natted && !direct) {
    return m_rewriter.ExpectMedia(ctx, rtp, rtcp, mediaOffset, mediaLength, address);
  }
  // Identical pinholes of another media type or connection count as already there.
  const ExpectResult first = m_table.Insert(rtp, /*anyMaster=*/true, ctx.now);
  if (first == ExpectResult::Inserted || first == ExpectResult::Already) {
    const ExpectResult second = m_table.Insert(rtcp, /*anyMaster=*/true, ctx.now);
    if (second == ExpectResult::Inserted || second == ExpectResult::Already) return true;
    if (first == ExpectResult::Inserted) m_table.Remove(rtp.id);
  }
  return false;
}

std::optional<std::uint8_t> SipConntrackHelper::ContactTransport(const PacketContext& ctx,
                                                                 std::size_t from) const {
  const std::uint8_t own = ctx.master.tuples.protocol;
  const ParamResult param = FindParam(ctx.msg, from, ctx.msg.size(), "transport=");
  if (param.status <= 0) return own;
  std::uint8_t named;
  if (EqualsNoCaseAt(ctx.msg, param.offset, "TCP")) {
    named = kProtoTcp;
  } else if (EqualsNoCaseAt(ctx.msg, param.offset, "UDP")) {
    named = kProtoUdp;
  } else {
    return std::nullopt;
  }
  if (named != own) return std::nullopt;
  return named;
}

std::uint32_t SipConntrackHelper::ExpiresHeader(const PacketContext& ctx) const {
  const ScanResult header = FindSipHeader(ctx.msg, 0, ctx.msg.size(), SipHeaderKind::Expires);
  if (header.status <= 0) return 0;  // absent: the Contact's expires= parameter may still say
  return static_cast<std::uint32_t>(ReadNumber(ctx.msg, header.offset, ctx.msg.size(), Rules()).value);
}

bool SipConntrackHelper::ProcessRegisterRequest(PacketContext& ctx, std::uint32_t cseq) {
  const ConntrackTuples& t = ctx.master.tuples;
  if (ctx.master.expected) return true;  // connections opened through a pinhole cannot register

  std::uint32_t expires = ExpiresHeader(ctx);

  const UriResult contact = ParseSipHeaderUri(ctx.msg, nullptr, ctx.msg.size(),
                                              SipHeaderKind::Contact, nullptr, Rules());
  if (contact.status < 0) return ctx.Fail(drop_reason::kCannotParseContact);
  if (contact.status == 0) return true;
  if (contact.address != t.Src(ctx.dir).address) return true;  // third-party registration

  const std::size_t afterUri = contact.offset + contact.length;
  const std::optional<std::uint8_t> protocol = ContactTransport(ctx, afterUri);
  if (!protocol) return true;

  const ParamResult expiresParam =
      FindNumericParam(ctx.msg, afterUri, ctx.msg.size(), "expires=", Rules());
  if (expiresParam.status < 0) return ctx.Fail(drop_reason::kCannotParseExpires);
  if (expiresParam.status > 0) expires = static_cast<std::uint32_t>(expiresParam.number);

  if (expires != 0) {
    KernelExpectation exp;
    exp.master = ctx.master.id;
    exp.klass = ExpectClass::Signalling;
    exp.protocol = *protocol;
    const std::optional<std::uint32_t> registrar = alg::RestrictedSource(
        m_config.directSignalling ? alg::SourceRestriction::SignallingPeer
                                  : alg::SourceRestriction::Any,
        t.Src(Opposite(ctx.dir)).address, std::nullopt);
    exp.sourceMasked = registrar.has_value();
    exp.source.address = registrar.value_or(0);
    exp.destination = L4Endpoint{contact.address, contact.port};
    exp.permanent = true;
    exp.inactive = true;
    if (t.IsNatted()) {
      if (!m_rewriter.ExpectSignalling(ctx, exp, contact.offset, contact.length)) return false;
    } else if (m_table.Insert(exp, /*anyMaster=*/false, ctx.now) != ExpectResult::Inserted) {
      return ctx.Fail(drop_reason::kCannotAddExpectation);
    }
  }
  ctx.master.registerCseq = cseq;
  return true;
}

bool SipConntrackHelper::ProcessRegisterResponse(PacketContext& ctx, std::uint32_t cseq,
                                                 std::uint32_t code) {
  const ConntrackTuples& t = ctx.master.tuples;
  // Late answers to an older REGISTER are ignored.
  if (ctx.master.registerCseq != cseq) return true;
  if (code >= 100 && code <= 199) return true;
  if (code >= 200 && code <= 299) {
    std::uint32_t expires = ExpiresHeader(ctx);
    std::size_t cursor = 0;
    bool inList = false;
    while (true) {
      std::uint32_t contactExpires = expires;
      const UriResult contact = ParseSipHeaderUri(ctx.msg, &cursor, ctx.msg.size(),
                                                  SipHeaderKind::Contact, &inList, Rules());
      if (contact.status < 0) return ctx.Fail(drop_reason::kCannotParseContact);
      if (contact.status == 0) break;
      if (contact.address != t.Dst(ctx.dir).address) continue;  // someone else's binding

      const std::size_t afterUri = contact.offset + contact.length;
      const std::optional<std::uint8_t> protocol = ContactTransport(ctx, afterUri);
      if (!protocol) continue;
      const ParamResult expiresParam =
          FindNumericParam(ctx.msg, afterUri, ctx.msg.size(), "expires=", Rules());
      if (expiresParam.status < 0) return ctx.Fail(drop_reason::kCannotParseExpires);
      if (expiresParam.status > 0) contactExpires = static_cast<std::uint32_t>(expiresParam.number);
      if (contactExpires == 0) break;
      if (m_table.RefreshSignalling(ctx.master.id, L4Endpoint{contact.address, contact.port},
                                    *protocol, ns3::Seconds(contactExpires), ctx.now)) {
        return true;
      }
    }
  }
  m_table.Flush(ctx.master.id, /*media=*/false, ctx.now);
  return true;
}

}  // namespace alglab::linuxnf
