#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_PINHOLE_MIRROR_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_PINHOLE_MIRROR_H

/// \file
/// A reusable mechanism: keeps a model's own pinholes (the ones its helper logic predicts)
/// open in the router's NAT table, as expectations toward the public address, restricted to the
/// source the model names, forwarded to the inside endpoint it saved, and closed again when the
/// model says so. A model adopts it (AlgModel::Adopt) and calls Open/Close from its own
/// mechanisms; it sits at no hook point.

#include "alg-models/contract/mechanism.h"
#include "sim/nat/nat-types.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace alglab {

/// One pinhole a model wants in the NAT table.
struct PinholeRequest {
  std::uint64_t key = 0;  ///< the model's own id for it (Close takes the same)
  nat::L4Protocol protocol = nat::L4Protocol::Udp;
  std::uint16_t publicPort = 0;                ///< on the router's public address
  std::optional<ns3::Ipv4Address> onlyFrom;    ///< source restriction; none: any remote
  nat::Endpoint inside;                        ///< where admitted packets go
  ns3::Time lifetime;                          ///< from `now` in Open; must be positive
  bool persistent = false;                     ///< admits many remotes until closed
  std::uint64_t owner = 0;                     ///< NatTable owner tag
  std::uint64_t masterMapping = 0;             ///< the mapping it belongs to (0: none)
};

class PinholeMirror : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId();
  /// Opens (or replaces) pinhole `request.key`; no-op without a positive lifetime or a table.
  void Open(const PinholeRequest& request, ns3::Time now);
  /// Closes pinhole `key` (also in the NAT table); unknown keys are ignored.
  void Close(std::uint64_t key);
  /// Pinholes currently mirrored.
  std::size_t Size() const { return m_open.size(); }

  /// Never in a chain; accepts anything.
  alg::Verdict Process(alg::PacketContext& context) override;
  /// The NAT table is empty already: only the bookkeeping goes.
  void OnFlush() override { m_open.clear(); }
  void OnRouterReboot() override { m_open.clear(); }
  std::string Name() const override { return "pinhole-mirror"; }

 private:
  /// Model key -> NatTable expectation id (0 when the table refused it).
  std::map<std::uint64_t, std::uint64_t> m_open;
};

}  // namespace alglab

#endif
