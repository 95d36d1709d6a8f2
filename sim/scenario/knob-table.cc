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
  t.push_back({target, section, "nat_keepalive", tid, "NatKeepaliveInterval", K::Duration, "s", 0.0, kWeek, {},
               "30s", "OPTIONS pings to NATed registrations; 0s = off", false});
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
  t.push_back({T::Router, "router", "port_preservation", NatRouter, "PortPreservation", K::Bool, "", {}, {}, {},
               "true", "keep the internal source port when it is free"});
  t.push_back({T::Router, "router", "port_allocation", NatRouter, "PortAllocation", K::Choice, "", {}, {},
               {"random", "sequential"}, "sequential", "how fallback external ports are chosen"});
  t.push_back({T::Router, "router", "boot_time", NatRouter, "BootTime", K::Duration, "s", 0.0, kWeek, {}, "30s",
               "how long a reboot keeps the router down"});
  t.push_back({T::Router, "router", "reset_config_on_reboot", NatRouter, "ResetConfigOnReboot", K::Bool, "", {},
               {}, {}, "false", "a reboot also factory-resets the ALG"});
  // PBX.
  t.push_back({T::Pbx, "pbx", "domain", Pbx, "Domain", K::Text, "", {}, {}, {}, "pbx.office.example",
               "SIP domain and digest realm of the PBX (the phones use it too)", false});
  AddServerNat(t, T::Pbx, "pbx", Pbx);
  t.push_back({T::Pbx, "pbx.trunk", "user", Pbx, "TrunkUser", K::Text, "", {}, {}, {}, "office",
               "trunk account at the provider", false});
  t.push_back({T::Pbx, "pbx.trunk", "password", Pbx, "TrunkPassword", K::Text, "", {}, {}, {}, "trunk-secret",
               "trunk digest password", false});
  t.push_back({T::Pbx, "pbx.trunk", "expiry", Pbx, "TrunkExpiry", K::Duration, "s", 10.0, kWeek, {}, "300s",
               "requested trunk registration lifetime (whole seconds)", false});
  t.push_back({T::Pbx, "pbx.trunk", "keepalive", Pbx, "TrunkKeepaliveKind", K::Choice, "", {}, {},
               kKeepaliveKinds, "options", "NAT keepalive toward the provider", false});
  t.push_back({T::Pbx, "pbx.trunk", "keepalive_interval", Pbx, "TrunkKeepaliveInterval", K::Duration, "s", 0.0,
               kWeek, {}, "25s", "period of the trunk's NAT keepalives", false});
  // Provider.
  t.push_back({T::Provider, "provider", "domain", Provider, "Domain", K::Text, "", {}, {}, {},
               "sip.provider.example", "SIP domain of the provider", false});
  AddServerNat(t, T::Provider, "provider", Provider);
  t.push_back({T::Provider, "provider", "answer_after", Provider, "AnswerAfter", K::Duration, "s", 0.0, 3600.0,
               {}, "1s", "ringing time before the far party answers"});
  // Phones.
  t.push_back({T::Phone, "phones", "password", Phone, "Password", K::Text, "", {}, {}, {}, "secret",
               "digest password (the PBX gets the same)", false});
  t.push_back({T::Phone, "phones", "rport", Phone, "Rport", K::Bool, "", {}, {}, {}, "true",
               "ask for RFC 3581 rport in the Via", false});
  t.push_back({T::Phone, "phones", "keepalive", Phone, "KeepaliveKind", K::Choice, "", {}, {}, kKeepaliveKinds,
               "options", "NAT keepalive toward the registrar", false});
  t.push_back({T::Phone, "phones", "keepalive_interval", Phone, "KeepaliveInterval", K::Duration, "s", 0.0, kWeek,
               {}, "25s", "period of the NAT keepalives", false});
  t.push_back({T::Phone, "phones", "register_expiry", Phone, "RegisterExpiry", K::Duration, "s", 10.0, kWeek, {},
               "300s", "requested registration lifetime (whole seconds)", false});
  t.push_back({T::Phone, "phones", "symmetric_rtp", Phone, "SymmetricRtp", K::Bool, "", {}, {}, {}, "true",
               "send RTP from the port RTP is received on"});
  t.push_back({T::Phone, "phones", "answer_after", Phone, "AnswerAfter", K::Duration, "s", 0.0, 3600.0, {}, "2s",
               "ringing time before auto-answer"});
  t.push_back({T::Phone, "phones", "sip_port", Phone, "LocalSipPort", K::Count, "port", 1.0, 65535.0, {}, "5060",
               "UDP port of the phone's SIP socket", false});
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
    case KnobType::Text: return "text";
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
  auto outOfRange = [&](double n) -> bool {
    if (knob.min && n < *knob.min) {
      out.error = "must be at least " + Bound(knob, *knob.min);
      return true;
    }
    if (knob.max && n > *knob.max) {
      out.error = "must be at most " + Bound(knob, *knob.max);
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
      v.text = *r;
      v.attributeText = *r;
      break;
    }
    case KnobType::Choice:
      if (std::find(knob.choices.begin(), knob.choices.end(), text) == knob.choices.end()) {
        out.error = "unknown value " + Quote(text) + " (valid: " + JoinChoices(knob.choices) + ")";
        return out;
      }
      v.attributeText = text;
      break;
    case KnobType::Text:
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

}  // namespace alglab::scenario
