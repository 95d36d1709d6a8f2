#include "sim/scenario/link-outage-error-model.h"

#include <ns3/packet.h>

namespace alglab::scenario {

NS_OBJECT_ENSURE_REGISTERED(LinkOutageErrorModel);

ns3::TypeId LinkOutageErrorModel::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("alglab::LinkOutageErrorModel")
                               .SetParent<ns3::ErrorModel>()
                               .SetGroupName("alglab")
                               .AddConstructor<LinkOutageErrorModel>();
  return tid;
}

bool LinkOutageErrorModel::DoCorrupt(ns3::Ptr<ns3::Packet> p) {
  if (m_down) return true;
  return m_inner && m_inner->IsCorrupt(p);
}

void LinkOutageErrorModel::DoReset() {
  if (m_inner) m_inner->Reset();
}

}  // namespace alglab::scenario
