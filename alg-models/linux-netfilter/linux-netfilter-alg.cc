#include "alg-models/linux-netfilter/linux-netfilter-alg.h"

#include "alg-models/contract/alg-model-registry.h"

#include "ns3/boolean.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <stdexcept>

ALGLAB_REGISTER_ALG_MODEL(
    "linux-netfilter", "alglab::LinuxNetfilterAlg",
    "Linux nf_conntrack_sip + nf_nat_sip (MikroTik, EdgeOS/USG, OpenWrt-class CPE), byte-exact",
    "rmmod nf_nat_sip nf_conntrack_sip (or drop the 'ct helper set \"sip\"' / '-j CT --helper sip' "
    "rule), then conntrack -F");

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(LinuxNetfilterSip);
NS_OBJECT_ENSURE_REGISTERED(LinuxNetfilterAlg);

namespace {

constexpr std::size_t kMaxPorts = 8;  // the module's MAX_PORTS

linuxnf::L4Endpoint ToL4(const nat::Endpoint& e) { return {e.address.Get(), e.port}; }

}  // namespace

ns3::TypeId LinuxNetfilterAlg::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("alglab::LinuxNetfilterAlg")
                               .SetParent<alg::AlgModel>()
                               .SetGroupName("Alglab")
                               .AddConstructor<LinuxNetfilterAlg>();
  return tid;
}

LinuxNetfilterAlg::LinuxNetfilterAlg()
    : m_sip(ns3::CreateObject<LinuxNetfilterSip>()),
      m_timer(ns3::CreateObject<SipSignallingTimer>()),
      m_mirror(ns3::CreateObject<PinholeMirror>()),
      m_expectTimer(ns3::CreateObject<ExpectationTimer>()) {
  // The names the linux-kernel-helper composition gives the same mechanisms, so a report reads
  // the same for this model and for the vendors that compose the kernel's helper.
  m_sip->SetLabel("helper");
  m_timer->SetLabel("timer");
  m_mirror->SetLabel("mirror");
  m_expectTimer->SetLabel("expectations");
  m_timer->SetClassifier(ns3::PeekPointer(m_sip));
  m_sip->SetPinholeMirror(m_mirror);
  m_sip->SetExpectationTimer(m_expectTimer);
  // The timer runs first: a datagram the helper drops has still refreshed the binding.
  for (alg::HookPoint point : {alg::HookPoint::OutboundPostSnat, alg::HookPoint::InboundPostDnat}) {
    Attach(point, 0, m_sip);
    Attach(point, -10, m_timer);
  }
  Adopt(m_mirror);
  Adopt(m_expectTimer);  // its expect_timeout is the model's knob
}

std::string LinuxNetfilterAlg::Name() const { return "linux-netfilter"; }

bool LinuxNetfilterSip::Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) {
  if (role == "mirror") {
    const ns3::Ptr<PinholeMirror> mirror = ns3::DynamicCast<PinholeMirror>(other);
    if (mirror != nullptr) SetPinholeMirror(mirror);
    return mirror != nullptr;
  }
  if (role == "expectation-timer") {
    const ns3::Ptr<ExpectationTimer> timer = ns3::DynamicCast<ExpectationTimer>(other);
    if (timer != nullptr) SetExpectationTimer(timer);
    return timer != nullptr;
  }
  return false;
}

alg::KnobSemanticsTable LinuxNetfilterSip::KnobSemanticsDeclared() const {
  return {{"ports", alg::KnobSemantics::AfterReboot}, {"helper", alg::KnobSemantics::NewSessions}};
}

