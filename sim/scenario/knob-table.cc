#include "sim/scenario/knob-table.h"

#include "sim/endpoints/sip-pbx.h"
#include "sim/endpoints/sip-phone.h"
#include "sim/endpoints/sip-provider.h"
#include "sim/nat/nat-router.h"
#include "sim/scenario/scenario-schema.h"
#include "sim/scenario/value-parsing.h"

#include "sim/scenario/ethernet-link-channel.h"

#include <ns3/drop-tail-queue.h>
#include <ns3/fifo-queue-disc.h>
#include <ns3/simple-net-device.h>
#include <ns3/error-model.h>
#include <ns3/point-to-point-channel.h>
#include <ns3/point-to-point-net-device.h>
#include <ns3/string.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace alglab::scenario {
namespace {

constexpr double kWeek = 7 * 86400.0;
const std::vector<std::string> kBehaviours{"address-dependent", "address-port-dependent", "endpoint-independent"};
const std::vector<std::string> kKeepaliveKinds{"crlf", "none", "options"};

ns3::TypeId NatRouter() { return nat::NatRoutingProtocol::GetTypeId(); }
ns3::TypeId Pbx() { return SipPbx::GetTypeId(); }
ns3::TypeId Provider() { return SipProvider::GetTypeId(); }
ns3::TypeId Phone() { return SipPhone::GetTypeId(); }
ns3::TypeId LanLink() { return EthernetLinkChannel::GetTypeId(); }
ns3::TypeId LanPort() { return ns3::SimpleNetDevice::GetTypeId(); }
ns3::TypeId LanQueue() { return ns3::DropTailQueue<ns3::Packet>::GetTypeId(); }
ns3::TypeId WanQueue() { return ns3::FifoQueueDisc::GetTypeId(); }
ns3::TypeId P2pLink() { return ns3::PointToPointChannel::GetTypeId(); }
ns3::TypeId P2pDevice() { return ns3::PointToPointNetDevice::GetTypeId(); }
ns3::TypeId LossModel() { return ns3::RateErrorModel::GetTypeId(); }

using T = KnobTarget;
using K = KnobType;

/// Server-side NAT traversal is the same four knobs on the PBX and on the provider.
void AddServerNat(std::vector<KnobDef>& t, T target, const char* section, ns3::TypeId (*tid)()) {
  t.push_back({target, section, "honour_rport", tid, "HonourRport", K::Bool, "", {}, {}, {}, "true",
               "answer to the request's source address and port (RFC 3581 received/rport)", false});
  t.push_back({target, section, "fix_contact", tid, "FixContact", K::Bool, "", {}, {}, {}, "true",
               "send requests back to where requests came from, not to the Contact header", false});
  t.push_back({target, section, "latch_media", tid, "LatchMedia", K::Bool, "", {}, {}, {}, "true",
               "send RTP where the other side's RTP really comes from (comedia)"});
  t.push_back({target, section, "nat_keepalive", tid, "NatKeepaliveInterval", K::Duration, "s", 1.0, kWeek, {},
               "30s", "OPTIONS pings to NATed registrations; 0s = off", false, true});
}

/// Knobs marked `false` at the end of their row are read by the endpoint only when it starts
/// (registration, keepalive and registrar configuration, sockets; see sim/endpoints), so a
/// timeline `set` of them would change nothing and is refused. Router knobs and per-call
/// endpoint knobs take effect from the moment they are set.
std::vector<KnobDef> BuildTable() {
  std::vector<KnobDef> t;
  // Network: the links BuildOfficeNetwork creates.
  t.push_back({T::Network, "network", "lan_delay", LanLink, "Delay", K::Duration, "s", 0.0, 10.0, {}, "0.5ms",
               "one-way delay of each switch port link"});
  t.push_back({T::Network, "network", "lan_rate", LanPort, "DataRate", K::DataRate, "bit/s", {}, {}, {}, "1Gbps",
               "rate of each switch port link"});
  t.push_back({T::Network, "network", "lan_queue", LanQueue, "MaxSize", K::Count, "packets", 1.0, 1e6, {}, "100",
               "transmit queue of each end of each switch port link (frames)"});
  t.push_back({T::Network, "network", "wan_queue", WanQueue, "MaxSize", K::Count, "packets", 1.0, 1e6, {}, "100",
               "queue at each end of the office WAN link (packets)"});
  t.push_back({T::Network, "network", "wan_delay", P2pLink, "Delay", K::Duration, "s", 0.0, 10.0, {}, "10ms",
               "one-way delay from the office router to the internet core"});
  t.push_back({T::Network, "network", "wan_rate", P2pDevice, "DataRate", K::DataRate, "bit/s", {}, {}, {},
               "100Mbps", "rate of the office WAN link"});
  t.push_back({T::Network, "network", "wan_mtu", P2pDevice, "Mtu", K::Count, "bytes", 576.0, 9000.0, {}, "1500",
               "MTU of the office WAN link (PPPoE lines have 1492); a DF datagram larger than it is "
               "answered with ICMP fragmentation needed"});
  t.push_back({T::Network, "network", "wan_loss", LossModel, "ErrorRate", K::Ratio, "ratio", 0.0, 1.0, {}, "0",
               "packet loss ratio on the office WAN link, both directions"});
  t.push_back({T::Network, "network", "provider_delay", P2pLink, "Delay", K::Duration, "s", 0.0, 10.0, {},
               "10ms", "one-way delay from the internet core to the provider (and a hosted PBX)"});
  // Router.
  t.push_back({T::Router, "router", "mapping", NatRouter, "Mapping", K::Choice, "", {}, {}, kBehaviours,
               "endpoint-independent", "RFC 4787 mapping behaviour"});
  t.push_back({T::Router, "router", "filtering", NatRouter, "Filtering", K::Choice, "", {}, {}, kBehaviours,
               "address-port-dependent", "RFC 4787 filtering behaviour"});
  t.push_back({T::Router, "router", "udp_timeout", NatRouter, "UdpTimeout", K::Duration, "s", 1.0, kWeek, {},
               "120s", "UDP binding lifetime after the last refreshing packet"});
  t.push_back({T::Router, "router", "refresh_on_inbound", NatRouter, "RefreshOnInbound", K::Bool, "", {}, {}, {},
               "false", "admitted inbound UDP packets also refresh a binding (RFC 4787 REQ-6 leaves it open)"});
  t.push_back({T::Router, "router", "port_preservation", NatRouter, "PortPreservation", K::Bool, "", {}, {}, {},
               "true", "keep the internal source port when it is free"});
  t.push_back({T::Router, "router", "port_allocation", NatRouter, "PortAllocation", K::Choice, "", {}, {},
               {"random", "sequential"}, "sequential", "how fallback external ports are chosen"});
  t.push_back({T::Router, "router", "fragments", NatRouter, "Fragments", K::Choice, "", {}, {},
               {"drop", "reassemble"}, "reassemble",
               "IPv4 fragments the NAT translates: reassemble (Linux nf_defrag; the WAN link fragments "
               "again) or drop (a NAT that cannot find the ports)"});
  t.push_back({T::Router, "router", "alg_enabled", NatRouter, "AlgEnabled", K::Bool, "", {}, {}, {}, "true",
               "run the vendor's ALG (false: the same router's NAT with its ALG switched off; "
               "pinholes it opened before stay until they expire)"});
  t.push_back({T::Router, "router", "boot_time", NatRouter, "BootTime", K::Duration, "s", 0.0, kWeek, {}, "30s",
               "how long a reboot keeps the router down"});
  t.push_back({T::Router, "router", "reset_config_on_reboot", NatRouter, "ResetConfigOnReboot", K::Bool, "", {},
               {}, {}, "false", "a reboot also factory-resets the ALG"});
  // PBX.
  t.push_back({T::Pbx, "pbx", "domain", Pbx, "Domain", K::SipHost, "", {}, {}, {}, "pbx.office.example",
               "SIP domain and digest realm of the PBX (the phones use it too)", false});
  AddServerNat(t, T::Pbx, "pbx", Pbx);
  t.push_back({T::Pbx, "pbx", "transport", Pbx, "Transport", K::Choice, "", {}, {}, {"tcp", "tls", "udp"}, "udp",
               "how the PBX sends the requests it originates (the trunk's among them): udp, tcp "
               "(one connection per peer, reused both ways) or tls (the same to the provider's "
               "tls_port, as TLS records no router can read)", false});
  t.push_back({T::Pbx, "pbx", "sip_port", Pbx, "LocalSipPort", K::Count, "port", 1.0, 65535.0, {}, "5060",
               "the PBX's SIP port (UDP and TCP); the handsets register to it", false});
  t.push_back({T::Pbx, "pbx", "tls_port", Pbx, "TlsPort", K::Count, "port", 1.0, 65535.0, {}, "5061",
               "the PBX's SIP-over-TLS port; handsets with transport tls register to it", false});
  t.push_back({T::Pbx, "pbx.trunk", "user", Pbx, "TrunkUser", K::SipUser, "", {}, {}, {}, "office",
               "trunk account at the provider", false});
  t.push_back({T::Pbx, "pbx.trunk", "password", Pbx, "TrunkPassword", K::Password, "", {}, {}, {}, "trunk-secret",
               "trunk digest password", false});
  t.push_back({T::Pbx, "pbx.trunk", "expiry", Pbx, "TrunkExpiry", K::Duration, "s", 10.0, kWeek, {}, "300s",
               "requested trunk registration lifetime (whole seconds)", false});
  t.push_back({T::Pbx, "pbx.trunk", "identify", Pbx, "TrunkIdentify", K::Choice, "", {}, {},
               {"registrar-address", "provider-network"}, "registrar-address",
               "which sources are the trunk: only the registrar's address, or the provider's /24 "
               "(for providers whose inbound calls come from other proxies)"});
  t.push_back({T::Pbx, "pbx.trunk", "keepalive", Pbx, "TrunkKeepaliveKind", K::Choice, "", {}, {},
               kKeepaliveKinds, "options", "NAT keepalive toward the provider", false});
  t.push_back({T::Pbx, "pbx.trunk", "keepalive_interval", Pbx, "TrunkKeepaliveInterval", K::Duration, "s", 1.0,
               kWeek, {}, "25s", "period of the trunk's NAT keepalives; 0s = off", false, true});
  // Provider.
  t.push_back({T::Provider, "provider", "domain", Provider, "Domain", K::SipHost, "", {}, {}, {},
               "sip.provider.example", "SIP domain of the provider", false});
  AddServerNat(t, T::Provider, "provider", Provider);
  t.push_back({T::Provider, "provider", "sip_port", Provider, "LocalSipPort", K::Count, "port", 1.0, 65535.0, {},
               "5060", "the provider's SIP port (UDP and TCP); the PBX's trunk is configured with it", false});
  t.push_back({T::Provider, "provider", "tls_port", Provider, "TlsPort", K::Count, "port", 1.0, 65535.0, {},
               "5061", "the provider's SIP-over-TLS port; a PBX with transport tls registers its trunk to it",
               false});
  t.push_back({T::Provider, "provider", "transport", Provider, "Transport", K::Choice, "", {}, {},
               {"tcp", "tls", "udp"}, "udp",
               "how the provider sends the requests it originates (inbound calls, keepalives): "
               "udp, tcp or tls (over the trunk's connection when it registered over TCP or TLS)", false});
  t.push_back({T::Provider, "provider", "inbound_proxies", Provider, "InboundProxies", K::Count, "proxies", 0.0, 8.0,
               {}, "0", "inbound proxies beside the registrar, at 198.51.100.65 upward (an ITSP's edge proxies)",
               false});
  t.push_back({T::Provider, "provider", "inbound_from", Provider, "InboundFrom", K::Choice, "", {}, {},
               {"registrar", "proxies", "all"}, "registrar",
               "where inbound INVITEs come from: the registrar's address, the proxies in turn, or all in turn",
               false});
  t.push_back({T::Provider, "provider", "media_server", Provider, "MediaServer", K::Bool, "", {}, {}, {}, "false",
               "RTP of every call from and to a media server at 198.51.100.129 (SDP names it); SIP stays "
               "at 198.51.100.2", false});
  t.push_back({T::Provider, "provider", "media_first", Provider, "MediaFirst", K::Choice, "", {}, {},
               {"provider", "peer"}, "provider",
               "who sends RTP first: provider (as the call is answered) or peer (the provider waits for the "
               "call's first RTP packet from the other side, then starts)"});
  t.push_back({T::Provider, "provider", "answer_after", Provider, "AnswerAfter", K::Duration, "s", 0.0, 3600.0,
               {}, "1s", "ringing time before the far party answers"});
  // Phones.
  t.push_back({T::Phone, "phones", "password", Phone, "Password", K::Password, "", {}, {}, {}, "secret",
               "digest password (the PBX gets the same)", false});
  t.push_back({T::Phone, "phones", "rport", Phone, "Rport", K::Bool, "", {}, {}, {}, "true",
               "ask for RFC 3581 rport in the Via", false});
  t.push_back({T::Phone, "phones", "transport", Phone, "Transport", K::Choice, "", {}, {},
               {"tcp", "tls", "udp"}, "udp",
               "how the handset sends SIP: udp, tcp (one connection to the registrar, reused both "
               "ways; Via TCP, Contact transport=tcp) or tls (the same to the PBX's tls_port, as TLS "
               "records no router can read)", false});
  t.push_back({T::Phone, "phones", "keepalive", Phone, "KeepaliveKind", K::Choice, "", {}, {}, kKeepaliveKinds,
               "options", "NAT keepalive toward the registrar", false});
  t.push_back({T::Phone, "phones", "keepalive_interval", Phone, "KeepaliveInterval", K::Duration, "s", 1.0, kWeek,
               {}, "25s", "period of the NAT keepalives; 0s = off", false, true});
  t.push_back({T::Phone, "phones", "register_expiry", Phone, "RegisterExpiry", K::Duration, "s", 10.0, kWeek, {},
               "300s", "requested registration lifetime (whole seconds)", false});
  t.push_back({T::Phone, "phones", "symmetric_rtp", Phone, "SymmetricRtp", K::Bool, "", {}, {}, {}, "true",
               "send RTP from the port RTP is received on"});
  t.push_back({T::Phone, "phones", "answer_after", Phone, "AnswerAfter", K::Duration, "s", 0.0, 3600.0, {}, "2s",
               "ringing time before auto-answer"});
  t.push_back({T::Phone, "phones", "sip_port", Phone, "LocalSipPort", K::Count, "port", 1.0, 65535.0, {}, "5060",
               "UDP port of the phone's SIP socket", false});
  t.push_back({T::Phone, "phones", "sdp_codecs", Phone, "SdpCodecs", K::Count, "codecs", 1.0, 10.0, {}, "1",
               "codecs each SDP offer lists (PCMU first; up to 10 with rtpmap/fmtp lines, as desk phones send)"});
  t.push_back({T::Phone, "phones", "optional_header_bytes", Phone, "OptionalHeaderBytes", K::Count, "bytes", 0.0,
               4000.0, {}, "0", "optional headers added to each INVITE (Supported, Allow-Events, ...): its size"});
  t.push_back({T::Phone, "phones", "large_requests_over_tcp", Phone, "LargeRequestsOverTcp", K::Bool, "", {}, {}, {},
               "false", "send requests over 1300 bytes (within 200 bytes of a path MTU learned from ICMP) by TCP although transport is udp (RFC 3261 18.1.1)",
               false});
  t.push_back({T::Phone, "phones", "sip_source_port", Phone, "SipSourcePort", K::Count, "port", 0.0, 65535.0, {},
               "0", "UDP port the phone sends SIP from while Via and Contact name sip_port (0: sip_port "
               "itself); only rport tells a server the difference", false});
  return t;
}

std::string Quote(const std::string& s) {
  std::string shown = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  return "'" + shown + "'";
}

std::string JoinChoices(const std::vector<std::string>& choices) {
  std::string out;
  for (const auto& c : choices) out += (out.empty() ? "" : ", ") + c;
  return out;
}

/// "10s", "65535": a range bound in the knob's unit, for messages.
std::string Bound(const KnobDef& knob, double v) {
  if (knob.type == KnobType::Duration) return FormatSeconds(v);
  std::ostringstream os;
  os << v;
  return os.str();
}

/// "10s to 604800s", "0s (off) or 1s to 604800s", "at least 0".
std::string AllowedRange(const KnobDef& knob) {
  std::string range;
  if (knob.min && knob.max) range = Bound(knob, *knob.min) + " to " + Bound(knob, *knob.max);
  else if (knob.min) range = "at least " + Bound(knob, *knob.min);
  else if (knob.max) range = "at most " + Bound(knob, *knob.max);
  return knob.zeroMeansOff ? Bound(knob, 0) + " (off) or " + range : range;
}

/// Data rates ns-3's DataRate holds exactly and a simulation can afford: from 1 kbit/s (below
/// that a single packet takes minutes, and a rate under 1 bit/s divides by zero in ns-3) to
/// 100 Gbit/s, in whole bits per second.
constexpr double kMinBitsPerSecond = 1e3;
constexpr double kMaxBitsPerSecond = 1e11;

bool IsAlnum(unsigned char c) { return std::isalnum(c) != 0; }

/// RFC 3261 domainlabel / toplabel: alphanum, inner hyphens, at most 63 characters.
bool IsDomainLabel(const std::string& label, bool top) {
  if (label.empty() || label.size() > 63) return false;
  if (!IsAlnum(label.front()) || !IsAlnum(label.back())) return false;
  if (top && !std::isalpha(static_cast<unsigned char>(label.front()))) return false;
  return std::all_of(label.begin(), label.end(), [](unsigned char c) { return IsAlnum(c) || c == '-'; });
}

bool IsIpv4(const std::string& text) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= text.size() && parts < 5) {
    const std::size_t dot = std::min(text.find('.', i), text.size());
    const std::string part = text.substr(i, dot - i);
    if (part.empty() || part.size() > 3 ||
        !std::all_of(part.begin(), part.end(), [](unsigned char c) { return std::isdigit(c); }) ||
        std::stoi(part) > 255)
      return false;
    ++parts;
    i = dot + 1;
  }
  return parts == 4;
}

