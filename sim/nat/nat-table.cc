#include "sim/nat/nat-table.h"

#include <algorithm>
#include <limits>

namespace alglab::nat {

namespace {

/// now + timeout, saturating at Time::Max() so "forever" timeouts cannot overflow.
ns3::Time Deadline(ns3::Time now, ns3::Time timeout) {
  const std::int64_t n = now.GetTimeStep();
  const std::int64_t t = timeout.GetTimeStep();
  if (t >= std::numeric_limits<std::int64_t>::max() - n) return ns3::Time::Max();
  return now + timeout;
}

bool Matches(const Endpoint& pattern, const Endpoint& actual) {
  return (pattern.address == ns3::Ipv4Address::GetAny() || pattern.address == actual.address) &&
         (pattern.port == 0 || pattern.port == actual.port);
}

}  // namespace

const char* ToString(RemovalReason reason) {
  switch (reason) {
    case RemovalReason::Expired:
      return "expired";
    case RemovalReason::Cleared:
      return "cleared";
    case RemovalReason::Removed:
      return "removed";
    case RemovalReason::Evicted:
      return "evicted";
  }
  return "unknown";
}

const Session* Mapping::FindSession(const Endpoint& remote) const {
  auto it = sessions.find(remote.Key());
  return it == sessions.end() ? nullptr : &it->second;
}

std::vector<Session> Mapping::SortedSessions() const {
  std::vector<Session> out;
  out.reserve(sessions.size());
  for (const auto& entry : sessions) out.push_back(entry.second);
  std::sort(out.begin(), out.end(),
            [](const Session& a, const Session& b) { return a.remote.Key() < b.remote.Key(); });
  return out;
}

NatTable::NatTable(NatConfig config) : m_config(std::move(config)) {}

void NatTable::SetConfig(const NatConfig& config) { m_config = config; }

void NatTable::SetExternalAddress(ns3::Ipv4Address address) {
  m_externalAddress = address;
  for (auto& entry : m_mappings) entry.second.external.address = address;
}

void NatTable::SetPortPicker(PortPicker picker) { m_portPicker = std::move(picker); }

void NatTable::SetMappingCreatedCallback(MappingCreatedCallback callback) {
  m_onCreated = std::move(callback);
}

void NatTable::SetMappingRemovedCallback(MappingRemovedCallback callback) {
  m_onRemoved = std::move(callback);
}

NatTable::MappingKey NatTable::MakeKey(L4Protocol protocol, const Endpoint& internal,
                                       const Endpoint& remote) const {
  MappingKey key{protocol, internal, Endpoint{}};
  switch (m_config.mapping) {
    case MappingBehaviour::EndpointIndependent:
      break;
    case MappingBehaviour::AddressDependent:
      key.remotePattern.address = remote.address;
      break;
    case MappingBehaviour::AddressAndPortDependent:
      key.remotePattern = remote;
      break;
  }
  return key;
}

ns3::Time NatTable::TimeoutFor(const Mapping& mapping) const {
  if (mapping.timeoutOverride.IsStrictlyPositive()) return mapping.timeoutOverride;
  if (mapping.protocol == L4Protocol::Tcp) return m_config.tcpTransitoryTimeout;
  if (!mapping.replied && m_config.udpUnrepliedTimeout.IsStrictlyPositive()) {
    return m_config.udpUnrepliedTimeout;
  }
  return m_config.udpTimeout;
}

bool NatTable::Admits(const Mapping& mapping, const Endpoint& remote, ns3::Time now) const {
  switch (m_config.filtering) {
    case FilteringBehaviour::EndpointIndependent:
      return true;
    case FilteringBehaviour::AddressDependent: {
      const Session* exact = mapping.FindSession(remote);
      if (exact != nullptr && now < exact->expiresAt) return true;
      // Existence test only, so the unordered iteration order cannot change the answer.
      for (const auto& entry : mapping.sessions) {
        const Session& s = entry.second;
        if (s.remote.address == remote.address && now < s.expiresAt) return true;
      }
      return false;
    }
    case FilteringBehaviour::AddressAndPortDependent: {
      const Session* exact = mapping.FindSession(remote);
      return exact != nullptr && now < exact->expiresAt;
    }
  }
  return false;
}

namespace {
/// A SYN without ACK: a connection (re)starting, possibly on a 4-tuple used before.
bool IsConnectionStart(std::uint8_t flags) {
  return (flags & tcp_flags::kSyn) != 0 && (flags & tcp_flags::kAck) == 0;
}
}  // namespace

void NatTable::TrackTcpConnection(Mapping& mapping, Session& session, std::uint8_t flags,
                                  ns3::Time now) {
  if ((flags & (tcp_flags::kFin | tcp_flags::kRst)) != 0) {
    session.tcpState = TcpState::Closing;
  } else if (IsConnectionStart(flags)) {
    session.tcpState = TcpState::Opening;  // a fresh connection attempt (possibly port reuse)
  } else if ((flags & tcp_flags::kAck) != 0 && session.tcpState == TcpState::Opening &&
             session.packetsOut > 0 && session.packetsIn > 0) {
    session.tcpState = TcpState::Established;
  }
  ns3::Time timeout = session.tcpState == TcpState::Established ? m_config.tcpEstablishedTimeout
                                                                : m_config.tcpTransitoryTimeout;
  if (mapping.timeoutOverride.IsStrictlyPositive()) timeout = mapping.timeoutOverride;
  session.expiresAt = Deadline(now, timeout);
  // The mapping outlives none of its connections and no connection outlives it: a closing
  // connection no longer holds it open, an established one beside it still does.
  ns3::Time latest = session.expiresAt;
  for (const auto& entry : mapping.sessions) {
    if (now < entry.second.expiresAt) latest = std::max(latest, entry.second.expiresAt);
  }
  mapping.expiresAt = latest;
}

bool NatTable::PortInUse(L4Protocol protocol, std::uint16_t port) const {
  return m_byExternalPort.count(PortKey(protocol, port)) != 0;
}

std::uint32_t NatTable::PickRandom(std::uint32_t min, std::uint32_t max) {
  if (m_portPicker) {
    const std::uint32_t v = m_portPicker(min, max);
    return std::clamp(v, min, max);
  }
  std::uniform_int_distribution<std::uint32_t> dist(min, max);
  return dist(m_fallbackRng);
}

std::optional<std::uint16_t> NatTable::AllocatePort(L4Protocol protocol, std::uint16_t preferred) {
  const std::uint32_t lo = std::max<std::uint32_t>(1, m_config.portRangeMin);
  const std::uint32_t hi = m_config.portRangeMax;
  if (lo > hi) return std::nullopt;

  if (m_config.portPreservation && preferred >= lo && preferred <= hi &&
      !PortInUse(protocol, preferred)) {
    return preferred;
  }

  const std::uint32_t span = hi - lo + 1;
  std::uint32_t start;
  if (m_config.allocation == PortAllocation::Sequential) {
    start = (m_sequentialCursor >= lo && m_sequentialCursor <= hi) ? m_sequentialCursor : lo;
  } else {
    start = PickRandom(lo, hi);
  }
  // Linear probe from the start point: deterministic given the start, and it finds a free port
  // whenever one exists (the range is at most 65535 wide).
  for (std::uint32_t i = 0; i < span; ++i) {
    const std::uint32_t candidate = lo + (start - lo + i) % span;
    if (m_config.portParity && (candidate & 1U) != (preferred & 1U)) continue;
    if (PortInUse(protocol, static_cast<std::uint16_t>(candidate))) continue;
    if (m_config.allocation == PortAllocation::Sequential) {
      m_sequentialCursor = candidate == hi ? lo : candidate + 1;
    }
    return static_cast<std::uint16_t>(candidate);
  }
  return std::nullopt;
}

Mapping* NatTable::CreateMapping(L4Protocol protocol, const Endpoint& internal,
                                 const Endpoint& remotePattern, MappingOrigin origin,
                                 ns3::Time now, std::optional<std::uint16_t> fixedPort) {
  m_lastCreateRefused = false;
  if (!MakeRoomForMapping(now)) {
    m_lastCreateRefused = true;
    return nullptr;
  }
  std::optional<std::uint16_t> port = fixedPort;
  if (!port) port = AllocatePort(protocol, internal.port);
  if (!port) {
    ++m_stats.allocationFailures;
    return nullptr;
  }
  const std::uint64_t id = m_nextMappingId++;
  Mapping& m = m_mappings.emplace(id, Mapping{}).first->second;
  m.id = id;
  m.protocol = protocol;
  m.internal = internal;
  m.external = Endpoint{m_externalAddress, *port};
  m.remotePattern = remotePattern;
  m.origin = origin;
  m.createdAt = now;
  m.lastUsed = now;
  m.expiresAt = Deadline(now, TimeoutFor(m));
  m.keyed = m_byKey.emplace(MappingKey{protocol, internal, remotePattern}, &m).second;
  m_byExternalPort.emplace(PortKey(protocol, *port), &m);
  ++m_stats.mappingsCreated;
  if (m_onCreated) m_onCreated(m);
  return &m;
}

bool NatTable::MakeRoomForMapping(ns3::Time now) {
  if (m_config.maxMappings == 0 || m_mappings.size() < m_config.maxMappings) return true;
  // Expired entries go first: a full table of dead bindings is not full.
  Sweep(now);
  if (m_mappings.size() < m_config.maxMappings) return true;
  if (m_config.eviction == EvictionPolicy::RefuseNew) {
    ++m_stats.mappingsRefused;
    return false;
  }
  const bool lru = m_config.eviction == EvictionPolicy::EvictLeastRecentlyUsed;
  const Mapping* victim = nullptr;
  for (const auto& [id, m] : m_mappings) {
    if (victim == nullptr) {
      victim = &m;
      continue;
    }
    // Ties (and the oldest policy) go by id: ids grow with creation, and the choice must not
    // depend on hash-map order.
    const bool better = lru ? (m.lastUsed < victim->lastUsed ||
                               (m.lastUsed == victim->lastUsed && m.id < victim->id))
                            : m.id < victim->id;
    if (better) victim = &m;
  }
  ++m_stats.mappingsEvicted;
  RemoveMappingEntry(m_mappings.at(victim->id), RemovalReason::Evicted);
  return true;
}

bool NatTable::MakeRoomForExpectation(const Expectation& expectation, ns3::Time now) {
  auto countOf = [this](std::uint64_t master) {
    std::size_t n = 0;
    for (const auto& entry : m_expectations) {
      if (entry.second.expectation.masterMapping == master) ++n;
    }
    return n;
  };
  const bool perMapping =
      m_config.maxExpectationsPerMapping != 0 && expectation.masterMapping != 0;
  const bool globalFull =
      m_config.maxExpectations != 0 && m_expectations.size() >= m_config.maxExpectations;
  const bool masterFull =
      perMapping && countOf(expectation.masterMapping) >= m_config.maxExpectationsPerMapping;
  if (!globalFull && !masterFull) return true;
  for (auto it = m_expectations.begin(); it != m_expectations.end();) {
    if (now >= it->second.expiresAt) {
      ++m_stats.expectationsExpired;
      it = m_expectations.erase(it);
    } else {
      ++it;
    }
  }
  for (int round = 0; round < 2; ++round) {  // the per-mapping limit, then the global one
    const bool master = round == 0;
    if (master && !perMapping) continue;
    const std::size_t limit = master ? m_config.maxExpectationsPerMapping : m_config.maxExpectations;
    if (limit == 0) continue;
    if ((master ? countOf(expectation.masterMapping) : m_expectations.size()) < limit) continue;
    if (m_config.eviction == EvictionPolicy::RefuseNew) {
      ++m_stats.expectationsRefused;
      return false;
    }
    // Ordered by id, so the first match is the oldest.
    for (auto it = m_expectations.begin(); it != m_expectations.end(); ++it) {
      if (!master || it->second.expectation.masterMapping == expectation.masterMapping) {
        m_expectations.erase(it);
        ++m_stats.expectationsEvicted;
        break;
      }
    }
  }
  return true;
}

void NatTable::RemoveMappingEntry(Mapping& mapping, RemovalReason reason) {
  if (mapping.keyed) {
    m_byKey.erase(MappingKey{mapping.protocol, mapping.internal, mapping.remotePattern});
  }
  m_byExternalPort.erase(PortKey(mapping.protocol, mapping.external.port));
  if (reason == RemovalReason::Expired) ++m_stats.mappingsExpired;
  if (reason == RemovalReason::Cleared) ++m_stats.mappingsCleared;
  if (m_onRemoved) m_onRemoved(mapping, reason);
  // Expectations that belong to the mapping die with it, as a conntrack entry's do.
  for (auto it = m_expectations.begin(); it != m_expectations.end();) {
    if (it->second.expectation.masterMapping == mapping.id) {
      it = m_expectations.erase(it);
    } else {
      ++it;
    }
  }
  m_mappings.erase(mapping.id);
}

Mapping* NatTable::LiveOrRemove(Mapping* mapping, ns3::Time now) {
  if (mapping != nullptr && now >= mapping->expiresAt) {
    RemoveMappingEntry(*mapping, RemovalReason::Expired);
    return nullptr;
  }
  return mapping;
}

Mapping* NatTable::FindByPort(L4Protocol protocol, std::uint16_t port, ns3::Time now) {
  auto it = m_byExternalPort.find(PortKey(protocol, port));
  return it == m_byExternalPort.end() ? nullptr : LiveOrRemove(it->second, now);
}

Session& NatTable::TouchSession(Mapping& mapping, const Endpoint& remote, ns3::Time deadline,
                                bool refreshExisting) {
  auto [it, inserted] = mapping.sessions.try_emplace(remote.Key());
  Session& s = it->second;
  if (inserted) {
    s.remote = remote;
    s.expiresAt = deadline;
  } else if (refreshExisting) {
    s.expiresAt = deadline;
  }
  return s;
}

OutboundResult NatTable::TranslateOutbound(L4Protocol protocol, const Endpoint& internal,
                                           const Endpoint& remote, std::uint32_t bytes,
                                           ns3::Time now, std::uint8_t tcpFlags) {
  const MappingKey key = MakeKey(protocol, internal, remote);
  Mapping* m = nullptr;
  if (auto it = m_byKey.find(key); it != m_byKey.end()) m = LiveOrRemove(it->second, now);
  bool created = false;
  if (m == nullptr) {
    m = CreateMapping(protocol, internal, key.remotePattern, MappingOrigin::Outbound, now,
                      std::nullopt);
    if (m == nullptr) return FailedOutbound();
    created = true;
  }
  m->sentOutbound = true;
  m->lastUsed = now;
  const ns3::Time deadline = Deadline(now, TimeoutFor(*m));
  if (protocol != L4Protocol::Tcp) m->expiresAt = deadline;
  Session& s = TouchSession(*m, remote, deadline, true);
  ++s.packetsOut;
  s.bytesOut += bytes;
  ++m->packetsOut;
  m->bytesOut += bytes;
  if (protocol == L4Protocol::Tcp) {
    if (IsConnectionStart(tcpFlags)) s.sequenceAdjust.Reset();
    TrackTcpConnection(*m, s, tcpFlags, now);
  }
  return OutboundResult{OutboundStatus::Translated, m->external, m, created};
}

InboundResult NatTable::TranslateInbound(L4Protocol protocol, const Endpoint& remote,
                                         std::uint16_t externalPort, std::uint32_t bytes,
                                         ns3::Time now, std::uint8_t tcpFlags) {
  if (externalPort == 0) return InboundResult{};
  Mapping* m = FindByPort(protocol, externalPort, now);
  bool viaExpectation = false;
  InboundResult admission;

  if (m == nullptr || !Admits(*m, remote, now)) {
    // Expectations are the slow path: only unsolicited or filtered packets get here.
    Mapping* admittedBy = nullptr;
    std::uint64_t expectationId = 0;
    Expectation used;
    for (auto it = m_expectations.begin(); it != m_expectations.end();) {
      ExpectationEntry& entry = it->second;
      if (now >= entry.expiresAt) {
        ++m_stats.expectationsExpired;
        it = m_expectations.erase(it);
        continue;
      }
      const Expectation& e = entry.expectation;
      const bool matches = e.protocol == protocol &&
                           (e.externalPort == 0 || e.externalPort == externalPort) &&
                           Matches(e.remote, remote);
      if (!matches || (m != nullptr && m->internal != e.internal)) {
        ++it;
        continue;
      }
      expectationId = it->first;
      used = e;
      if (m == nullptr) {
        // Creating the mapping may evict another, whose removal may edit the expectations:
        // the iterator is not used after this.
        const MappingKey key = MakeKey(protocol, used.internal, remote);
        m = CreateMapping(protocol, used.internal, key.remotePattern, MappingOrigin::Expectation,
                          now, externalPort);
        if (m == nullptr) {
          InboundResult refused;
          refused.status = m_lastCreateRefused ? InboundStatus::TableFull : InboundStatus::NoMapping;
          return refused;
        }
      }
      admittedBy = m;
      ++m_stats.expectationsMatched;
      if (!used.persistent) m_expectations.erase(expectationId);
      break;
    }
    if (admittedBy == nullptr) {
      InboundResult rejected;
      rejected.status = m == nullptr ? InboundStatus::NoMapping : InboundStatus::Filtered;
      return rejected;
    }
    viaExpectation = true;
    admission.expectationId = expectationId;
    admission.expectation = used;
  }

  m->replied = true;
  m->lastUsed = now;
  const ns3::Time deadline = Deadline(now, TimeoutFor(*m));
  // TCP bindings are refreshed by both directions (RFC 5382 REQ-5); UDP only if configured.
  const bool refresh = m_config.refreshOnInbound || protocol == L4Protocol::Tcp;
  if (refresh && protocol != L4Protocol::Tcp) m->expiresAt = deadline;
  // A pinhole must outlive at least the packet that opened it into the session table, so a
  // new session always gets a full timeout; existing ones are refreshed only if configured.
  Session& s = TouchSession(*m, remote, deadline, refresh || viaExpectation);
  if (viaExpectation && m->expiresAt < deadline) m->expiresAt = deadline;
  ++s.packetsIn;
  s.bytesIn += bytes;
  ++m->packetsIn;
  m->bytesIn += bytes;
  if (protocol == L4Protocol::Tcp) {
    if (IsConnectionStart(tcpFlags)) s.sequenceAdjust.Reset();
    TrackTcpConnection(*m, s, tcpFlags, now);
  }
  admission.status = InboundStatus::Admitted;
  admission.internal = m->internal;
  admission.mapping = m;
  admission.viaExpectation = viaExpectation;
  return admission;
}

const Mapping* NatTable::FindMapping(L4Protocol protocol, const Endpoint& internal,
                                     const Endpoint& remote, ns3::Time now) {
  auto it = m_byKey.find(MakeKey(protocol, internal, remote));
  return it == m_byKey.end() ? nullptr : LiveOrRemove(it->second, now);
}

const Mapping* NatTable::FindMappingByExternalPort(L4Protocol protocol,
                                                   std::uint16_t externalPort, ns3::Time now) {
  return FindByPort(protocol, externalPort, now);
}

const Mapping* NatTable::FindMappingById(std::uint64_t id, ns3::Time now) {
  auto it = m_mappings.find(id);
  return it == m_mappings.end() ? nullptr : LiveOrRemove(&it->second, now);
}

std::optional<Endpoint> NatTable::FindInternalEndpoint(L4Protocol protocol,
                                                       std::uint16_t externalPort,
                                                       ns3::Time now) {
  const Mapping* m = FindByPort(protocol, externalPort, now);
  if (m == nullptr) return std::nullopt;
  return m->internal;
}

OutboundResult NatTable::ReserveMapping(L4Protocol protocol, const Endpoint& internal,
                                        const Endpoint& remote, ns3::Time now) {
  const MappingKey key = MakeKey(protocol, internal, remote);
  Mapping* m = nullptr;
  if (auto it = m_byKey.find(key); it != m_byKey.end()) m = LiveOrRemove(it->second, now);
  bool created = false;
  if (m == nullptr) {
    m = CreateMapping(protocol, internal, key.remotePattern, MappingOrigin::Reserved, now,
                      std::nullopt);
    if (m == nullptr) return FailedOutbound();
    created = true;
  } else {
    m->expiresAt = std::max(m->expiresAt, Deadline(now, TimeoutFor(*m)));
  }
  return OutboundResult{OutboundStatus::Translated, m->external, m, created};
}

bool NatTable::SetMappingTimeout(std::uint64_t mappingId, ns3::Time timeout, ns3::Time now) {
  auto it = m_mappings.find(mappingId);
  if (it == m_mappings.end()) return false;
  Mapping* m = LiveOrRemove(&it->second, now);
  if (m == nullptr) return false;
  m->timeoutOverride = timeout.IsStrictlyPositive() ? timeout : ns3::Time();
  m->expiresAt = Deadline(now, TimeoutFor(*m));
  for (auto& entry : m->sessions) {
    if (now < entry.second.expiresAt) entry.second.expiresAt = m->expiresAt;
  }
  return true;
}

TcpSequenceAdjust* NatTable::SequenceAdjust(std::uint64_t mappingId, const Endpoint& remote,
                                            ns3::Time now) {
  auto it = m_mappings.find(mappingId);
  if (it == m_mappings.end()) return nullptr;
  Mapping* m = LiveOrRemove(&it->second, now);
  if (m == nullptr || m->protocol != L4Protocol::Tcp) return nullptr;
  auto session = m->sessions.find(remote.Key());
  return session == m->sessions.end() ? nullptr : &session->second.sequenceAdjust;
}

TcpSequenceAdjust* NatTable::RecordTcpResize(std::uint64_t mappingId, const Endpoint& remote,
                                             Direction direction, std::uint32_t sequence,
                                             std::int32_t delta, ns3::Time now) {
  TcpSequenceAdjust* adjust = SequenceAdjust(mappingId, remote, now);
  if (adjust != nullptr) adjust->RecordResize(direction, sequence, delta);
  return adjust;
}

bool NatTable::RemoveMapping(std::uint64_t mappingId) {
  auto it = m_mappings.find(mappingId);
  if (it == m_mappings.end()) return false;
  RemoveMappingEntry(it->second, RemovalReason::Removed);
  return true;
}

std::uint64_t NatTable::AddExpectation(const Expectation& expectation, ns3::Time now) {
  if (!MakeRoomForExpectation(expectation, now)) return 0;
  const std::uint64_t id = m_nextExpectationId++;
  m_expectations.emplace(id, ExpectationEntry{expectation, Deadline(now, expectation.timeout)});
  ++m_stats.expectationsAdded;
  return id;
}

bool NatTable::RemoveExpectation(std::uint64_t expectationId) {
  return m_expectations.erase(expectationId) != 0;
}

bool NatTable::HasExpectation(std::uint64_t expectationId, ns3::Time now) const {
  auto it = m_expectations.find(expectationId);
  return it != m_expectations.end() && now < it->second.expiresAt;
}

std::size_t NatTable::RemoveExpectations(std::uint64_t owner) {
  std::size_t removed = 0;
  for (auto it = m_expectations.begin(); it != m_expectations.end();) {
    if (it->second.expectation.owner == owner) {
      it = m_expectations.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  return removed;
}

std::size_t NatTable::ExpectationCount(std::uint64_t owner) const {
  return static_cast<std::size_t>(
      std::count_if(m_expectations.begin(), m_expectations.end(),
                    [owner](const auto& entry) { return entry.second.expectation.owner == owner; }));
}

SweepResult NatTable::Sweep(ns3::Time now) {
  SweepResult result;
  std::vector<std::uint64_t> expired;
  for (auto& [id, mapping] : m_mappings) {
    if (now >= mapping.expiresAt) {
      expired.push_back(id);
      continue;
    }
    // Dead sessions no longer admit anything; pruning them only bounds memory.
    for (auto it = mapping.sessions.begin(); it != mapping.sessions.end();) {
      it = now >= it->second.expiresAt ? mapping.sessions.erase(it) : std::next(it);
    }
    if (mapping.expiresAt != ns3::Time::Max() &&
        (!result.nextExpiry || mapping.expiresAt < *result.nextExpiry)) {
      result.nextExpiry = mapping.expiresAt;
    }
  }
  std::sort(expired.begin(), expired.end());
  for (std::uint64_t id : expired) RemoveMappingEntry(m_mappings.at(id), RemovalReason::Expired);
  result.mappingsRemoved = expired.size();

  for (auto it = m_expectations.begin(); it != m_expectations.end();) {
    if (now >= it->second.expiresAt) {
      ++m_stats.expectationsExpired;
      ++result.expectationsRemoved;
      it = m_expectations.erase(it);
      continue;
    }
    const ns3::Time at = it->second.expiresAt;
    if (at != ns3::Time::Max() && (!result.nextExpiry || at < *result.nextExpiry)) {
      result.nextExpiry = at;
    }
    ++it;
  }
  return result;
}

void NatTable::Clear() {
  std::vector<std::uint64_t> ids;
  ids.reserve(m_mappings.size());
  for (const auto& entry : m_mappings) ids.push_back(entry.first);
  std::sort(ids.begin(), ids.end());  // callbacks fire in id order
  for (std::uint64_t id : ids) RemoveMappingEntry(m_mappings.at(id), RemovalReason::Cleared);
  m_expectations.clear();
  m_sequentialCursor = 0;
}

std::vector<const Mapping*> NatTable::Mappings() const {
  std::vector<const Mapping*> out;
  out.reserve(m_mappings.size());
  for (const auto& entry : m_mappings) out.push_back(&entry.second);
  std::sort(out.begin(), out.end(),
            [](const Mapping* a, const Mapping* b) { return a->id < b->id; });
  return out;
}

}  // namespace alglab::nat
