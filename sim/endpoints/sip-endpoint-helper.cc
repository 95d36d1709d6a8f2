#include "sim/endpoints/sip-endpoint-helper.h"

#include <ns3/abort.h>

namespace alglab {

SipEndpointHelper::SipEndpointHelper(const std::string& typeId) {
  ns3::TypeId tid;
  NS_ABORT_MSG_UNLESS(ns3::TypeId::LookupByNameFailSafe(typeId, &tid),
                      "unknown endpoint type " << typeId);
  NS_ABORT_MSG_UNLESS(tid.IsChildOf(SipEndpoint::GetTypeId()),
                      typeId << " is not an alglab::SipEndpoint");
  m_factory.SetTypeId(tid);
}

void SipEndpointHelper::SetAttribute(const std::string& name, const ns3::AttributeValue& value) {
  m_factory.Set(name, value);
}

bool SipEndpointHelper::SetAttributeFailSafe(const std::string& name,
                                             const ns3::AttributeValue& value) {
  ns3::TypeId::AttributeInformation info;
  if (!m_factory.GetTypeId().LookupAttributeByName(name, &info)) {
    return false;
  }
  auto checked = info.checker->CreateValidValue(value);
  if (!checked) {
    return false;
  }
  m_factory.Set(name, *checked);
  return true;
}

ns3::Ptr<SipEndpoint> SipEndpointHelper::Install(ns3::Ptr<ns3::Node> node) const {
  auto app = m_factory.Create<SipEndpoint>();
  node->AddApplication(app);
  return app;
}

ns3::ApplicationContainer SipEndpointHelper::Install(const ns3::NodeContainer& nodes) const {
  ns3::ApplicationContainer apps;
  for (auto it = nodes.Begin(); it != nodes.End(); ++it) {
    apps.Add(Install(*it));
  }
  return apps;
}

}  // namespace alglab
