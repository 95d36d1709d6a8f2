#include "alg-models/sdp-c-only/sdp-c-only-alg.h"

#include "alg-models/contract/alg-model-registry.h"

#include "ns3/boolean.h"

#include <sstream>

namespace alglab {

ALGLAB_REGISTER_ALG_MODEL("sdp-c-only", "alglab::SdpConnectionOnlyAlg",
                          "example model: rewrites SDP c= lines only (nothing else)",
                          "set router.alg or use vendor none: it has no switch of its own");

NS_OBJECT_ENSURE_REGISTERED(SdpConnectionOnlyAlg);

ns3::TypeId SdpConnectionOnlyAlg::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SdpConnectionOnlyAlg")
          .SetParent<nat::AlgHook>()
          .SetGroupName("Alglab")
          .AddConstructor<SdpConnectionOnlyAlg>()
          .AddAttribute("rewrite_inbound",
                        "Also turn the public address back into the private one in inbound SDP.",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&SdpConnectionOnlyAlg::m_inbound),
                        ns3::MakeBooleanChecker());
  return tid;
}

int RewriteSdpConnectionLines(std::string& payload, const std::string& privateAddress,
                              const std::string& publicAddress) {
  const std::string from = "c=IN IP4 " + privateAddress;
  int rewritten = 0;
  std::size_t pos = 0;
  while ((pos = payload.find(from, pos)) != std::string::npos) {
    const std::size_t end = pos + from.size();
    // Whole lines only: at a line start, and the address must end there (10.0.0.2 is not 10.0.0.25).
    const bool lineStart = pos == 0 || payload[pos - 1] == '\n';
    const bool addressEnds = end == payload.size() || payload[end] == '\r' || payload[end] == '\n' ||
                             payload[end] == '/' || payload[end] == ' ';
    if (lineStart && addressEnds) {
      payload.replace(pos + 9, privateAddress.size(), publicAddress);
      pos += 9 + publicAddress.size();
      ++rewritten;
    } else {
      pos = end;
    }
  }
  return rewritten;
}

nat::AlgVerdict SdpConnectionOnlyAlg::ProcessPacket(nat::AlgContext& context) {
  auto text = [](ns3::Ipv4Address a) {
    std::ostringstream os;
    a.Print(os);
    return os.str();
  };
  if (context.direction == nat::Direction::Outbound) {
    RewriteSdpConnectionLines(context.payload, text(context.original.source.address),
                              text(context.translated.source.address));
  } else if (m_inbound) {
    RewriteSdpConnectionLines(context.payload, text(context.original.destination.address),
                              text(context.translated.destination.address));
  }
  return nat::AlgVerdict::Accept;
}

}  // namespace alglab