std::string NumberText(double v) {
  std::ostringstream os;
  os << std::setprecision(17) << v;
  return os.str();
}

}  // namespace

const char* ToString(KnobType type) {
  switch (type) {
    case KnobType::Duration: return "duration";
    case KnobType::Bool: return "bool";
    case KnobType::Ratio: return "ratio";
    case KnobType::Count: return "count";
    case KnobType::DataRate: return "data-rate";
    case KnobType::Choice: return "choice";
    case KnobType::SipHost: return "sip-host";
    case KnobType::SipUser: return "sip-user";
    case KnobType::Password: return "password";
  }
  return "?";
}

std::string KnobDef::Name() const {
  const std::string s = section;
  return (s == "phones" ? std::string("phones.defaults") : s) + "." + leaf;
}

const std::vector<KnobDef>& Knobs() {
  static const std::vector<KnobDef> table = BuildTable();
  return table;
}

std::vector<const KnobDef*> KnobsIn(const std::string& section) {
  std::vector<const KnobDef*> out;
  for (const auto& k : Knobs())
    if (section == k.section) out.push_back(&k);
  return out;
}

std::vector<std::string> KnobLeaves(const std::string& section) {
  std::vector<std::string> out;
  for (const auto* k : KnobsIn(section)) out.push_back(k->leaf);
  std::sort(out.begin(), out.end());
  return out;
}

