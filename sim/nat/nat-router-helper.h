#ifndef ALGLAB_NAT_NAT_ROUTER_HELPER_H
#define ALGLAB_NAT_NAT_ROUTER_HELPER_H

// Installs NatRoutingProtocol as a router node's top-level routing protocol. Use it for the
// router node only:
//
//   NatRoutingHelper nat;
//   nat.SetAttribute("Filtering", StringValue("endpoint-independent"));
//   nat.SetAlg("alglab::SomeVendorAlg");          // optional; no call = vendor "none"
//   InternetStackHelper stack;
//   stack.SetRoutingHelper(nat);
//   stack.Install(router);
//   ... assign addresses ...
//   NatRoutingHelper::ConfigureWan(router, wanInterface, wanNextHop);
//
// Ordering: InternetStackHelper calls Create() before the node has interfaces, so the WAN
// interface index is either known in advance (SetWanInterface on the helper: interface 0 is the
// loopback, then one per device in installation order) or set afterwards with ConfigureWan().

#include "sim/nat/nat-router.h"

#include "ns3/ipv4-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace alglab::nat {

class NatRoutingHelper : public ns3::Ipv4RoutingHelper {
 public:
  /// Inner routing defaults to Ipv4StaticRoutingHelper.
  NatRoutingHelper();
  NatRoutingHelper(const NatRoutingHelper& other);
  NatRoutingHelper& operator=(const NatRoutingHelper&) = delete;
  ~NatRoutingHelper() override;

  NatRoutingHelper* Copy() const override;
  /// Creates the inner protocol and the NAT decorator around it (and the ALG, if configured).
  ns3::Ptr<ns3::Ipv4RoutingProtocol> Create(ns3::Ptr<ns3::Node> node) const override;

  /// Sets a NatRoutingProtocol attribute for routers created later. False (and nothing set) if
  /// the name is unknown or the value does not fit, e.g. StringValue("full-cone").
  bool SetAttribute(const std::string& name, const ns3::AttributeValue& value);
  /// The protocol that really routes (copied). Must forward synchronously (static/global/list).
  void SetInnerRouting(const ns3::Ipv4RoutingHelper& inner);
  /// WAN interface index, when known before installation.
  void SetWanInterface(std::uint32_t interface);

  /// Installs an ALG model by TypeId name; "" means none. False if the name is not a registered
  /// subclass of alglab::alg::AlgModel with a constructor.
  bool SetAlg(const std::string& typeIdName);
  /// Sets a knob of the ALG model chosen with SetAlg (an attribute of the model or of one of
  /// its mechanisms). False if unknown or invalid.
  bool SetAlgAttribute(const std::string& name, const ns3::AttributeValue& value);

  /// The NAT router installed on `node`, or nullptr if it has none.
  static ns3::Ptr<NatRoutingProtocol> GetNatRouter(ns3::Ptr<ns3::Node> node);
  /// The Ipv4StaticRouting inside the NAT router on `node` (directly or inside an
  /// Ipv4ListRouting), or nullptr.
  static ns3::Ptr<ns3::Ipv4StaticRouting> GetInnerStaticRouting(ns3::Ptr<ns3::Node> node);
  /// After address assignment: tells the NAT which interface is the WAN and adds a default route
  /// via `nextHop` on it. False if `router` has no NAT router or no inner static routing.
  static bool ConfigureWan(ns3::Ptr<ns3::Node> router, std::uint32_t wanInterface,
                           ns3::Ipv4Address nextHop);
  /// Fixes the random streams of every NAT router in `nodes`; returns the number used.
  static int64_t AssignStreams(ns3::NodeContainer nodes, int64_t stream);

 private:
  ns3::ObjectFactory m_factory;
  std::unique_ptr<ns3::Ipv4RoutingHelper> m_inner;
  std::uint32_t m_wanInterface = NatRoutingProtocol::kNoWanInterface;
  bool m_hasAlg = false;
  ns3::ObjectFactory m_algFactory;
  /// Knobs for the models created later, in the order they were set.
  std::vector<std::pair<std::string, ns3::Ptr<ns3::AttributeValue>>> m_algKnobs;
};

}  // namespace alglab::nat

#endif
