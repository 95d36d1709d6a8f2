#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_LINUX_NETFILTER_ALG_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_LINUX_NETFILTER_ALG_H

/// \file
/// Vendor "linux-netfilter": the Linux kernel SIP ALG (nf_conntrack_sip + nf_nat_sip) as an
/// alglab router model. LinuxNetfilterSip is the mechanism (at outbound-post-snat and
/// inbound-post-dnat), the ns-3 adapter around NetfilterSipEngine:
/// - it maps the NAT table's mappings onto kernel-style connections (one per mapping and
///   remote endpoint, oriented by their first packet) and decides which carry SIP (the remote
///   port is one of `ports`, or the connection came through a REGISTER pinhole);
/// - SipSignallingTimer (a separate, reusable mechanism asking this one to classify) restarts a
///   SIP connection's NAT timeout at `sip_timeout` on every datagram with data;
/// - it mirrors the helper's active pinholes toward the public address into NatTable
///   expectations (remote restricted as the kernel does, forwarded to the saved inside address
///   and port), and removes them when the helper flushes, evicts, or they time out;
/// - a datagram the helper drops on a brand-new connection also removes the NAT mapping it
///   created (the kernel never confirms that connection);
/// - the helper's forced port (Verdict::redirectPort) becomes the packet's destination port
///   (PacketContext::redirectDestinationPort), as nf_nat_sip does for replies;
/// - a mapping leaving the NAT table takes its connections and their pinholes with it at once
///   (OnMappingRemoved), as a conntrack entry's death does.
/// Knobs are TypeId attributes named like the kernel module parameters (README.md). The inside
/// network for sip_external_media is the router's real LAN prefix (RouterView).

#include "alg-models/linux-netfilter/netfilter-sip-engine.h"
#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/mechanism.h"
#include "alg-models/contract/mechanisms/expectation-timer.h"
#include "alg-models/contract/mechanisms/pinhole-mirror.h"
#include "alg-models/contract/mechanisms/sip-signalling-timer.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace alglab {

class LinuxNetfilterSip : public alg::Mechanism, public SipConnectionClassifier {
 public:
  static ns3::TypeId GetTypeId();
  LinuxNetfilterSip();
  ~LinuxNetfilterSip() override;

  alg::Verdict Process(alg::PacketContext& context) override;
  /// The connection carries SIP: its remote port is one of `ports`, or it was opened from
  /// outside through a REGISTER pinhole (or to a SIP port). Classifies a new connection once.
  bool IsSipConnection(alg::PacketContext& context) override;
  void OnRouterReboot() override;
  /// conntrack -F: every connection and pinhole is gone (the table is already empty).
  void OnFlush() override;
  /// Forgets every connection of `mapping` and removes their pinholes (helper and NAT table).
  void OnMappingRemoved(const nat::Mapping& mapping, nat::NatTable& nat) override;
  /// `ports` is a read-only module parameter (0400): it takes a module reload, i.e. a reboot.
  /// `helper` is the `ct helper set "sip"` rule: the kernel binds a helper to a connection when
  /// the connection is created, so a change reaches new connections only (NewSessions).
  alg::KnobSemanticsTable KnobSemanticsDeclared() const override;
  std::string Name() const override;

  /// Number of connections currently tracked (for tests).
  std::size_t ConnectionCount() const { return m_connections.size(); }