const KnobDef* FindKnob(const std::string& dottedName) {
  KeyPath path = SplitPath(dottedName);
  if (path.size() < 2) return nullptr;
  std::string section;
  if (path[0] == "phones") {
    const bool defaults = path.size() == 3 && path[1] == "defaults";
    const bool overrides = path.size() == 4 && path[1] == "overrides" && !path[2].empty();
    if (!defaults && !overrides) return nullptr;
    section = "phones";
  } else {
    section = JoinPath(KeyPath(path.begin(), path.end() - 1));
  }
  for (const auto* k : KnobsIn(section))
    if (path.back() == k->leaf) return k;
  return nullptr;
}

KnobCheck CheckKnobValue(const KnobDef& knob, const std::string& text) {
  KnobCheck out;
  KnobValue v;
  v.text = text;
  ns3::TypeId::AttributeInformation info;
  if (!knob.typeId().LookupAttributeByName(knob.attribute, &info)) {
    out.error = "no attribute " + std::string(knob.attribute) + " on " + knob.typeId().GetName();
    return out;
  }
  const std::string valueType = info.checker->GetValueTypeName();
  // One message for every range violation: the value and the whole allowed range.
  auto outOfRange = [&](double n) -> bool {
    if (knob.zeroMeansOff && n == 0) return false;
    if ((knob.min && n < *knob.min) || (knob.max && n > *knob.max)) {
      out.error = Quote(text) + " is out of range (allowed: " + AllowedRange(knob) + ")";
      return true;
    }
    return false;
  };
  switch (knob.type) {
    case KnobType::Duration: {
      auto d = ParseDuration(text);
      if (!d) {
        out.error = Quote(text) + " is not a duration (use e.g. 30s, 500ms, 2min, 1h)";
        return out;
      }
      if (outOfRange(*d)) return out;
      v.number = *d;
      if (valueType == "ns3::UintegerValue") {
        // Attributes counted in whole seconds (SIP Expires values).
        if (std::floor(*d) != *d) {
          out.error = Quote(text) + " is not a whole number of seconds";
          return out;
        }
        v.attributeText = NumberText(*d);
      } else {
        v.attributeText = std::to_string(std::llround(*d * 1e9)) + "ns";
      }
      break;
    }
    case KnobType::Bool: {
      auto b = ParseBool(text);
      if (!b) {
        out.error = Quote(text) + " is not a boolean (valid: true, false)";
        return out;
      }
      v.number = *b ? 1 : 0;
      v.attributeText = *b ? "true" : "false";
      break;
    }
    case KnobType::Ratio: {
      auto r = ParseRatio(text);
      if (!r) {
        out.error = Quote(text) + " is not a ratio between 0 and 1 (e.g. 0.01 or 1%)";
        return out;
      }
      if (outOfRange(*r)) return out;
      v.number = *r;
      v.attributeText = NumberText(*r);
      break;
    }
    case KnobType::Count: {
      auto n = ParseUnsigned(text);
      const double lo = knob.min.value_or(0), hi = knob.max.value_or(4294967295.0);
      if (!n || static_cast<double>(*n) < lo || static_cast<double>(*n) > hi) {
        out.error = Quote(text) + " is not a whole number from " + Bound(knob, lo) + " to " + Bound(knob, hi);
        return out;
      }
      v.number = static_cast<double>(*n);
      // Queue sizes are written with their unit in ns-3 ("100p"); the file writes a count.
      v.attributeText = std::to_string(*n) + (valueType.find("QueueSizeValue") != std::string::npos ? "p" : "");
      break;
    }
    case KnobType::DataRate: {
      auto r = ParseDataRate(text);
      if (!r) {
        out.error = Quote(text) + " is not a data rate (e.g. 100Mbps, 1Gbps)";
        return out;
      }
      if (r->bitsPerSecond < kMinBitsPerSecond || r->bitsPerSecond > kMaxBitsPerSecond ||
          std::floor(r->bitsPerSecond) != r->bitsPerSecond) {
        out.error = Quote(text) + " is out of range (allowed: whole bit/s from 1kbps to 100Gbps)";
        return out;
      }
      v.number = r->bitsPerSecond;
      v.text = r->text;
      v.attributeText = r->text;
      break;
    }
    case KnobType::Choice:
      if (std::find(knob.choices.begin(), knob.choices.end(), text) == knob.choices.end()) {
        out.error = "unknown value " + Quote(text) + " (valid: " + JoinChoices(knob.choices) + ")";
        return out;
      }
      v.attributeText = text;
      break;
    case KnobType::SipHost:
      if (!IsSipHost(text)) {
        out.error = Quote(text) + " is not a SIP host (a host name like pbx.example.com or an IPv4 address)";
        return out;
      }
      v.attributeText = text;
      break;
    case KnobType::SipUser:
      if (!IsSipUser(text)) {
        out.error = Quote(text) + " is not a SIP user name (1 to 64 of: letters, digits, -_.!~*'()&=+$,;?/ or %XX)";
        return out;
      }
      v.attributeText = text;
      break;
    case KnobType::Password:
      if (!IsPassword(text)) {
        out.error = "the value is not a usable password (1 to 128 printable ASCII characters, no quote or backslash)";
        return out;
      }
      v.attributeText = text;
      break;
  }
  // Last word to the attribute itself, so the table can never promise what the model refuses.
  if (!info.checker->CreateValidValue(ns3::StringValue(v.attributeText))) {
    out.error = Quote(text) + " is refused by " + knob.typeId().GetName() + " attribute " + knob.attribute;
    return out;
  }
  out.value = v;
  return out;
}

