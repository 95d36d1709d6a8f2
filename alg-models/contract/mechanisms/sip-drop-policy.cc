#include "alg-models/contract/mechanisms/sip-drop-policy.h"

#include "alg-models/contract/mechanisms/knob-list.h"

#include <stdexcept>

#include "ns3/boolean.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SipDropPolicy);

namespace {

constexpr const char* kDefaultMethods =
    "INVITE,ACK,BYE,CANCEL,REGISTER,OPTIONS,PRACK,SUBSCRIBE,NOTIFY,PUBLISH,INFO,REFER,MESSAGE,"
    "UPDATE";

bool OnlyLineBreaks(std::string_view payload) {
  return payload.find_first_not_of("\r\n") == std::string_view::npos;
}

/// The longest line (without its line break) of the start line and headers, up to the empty
/// line that ends them.
std::size_t LongestHeaderLine(std::string_view payload) {
  std::size_t longest = 0;
  std::size_t start = 0;
  while (start < payload.size()) {
    std::size_t end = payload.find('\n', start);
    if (end == std::string_view::npos) end = payload.size();
    std::size_t length = end - start;
    if (length > 0 && payload[start + length - 1] == '\r') --length;
    if (length == 0) break;  // the empty line: the body follows
    longest = std::max(longest, length);
    start = end + 1;
  }
  return longest;
}

}  // namespace

ns3::TypeId SipDropPolicy::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SipDropPolicy")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<SipDropPolicy>()
          .AddAttribute("sip_ports",
                        "Comma-separated remote ports whose connections carry SIP (unless the "
                        "model gives a classifier).",
                        ns3::StringValue("5060"),
                        ns3::MakeStringAccessor(&SipDropPolicy::SetPorts, &SipDropPolicy::GetPorts),
                        ns3::MakeStringChecker())
          .AddAttribute("sip_transports",
                        "Transports inspected: udp, tcp or udp,tcp (TCP as the model's tcp_view "
                        "presents it: segments or whole messages).",
                        ns3::StringValue("udp"),
                        ns3::MakeStringAccessor(&SipDropPolicy::SetTransports, &SipDropPolicy::GetTransports),
                        ns3::MakeStringChecker())
          .AddAttribute("drop_unparsable", "Drop a SIP datagram that does not parse as SIP.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipDropPolicy::m_dropUnparsable),
                        ns3::MakeBooleanChecker())
          .AddAttribute("drop_oversized",
                        "Drop a SIP datagram longer than this many bytes; 0 = never.",
                        ns3::UintegerValue(0),
                        ns3::MakeUintegerAccessor(&SipDropPolicy::m_maxSize),
                        ns3::MakeUintegerChecker<std::uint32_t>())
          .AddAttribute("drop_unknown_methods",
                        "Drop a SIP request whose method is not in known_methods.",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&SipDropPolicy::m_dropUnknownMethods),
                        ns3::MakeBooleanChecker())
          .AddAttribute("drop_long_request_uri",
                        "Drop a SIP request whose Request-URI is longer than this many characters "
                        "(Cisco ASA inspects at most 255); 0 = never.",
                        ns3::UintegerValue(0),
                        ns3::MakeUintegerAccessor(&SipDropPolicy::m_maxRequestUri),
                        ns3::MakeUintegerChecker<std::uint32_t>())
          .AddAttribute("drop_long_lines",
                        "Drop a SIP message with a start or header line longer than "
                        "max_line_length characters (FortiGate block-long-lines).",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&SipDropPolicy::m_dropLongLines),
                        ns3::MakeBooleanChecker())
          .AddAttribute("max_line_length",
                        "The longest start or header line (characters, line break not counted) "
                        "drop_long_lines lets pass.",
                        ns3::UintegerValue(998),
                        ns3::MakeUintegerAccessor(&SipDropPolicy::m_maxLineLength),
                        ns3::MakeUintegerChecker<std::uint32_t>(1))
          .AddAttribute("known_methods", "Comma-separated methods drop_unknown_methods keeps.",
                        ns3::StringValue(kDefaultMethods),
                        ns3::MakeStringAccessor(&SipDropPolicy::SetMethods,
                                                &SipDropPolicy::GetMethods),
                        ns3::MakeStringChecker());
  return tid;
}

SipDropPolicy::SipDropPolicy() { SetMethods(kDefaultMethods); }

void SipDropPolicy::SetMethods(std::string text) {
  m_methods = alg::SplitKnobList(text);
  m_methodsText = text;
}

const char* SipDropPolicy::Decide(std::string_view payload, const sip::SipMessage* message) const {
  if (payload.empty() || OnlyLineBreaks(payload)) return nullptr;  // keep-alives pass
  if (m_maxSize != 0 && payload.size() > m_maxSize) return drop_policy_reason::kOversized;
  if (m_dropLongLines && LongestHeaderLine(payload) > m_maxLineLength) {
    return drop_policy_reason::kLongLine;
  }
  if (message == nullptr) return m_dropUnparsable ? drop_policy_reason::kUnparsable : nullptr;
  if (m_dropUnknownMethods && message->IsRequest() &&
      std::find(m_methods.begin(), m_methods.end(), message->Method()) == m_methods.end()) {
    return drop_policy_reason::kUnknownMethod;
  }
  if (m_maxRequestUri != 0 && message->IsRequest()) {
    // "METHOD SP Request-URI SP SIP-Version": the URI as written, between the two spaces.
    const std::string_view start = payload.substr(0, payload.find_first_of("\r\n"));
    const std::size_t from = start.find(' ');
    const std::size_t to = start.rfind(' ');
    if (from != std::string_view::npos && to > from && to - from - 1 > m_maxRequestUri) {
      return drop_policy_reason::kLongRequestUri;
    }
  }
  return nullptr;
}

alg::Verdict SipDropPolicy::Process(alg::PacketContext& context) {
  if (!m_scope.CoversTransport(context) || context.PayloadSize() == 0 ||
      !(m_classifier != nullptr ? m_classifier : &m_portClassifier)->IsSipConnection(context)) {
    return alg::Verdict::Accept();
  }
  // Size first: an oversized message is refused before anyone parses it.
  if (m_maxSize != 0 && context.PayloadSize() > m_maxSize) {
    return alg::Verdict::Drop(drop_policy_reason::kOversized);
  }
  const std::string& payload = context.Payload();
  const sip::SipMessage* message = OnlyLineBreaks(payload) ? nullptr : context.Sip();
  const char* reason = Decide(payload, message);
  return reason == nullptr ? alg::Verdict::Accept() : alg::Verdict::Drop(reason);
}

bool SipDropPolicy::Connect(const std::string& role, const ns3::Ptr<alg::Mechanism>& other) {
  return ConnectClassifier(role, other, m_classifier);
}

}  // namespace alglab