ns3::TypeId LinuxNetfilterSip::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::LinuxNetfilterSip")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<LinuxNetfilterSip>()
          .AddAttribute("ports",
                        "Module parameter ports: the SIP server ports whose connections get the "
                        "helper, up to 8, comma-separated.",
                        ns3::StringValue("5060"),
                        ns3::MakeStringAccessor(&LinuxNetfilterSip::SetPorts,
                                                &LinuxNetfilterSip::GetPorts),
                        ns3::MakeStringChecker())
          .AddAttribute("helper",
                        "The ruleset's helper assignment (nft 'ct helper set \"sip\"', iptables "
                        "'-j CT --helper sip'): sip, new connections to `ports` get the helper; "
                        "none, the rule is removed and new connections get no helper (a "
                        "connection keeps the helper it was created with, and one opened through "
                        "a helper's REGISTER pinhole inherits it).",
                        ns3::StringValue("sip"),
                        ns3::MakeStringAccessor(&LinuxNetfilterSip::SetHelper,
                                                &LinuxNetfilterSip::GetHelper),
                        ns3::MakeStringChecker())
          .AddAttribute("sip_direct_signalling",
                        "Module parameter sip_direct_signalling: a REGISTER pinhole admits only "
                        "the registrar's address.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&LinuxNetfilterSip::m_directSignalling),
                        ns3::MakeBooleanChecker())
          .AddAttribute("sip_direct_media",
                        "Module parameter sip_direct_media: media pinholes only for SDP naming "
                        "the sender's own address, and only from the signalling peer.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&LinuxNetfilterSip::m_directMedia),
                        ns3::MakeBooleanChecker())
          .AddAttribute("sip_external_media",
                        "Module parameter sip_external_media: with sip_direct_media off, no media "
                        "pinholes for media reached through the interface the SIP packet leaves "
                        "by (the router's LAN prefixes tell which).",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&LinuxNetfilterSip::m_externalMedia),
                        ns3::MakeBooleanChecker())
          .AddAttribute("session_address_fix",
                        "Kernel has upstream fix 6a2b724460cb (2026): an SDP with no active "
                        "audio/video/image m= line gets its session c= address in o=/c=; false: "
                        "older kernels write 0.0.0.0 there.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&LinuxNetfilterSip::m_sessionAddressFix),
                        ns3::MakeBooleanChecker())
          .AddAttribute("bounded_number_parsing",
                        "Kernel has upstream fix 8cf6809cddcb (2026, CVE-2026-52986; 6.18.33+, "
                        "6.12.91+, 6.6.141+, 6.1.175+): URIs with a port outside 1024..65535 are "
                        "skipped instead of failing (no REGISTER drop), numbers stop at 2^32-1 "
                        "and are decimal; false: the older simple_strtoul parsing.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&LinuxNetfilterSip::m_boundedNumbers),
                        ns3::MakeBooleanChecker())
          .AddAttribute("advertised_address",
                        "[unverified] Address printed into SIP/SDP instead of the public one "
                        "(routers seen advertising a tunnel interface's address); empty: the "
                        "public address.",
                        ns3::StringValue(""),
                        ns3::MakeStringAccessor(&LinuxNetfilterSip::SetAdvertisedAddress,
                                                &LinuxNetfilterSip::GetAdvertisedAddress),
                        ns3::MakeStringChecker())
          .AddAttribute("keep_stale_public_address",
                        "[unverified] Connections keep rewriting with the public address they "
                        "started with after the WAN address changes (reported for kernels before "
                        "3.12.21).",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&LinuxNetfilterSip::m_keepStalePublicAddress),
                        ns3::MakeBooleanChecker())
          .AddAttribute("expect_max",
                        "nf_conntrack_expect_max: pinholes in the whole router; 0 = unlimited "
                        "(the kernel derives it from memory, e.g. 256 on a small CPE).",
                        ns3::UintegerValue(0),
                        ns3::MakeUintegerAccessor(&LinuxNetfilterSip::m_expectMax),
                        ns3::MakeUintegerChecker<std::uint32_t>());
  return tid;
}

LinuxNetfilterSip::LinuxNetfilterSip() : m_ports{linuxnf::kSipPort}, m_portsText("5060") {
  m_engine.Expectations().SetListener(
      [this](const linuxnf::KernelExpectation& e, linuxnf::ExpectEvent event) {
        OnExpectationChange(e, event);
      });
  m_applied = CurrentKnobs();
  ApplyKnobs(m_applied);
}

LinuxNetfilterSip::~LinuxNetfilterSip() = default;

std::string LinuxNetfilterSip::Name() const { return "netfilter-sip"; }

