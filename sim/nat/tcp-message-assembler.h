#ifndef ALGLAB_NAT_TCP_MESSAGE_ASSEMBLER_H
#define ALGLAB_NAT_TCP_MESSAGE_ASSEMBLER_H

// Whole SIP messages out of TCP segments, for an ALG whose vendor inspects messages rather than
// segments (the `tcp_view = message` knob; Linux's helper looks at segments). Per connection and
// direction, a segment that ends inside a SIP message is held back, not forwarded, until the
// segments that complete the message arrive in order; then everything held leaves as one
// segment starting at the first held sequence number, and the chain sees each whole message
// once. The receiver never saw the held bytes, so it never acknowledged them: nothing needs
// resynchronising, and the usual sequence adjustment covers a rewrite of the merged segment.
//
// Holding ends without waiting for a complete message when the sender shows it is stuck or the
// stream is not SIP: a segment that does not continue the held bytes (a retransmission after
// the sender's timeout, or a gap) makes the held bytes leave in its place, examined only as far
// as whole messages go; so does a FIN, more than 64 KiB held, or bytes that cannot be delimited
// as a SIP message. A RST discards what is held. Bytes that cannot begin a SIP message (a TLS
// record of SIP over TLS, RFC 3261 section 26) are never held: the router cannot read them.

#include "sim/nat/nat-types.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace alglab::nat {

class TcpMessageAssembler {
 public:
  static constexpr std::size_t kMaxHeldBytes = 64 * 1024;

  /// One connection direction: the mapping, the remote endpoint and which way the bytes go.
  struct Key {
    std::uint64_t mappingId = 0;
    Endpoint remote;
    Direction direction = Direction::Outbound;
  };

  /// A stretch of Decision::bytes: a whole SIP message the chain sees, or bytes that leave
  /// unexamined (keepalives, the unfinished rest when holding gave up).
  struct Piece {
    std::size_t length = 0;
    bool message = false;
  };

  struct Decision {
    enum class Action {
      Pass,     ///< the segment goes on as it is (no payload, nothing held; the chain sees it)
      Hold,     ///< the segment is held back: nothing leaves
      Forward,  ///< the segment leaves with `sequence` and `bytes` instead of its own
    };
    Action action = Action::Pass;
    std::uint32_t sequence = 0;
    std::string bytes;
    std::vector<Piece> pieces;  ///< cover `bytes` in order
  };

  /// A segment of the connection `key` with sequence number `sequence`, payload `payload` and
  /// TCP flag bits `flags` (ns3::TcpHeader's FIN/RST values).
  Decision Offer(const Key& key, std::uint32_t sequence, std::string_view payload, std::uint8_t flags);

  /// Forgets the connections of a mapping that left the table.
  void ForgetMapping(std::uint64_t mappingId);
  /// Forgets everything (a reboot or a flush).
  void Clear() { m_held.clear(); }
  std::size_t HeldConnections() const { return m_held.size(); }

 private:
  using MapKey = std::tuple<std::uint64_t, std::uint32_t, std::uint16_t, int>;
  struct Held {
    std::uint32_t sequence = 0;  ///< of the first held byte
    std::string bytes;
  };

  /// Cuts `bytes` into whole messages and keepalives; true when nothing unfinished is left
  /// (the unfinished rest, if any, is not in `pieces`).
  static bool Cut(std::string_view bytes, std::vector<Piece>& pieces);
  /// A Forward decision for `bytes` starting at `sequence`, whose whole messages Cut already
  /// found (`pieces`): those examined, the unfinished rest (if any) unexamined.
  static Decision Release(std::uint32_t sequence, std::string bytes, std::vector<Piece> pieces);
  static Decision Hold() {
    Decision d;
    d.action = Decision::Action::Hold;
    return d;
  }

  std::map<MapKey, Held> m_held;
};

}  // namespace alglab::nat

#endif
