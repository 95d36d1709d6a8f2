#include "sim/endpoints/client-keepalive.h"

#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/simulator.h>

#include <cctype>

namespace alglab {

std::optional<KeepaliveKind> ParseKeepaliveKind(const std::string& text) {
  std::string t;
  for (char c : text) {
    t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (t == "none" || t.empty()) {
    return KeepaliveKind::None;
  }
  if (t == "crlf") {
    return KeepaliveKind::Crlf;
  }
  if (t == "options") {
    return KeepaliveKind::Options;
  }
  return std::nullopt;
}

const char* ToString(KeepaliveKind kind) {
  switch (kind) {
    case KeepaliveKind::None:
      return "none";
    case KeepaliveKind::Crlf:
      return "crlf";
    case KeepaliveKind::Options:
      return "options";
  }
  return "none";
}

KeepaliveSender::KeepaliveSender(SipStack& stack, Config config,
                                 std::function<void(const sip::SipMessage&)> onResponse)
    : m_stack(stack), m_config(std::move(config)), m_onResponse(std::move(onResponse)) {}

KeepaliveSender::~KeepaliveSender() { Stop(); }

void KeepaliveSender::Start() {
  if (m_running || m_config.kind == KeepaliveKind::None || !m_config.interval.IsStrictlyPositive()) {
    return;
  }
  m_running = true;
  m_timer = ns3::Simulator::Schedule(m_config.interval, &KeepaliveSender::SendOne, this);
}

void KeepaliveSender::Stop() {
  m_running = false;
  ns3::Simulator::Cancel(m_timer);
}

void KeepaliveSender::SendOne() {
  if (!m_running) {
    return;
  }
  m_timer = ns3::Simulator::Schedule(m_config.interval, &KeepaliveSender::SendOne, this);
  ++m_counters.sent;
  if (m_config.kind == KeepaliveKind::Crlf) {
    m_stack.Transport().SendKeepalive(m_config.target);
    return;
  }
  if (m_callId.empty()) {
    // One Call-ID for the whole keepalive stream, CSeq counting up.
    m_callId = m_stack.NewCallId();
    m_fromTag = m_stack.Ids().NewTag();
  }
  const auto uri = MakeSipUri("", m_config.domain);
  auto options = sip::SipMessage::Request("OPTIONS", uri);
  auto from = MakeNameAddress(m_config.user, m_config.domain);
  from.params.Set("tag", m_fromTag);
  sip::NameAddress to;
  to.uri = uri;
  options.Add("Max-Forwards", "70");
  options.Add("From", from.ToString());
  options.Add("To", to.ToString());
  options.Add("Call-ID", m_callId);
  options.Add("CSeq", std::to_string(++m_cseq) + " OPTIONS");
  options.Add("Contact", m_stack.LocalContact(m_config.user).ToString());
  options.Add("Accept", "application/sdp");
  options.Add("User-Agent", m_stack.Product());
  auto weak = m_life.Weak();
  m_stack.Transactions().SendRequest(std::move(options), m_config.target,
                                     [this, weak](const ClientResponse& r) {
                                       if (weak.expired() || r.local ||
                                           r.message.StatusCode() < 200) {
                                         return;
                                       }
                                       ++m_counters.answered;
                                       if (m_onResponse) {
                                         m_onResponse(r.message);
                                       }
                                     });
}

}  // namespace alglab
