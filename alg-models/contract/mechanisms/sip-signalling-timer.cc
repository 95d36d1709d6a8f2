#include "alg-models/contract/mechanisms/sip-signalling-timer.h"

#include "ns3/uinteger.h"

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SipSignallingTimer);

ns3::TypeId SipSignallingTimer::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SipSignallingTimer")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<SipSignallingTimer>()
          .AddAttribute("sip_timeout",
                        "Module parameter sip_timeout (s): a SIP connection's timeout, restarted "
                        "by every SIP datagram.",
                        ns3::UintegerValue(3600),
                        ns3::MakeUintegerAccessor(&SipSignallingTimer::m_timeoutSeconds),
                        ns3::MakeUintegerChecker<std::uint32_t>(1));
  return tid;
}

alg::Verdict SipSignallingTimer::Process(alg::PacketContext& context) {
  // An empty datagram carries no signalling (the kernel does not touch the timeout for it).
  if (context.original.protocol != nat::L4Protocol::Udp || context.PayloadSize() == 0 ||
      context.mappingId == 0 || m_classifier == nullptr) {
    return alg::Verdict::Accept();
  }
  if (m_classifier->IsSipConnection(context)) {
    context.nat.SetMappingTimeout(context.mappingId, ns3::Seconds(m_timeoutSeconds), context.now);
  }
  return alg::Verdict::Accept();
}

bool ConnectClassifier(const std::string& role, const ns3::Ptr<alg::Mechanism>& other,
                       SipConnectionClassifier*& slot) {
  auto* classifier = dynamic_cast<SipConnectionClassifier*>(ns3::PeekPointer(other));
  if (role != "classifier" || classifier == nullptr) return false;
  slot = classifier;
  return true;
}

bool SipSignallingTimer::Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) {
  return ConnectClassifier(role, other, m_classifier);
}

}  // namespace alglab