bool IsSipHost(const std::string& text) {
  if (text.empty() || text.size() > 253) return false;
  if (IsIpv4(text)) return true;
  std::string host = text;
  if (host.back() == '.') host.pop_back();  // RFC 3261 allows a trailing dot
  std::vector<std::string> labels;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    labels.push_back(host.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (!IsDomainLabel(labels[i], i + 1 == labels.size())) return false;
  return true;
}

bool IsSipUser(const std::string& text) {
  if (text.empty() || text.size() > 64) return false;
  static const std::string kAllowed = "-_.!~*'()&=+$,;?/";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (IsAlnum(c) || kAllowed.find(static_cast<char>(c)) != std::string::npos) continue;
    // escaped = "%" HEXDIG HEXDIG
    if (c == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

bool IsPassword(const std::string& text) {
  if (text.empty() || text.size() > 128) return false;
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\'; });
}

bool IsDid(const std::string& text) {
  const std::size_t start = !text.empty() && text[0] == '+' ? 1 : 0;
  const std::size_t digits = text.size() - start;
  return digits >= 1 && digits <= 15 &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(start), text.end(),
                     [](unsigned char c) { return std::isdigit(c); });
}

SeedCheck CheckSeed(const std::string& text) {
  SeedCheck out;
  auto n = ParseUnsigned(text);
  if (!n || *n < kMinSeed || *n > kMaxSeed) {
    out.error = Quote(text) + " is out of range (allowed: whole numbers from " + std::to_string(kMinSeed) +
                " to " + std::to_string(kMaxSeed) + ")";
    return out;
  }
  out.seed = *n;
  return out;
}

}  // namespace alglab::scenario
