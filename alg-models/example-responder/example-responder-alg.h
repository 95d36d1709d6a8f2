#ifndef ALGLAB_ALG_MODELS_EXAMPLE_RESPONDER_ALG_H
#define ALGLAB_ALG_MODELS_EXAMPLE_RESPONDER_ALG_H

// The worked example of a mechanism that terminates SIP in the router: it steals SIP OPTIONS
// requests a phone sends toward the WAN (a keepalive ping the router answers itself, as some
// "SIP proxy" ALGs do) and answers each with a 200 OK from the router's LAN address, after
// `answer_delay`. The request never reaches the provider. docs/adding-a-router-model.md walks
// through it.

#include "alg-models/contract/alg-model.h"
#include "alg-models/contract/mechanism.h"

#include "ns3/nstime.h"

#include <string>

namespace alglab {

/// The 200 OK a proxy sends for `request` (an OPTIONS): Via, From, To (with a tag),
/// Call-ID and CSeq copied, no body. Plain function, testable alone.
std::string BuildOptionsAnswer(const sip::SipMessage& request);

/// The mechanism (at outbound-post-snat): steals OPTIONS, emits the answer.
class OptionsResponder : public alg::Mechanism {
 public:
  static ns3::TypeId GetTypeId();
  alg::Verdict Process(alg::PacketContext& context) override;
  std::string Name() const override { return "options-responder"; }
  /// Requests answered so far (for tests and reports).
  std::uint64_t Answered() const { return m_answered; }

 private:
  ns3::Time m_delay;
  std::uint64_t m_answered = 0;
};

/// Vendor "example-responder".
class ExampleResponderAlg : public alg::AlgModel {
 public:
  static ns3::TypeId GetTypeId();
  ExampleResponderAlg();
  std::string Name() const override { return "example-responder"; }
  OptionsResponder& Responder() { return *m_responder; }

 private:
  ns3::Ptr<OptionsResponder> m_responder;
};

}  // namespace alglab

#endif
