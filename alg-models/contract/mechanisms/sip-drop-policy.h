#ifndef ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_DROP_POLICY_H
#define ALGLAB_ALG_MODELS_CONTRACT_MECHANISMS_SIP_DROP_POLICY_H

/// \file
/// A reusable mechanism: the conditions under which a SIP-aware NAT discards a SIP datagram
/// instead of forwarding it. Real ALGs drop what their parser cannot read (the kernel's "cannot
/// parse ..." drops, a firewall's "malformed SIP"), and some drop oversized messages (a fixed
/// reassembly buffer), messages with a header line longer than a limit (FortiGate's
/// block-long-lines) or methods they do not know. Only `drop_unparsable` is on by default.
///
/// Which datagrams are SIP: those of a connection whose remote port is one of `sip_ports`
/// (outbound: the destination; inbound: the source), or whatever SetClassifier's classifier
/// says. Empty datagrams and keep-alives made only of CR/LF are never dropped.

#include "alg-models/contract/mechanisms/sip-scope.h"
#include "alg-models/contract/mechanism.h"
#include "alg-models/contract/mechanisms/sip-port-classifier.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace alglab {

/// Why the policy dropped a datagram (the router reports "alg: <reason>").
namespace drop_policy_reason {
inline constexpr const char* kUnparsable = "unparsable SIP message";
inline constexpr const char* kOversized = "oversized SIP message";
inline constexpr const char* kUnknownMethod = "unknown SIP method";
inline constexpr const char* kLongRequestUri = "Request-URI too long";
inline constexpr const char* kLongLine = "SIP header line too long";
}  // namespace drop_policy_reason

/// Also a SipConnectionClassifier by its `sip_ports` (the connections it polices), so a model
/// file can connect a signalling timer to it.
class SipDropPolicy : public alg::Mechanism, public SipConnectionClassifier {
 public:
  static ns3::TypeId GetTypeId();
  SipDropPolicy();

  /// Replaces the `sip_ports` test by the model's own notion of a SIP connection; must
  /// outlive the policy. nullptr: back to `sip_ports`.
  void SetClassifier(SipConnectionClassifier* classifier) { m_classifier = classifier; }
  /// Role "classifier": any mechanism that is also a SipConnectionClassifier.
  bool Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) override;

  /// The decision alone, for a model that runs it inside its own pass: nullptr to keep
  /// `payload`, else the drop reason. `message` is the payload parsed as SIP (nullptr: it did
  /// not parse).
  const char* Decide(std::string_view payload, const sip::SipMessage* message) const;

  alg::Verdict Process(alg::PacketContext& context) override;
  std::string Name() const override { return "sip-drop-policy"; }
  bool IsSipConnection(alg::PacketContext& context) override {
    return m_portClassifier.IsSipConnection(context);
  }

 private:
  void SetTransports(std::string text) { m_scope.SetTransports(text, "sip_transports"); }
  std::string GetTransports() const { return m_scope.TransportsText(); }
  SipScope m_scope;
  void SetPorts(std::string text) { m_portClassifier.SetPorts(text, "sip_ports"); }
  std::string GetPorts() const { return m_portClassifier.PortsText(); }
  void SetMethods(std::string text);
  std::string GetMethods() const { return m_methodsText; }

  SipConnectionClassifier* m_classifier = nullptr;
  SipPortClassifier m_portClassifier;
  bool m_dropUnparsable = true;
  std::uint32_t m_maxSize = 0;
  bool m_dropUnknownMethods = false;
  std::uint32_t m_maxRequestUri = 0;
  bool m_dropLongLines = false;
  std::uint32_t m_maxLineLength = 998;
  std::vector<std::string> m_methods;
  std::string m_methodsText;
};

}  // namespace alglab

#endif
