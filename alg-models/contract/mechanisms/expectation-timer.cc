#include "alg-models/contract/mechanisms/expectation-timer.h"

#include "ns3/uinteger.h"

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(ExpectationTimer);

ns3::TypeId ExpectationTimer::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::ExpectationTimer")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<ExpectationTimer>()
          .AddAttribute("expect_timeout",
                        "Lifetime (s) every new pinhole gets (3 min in the Linux kernel, for "
                        "every expectation class).",
                        ns3::UintegerValue(180),
                        ns3::MakeUintegerAccessor(&ExpectationTimer::m_lifetimeSeconds),
                        ns3::MakeUintegerChecker<std::uint32_t>(1));
  return tid;
}

alg::Verdict ExpectationTimer::Process(alg::PacketContext& /*context*/) {
  return alg::Verdict::Accept();
}

}  // namespace alglab
