#include "alg-models/contract/mechanisms/sdp-nat-trace.h"

#include "ns3/boolean.h"
#include "ns3/string.h"

#include <cctype>
#include <sstream>

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SdpNatTrace);

namespace {

bool SameName(std::string_view name, const char* full, char compact) {
  if (name.size() == 1) return std::tolower(static_cast<unsigned char>(name[0])) == compact;
  std::size_t i = 0;
  for (; full[i] != '\0'; ++i) {
    if (i >= name.size() || std::tolower(static_cast<unsigned char>(name[i])) != full[i]) return false;
  }
  return i == name.size();
}

/// Sets the Content-Length header of the head (lines starting before `headEnd`, where the empty
/// line begins) to `length` (adds none if absent). Returns the new head end.
std::size_t SetContentLength(std::string& message, std::size_t headEnd, std::size_t length) {
  std::size_t at = message.find('\n') + 1;  // after the start line
  while (at < headEnd) {
    std::size_t newline = message.find('\n', at);
    if (newline == std::string::npos) break;
    const std::size_t colon = message.find(':', at);
    if (colon != std::string::npos && colon < newline) {
      std::string_view name(message.data() + at, colon - at);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
      if (SameName(name, "content-length", 'l')) {
        std::size_t end = newline;
        if (end > at && message[end - 1] == '\r') --end;
        const std::string value = " " + std::to_string(length);
        message.replace(colon + 1, end - colon - 1, value);
        return headEnd + value.size() - (end - colon - 1);
      }
    }
    at = newline + 1;
  }
  return headEnd;
}

}  // namespace

bool AddSdpNatTrace(std::string& message, const std::string& address) {
  std::size_t headEnd = message.find("\r\n\r\n");
  std::size_t bodyStart = headEnd == std::string::npos ? std::string::npos : headEnd + 4;
  if (headEnd == std::string::npos) {
    headEnd = message.find("\n\n");
    bodyStart = headEnd == std::string::npos ? std::string::npos : headEnd + 2;
  }
  if (bodyStart == std::string::npos || bodyStart >= message.size()) return false;
  const std::string trace = "(o=IN IP4 " + address + ")";
  // Session-level lines: before the first m=.
  std::size_t sLineEnd = std::string::npos;  // where the line after s= begins
  std::string lineBreak = "\r\n";
  for (std::size_t at = bodyStart; at < message.size();) {
    std::size_t newline = message.find('\n', at);
    const std::size_t next = newline == std::string::npos ? message.size() : newline + 1;
    std::size_t end = newline == std::string::npos ? message.size() : newline;
    if (end > at && message[end - 1] == '\r') --end;
    if (message.compare(at, 2, "m=") == 0) break;
    if (message.compare(at, 2, "i=") == 0) {
      // An i= already there: the trace is appended to it.
      message.insert(end, " " + trace);
      SetContentLength(message, headEnd, message.size() - bodyStart);
      return true;
    }
    if (message.compare(at, 2, "s=") == 0) {
      sLineEnd = next;
      lineBreak = message.substr(end, next - end);
      if (lineBreak.empty()) lineBreak = "\r\n";
    }
    at = next;
  }
  if (sLineEnd == std::string::npos) return false;
  if (sLineEnd == message.size() && message.back() != '\n') {
    message += lineBreak;  // s= ended the body without a line break
    sLineEnd = message.size();
  }
  message.insert(sLineEnd, "i=" + trace + lineBreak);
  SetContentLength(message, headEnd, message.size() - bodyStart);
  return true;
}

ns3::TypeId SdpNatTrace::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SdpNatTrace")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<SdpNatTrace>()
          .AddAttribute("nat_trace",
                        "Add the inside host's original address to the SDP i= line of what it "
                        "sends toward the WAN.",
                        ns3::BooleanValue(true), ns3::MakeBooleanAccessor(&SdpNatTrace::m_trace),
                        ns3::MakeBooleanChecker())
          .AddAttribute("sip_transports",
                        "Transports inspected: udp, tcp or udp,tcp (TCP as the model's tcp_view "
                        "presents it: segments or whole messages).",
                        ns3::StringValue("udp"),
                        ns3::MakeStringAccessor(&SdpNatTrace::SetTransports, &SdpNatTrace::GetTransports),
                        ns3::MakeStringChecker());
  return tid;
}

alg::Verdict SdpNatTrace::Process(alg::PacketContext& context) {
  if (!m_trace || context.direction != nat::Direction::Outbound || context.PayloadSize() == 0 ||
      !context.router.OnLan(context.original.source.address) || !m_scope.Covers(context)) {
    return alg::Verdict::Accept();
  }
  const sip::SipMessage* message = context.Sip();
  if (message == nullptr || !message->BodyIsSdp()) return alg::Verdict::Accept();
  std::string text = context.Payload();
  std::ostringstream address;
  context.original.source.address.Print(address);
  if (AddSdpNatTrace(text, address.str())) context.MutablePayload() = std::move(text);
  return alg::Verdict::Accept();
}

}  // namespace alglab
