#ifndef ALGLAB_ALG_MODELS_LINUX_NETFILTER_EXPECTATION_TABLE_H
#define ALGLAB_ALG_MODELS_LINUX_NETFILTER_EXPECTATION_TABLE_H

/// \file
/// The kernel's expectation table (nf_conntrack_expect) as the SIP helper uses it: pinholes
/// with a class, a master connection, a tuple with an all-or-nothing source mask, NAT "saved"
/// addresses, and the admission rules that decide what a new pinhole does to old ones:
/// - same tuple and mask, same class and master: the old pinhole is replaced;
/// - same tuple and mask, other class or other master: refused ("already", -EALREADY);
/// - same destination and overlapping sources otherwise: refused ("busy", -EBUSY), which makes
///   the helper try another port;
/// - per master and class at most 1 signalling / 4 audio / 4 video / 2 image pinholes: at the
///   cap the oldest one of that class is evicted first;
/// - every pinhole expires `timeout` (180 s) after insertion, whatever the helper asked for; a
///   REGISTER 2xx re-times signalling ones.
/// Plain C++; time is passed in. Iteration order is deterministic (newest first, as the kernel's
/// lists), and a listener hears every change so an adapter can mirror pinholes elsewhere.

#include "alg-models/linux-netfilter/conntrack-tuples.h"

#include "ns3/nstime.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace alglab::linuxnf {

/// What a pinhole is for (the helper's expectation classes).
enum class ExpectClass : std::uint8_t { Signalling = 0, Audio = 1, Video = 2, Image = 3 };

/// "signalling" / "audio" / "video" / "image".
const char* ToString(ExpectClass klass);

/// One pinhole.
struct KernelExpectation {
  std::uint64_t id = 0;      ///< assigned on insertion, increasing
  std::uint64_t master = 0;  ///< the connection that created it
  ExpectClass klass = ExpectClass::Audio;
  std::uint8_t protocol = kProtoUdp;
  bool sourceMasked = false;  ///< true: only `source.address` may use it; false: anyone
  L4Endpoint source;          ///< port unused: the helper never restricts source ports
  L4Endpoint destination;     ///< where the expected packets go (after NAT: the public side)
  L4Endpoint saved;           ///< NAT: where a matching connection is forwarded to
  CtDirection dir = CtDirection::Original;  ///< NAT: direction of the master it serves
  bool permanent = false;     ///< matches many connections (REGISTER pinholes)
  bool inactive = false;      ///< matches nothing until activated (REGISTER before its 2xx)
  ns3::Time expiresAt;
};

/// Outcome of an insertion, named after the kernel's error codes.
enum class ExpectResult : std::uint8_t {
  Inserted,  ///< 0
  Already,   ///< -EALREADY: an identical pinhole of another class or master exists
  Busy,      ///< -EBUSY: a pinhole for the same destination overlaps
  Full,      ///< -EMFILE: over the per-class cap even after eviction, or the table is full
};

/// A change the listener hears about.
enum class ExpectEvent : std::uint8_t { Added, Removed, Updated };

/// Limits of the table (the helper's expectation policy).
struct ExpectPolicy {
  /// Per master, indexed by ExpectClass: signalling 1, audio 4, video 4, image 2.
  std::array<std::size_t, 4> maxPerMaster{{1, 4, 4, 2}};
  /// Lifetime given to every new pinhole (the policy's 3 minutes).
  ns3::Time timeout = ns3::Seconds(180);
  /// Pinholes in the whole table (nf_conntrack_expect_max); 0 means unlimited.
  std::size_t tableMax = 0;
};

class ExpectationTable {
 public:
  using Listener = std::function<void(const KernelExpectation&, ExpectEvent)>;

  explicit ExpectationTable(ExpectPolicy policy = ExpectPolicy{});

  void SetPolicy(const ExpectPolicy& policy) { m_policy = policy; }
  const ExpectPolicy& Policy() const { return m_policy; }
  void SetListener(Listener listener) { m_listener = std::move(listener); }

  /// Admits `candidate` (its id and expiry are set here). `anyMaster`: an identical pinhole of
  /// another master counts as identical (the media rule) instead of merely clashing.
  ExpectResult Insert(KernelExpectation& candidate, bool anyMaster, ns3::Time now);

  /// Removes one pinhole; false if it is gone already.
  bool Remove(std::uint64_t id);
  /// Removes every pinhole of a master (the master connection died).
  std::size_t RemoveMaster(std::uint64_t master);
  /// The helper's flush: `media` removes all media pinholes of the master; otherwise the newest
  /// signalling pinhole.
  void Flush(std::uint64_t master, bool media, ns3::Time now);

  /// The newest pinhole whose tuple admits a connection from `source` (0: unspecified) to
  /// `destination`, inactive ones included; nullptr if none.
  const KernelExpectation* FindAdmitting(Ipv4 source, L4Endpoint destination,
                                         std::uint8_t protocol, ns3::Time now);

  /// REGISTER 2xx: re-times the master's newest live signalling pinhole toward `destination` to
  /// expire `lifetime` from now and activates it. False if there is none.
  bool RefreshSignalling(std::uint64_t master, L4Endpoint destination, std::uint8_t protocol,
                         ns3::Time lifetime, ns3::Time now);

  /// Drops pinholes whose time has come.
  void Expire(ns3::Time now);
  void Clear();

  const KernelExpectation* Find(std::uint64_t id) const;
  std::size_t Count(std::uint64_t master, ExpectClass klass) const;
  std::size_t Size() const { return m_entries.size(); }
  /// Every pinhole, oldest first.
  std::vector<KernelExpectation> All() const;

 private:
  void Erase(std::map<std::uint64_t, KernelExpectation>::iterator it);
  void Notify(const KernelExpectation& e, ExpectEvent event) const;

  ExpectPolicy m_policy;
  Listener m_listener;
  std::map<std::uint64_t, KernelExpectation> m_entries;  ///< by id: newest last
  std::uint64_t m_nextId = 1;
};

}  // namespace alglab::linuxnf

#endif