  /// The plain-C++ core (for inspection in tests).
  linuxnf::NetfilterSipEngine& Engine() { return m_engine; }
  /// Number of helper pinholes currently mirrored into the NAT table.
  std::size_t MirroredExpectations() const { return m_mirror != nullptr ? m_mirror->Size() : 0; }
  /// Where the helper's pinholes toward the public address go (the model wires it).
  void SetPinholeMirror(ns3::Ptr<PinholeMirror> mirror) { m_mirror = mirror; }
  /// Whose `expect_timeout` every new helper pinhole lives for (the model wires it).
  void SetExpectationTimer(ns3::Ptr<ExpectationTimer> timer) { m_expectTimer = timer; }
  /// Roles for a model file: "mirror" (a PinholeMirror), "expectation-timer" (an
  /// ExpectationTimer), as LinuxNetfilterAlg wires them.
  bool Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) override;

  /// Parses the `ports` knob ("5060" or up to 8 comma-separated ports); throws
  /// std::invalid_argument with a one-line reason.
  static std::vector<std::uint16_t> ParsePorts(const std::string& text);

 private:
  /// A connection as the kernel would track it: mapping plus remote endpoint.
  using ConnectionKey = std::tuple<std::uint64_t, std::uint32_t, std::uint16_t>;
  struct ConnectionInfo {
    std::uint64_t id = 0;
    bool sip = false;
    std::uint64_t mappingId = 0;
    /// The helper has processed a packet of it (a classified connection is new until then).
    bool confirmed = false;
  };
  /// The connection of the packet, classified on first sight (which uses up a one-shot media
  /// pinhole that admitted it).
  ConnectionInfo& Classify(alg::PacketContext& context);

  /// The knobs that shape the engine, compared on every packet so attribute changes apply
  /// to the next datagram without setter boilerplate.
  struct EngineKnobs {
    bool directSignalling, directMedia, externalMedia, sessionAddressFix, boundedNumbers;
    std::uint32_t advertised, expectTimeout, expectMax;
    bool operator==(const EngineKnobs& o) const {
      return directSignalling == o.directSignalling && directMedia == o.directMedia &&
             externalMedia == o.externalMedia && sessionAddressFix == o.sessionAddressFix &&
             boundedNumbers == o.boundedNumbers &&
             advertised == o.advertised && expectTimeout == o.expectTimeout &&
             expectMax == o.expectMax;
    }
  };

  void SetPorts(std::string text);
  std::string GetPorts() const;
  void SetHelper(std::string text);
  std::string GetHelper() const;
  void SetAdvertisedAddress(std::string text);
  std::string GetAdvertisedAddress() const;
  EngineKnobs CurrentKnobs() const;
  void ApplyKnobs(const EngineKnobs& knobs);
  bool IsSipPort(std::uint16_t port) const;

  void OnExpectationChange(const linuxnf::KernelExpectation& e, linuxnf::ExpectEvent event);
  void Mirror(const linuxnf::KernelExpectation& e);
  void Unmirror(std::uint64_t kernelId);
  bool MediaBesideDestination(const linuxnf::MasterState& master, linuxnf::CtDirection dir,
                              linuxnf::Ipv4 media) const;

  // Knobs.
  /// The ruleset assigns the helper to new connections to `ports` (knob `helper`: sip / none).
  bool m_helperAssigned = true;
  std::vector<std::uint16_t> m_ports;
  std::string m_portsText;
  bool m_directSignalling = true;
  bool m_directMedia = true;
  bool m_externalMedia = false;
  bool m_sessionAddressFix = true;
  bool m_boundedNumbers = true;
  std::string m_advertisedText;
  std::uint32_t m_advertised = 0;
  std::uint32_t m_expectMax = 0;
  bool m_keepStalePublicAddress = false;

  linuxnf::NetfilterSipEngine m_engine;
  EngineKnobs m_applied{};
  std::map<ConnectionKey, ConnectionInfo> m_connections;
  std::uint64_t m_nextConnectionId = 1;
  /// Keeps the helper's pinholes in the NAT table (keyed by the helper's pinhole id).
  ns3::Ptr<PinholeMirror> m_mirror;
  /// The pinhole lifetime (shared mechanism, adopted by the model).
  ns3::Ptr<ExpectationTimer> m_expectTimer;
  // Valid only during ProcessPacket (the expectation listener needs them).
  nat::NatTable* m_nat = nullptr;
  ns3::Time m_now;
  std::uint64_t m_mappingId = 0;
};

/// The model: at outbound-post-snat and inbound-post-dnat, the signalling timer (classifying
/// with the helper), then the helper, which keeps its pinholes in the NAT table through an
/// adopted PinholeMirror.
class LinuxNetfilterAlg : public alg::AlgModel {
 public:
  static ns3::TypeId GetTypeId();
  LinuxNetfilterAlg();
  std::string Name() const override;
  /// The mechanism (for inspection in tests).
  LinuxNetfilterSip& Sip() { return *m_sip; }

 private:
  ns3::Ptr<LinuxNetfilterSip> m_sip;
  ns3::Ptr<SipSignallingTimer> m_timer;
  ns3::Ptr<PinholeMirror> m_mirror;
  ns3::Ptr<ExpectationTimer> m_expectTimer;
};

}  // namespace alglab

#endif