std::vector<std::uint16_t> LinuxNetfilterSip::ParsePorts(const std::string& text) {
  std::vector<std::uint16_t> ports;
  std::size_t pos = 0;
  while (true) {
    const std::size_t comma = text.find(',', pos);
    const std::string item =
        text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (item.empty() || item.size() > 5 ||
        item.find_first_not_of("0123456789") != std::string::npos) {
      throw std::invalid_argument("ports: '" + text +
                                  "' is not a comma-separated list of port numbers");
    }
    const unsigned long value = std::stoul(item);
    if (value == 0 || value > 65535) {
      throw std::invalid_argument("ports: " + item + " is not a port (1..65535)");
    }
    ports.push_back(static_cast<std::uint16_t>(value));
    if (ports.size() > kMaxPorts) {
      throw std::invalid_argument("ports: at most 8 ports (the module's MAX_PORTS)");
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return ports;
}

void LinuxNetfilterSip::SetPorts(std::string text) {
  m_ports = ParsePorts(text);
  m_portsText = text;
}

std::string LinuxNetfilterSip::GetPorts() const { return m_portsText; }

void LinuxNetfilterSip::SetHelper(std::string text) {
  if (text != "sip" && text != "none") {
    throw std::invalid_argument("helper: '" + text + "' (valid: sip, none)");
  }
  m_helperAssigned = text == "sip";
}

std::string LinuxNetfilterSip::GetHelper() const { return m_helperAssigned ? "sip" : "none"; }

void LinuxNetfilterSip::SetAdvertisedAddress(std::string text) {
  if (text.empty()) {
    m_advertised = 0;
  } else {
    const linuxnf::DottedQuad quad = linuxnf::ParseDottedQuad(text, 0, text.size());
    if (!quad.ok || quad.end != text.size()) {
      throw std::invalid_argument("advertised_address: '" + text +
                                  "' is not an IPv4 address (or empty)");
    }
    m_advertised = quad.address;
  }
  m_advertisedText = text;
}

std::string LinuxNetfilterSip::GetAdvertisedAddress() const { return m_advertisedText; }

LinuxNetfilterSip::EngineKnobs LinuxNetfilterSip::CurrentKnobs() const {
  return EngineKnobs{m_directSignalling, m_directMedia,    m_externalMedia,
                     m_sessionAddressFix, m_boundedNumbers, m_advertised,
                     // The pinhole lifetime is the shared expectation timer's knob.
                     m_expectTimer != nullptr ? m_expectTimer->LifetimeSeconds() : 180,
                     m_expectMax};
}

void LinuxNetfilterSip::ApplyKnobs(const EngineKnobs& knobs) {
  linuxnf::HelperConfig config = m_engine.Config();
  config.directSignalling = knobs.directSignalling;
  config.directMedia = knobs.directMedia;
  config.externalMedia = knobs.externalMedia;
  config.sessionAddressFix = knobs.sessionAddressFix;
  config.numberRules =
      knobs.boundedNumbers ? linuxnf::NumberRules::Bounded : linuxnf::NumberRules::Legacy;
  config.advertisedAddress = knobs.advertised;
  config.mediaBesideDestination = [this](const linuxnf::MasterState& master,
                                         linuxnf::CtDirection dir, linuxnf::Ipv4 media) {
    return MediaBesideDestination(master, dir, media);
  };
  m_engine.SetConfig(config);
  linuxnf::ExpectPolicy policy = m_engine.Expectations().Policy();
  policy.timeout = ns3::Seconds(knobs.expectTimeout);
  policy.tableMax = knobs.expectMax;
  m_engine.Expectations().SetPolicy(policy);
  m_applied = knobs;
}

bool LinuxNetfilterSip::IsSipPort(std::uint16_t port) const {
  for (std::uint16_t p : m_ports) {
    if (p == port) return true;
  }
  return false;
}

bool LinuxNetfilterSip::MediaBesideDestination(const linuxnf::MasterState& master,
                                               linuxnf::CtDirection dir,
                                               linuxnf::Ipv4 media) const {
  using linuxnf::CtDirection;
  const linuxnf::Ipv4 inside = master.expected ? master.tuples.Src(CtDirection::Reply).address
                                               : master.tuples.Src(CtDirection::Original).address;
  // The inside network is the LAN prefix of the router interface that holds the inside host.
  const alg::RouterView* view = Services().view;
  const alg::RouterInterface* lan =
      view != nullptr ? view->LanFor(ns3::Ipv4Address(inside)) : nullptr;
  const std::uint32_t prefix = lan != nullptr ? lan->PrefixLength() : 32;
  const linuxnf::Ipv4 mask = prefix == 0 ? 0 : ~linuxnf::Ipv4{0} << (32 - prefix);
  const bool mediaInside = (media & mask) == (inside & mask);
  const bool packetGoesInside = master.tuples.Src(linuxnf::Opposite(dir)).address == inside;
  return mediaInside == packetGoesInside;
}

void LinuxNetfilterSip::OnExpectationChange(const linuxnf::KernelExpectation& e,
                                            linuxnf::ExpectEvent event) {
  switch (event) {
    case linuxnf::ExpectEvent::Added:
      Mirror(e);
      break;
    case linuxnf::ExpectEvent::Removed:
      Unmirror(e.id);
      break;
    case linuxnf::ExpectEvent::Updated:
      Unmirror(e.id);
      Mirror(e);
      break;
  }
}

void LinuxNetfilterSip::Mirror(const linuxnf::KernelExpectation& e) {
  if (m_mirror == nullptr || m_nat == nullptr || e.inactive) return;
  // Only pinholes toward the router's public side need the NAT table; the others (media the
  // inside host will send to) ride on ordinary outbound mappings.
  if (e.destination.address != m_nat->GetExternalAddress().Get()) return;
  PinholeRequest request;
  request.key = e.id;
  request.protocol = e.protocol == linuxnf::kProtoTcp ? nat::L4Protocol::Tcp : nat::L4Protocol::Udp;
  request.publicPort = e.destination.port;
  if (e.sourceMasked) request.onlyFrom = ns3::Ipv4Address(e.source.address);
  request.inside = nat::Endpoint{ns3::Ipv4Address(e.saved.address), e.saved.port};
  request.lifetime = e.expiresAt - m_now;
  request.persistent = e.permanent;
  request.owner = e.master;
  // Belongs to the packet's mapping (the master connection's): counts against the router's
  // per-mapping limit and dies with it.
  request.masterMapping = m_mappingId;
  m_mirror->Open(request, m_now);
}

void LinuxNetfilterSip::Unmirror(std::uint64_t kernelId) {
  if (m_mirror != nullptr) m_mirror->Close(kernelId);
}

void LinuxNetfilterSip::OnMappingRemoved(const nat::Mapping& mapping, nat::NatTable& nat) {
  // The kernel destroys a conntrack entry with its expectations; here every connection riding
  // on the mapping goes at once (ConnectionKey starts with the mapping id, so they are adjacent).
  nat::NatTable* const saved = m_nat;
  m_nat = &nat;  // Unmirror must reach the table even outside ProcessPacket (router sweep)
  auto it = m_connections.lower_bound(ConnectionKey{mapping.id, 0, 0});
  while (it != m_connections.end() && std::get<0>(it->first) == mapping.id) {
    m_engine.ForgetConnection(it->second.id);
    it = m_connections.erase(it);
  }
  m_nat = saved;
}

LinuxNetfilterSip::ConnectionInfo& LinuxNetfilterSip::Classify(alg::PacketContext& c) {
  const EngineKnobs knobs = CurrentKnobs();
  if (!(knobs == m_applied)) ApplyKnobs(knobs);
  const bool outbound = c.direction == nat::Direction::Outbound;
  const linuxnf::L4Endpoint outside = ToL4(outbound ? c.translated.source : c.original.destination);
  const linuxnf::L4Endpoint remote = ToL4(outbound ? c.original.destination : c.original.source);
  const ConnectionKey key{c.mappingId, remote.address, remote.port};
  auto it = m_connections.find(key);
  if (it != m_connections.end()) return it->second;
  ConnectionInfo info;
  info.id = m_nextConnectionId++;
  info.mappingId = c.mappingId;
  if (outbound) {
    info.sip = m_helperAssigned && IsSipPort(remote.port);
  } else {
    // A connection opened from outside came through a pinhole. It carries SIP if that was a
    // REGISTER pinhole (the kernel attaches the helper to it) or if it is addressed to a SIP
    // port; a one-shot (media) pinhole is used up.
    nat::NatTable* const saved = m_nat;
    m_nat = &c.nat;  // using up a pinhole unmirrors it from the NAT table
    m_now = c.now;
    linuxnf::ExpectationTable& table = m_engine.Expectations();
    const linuxnf::KernelExpectation* used = table.FindAdmitting(
        remote.address, outside,
        c.original.protocol == nat::L4Protocol::Tcp ? linuxnf::kProtoTcp : linuxnf::kProtoUdp,
        c.now);
    // An expected connection takes the helper from its expectation, whatever the ruleset says.
    info.sip = (m_helperAssigned && IsSipPort(outside.port)) ||
               (used != nullptr && used->klass == linuxnf::ExpectClass::Signalling &&
                !used->inactive);
    if (used != nullptr && !used->inactive && !used->permanent) table.Remove(used->id);
    m_nat = saved;
  }
  return m_connections.emplace(key, info).first->second;
}

bool LinuxNetfilterSip::IsSipConnection(alg::PacketContext& c) {
  if (c.original.protocol != nat::L4Protocol::Udp) return false;
  return Classify(c).sip;
}

alg::Verdict LinuxNetfilterSip::Process(alg::PacketContext& c) {
  using linuxnf::CtDirection;
  // UDP: sip_help_udp, one message per datagram. TCP: sip_help_tcp, the messages of a segment.
  const bool tcp = c.original.protocol == nat::L4Protocol::Tcp;
  const std::uint8_t protocol = tcp ? linuxnf::kProtoTcp : linuxnf::kProtoUdp;

  ConnectionInfo& classified = Classify(c);
  const bool isNew = !classified.confirmed;
  classified.confirmed = true;
  m_nat = &c.nat;
  m_now = c.now;
  m_mappingId = c.mappingId;

  const bool outbound = c.direction == nat::Direction::Outbound;
  const linuxnf::L4Endpoint inside = ToL4(outbound ? c.original.source : c.translated.destination);
  const linuxnf::L4Endpoint outside = ToL4(outbound ? c.translated.source : c.original.destination);
  const linuxnf::L4Endpoint remote = ToL4(outbound ? c.original.destination : c.original.source);
  const ConnectionKey key{c.mappingId, remote.address, remote.port};
  const ConnectionInfo info = classified;
  if (!info.sip) {
    m_nat = nullptr;
    return alg::Verdict::Accept();
  }

  // The connection's orientation is fixed by its first packet.
  linuxnf::MasterState* master = m_engine.FindConnection(info.id);
  const bool openedFromInside = master != nullptr ? !master->expected : outbound;
  const linuxnf::ConntrackTuples tuples =
      openedFromInside ? linuxnf::ConntrackTuples::Outbound(inside, outside, remote, protocol)
                       : linuxnf::ConntrackTuples::Inbound(remote, outside, inside, protocol);
  if (master == nullptr) {
    master = &m_engine.Connection(info.id, tuples, !openedFromInside);
  } else if (!m_keepStalePublicAddress) {
    master->tuples = tuples;  // follows a WAN address change
    master->publicAddress = outside.address;
  }
  const CtDirection dir = outbound == openedFromInside ? CtDirection::Original : CtDirection::Reply;

  if (c.PayloadSize() == 0) {
    m_nat = nullptr;
    return alg::Verdict::Accept();
  }
  const linuxnf::Verdict verdict =
      tcp ? m_engine.ProcessTcpSegment(*master, dir, c.MutablePayload(), c.now)
          : m_engine.Process(*master, dir, c.MutablePayload(), c.now);
  if (tcp) c.tcpSequenceDelta = verdict.sequenceDelta;
  if (!verdict.accept) {
    if (isNew) {
      // The kernel never confirms a connection whose first packet is dropped: it vanishes with
      // its pinholes, and so does the NAT binding if this packet created it.
      m_engine.ForgetConnection(info.id);
      m_connections.erase(key);
      const nat::Mapping* mapping = c.nat.FindMappingById(c.mappingId, c.now);
      if (mapping != nullptr && mapping->packetsOut + mapping->packetsIn <= 1) {
        c.nat.RemoveMapping(c.mappingId);
      }
    }
    m_nat = nullptr;
    return alg::Verdict::Drop(verdict.dropReason);
  }
  // forced_dport on UDP replies, else 0. The kernel writes that port into a TCP segment's
  // header too (at the UDP offset), which breaks the connection; not modelled: TCP segments
  // keep their port.
  if (!tcp) c.redirectDestinationPort = verdict.redirectPort;
  m_nat = nullptr;
  return alg::Verdict::Accept();
}

void LinuxNetfilterSip::OnRouterReboot() {
  m_nat = nullptr;  // the NAT table is already empty: nothing to unmirror there
  m_engine.Reset();
  m_connections.clear();
}

void LinuxNetfilterSip::OnFlush() {
  // conntrack -F destroys every entry with its expectations; the module's configuration stays.
  OnRouterReboot();
}

}  // namespace alglab
