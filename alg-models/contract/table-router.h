#ifndef ALGLAB_ALG_MODELS_CONTRACT_TABLE_ROUTER_H
#define ALGLAB_ALG_MODELS_CONTRACT_TABLE_ROUTER_H

/// \file
/// A router without ns-3 packets: a NatTable, an ALG model and a RouterView, pushing datagrams
/// through the hook points in the order NatRoutingProtocol does (pre-filter, DNAT, post-DNAT;
/// SNAT, post-SNAT). `alglab mangle` and model tests use it; the ns-3 router is the real thing.
/// Packets mechanisms emit are collected with their due time (see Emitted()).

#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/packet-emitter.h"
#include "alg-models/contract/router-view.h"
#include "alg-models/contract/verdict.h"
#include "sim/nat/nat-table.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alglab::alg {

/// The TCP header fields of a segment crossing a TableRouter (unused for UDP).
struct TcpFields {
  std::uint8_t flags = 0;  ///< nat::tcp_flags bits
  std::uint32_t sequence = 0;
  std::uint32_t ack = 0;
};

class TableRouter : public PacketEmitter {
 public:

  /// What happened to one datagram or segment.
  struct Result {
    VerdictKind verdict = VerdictKind::Accept;
    /// The datagram as it leaves the router; nullopt when dropped or stolen.
    std::optional<std::string> delivered;
    /// Where it goes (after any redirect).
    nat::Endpoint to;
    /// "alg: <reason>", "alg", "no-mapping", "filtered", "port-exhausted", "table-full", or ""
    /// (also "" for stolen).
    std::string dropReason;
    /// Non-zero when a mechanism redirected the destination port.
    std::uint16_t redirectedPort = 0;
    std::uint64_t mappingId = 0;
    /// TCP: the segment's numbers as it leaves the router (sequence adjustment applied).
    TcpFields tcp;
  };

  /// `model` may be nullptr (vendor "none").
  TableRouter(const nat::NatConfig& config, RouterView view, ns3::Ptr<AlgModel> model);
  TableRouter(const TableRouter&) = delete;
  TableRouter& operator=(const TableRouter&) = delete;
  ~TableRouter() override;

  /// A UDP datagram (or TCP segment) from a LAN host toward the WAN.
  Result Outbound(const nat::Endpoint& from, const nat::Endpoint& to, std::string payload,
                  ns3::Time now, nat::L4Protocol protocol = nat::L4Protocol::Udp,
                  TcpFields tcp = {});
  /// A UDP datagram (or TCP segment) from the WAN to the public address (`publicPort`).
  Result Inbound(const nat::Endpoint& from, std::uint16_t publicPort, std::string payload,
                 ns3::Time now, nat::L4Protocol protocol = nat::L4Protocol::Udp,
                 TcpFields tcp = {});

  nat::NatTable& Table() { return m_table; }
  ns3::Ptr<AlgModel> Model() const { return m_model; }
  const RouterView& View() const { return m_view; }

  /// A packet a mechanism emitted, due at `at`.
  struct Emission {
    ns3::Time at;
    EmittedPacket packet;
  };
  /// The source endpoint `packet` leaves with: the router's LAN address for EmitSide::Lan; for
  /// EmitSide::Wan the public endpoint the NAT maps the router's own endpoint to (creating or
  /// refreshing that mapping, as the ns-3 router does). 0.0.0.0:0 if the NAT refuses.
  nat::Endpoint SourceOf(const EmittedPacket& packet, ns3::Time now);
  /// Emitted packets not yet taken, in emission order.
  std::vector<Emission> TakeEmitted();
  void Emit(EmittedPacket packet, ns3::Time delay) override;

 private:
  Result RunPoint(HookPoint point, nat::Direction direction, const nat::FiveTuple& original,
                  const nat::FiveTuple& translated, std::uint64_t mappingId,
                  const nat::InboundResult* admission, std::string& payload, ns3::Time now,
                  const TcpFields& tcp);
  /// TCP, as the ns-3 router does after a chain: records the length change on the connection
  /// and shifts the segment's numbers.
  void AdjustTcp(Result& result, nat::Direction direction, const nat::Endpoint& remote,
                 const TcpFields& tcp, std::int32_t delta, ns3::Time now);

  nat::NatTable m_table;
  RouterView m_view;
  ns3::Ptr<AlgModel> m_model;
  std::string m_buffer;
  ns3::Time m_now;
  std::vector<Emission> m_emitted;
};

}  // namespace alglab::alg

#endif
