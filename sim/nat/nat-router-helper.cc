#include "sim/nat/nat-router-helper.h"

#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4.h"
#include "ns3/node.h"

namespace alglab::nat {

namespace {

/// Validates name and value against `tid` before ObjectFactory::Set, which aborts on bad input.
bool SetChecked(ns3::ObjectFactory& factory, const std::string& name,
                const ns3::AttributeValue& value) {
  ns3::TypeId::AttributeInformation info;
  if (!factory.GetTypeId().LookupAttributeByName(name, &info)) return false;
  if (info.checker->CreateValidValue(value) == nullptr) return false;
  factory.Set(name, value);
  return true;
}

}  // namespace

NatRoutingHelper::NatRoutingHelper() : m_inner(std::make_unique<ns3::Ipv4StaticRoutingHelper>()) {
  m_factory.SetTypeId(NatRoutingProtocol::GetTypeId());
}

NatRoutingHelper::NatRoutingHelper(const NatRoutingHelper& other)
    : ns3::Ipv4RoutingHelper(),
      m_factory(other.m_factory),
      m_inner(other.m_inner->Copy()),
      m_wanInterface(other.m_wanInterface),
      m_hasAlg(other.m_hasAlg),
      m_algFactory(other.m_algFactory),
      m_algKnobs(other.m_algKnobs) {}

NatRoutingHelper::~NatRoutingHelper() = default;

NatRoutingHelper* NatRoutingHelper::Copy() const { return new NatRoutingHelper(*this); }

ns3::Ptr<ns3::Ipv4RoutingProtocol> NatRoutingHelper::Create(ns3::Ptr<ns3::Node> node) const {
  ns3::Ptr<NatRoutingProtocol> nat = m_factory.Create<NatRoutingProtocol>();
  nat->SetInnerRoutingProtocol(m_inner->Create(node));
  if (m_wanInterface != NatRoutingProtocol::kNoWanInterface) nat->SetWanInterface(m_wanInterface);
  if (m_hasAlg) {
    const ns3::Ptr<alg::AlgModel> model = m_algFactory.Create<alg::AlgModel>();
    for (const auto& [name, value] : m_algKnobs) model->SetKnobValue(name, *value);
    nat->SetAlgModel(model);
  }
  return nat;
}

bool NatRoutingHelper::SetAttribute(const std::string& name, const ns3::AttributeValue& value) {
  return SetChecked(m_factory, name, value);
}

void NatRoutingHelper::SetInnerRouting(const ns3::Ipv4RoutingHelper& inner) {
  m_inner.reset(inner.Copy());
}

void NatRoutingHelper::SetWanInterface(std::uint32_t interface) { m_wanInterface = interface; }

bool NatRoutingHelper::SetAlg(const std::string& typeIdName) {
  if (typeIdName.empty()) {
    m_hasAlg = false;
    return true;
  }
  ns3::TypeId tid;
  if (!ns3::TypeId::LookupByNameFailSafe(typeIdName, &tid) || !tid.HasConstructor() ||
      !tid.IsChildOf(alg::AlgModel::GetTypeId())) {
    return false;
  }
  m_algFactory = ns3::ObjectFactory();
  m_algKnobs.clear();
  m_algFactory.SetTypeId(tid);
  m_hasAlg = true;
  return true;
}

bool NatRoutingHelper::SetAlgAttribute(const std::string& name, const ns3::AttributeValue& value) {
  if (!m_hasAlg) return false;
  // Mechanisms are created by the model, so knobs are checked on a scratch model and applied
  // to each model after it is created.
  const ns3::Ptr<alg::AlgModel> scratch = m_algFactory.Create<alg::AlgModel>();
  if (!scratch->SetKnobValue(name, value)) return false;
  m_algKnobs.emplace_back(name, value.Copy());
  return true;
}

ns3::Ptr<NatRoutingProtocol> NatRoutingHelper::GetNatRouter(ns3::Ptr<ns3::Node> node) {
  ns3::Ptr<ns3::Ipv4> ipv4 = node->GetObject<ns3::Ipv4>();
  if (ipv4 == nullptr) return nullptr;
  return ns3::DynamicCast<NatRoutingProtocol>(ipv4->GetRoutingProtocol());
}

ns3::Ptr<ns3::Ipv4StaticRouting> NatRoutingHelper::GetInnerStaticRouting(
    ns3::Ptr<ns3::Node> node) {
  ns3::Ptr<NatRoutingProtocol> nat = GetNatRouter(node);
  if (nat == nullptr) return nullptr;
  ns3::Ptr<ns3::Ipv4RoutingProtocol> inner = nat->GetInnerRoutingProtocol();
  if (auto direct = ns3::DynamicCast<ns3::Ipv4StaticRouting>(inner)) return direct;
  if (auto list = ns3::DynamicCast<ns3::Ipv4ListRouting>(inner)) {
    for (std::uint32_t i = 0; i < list->GetNRoutingProtocols(); ++i) {
      int16_t priority = 0;
      if (auto s = ns3::DynamicCast<ns3::Ipv4StaticRouting>(list->GetRoutingProtocol(i, priority))) {
        return s;
      }
    }
  }
  return nullptr;
}

bool NatRoutingHelper::ConfigureWan(ns3::Ptr<ns3::Node> router, std::uint32_t wanInterface,
                                    ns3::Ipv4Address nextHop) {
  ns3::Ptr<NatRoutingProtocol> nat = GetNatRouter(router);
  ns3::Ptr<ns3::Ipv4StaticRouting> routing = GetInnerStaticRouting(router);
  if (nat == nullptr || routing == nullptr) return false;
  nat->SetWanInterface(wanInterface);
  routing->SetDefaultRoute(nextHop, wanInterface);
  return true;
}

int64_t NatRoutingHelper::AssignStreams(ns3::NodeContainer nodes, int64_t stream) {
  int64_t used = 0;
  for (auto it = nodes.Begin(); it != nodes.End(); ++it) {
    if (ns3::Ptr<NatRoutingProtocol> nat = GetNatRouter(*it)) {
      used += nat->AssignStreams(stream + used);
    }
  }
  return used;
}

}  // namespace alglab::nat
