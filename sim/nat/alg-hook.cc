#include "sim/nat/alg-hook.h"

namespace alglab::nat {

NS_OBJECT_ENSURE_REGISTERED(AlgHook);

const char* ToString(AlgVerdict verdict) {
  return verdict == AlgVerdict::Accept ? "accept" : "drop";
}

ns3::TypeId AlgHook::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::AlgHook").SetParent<ns3::Object>().SetGroupName("Alglab");
  return tid;
}

AlgHook::~AlgHook() = default;

void AlgHook::OnRouterReboot() {}

void AlgHook::OnMappingRemoved(const Mapping& /*mapping*/, NatTable& /*nat*/) {}

}  // namespace alglab::nat
