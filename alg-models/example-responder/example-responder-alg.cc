#include "alg-models/example-responder/example-responder-alg.h"

#include "alg-models/contract/alg-model-registry.h"

#include "ns3/nstime.h"

namespace alglab {

ALGLAB_REGISTER_ALG_MODEL("example-responder", "alglab::ExampleResponderAlg",
                          "example model: the router answers the phones' SIP OPTIONS itself",
                          "set router.alg or use vendor none: it has no switch of its own",
                          {}, "", "", /*example=*/true);

NS_OBJECT_ENSURE_REGISTERED(OptionsResponder);
NS_OBJECT_ENSURE_REGISTERED(ExampleResponderAlg);

ns3::TypeId OptionsResponder::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::OptionsResponder")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<OptionsResponder>()
          .AddAttribute("answer_delay", "How long the router takes to answer an OPTIONS.",
                        ns3::TimeValue(ns3::MilliSeconds(1)),
                        ns3::MakeTimeAccessor(&OptionsResponder::m_delay),
                        ns3::MakeTimeChecker(ns3::Seconds(0)));
  return tid;
}

ns3::TypeId ExampleResponderAlg::GetTypeId() {
  static ns3::TypeId tid = ns3::TypeId("alglab::ExampleResponderAlg")
                               .SetParent<alg::AlgModel>()
                               .SetGroupName("Alglab")
                               .AddConstructor<ExampleResponderAlg>();
  return tid;
}

ExampleResponderAlg::ExampleResponderAlg() : m_responder(ns3::CreateObject<OptionsResponder>()) {
  Attach(alg::HookPoint::OutboundPostSnat, 0, m_responder);
}

std::string BuildOptionsAnswer(const sip::SipMessage& request) {
  sip::SipMessage answer = sip::SipMessage::Response(200, sip::DefaultReason(200));
  for (const char* name : {"Via", "From", "To", "Call-ID", "CSeq"}) {
    for (const std::string& value : request.GetAll(name)) answer.Add(name, value);
  }
  // A UAS adds its tag to To (RFC 3261 8.2.6.2); the router's is fixed, it keeps no dialogs.
  if (const auto to = request.Get("To"); to && to->find(";tag=") == std::string::npos) {
    answer.Set("To", *to + ";tag=router");
  }
  return answer.Serialize();
}

alg::Verdict OptionsResponder::Process(alg::PacketContext& context) {
  // The size check keeps RTP off the parser: SIP requests are never this short.
  if (context.PayloadSize() < 16) return alg::Verdict::Accept();
  const sip::SipMessage* message = context.Sip();
  if (message == nullptr || !message->IsRequest() || message->Method() != "OPTIONS") {
    return alg::Verdict::Accept();
  }
  alg::EmittedPacket answer;
  answer.side = alg::EmitSide::Lan;
  answer.sourcePort = context.original.destination.port;
  answer.destination = context.original.source;
  answer.payload = BuildOptionsAnswer(*message);
  context.emitter.Emit(std::move(answer), m_delay);
  ++m_answered;
  return alg::Verdict::Stolen();
}

}  // namespace alglab
