#ifndef ALGLAB_NAT_ALG_HOOK_H
#define ALGLAB_NAT_ALG_HOOK_H

// The one place where an application-layer gateway (a router's SIP ALG model) sits in the NAT
// router. The router calls the installed hook for every UDP and TCP packet it translates, in
// both directions:
//
// - Outbound (LAN -> WAN): after the NAT chose the mapping and the output interface, so
//   `translated.source` is the public endpoint the packet will leave with.
// - Inbound (WAN -> LAN): after the NAT admitted the packet (filtering and expectations passed)
//   and rewrote the destination, and before the inner routing forwards it. Packets the NAT drops
//   never reach the hook.
//
// The hook may rewrite `payload` (any length; the router rebuilds the L4 header, IP total length
// and checksums), send the packet to another destination port (`redirectDestinationPort`),
// consult or extend the NAT state through `nat` (mapping lookup, port reservation,
// expectations), or drop the packet. The router also tells the hook when a mapping leaves the
// table (OnMappingRemoved), so per-connection state can die with its binding. Vendor "none"
// means no hook at all.

#include "sim/nat/nat-table.h"
#include "sim/nat/nat-types.h"

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <string>

namespace alglab::nat {

enum class AlgVerdict : std::uint8_t {
  Accept,  ///< forward the (possibly rewritten) packet
  Drop,    ///< discard it; the router reports reason "alg" (or "alg:<dropReason>")
};

/// "accept" / "drop".
const char* ToString(AlgVerdict verdict);

/// Everything the hook may read or change about one translated packet.
struct AlgContext {
  Direction direction;
  /// The 5-tuple as the packet arrived at the router.
  const FiveTuple original;
  /// The 5-tuple as it will leave the router.
  const FiveTuple translated;
  /// The L4 payload (bytes after the UDP/TCP header). Mutable: the router forwards what is here
  /// when the hook returns Accept. Note for TCP: a length change is not compensated in sequence
  /// numbers by the router; a TCP-rewriting model must account for that itself.
  std::string& payload;
  /// The NAT state, for lookups, port reservations and expectations.
  NatTable& nat;
  /// Simulation time of the packet (pass it to every NatTable call).
  ns3::Time now;
  /// Id of the mapping that translated the packet (see NatTable::FindMappingById).
  std::uint64_t mappingId = 0;
  /// Optional static string naming why the hook dropped the packet (e.g. "cannot parse contact");
  /// must outlive the call, so use string literals.
  const char* dropReason = nullptr;
  /// Non-zero: the packet leaves with this UDP/TCP destination port instead of
  /// `translated.destination.port` (the router rewrites the port and the checksum). Models a
  /// helper that steers a datagram to another port, like Linux nf_nat_sip's forced_dport for
  /// replies toward a phone whose Via names another port than it sends from. The NAT state is
  /// not touched: mappings and sessions keep describing the packet's translated 5-tuple.
  /// 0: unchanged. Ignored when the hook drops the packet.
  std::uint16_t redirectDestinationPort = 0;
};

/// Base class of every ALG model. Models are ns-3 Objects so vendor knobs are TypeId
/// attributes and a model can be created by TypeId name.
class AlgHook : public ns3::Object {
 public:
  static ns3::TypeId GetTypeId();
  ~AlgHook() override;

  /// Inspects and possibly rewrites one packet. Called for every translated UDP/TCP packet.
  virtual AlgVerdict ProcessPacket(AlgContext& context) = 0;

  /// The router is rebooting: its NAT table has just been cleared. Drop any state that lived in
  /// the router's RAM (dialogs, pinhole bookkeeping). Default: nothing to drop.
  virtual void OnRouterReboot();

  /// `mapping` is leaving the table (expired, cleared by a reboot, or removed, including by the
  /// hook itself through NatTable::RemoveMapping); it is still readable during the call, but is
  /// gone afterwards. `nat` is the table it leaves: the hook may remove its expectations there,
  /// but must not create or remove mappings from this call. Lets a model forget per-connection
  /// state at once instead of polling for dead mappings. Default: nothing to forget.
  virtual void OnMappingRemoved(const Mapping& mapping, NatTable& nat);

  /// Short model name for reports, e.g. "linux-netfilter".
  virtual std::string Name() const = 0;
};

}  // namespace alglab::nat

#endif
