#include "alg-models/sdp-c-only/sdp-c-only-alg.h"

#include "alg-models/contract/alg-model-registry.h"

#include "ns3/boolean.h"

#include <sstream>

namespace alglab {

ALGLAB_REGISTER_ALG_MODEL("sdp-c-only", "alglab::SdpConnectionOnlyAlg",
                          "example model: rewrites SDP c= lines only (nothing else)",
                          "set router.alg or use vendor none: it has no switch of its own",
                          {}, "", "", /*example=*/true);

NS_OBJECT_ENSURE_REGISTERED(SdpConnectionRewriter);
NS_OBJECT_ENSURE_REGISTERED(SdpConnectionOnlyAlg);

ns3::TypeId SdpConnectionRewriter::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SdpConnectionRewriter")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<SdpConnectionRewriter>()
          .AddAttribute("rewrite_inbound",
                        "Also turn the public address back into the private one in inbound SDP.",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&SdpConnectionRewriter::m_inbound),
                        ns3::MakeBooleanChecker());
  return tid;
}

ns3::TypeId SdpConnectionOnlyAlg::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("alglab::SdpConnectionOnlyAlg")
                               .SetParent<alg::AlgModel>()
                               .SetGroupName("Alglab")
                               .AddConstructor<SdpConnectionOnlyAlg>();
  return tid;
}

SdpConnectionOnlyAlg::SdpConnectionOnlyAlg() {
  const ns3::Ptr<SdpConnectionRewriter> rewriter = ns3::CreateObject<SdpConnectionRewriter>();
  Attach(alg::HookPoint::OutboundPostSnat, 0, rewriter);
  Attach(alg::HookPoint::InboundPostDnat, 0, rewriter);
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

alg::Verdict SdpConnectionRewriter::Process(alg::PacketContext& context) {
  auto text = [](ns3::Ipv4Address a) {
    std::ostringstream os;
    a.Print(os);
    return os.str();
  };
  if (context.PayloadSize() == 0) return alg::Verdict::Accept();
  // Only a packet that mentions an SDP connection line is worth a copy.
  if (context.Payload().find("c=IN IP4 ") == std::string::npos) return alg::Verdict::Accept();
  if (context.direction == nat::Direction::Outbound) {
    RewriteSdpConnectionLines(context.MutablePayload(), text(context.original.source.address),
                              text(context.translated.source.address));
  } else if (m_inbound) {
    RewriteSdpConnectionLines(context.MutablePayload(),
                              text(context.original.destination.address),
                              text(context.translated.destination.address));
  }
  return alg::Verdict::Accept();
}

}  // namespace alglab
