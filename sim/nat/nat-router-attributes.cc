// The NAT router's knobs: its TypeId (attributes and trace sources) and the accessors that
// forward attribute values into the NatTable configuration.

#include "sim/nat/nat-router.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/uinteger.h"

namespace alglab::nat {

ns3::TypeId NatRoutingProtocol::GetTypeId() {
  using namespace ns3;
  static const char* const kEim = ToString(MappingBehaviour::EndpointIndependent);
  static const char* const kAdm = ToString(MappingBehaviour::AddressDependent);
  static const char* const kApdm = ToString(MappingBehaviour::AddressAndPortDependent);
  static TypeId tid =
      TypeId("alglab::NatRoutingProtocol")
          .SetParent<Ipv4RoutingProtocol>()
          .SetGroupName("Alglab")
          .AddConstructor<NatRoutingProtocol>()
          .AddAttribute("Mapping", "RFC 4787 mapping behaviour.",
                        EnumValue(static_cast<int>(MappingBehaviour::EndpointIndependent)),
                        MakeEnumAccessor(&NatRoutingProtocol::SetMappingAttribute,
                                         &NatRoutingProtocol::GetMappingAttribute),
                        MakeEnumChecker(static_cast<int>(MappingBehaviour::EndpointIndependent),
                                        kEim,
                                        static_cast<int>(MappingBehaviour::AddressDependent),
                                        kAdm,
                                        static_cast<int>(MappingBehaviour::AddressAndPortDependent),
                                        kApdm))
          .AddAttribute("Filtering", "RFC 4787 filtering behaviour.",
                        EnumValue(static_cast<int>(FilteringBehaviour::AddressAndPortDependent)),
                        MakeEnumAccessor(&NatRoutingProtocol::SetFilteringAttribute,
                                         &NatRoutingProtocol::GetFilteringAttribute),
                        MakeEnumChecker(
                            static_cast<int>(FilteringBehaviour::EndpointIndependent), kEim,
                            static_cast<int>(FilteringBehaviour::AddressDependent), kAdm,
                            static_cast<int>(FilteringBehaviour::AddressAndPortDependent), kApdm))
          .AddAttribute("UdpTimeout",
                        "UDP binding lifetime after the last refreshing packet (RFC 4787 REQ-5).",
                        TimeValue(Seconds(120)),
                        MakeTimeAccessor(&NatRoutingProtocol::SetUdpTimeout,
                                         &NatRoutingProtocol::GetUdpTimeout),
                        MakeTimeChecker(Seconds(0)))
          .AddAttribute("UdpUnrepliedTimeout",
                        "UDP binding lifetime until a reply was admitted; 0 = UdpTimeout.",
                        TimeValue(Seconds(0)),
                        MakeTimeAccessor(&NatRoutingProtocol::SetUdpUnrepliedTimeout,
                                         &NatRoutingProtocol::GetUdpUnrepliedTimeout),
                        MakeTimeChecker(Seconds(0)))
          .AddAttribute("TcpEstablishedTimeout", "TCP established idle timeout (RFC 5382).",
                        TimeValue(Seconds(7440)),
                        MakeTimeAccessor(&NatRoutingProtocol::SetTcpEstablishedTimeout,
                                         &NatRoutingProtocol::GetTcpEstablishedTimeout),
                        MakeTimeChecker(Seconds(0)))
          .AddAttribute("TcpTransitoryTimeout", "TCP timeout while opening/closing (RFC 5382).",
                        TimeValue(Seconds(240)),
                        MakeTimeAccessor(&NatRoutingProtocol::SetTcpTransitoryTimeout,
                                         &NatRoutingProtocol::GetTcpTransitoryTimeout),
                        MakeTimeChecker(Seconds(0)))
          .AddAttribute("PortPreservation", "Keep the internal source port when it is free.",
                        BooleanValue(true),
                        MakeBooleanAccessor(&NatRoutingProtocol::SetPortPreservation,
                                            &NatRoutingProtocol::GetPortPreservation),
                        MakeBooleanChecker())
          .AddAttribute("PortParity", "Fallback ports keep the internal port's parity (RTP).",
                        BooleanValue(false),
                        MakeBooleanAccessor(&NatRoutingProtocol::SetPortParity,
                                            &NatRoutingProtocol::GetPortParity),
                        MakeBooleanChecker())
          .AddAttribute("PortAllocation", "How fallback external ports are chosen.",
                        EnumValue(static_cast<int>(PortAllocation::Sequential)),
                        MakeEnumAccessor(&NatRoutingProtocol::SetPortAllocationAttribute,
                                         &NatRoutingProtocol::GetPortAllocationAttribute),
                        MakeEnumChecker(static_cast<int>(PortAllocation::Sequential), "sequential",
                                        static_cast<int>(PortAllocation::Random), "random"))
          .AddAttribute("PortRangeMin", "Lowest external port.", UintegerValue(1024),
                        MakeUintegerAccessor(&NatRoutingProtocol::SetPortRangeMin,
                                             &NatRoutingProtocol::GetPortRangeMin),
                        MakeUintegerChecker<std::uint16_t>(1))
          .AddAttribute("PortRangeMax", "Highest external port.", UintegerValue(65535),
                        MakeUintegerAccessor(&NatRoutingProtocol::SetPortRangeMax,
                                             &NatRoutingProtocol::GetPortRangeMax),
                        MakeUintegerChecker<std::uint16_t>(1))
          .AddAttribute("RefreshOnInbound", "Admitted inbound UDP packets refresh the binding.",
                        BooleanValue(false),
                        MakeBooleanAccessor(&NatRoutingProtocol::SetRefreshOnInbound,
                                            &NatRoutingProtocol::GetRefreshOnInbound),
                        MakeBooleanChecker())
          .AddAttribute("MaxMappings",
                        "Size of the mapping (session) table; 0 = unlimited. When full, "
                        "EvictionPolicy decides.",
                        UintegerValue(0),
                        MakeUintegerAccessor(&NatRoutingProtocol::SetMaxMappings,
                                             &NatRoutingProtocol::GetMaxMappings),
                        MakeUintegerChecker<std::uint32_t>())
          .AddAttribute("MaxExpectations", "Size of the expectation table; 0 = unlimited.",
                        UintegerValue(0),
                        MakeUintegerAccessor(&NatRoutingProtocol::SetMaxExpectations,
                                             &NatRoutingProtocol::GetMaxExpectations),
                        MakeUintegerChecker<std::uint32_t>())
          .AddAttribute("MaxExpectationsPerMapping",
                        "Expectations one master mapping may hold; 0 = unlimited.",
                        UintegerValue(0),
                        MakeUintegerAccessor(&NatRoutingProtocol::SetMaxExpectationsPerMapping,
                                             &NatRoutingProtocol::GetMaxExpectationsPerMapping),
                        MakeUintegerChecker<std::uint32_t>())
          .AddAttribute("EvictionPolicy", "What a full table does with a new entry.",
                        EnumValue(static_cast<int>(EvictionPolicy::RefuseNew)),
                        MakeEnumAccessor(&NatRoutingProtocol::SetEvictionAttribute,
                                         &NatRoutingProtocol::GetEvictionAttribute),
                        MakeEnumChecker(static_cast<int>(EvictionPolicy::RefuseNew), "refuse-new",
                                        static_cast<int>(EvictionPolicy::EvictOldest),
                                        "evict-oldest",
                                        static_cast<int>(EvictionPolicy::EvictLeastRecentlyUsed),
                                        "evict-least-recently-used"))
          .AddAttribute("BootTime", "How long a reboot keeps the router down (drops everything).",
                        TimeValue(Seconds(30)),
                        MakeTimeAccessor(&NatRoutingProtocol::m_bootTime),
                        MakeTimeChecker(Seconds(0)))
          .AddAttribute("AlgEnabled",
                        "Whether the installed ALG model's chains run. Off, the router is the same "
                        "NAT with no ALG (what `alglab matrix` compares against); the model keeps "
                        "its state and is still told of reboots, flushes and expiring mappings, so "
                        "pinholes it opened before live out their time.",
                        BooleanValue(true),
                        MakeBooleanAccessor(&NatRoutingProtocol::m_algEnabled),
                        MakeBooleanChecker())
          .AddAttribute("ResetConfigOnReboot",
                        "A reboot is a factory reset: it restores the shipped configuration (a fresh "
                        "ALG model with its defaults, router knobs as built) instead of the saved "
                        "one.",
                        BooleanValue(false),
                        MakeBooleanAccessor(&NatRoutingProtocol::m_resetConfigOnReboot),
                        MakeBooleanChecker())
          .AddAttribute("Fragments",
                        "What the router does with IPv4 fragments it would translate: hold them "
                        "until the datagram is whole and translate that (Linux nf_defrag_ipv4; "
                        "the output link fragments it again), or drop them.",
                        EnumValue(static_cast<int>(FragmentHandling::Reassemble)),
                        MakeEnumAccessor(&NatRoutingProtocol::SetFragmentsAttribute,
                                         &NatRoutingProtocol::GetFragmentsAttribute),
                        MakeEnumChecker(static_cast<int>(FragmentHandling::Reassemble), "reassemble",
                                        static_cast<int>(FragmentHandling::Drop), "drop"))
          .AddAttribute("SweepInterval", "Minimum spacing of the expiry sweep events.",
                        TimeValue(Seconds(10)),
                        MakeTimeAccessor(&NatRoutingProtocol::m_sweepInterval),
                        MakeTimeChecker(MilliSeconds(1)))
          .AddAttribute("WanInterface", "Ipv4 interface index facing the WAN (max = unset).",
                        UintegerValue(kNoWanInterface),
                        MakeUintegerAccessor(&NatRoutingProtocol::SetWanInterface,
                                             &NatRoutingProtocol::GetWanInterface),
                        MakeUintegerChecker<std::uint32_t>())
          .AddTraceSource("Translation", "A new mapping was created.",
                          MakeTraceSourceAccessor(&NatRoutingProtocol::m_translationTrace),
                          "alglab::nat::NatRoutingProtocol::TranslationTracedCallback")
          .AddTraceSource("MappingRemoved", "A mapping expired, was cleared or removed.",
                          MakeTraceSourceAccessor(&NatRoutingProtocol::m_mappingRemovedTrace),
                          "alglab::nat::NatRoutingProtocol::MappingRemovedTracedCallback")
          .AddTraceSource("Drop", "The NAT, the ALG or a reboot dropped a packet.",
                          MakeTraceSourceAccessor(&NatRoutingProtocol::m_dropTrace),
                          "alglab::nat::NatRoutingProtocol::DropTracedCallback")
          .AddTraceSource("Reboot", "The router started a reboot.",
                          MakeTraceSourceAccessor(&NatRoutingProtocol::m_rebootTrace),
                          "alglab::nat::NatRoutingProtocol::TimeTracedCallback")
          .AddTraceSource("Flush", "The connection state was flushed (FlushConnections).",
                          MakeTraceSourceAccessor(&NatRoutingProtocol::m_flushTrace),
                          "alglab::nat::NatRoutingProtocol::TimeTracedCallback")
          .AddTraceSource("AlgEmit", "A mechanism's own packet left the router.",
                          MakeTraceSourceAccessor(&NatRoutingProtocol::m_algEmitTrace),
                          "alglab::nat::NatRoutingProtocol::AlgEmitTracedCallback")
          .AddTraceSource("KnobChanged", "ChangeKnob applied or staged a change.",
                          MakeTraceSourceAccessor(&NatRoutingProtocol::m_knobChangedTrace),
                          "alglab::nat::NatRoutingProtocol::KnobChangedTracedCallback")
          .AddTraceSource("AlgAction", "An ALG chain processed a packet at a hook point.",
                          MakeTraceSourceAccessor(&NatRoutingProtocol::m_algActionTrace),
                          "alglab::nat::NatRoutingProtocol::AlgActionTracedCallback")
          .AddTraceSource("AlgMessage",
                          "An ALG chain rewrote, dropped or stole a packet (payload before and after).",
                          MakeTraceSourceAccessor(&NatRoutingProtocol::m_algMessageTrace),
                          "alglab::nat::NatRoutingProtocol::AlgMessageTracedCallback");
  return tid;
}

// ---- Attribute accessors ---------------------------------------------------------------------

void NatRoutingProtocol::SetMappingAttribute(int value) {
  UpdateConfig([value](NatConfig& c) { c.mapping = static_cast<MappingBehaviour>(value); });
}
int NatRoutingProtocol::GetMappingAttribute() const {
  return static_cast<int>(m_table.GetConfig().mapping);
}
void NatRoutingProtocol::SetFilteringAttribute(int value) {
  UpdateConfig([value](NatConfig& c) { c.filtering = static_cast<FilteringBehaviour>(value); });
}
int NatRoutingProtocol::GetFilteringAttribute() const {
  return static_cast<int>(m_table.GetConfig().filtering);
}
void NatRoutingProtocol::SetPortAllocationAttribute(int value) {
  UpdateConfig([value](NatConfig& c) { c.allocation = static_cast<PortAllocation>(value); });
}
int NatRoutingProtocol::GetPortAllocationAttribute() const {
  return static_cast<int>(m_table.GetConfig().allocation);
}
void NatRoutingProtocol::SetUdpTimeout(ns3::Time v) {
  UpdateConfig([v](NatConfig& c) { c.udpTimeout = v; });
}
ns3::Time NatRoutingProtocol::GetUdpTimeout() const { return m_table.GetConfig().udpTimeout; }
void NatRoutingProtocol::SetUdpUnrepliedTimeout(ns3::Time v) {
  UpdateConfig([v](NatConfig& c) { c.udpUnrepliedTimeout = v; });
}
ns3::Time NatRoutingProtocol::GetUdpUnrepliedTimeout() const {
  return m_table.GetConfig().udpUnrepliedTimeout;
}
void NatRoutingProtocol::SetTcpEstablishedTimeout(ns3::Time v) {
  UpdateConfig([v](NatConfig& c) { c.tcpEstablishedTimeout = v; });
}
ns3::Time NatRoutingProtocol::GetTcpEstablishedTimeout() const {
  return m_table.GetConfig().tcpEstablishedTimeout;
}
void NatRoutingProtocol::SetTcpTransitoryTimeout(ns3::Time v) {
  UpdateConfig([v](NatConfig& c) { c.tcpTransitoryTimeout = v; });
}
ns3::Time NatRoutingProtocol::GetTcpTransitoryTimeout() const {
  return m_table.GetConfig().tcpTransitoryTimeout;
}
void NatRoutingProtocol::SetPortPreservation(bool v) {
  UpdateConfig([v](NatConfig& c) { c.portPreservation = v; });
}
bool NatRoutingProtocol::GetPortPreservation() const {
  return m_table.GetConfig().portPreservation;
}
void NatRoutingProtocol::SetPortParity(bool v) {
  UpdateConfig([v](NatConfig& c) { c.portParity = v; });
}
bool NatRoutingProtocol::GetPortParity() const { return m_table.GetConfig().portParity; }
void NatRoutingProtocol::SetRefreshOnInbound(bool v) {
  UpdateConfig([v](NatConfig& c) { c.refreshOnInbound = v; });
}
bool NatRoutingProtocol::GetRefreshOnInbound() const {
  return m_table.GetConfig().refreshOnInbound;
}
void NatRoutingProtocol::SetPortRangeMin(std::uint16_t v) {
  UpdateConfig([v](NatConfig& c) { c.portRangeMin = v; });
}
std::uint16_t NatRoutingProtocol::GetPortRangeMin() const {
  return m_table.GetConfig().portRangeMin;
}
void NatRoutingProtocol::SetPortRangeMax(std::uint16_t v) {
  UpdateConfig([v](NatConfig& c) { c.portRangeMax = v; });
}
std::uint16_t NatRoutingProtocol::GetPortRangeMax() const {
  return m_table.GetConfig().portRangeMax;
}
void NatRoutingProtocol::SetMaxMappings(std::uint32_t v) {
  UpdateConfig([v](NatConfig& c) { c.maxMappings = v; });
}
std::uint32_t NatRoutingProtocol::GetMaxMappings() const { return m_table.GetConfig().maxMappings; }
void NatRoutingProtocol::SetMaxExpectations(std::uint32_t v) {
  UpdateConfig([v](NatConfig& c) { c.maxExpectations = v; });
}
std::uint32_t NatRoutingProtocol::GetMaxExpectations() const {
  return m_table.GetConfig().maxExpectations;
}
void NatRoutingProtocol::SetMaxExpectationsPerMapping(std::uint32_t v) {
  UpdateConfig([v](NatConfig& c) { c.maxExpectationsPerMapping = v; });
}
std::uint32_t NatRoutingProtocol::GetMaxExpectationsPerMapping() const {
  return m_table.GetConfig().maxExpectationsPerMapping;
}
void NatRoutingProtocol::SetEvictionAttribute(int value) {
  UpdateConfig([value](NatConfig& c) { c.eviction = static_cast<EvictionPolicy>(value); });
}
void NatRoutingProtocol::SetFragmentsAttribute(int value) {
  m_fragmentHandling = static_cast<FragmentHandling>(value);
}
int NatRoutingProtocol::GetFragmentsAttribute() const {
  return static_cast<int>(m_fragmentHandling);
}
int NatRoutingProtocol::GetEvictionAttribute() const {
  return static_cast<int>(m_table.GetConfig().eviction);
}

}  // namespace alglab::nat
