#ifndef ALGLAB_ALG_MODELS_CONTRACT_PACKET_EMITTER_H
#define ALGLAB_ALG_MODELS_CONTRACT_PACKET_EMITTER_H

/// \file
/// How a mechanism sends packets of its own from the router: a proxy's 100 Trying, a request
/// re-originated with the router's own Via and source port, a retransmission.

#include "sim/nat/nat-types.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <string>

namespace alglab::alg {

/// Which side of the router a packet leaves by.
enum class EmitSide : std::uint8_t {
  /// Into the LAN, from the address of the LAN interface whose prefix holds the destination
  /// (not sent when no LAN prefix holds it).
  Lan,
  /// Onto the WAN, from the public address. The router's own endpoint (its LAN address and
  /// `sourcePort`) goes through the NAT table like any inside host's: it gets (or refreshes) a
  /// mapping, so the public port may differ from `sourcePort` when a LAN host holds it, and
  /// replies come back through that mapping to the router (hook point LocalIn).
  Wan,
};

/// One datagram a mechanism wants the router to send.
struct EmittedPacket {
  nat::L4Protocol protocol = nat::L4Protocol::Udp;  ///< only UDP is supported
  EmitSide side = EmitSide::Lan;
  std::uint16_t sourcePort = 5060;  ///< the router's own source port
  nat::Endpoint destination;
  std::string payload;
};

/// Implemented by the router (and by `alglab mangle`). Emitted packets do not pass through the
/// mechanism chains again (a mechanism never sees its own packets), but they do pass through
/// the NAT state, counters and the "Emitted" trace.
class PacketEmitter {
 public:
  virtual ~PacketEmitter() = default;
  /// Sends `packet` `delay` from now. Always scheduled (also for a zero delay), so a mechanism
  /// may emit from inside its own Process call.
  virtual void Emit(EmittedPacket packet, ns3::Time delay) = 0;
};

}  // namespace alglab::alg

#endif
