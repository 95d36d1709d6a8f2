#include "alg-models/contract/mechanisms/pinhole-mirror.h"

#include "sim/nat/nat-table.h"

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(PinholeMirror);

ns3::TypeId PinholeMirror::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("alglab::PinholeMirror")
                               .SetParent<alg::Mechanism>()
                               .SetGroupName("Alglab")
                               .AddConstructor<PinholeMirror>();
  return tid;
}

alg::Verdict PinholeMirror::Process(alg::PacketContext& /*context*/) {
  return alg::Verdict::Accept();
}

void PinholeMirror::Open(const PinholeRequest& request, ns3::Time now) {
  nat::NatTable* table = Services().nat;
  if (table == nullptr || !request.lifetime.IsStrictlyPositive()) return;
  Close(request.key);
  nat::Expectation x;
  x.protocol = request.protocol;
  x.externalPort = request.publicPort;
  if (request.onlyFrom) x.remote.address = *request.onlyFrom;
  x.internal = request.inside;
  x.timeout = request.lifetime;
  x.persistent = request.persistent;
  x.owner = request.owner;
  x.masterMapping = request.masterMapping;
  m_open[request.key] = table->AddExpectation(x, now);
}

void PinholeMirror::Close(std::uint64_t key) {
  const auto it = m_open.find(key);
  if (it == m_open.end()) return;
  if (Services().nat != nullptr && it->second != 0) Services().nat->RemoveExpectation(it->second);
  m_open.erase(it);
}

}  // namespace alglab
