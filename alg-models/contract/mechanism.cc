#include "alg-models/contract/mechanism.h"

namespace alglab::alg {

NS_OBJECT_ENSURE_REGISTERED(Mechanism);

ns3::TypeId Mechanism::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::alg::Mechanism")
          .SetParent<ns3::Object>()
          .SetGroupName("Alglab");
  return tid;
}

Mechanism::~Mechanism() = default;

void Mechanism::OnMappingRemoved(const nat::Mapping& /*mapping*/, nat::NatTable& /*nat*/) {}

void Mechanism::OnFlush() {}

void Mechanism::OnRouterReboot() {}

KnobSemanticsTable Mechanism::KnobSemanticsDeclared() const { return {}; }

const std::string& Mechanism::Label() const {
  if (m_label.empty()) m_label = Name();
  return m_label;
}

bool Mechanism::Connect(const std::string&, const ns3::Ptr<Mechanism>&) { return false; }

}  // namespace alglab::alg
