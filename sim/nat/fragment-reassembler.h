#ifndef ALGLAB_NAT_FRAGMENT_REASSEMBLER_H
#define ALGLAB_NAT_FRAGMENT_REASSEMBLER_H

// IPv4 reassembly in front of the NAT, as Linux's nf_defrag_ipv4 does before conntrack: a NAT
// (and its ALG) must see a whole datagram to find its ports and its SIP message, so the
// fragments of a datagram are held until all have arrived, then handed on as one datagram that
// the router translates and the output link fragments again if it is too large.
//
// Bounds follow the kernel's defaults: a datagram whose fragments do not all arrive within
// 30 s is discarded (ipfrag_time), fragments that overlap discard their whole datagram (Linux
// since 4.19; the overlap is how fragment attacks hide headers), a datagram may not end past
// 65535 bytes, and at most 4 MiB are held at once (ipfrag_high_thresh): past that the oldest
// datagrams are discarded first.

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace alglab::nat {

class FragmentReassembler {
 public:
  struct Limits {
    ns3::Time timeout = ns3::Seconds(30);
    std::uint32_t maxHeldBytes = 4u << 20;
  };

  /// A whole datagram: its payload and the first fragment's header with the fragment fields
  /// cleared and the payload size of the whole.
  struct Datagram {
    ns3::Ptr<ns3::Packet> payload;
    ns3::Ipv4Header header;
  };

  /// A datagram given up (for the router's Drop trace): why, and its first-arrived fragment.
  struct Discarded {
    std::string reason;  ///< "fragment-timeout", "fragment-overlap", "fragment-oversize" or "fragment-memory"
    ns3::Ptr<const ns3::Packet> fragment;
    ns3::Ipv4Header header;
  };

  FragmentReassembler() = default;
  explicit FragmentReassembler(Limits limits) : m_limits(limits) {}

  /// True when `header` describes a fragment (offset or more-fragments set).
  static bool IsFragment(const ns3::Ipv4Header& header) {
    return header.GetFragmentOffset() != 0 || !header.IsLastFragment();
  }

  /// Adds one fragment (its IP payload `fragment`) at time `now`. Returns the whole datagram
  /// when this fragment completed it. Datagrams given up meanwhile (this one included) are
  /// appended to `discarded`.
  std::optional<Datagram> Add(ns3::Ptr<const ns3::Packet> fragment, const ns3::Ipv4Header& header,
                              ns3::Time now, std::vector<Discarded>& discarded);

  /// Gives up the datagrams whose first fragment arrived `timeout` or longer before `now`.
  void Expire(ns3::Time now, std::vector<Discarded>& discarded);
  /// When the oldest datagram held times out (nullopt when nothing is held).
  std::optional<ns3::Time> NextTimeout() const;

  /// Forgets everything held (a reboot).
  void Clear();
  std::size_t HeldDatagrams() const { return m_queues.size(); }
  std::uint32_t HeldBytes() const { return m_heldBytes; }

 private:
  /// RFC 791's reassembly key.
  using Key = std::tuple<std::uint32_t, std::uint32_t, std::uint8_t, std::uint16_t>;

  struct Queue {
    ns3::Time firstArrival;
    std::uint64_t order = 0;  ///< arrival order of the first fragment (ties at one instant)
    std::map<std::uint32_t, ns3::Ptr<const ns3::Packet>> pieces;  ///< by byte offset
    std::optional<std::uint32_t> totalLength;  ///< known once the last fragment arrived
    std::optional<ns3::Ipv4Header> firstHeader;  ///< the offset-0 fragment's header
    ns3::Ptr<const ns3::Packet> sample;  ///< the first fragment that arrived, for Discarded
    ns3::Ipv4Header sampleHeader;
    std::uint32_t bytes = 0;
  };

  void Discard(std::map<Key, Queue>::iterator it, const char* reason,
               std::vector<Discarded>& discarded);
  /// True when `queue` holds every byte from 0 to its total length.
  static bool Complete(const Queue& queue);

  Limits m_limits;
  std::map<Key, Queue> m_queues;
  std::uint32_t m_heldBytes = 0;
  std::uint64_t m_nextOrder = 0;
};

}  // namespace alglab::nat

#endif
