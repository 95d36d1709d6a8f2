#include "alg-models/linux-netfilter/expectation-table.h"

namespace alglab::linuxnf {

namespace {

/// The source part of a tuple as the kernel stores it: address zeroed when unmasked.
Ipv4 StoredSource(const KernelExpectation& e) { return e.sourceMasked ? e.source.address : 0; }

/// Same tuple and same mask (the kernel's expect_matches).
bool Identical(const KernelExpectation& a, const KernelExpectation& b) {
  return a.protocol == b.protocol && a.destination == b.destination &&
         a.sourceMasked == b.sourceMasked && StoredSource(a) == StoredSource(b);
}

/// Same destination, sources equal where both masks care (the kernel's expect_clash).
bool Overlapping(const KernelExpectation& a, const KernelExpectation& b) {
  if (a.protocol != b.protocol || a.destination != b.destination) return false;
  if (a.sourceMasked && b.sourceMasked) return a.source.address == b.source.address;
  return true;
}

}  // namespace

const char* ToString(ExpectClass klass) {
  switch (klass) {
    case ExpectClass::Signalling:
      return "signalling";
    case ExpectClass::Audio:
      return "audio";
    case ExpectClass::Video:
      return "video";
    case ExpectClass::Image:
      return "image";
  }
  return "unknown";
}

ExpectationTable::ExpectationTable(ExpectPolicy policy) : m_policy(policy) {}

void ExpectationTable::Notify(const KernelExpectation& e, ExpectEvent event) const {
  if (m_listener) m_listener(e, event);
}

void ExpectationTable::Erase(std::map<std::uint64_t, KernelExpectation>::iterator it) {
  const KernelExpectation gone = it->second;
  m_entries.erase(it);
  Notify(gone, ExpectEvent::Removed);
}

ExpectResult ExpectationTable::Insert(KernelExpectation& candidate, bool anyMaster,
                                      ns3::Time now) {
  Expire(now);
  // Newest first, like the kernel's hash chain.
  for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
    const KernelExpectation& old = it->second;
    if (old.protocol != candidate.protocol || old.destination != candidate.destination) continue;
    if ((anyMaster || old.master == candidate.master) && Identical(old, candidate)) {
      if (old.klass != candidate.klass || old.master != candidate.master) {
        return ExpectResult::Already;
      }
      Erase(std::next(it).base());
      break;
    }
    if (Overlapping(old, candidate)) return ExpectResult::Busy;
  }

  const std::size_t cap = m_policy.maxPerMaster[static_cast<std::size_t>(candidate.klass)];
  if (cap != 0 && Count(candidate.master, candidate.klass) >= cap) {
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
      if (it->second.master == candidate.master && it->second.klass == candidate.klass) {
        Erase(it);  // the oldest of its class
        break;
      }
    }
    if (Count(candidate.master, candidate.klass) >= cap) return ExpectResult::Full;
  }
  if (m_policy.tableMax != 0 && m_entries.size() >= m_policy.tableMax) return ExpectResult::Full;

  candidate.id = m_nextId++;
  candidate.expiresAt = now + m_policy.timeout;
  const KernelExpectation& stored = m_entries.emplace(candidate.id, candidate).first->second;
  Notify(stored, ExpectEvent::Added);
  return ExpectResult::Inserted;
}

bool ExpectationTable::Remove(std::uint64_t id) {
  auto it = m_entries.find(id);
  if (it == m_entries.end()) return false;
  Erase(it);
  return true;
}

std::size_t ExpectationTable::RemoveMaster(std::uint64_t master) {
  std::size_t removed = 0;
  for (auto it = m_entries.begin(); it != m_entries.end();) {
    if (it->second.master == master) {
      auto next = std::next(it);
      Erase(it);
      it = next;
      ++removed;
    } else {
      ++it;
    }
  }
  return removed;
}

void ExpectationTable::Flush(std::uint64_t master, bool media, ns3::Time now) {
  Expire(now);
  for (auto it = m_entries.end(); it != m_entries.begin();) {
    --it;
    const KernelExpectation& e = it->second;
    if (e.master != master) continue;
    const bool isMedia = e.klass != ExpectClass::Signalling;
    if (isMedia != media) continue;
    auto newer = std::next(it);
    Erase(it);
    if (!media) return;  // the kernel stops after one signalling pinhole
    it = newer;
  }
}

const KernelExpectation* ExpectationTable::FindAdmitting(Ipv4 source, L4Endpoint destination,
                                                         std::uint8_t protocol, ns3::Time now) {
  Expire(now);
  for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
    const KernelExpectation& e = it->second;
    if (e.protocol != protocol || e.destination != destination) continue;
    if (e.sourceMasked && e.source.address != source) continue;
    return &e;
  }
  return nullptr;
}

bool ExpectationTable::RefreshSignalling(std::uint64_t master, L4Endpoint destination,
                                         std::uint8_t protocol, ns3::Time lifetime,
                                         ns3::Time now) {
  Expire(now);
  for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
    KernelExpectation& e = it->second;
    if (e.master != master || e.klass != ExpectClass::Signalling ||
        e.destination != destination || e.protocol != protocol) {
      continue;
    }
    e.expiresAt = now + lifetime;
    e.inactive = false;
    Notify(e, ExpectEvent::Updated);
    return true;
  }
  return false;
}

void ExpectationTable::Expire(ns3::Time now) {
  for (auto it = m_entries.begin(); it != m_entries.end();) {
    if (now >= it->second.expiresAt) {
      auto next = std::next(it);
      Erase(it);
      it = next;
    } else {
      ++it;
    }
  }
}

void ExpectationTable::Clear() {
  while (!m_entries.empty()) Erase(m_entries.begin());
}

const KernelExpectation* ExpectationTable::Find(std::uint64_t id) const {
  auto it = m_entries.find(id);
  return it == m_entries.end() ? nullptr : &it->second;
}

std::size_t ExpectationTable::Count(std::uint64_t master, ExpectClass klass) const {
  std::size_t n = 0;
  for (const auto& entry : m_entries) {
    if (entry.second.master == master && entry.second.klass == klass) ++n;
  }
  return n;
}

std::vector<KernelExpectation> ExpectationTable::All() const {
  std::vector<KernelExpectation> out;
  out.reserve(m_entries.size());
  for (const auto& entry : m_entries) out.push_back(entry.second);
  return out;
}

}  // namespace alglab::linuxnf
