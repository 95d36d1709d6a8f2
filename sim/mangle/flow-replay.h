#ifndef ALGLAB_MANGLE_FLOW_REPLAY_H
#define ALGLAB_MANGLE_FLOW_REPLAY_H

/// \file
/// Replays a flow file through a NAT router and a vendor's ALG model, datagram by datagram,
/// without an ns-3 simulation: the model's chains run through alg::TableRouter on a virtual
/// simulator clock advancing 10 ms per block. The router is the flow format's fixed topology (phone
/// 10.0.0.2, router 10.0.0.1 / 203.0.113.1, peer 203.0.113.2, everything on port 5060) with
/// the NAT Linux masquerading gives: the source port is kept when free, one binding per inside
/// endpoint, and only replies from endpoints the inside host talked to come back in.
/// `<<< in` blocks go to the public address and port the peer last received from
/// (203.0.113.1:5060 before that), as the kernel oracle's peer does. Mappings leaving the
/// table are reported to the hook (Mechanism::OnMappingRemoved), as the router does.

#include "alg-models/contract/router-view.h"
#include "sim/flow/flow-file.h"
#include "sim/nat/nat-types.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alglab::mangle {

/// What happened to one block.
struct BlockOutcome {
  flow::FlowBlock::Direction dir = flow::FlowBlock::Out;
  std::size_t line = 0;  ///< line of the block's marker in the flow file
  std::string sent;      ///< the datagram as sent
  /// The datagram as the other side received it; nullopt when nothing arrived.
  std::optional<std::string> delivered;
  /// Why nothing arrived: "alg: <reason>", "alg", "no-mapping", "filtered", "port-exhausted".
  std::string dropReason;
  /// Non-zero: the ALG sent the datagram to this UDP destination port instead of the one the
  /// NAT chose (PacketContext::redirectDestinationPort, e.g. the kernel's forced_dport).
  std::uint16_t redirectedPort = 0;
  /// Where the delivered datagram went (after any redirect).
  nat::Endpoint to;
  /// True for a datagram the model emitted from the router itself (a proxy's own answer):
  /// `sent` is empty, `line` is the block being replayed when it was emitted, `dir` says
  /// which way it left (in: toward the phone, out: toward the peer).
  bool emitted = false;
  /// True when a mechanism stole the datagram (it took it and may answer itself).
  bool stolen = false;
};

/// The flow topology as a router's mechanisms see it: LAN 10.0.0.1/24 (the phone is 10.0.0.2),
/// WAN 203.0.113.1/24 (the peer is 203.0.113.2). Models' own tests build their TableRouters on
/// it, so what they push by hand and what a flow replays cross the same router.
alg::RouterView FlowTopology();

/// Replays `flow` through `vendor`'s ALG ("none": no ALG) configured with `knobs` (attribute
/// name -> value). Runs on an ns-3 simulator clock (blocks 10 ms apart, then up to 64 s for
/// what models schedule), so models that emit packets or start timers work; it must not be
/// called inside a running simulation. Emitted datagrams appear in time order among the
/// blocks. Throws MangleError for an unknown vendor or a bad knob.
std::vector<BlockOutcome> ReplayFlow(const flow::FlowFile& flow, const std::string& vendor,
                                     const std::map<std::string, std::string>& knobs = {});

}  // namespace alglab::mangle

#endif
