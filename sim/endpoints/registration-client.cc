#include "sim/endpoints/registration-client.h"

#include "sim/endpoints/sip-message-helpers.h"
#include "sim/endpoints/sip-transport.h"

#include <ns3/log.h>
#include <ns3/simulator.h>

#include <algorithm>

NS_LOG_COMPONENT_DEFINE("AlglabRegistrationClient");

namespace alglab {

RegistrationClient::RegistrationClient(SipStack& stack, Config config, Events events)
    : m_stack(stack), m_config(std::move(config)), m_events(std::move(events)) {}

RegistrationClient::~RegistrationClient() { Stop(); }

void RegistrationClient::Start() {
  if (m_running) {
    return;
  }
  m_running = true;
  if (m_callId.empty()) {
    m_callId = m_stack.NewCallId();
    m_fromTag = m_stack.Ids().NewTag();
  }
  SendRegister();
}

void RegistrationClient::Stop() {
  m_running = false;
  ns3::Simulator::Cancel(m_timer);
}

bool RegistrationClient::IsRegistered() const {
  return m_registered && ns3::Simulator::Now() < m_expiresAt;
}

void RegistrationClient::RegisterSoon() {
  if (m_running) ScheduleNext(ns3::Time(0));
}

void RegistrationClient::ScheduleNext(ns3::Time delay) {
  ns3::Simulator::Cancel(m_timer);
  m_timer = ns3::Simulator::Schedule(delay, &RegistrationClient::SendRegister, this);
}

void RegistrationClient::SendRegister() {
  if (!m_running) {
    return;
  }
  ns3::Simulator::Cancel(m_timer);
  const sip::Uri requestUri = MakeSipUri("", m_config.domain);
  auto reg = sip::SipMessage::Request("REGISTER", requestUri);
  auto from = MakeNameAddress(m_config.user, m_config.domain);
  const auto to = from;
  from.params.Set("tag", m_fromTag);
  reg.Add("Max-Forwards", "70");
  reg.Add("From", from.ToString());
  reg.Add("To", to.ToString());
  reg.Add("Call-ID", m_callId);
  reg.Add("CSeq", std::to_string(++m_cseq) + " REGISTER");
  reg.Add("Contact", m_stack.LocalContact(m_config.user).ToString());
  reg.Add("Expires", std::to_string(m_config.expiry));
  reg.Add("User-Agent", m_stack.Product());
  m_answeredNonce.clear();
  if (m_challenge) {
    const auto creds = sip::AnswerChallenge(*m_challenge, m_config.user, m_config.password,
                                            "REGISTER", requestUri.ToString(),
                                            m_stack.Ids().NewCnonce(), ++m_nonceCount);
    reg.Add(m_challengeIsProxy ? "Proxy-Authorization" : "Authorization", creds.ToString());
    m_answeredNonce = m_challenge->nonce;
  }
  ++m_counters.requests;
  m_pending = true;
  auto weak = m_life.Weak();
  m_stack.Transactions().SendRequest(std::move(reg), m_config.registrar,
                                     [this, weak](const ClientResponse& r) {
                                       if (!weak.expired()) {
                                         OnResponse(r);
                                       }
                                     });
}

std::optional<TransportAddress> RegistrationClient::PublicAddressFromVia(const sip::Via& via) {
  // The same RFC 3581 rule the server used to route this response back to us.
  return SipTransport::ResponseDestination(via);
}

bool RegistrationClient::LearnPublicAddress(const sip::Via& via) {
  const auto seen = PublicAddressFromVia(via);
  if (!seen) {
    return false;
  }
  const bool changed = m_public && *m_public != *seen;
  if (changed) {
    NS_LOG_INFO(m_stack.Name() << " public address moved " << m_public->ToString() << " -> "
                               << seen->ToString());
  }
  m_public = seen;
  return changed;
}

void RegistrationClient::ObserveResponseVia(const sip::Via& via) {
  if (!m_running) {
    return;
  }
  if (LearnPublicAddress(via) && m_config.rebindOnNatChange) {
    ++m_counters.natRebinds;
    SendRegister();
    if (m_events.onNatRebind) {
      m_events.onNatRebind();
    }
  }
}

std::uint32_t RegistrationClient::GrantedFrom(const sip::SipMessage& ok) const {
  const auto mine = m_stack.LocalContact(m_config.user).uri;
  for (const auto& c : ok.Contacts()) {
    if (c.uri.user == mine.user && c.uri.host == mine.host &&
        c.uri.port.value_or(5060) == mine.port.value_or(5060)) {
      const auto param = c.params.Get("expires");
      if (auto e = param ? ParseDecimal(*param) : std::nullopt) {
        return *e;
      }
    }
  }
  // Our own Contact may be missing from the list because something on the path rewrote it;
  // fall back to the Expires header, then to what we asked for.
  return ok.Expires().value_or(m_config.expiry);
}

void RegistrationClient::Fail(std::uint16_t status) {
  m_registered = false;
  m_challenge.reset();
  ++m_counters.failures;
  if (m_events.onOutcome) {
    m_events.onOutcome(false, status);
  }
  ScheduleNext(m_config.retryInterval);
}

void RegistrationClient::OnResponse(const ClientResponse& r) {
  if (!m_running) {
    return;
  }
  const auto& resp = r.message;
  const int code = resp.StatusCode();
  if (code < 200) {
    return;
  }
  m_pending = false;  // SendRegister below sets it again
  if (code == 401 || code == 407) {
    const auto header = resp.Get(code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
    auto challenge = header ? sip::DigestChallenge::Parse(*header)
                            : sip::ParseResult<sip::DigestChallenge>(sip::ParseError{
                                  sip::ParseErrorKind::BadAuth, 0, 0, "no challenge"});
    if (!challenge.Ok()) {
      Fail(static_cast<std::uint16_t>(code));
      return;
    }
    const auto& c = challenge.Value();
    if (!m_answeredNonce.empty() && c.nonce == m_answeredNonce && !c.stale) {
      Fail(static_cast<std::uint16_t>(code));  // our answer to this very nonce was refused
      return;
    }
    if (!m_answeredNonce.empty() && c.nonce != m_answeredNonce && !c.stale && m_challenge &&
        m_nonceCount == 1) {
      // Fresh credentials for a fresh nonce were refused again: a wrong password.
      Fail(static_cast<std::uint16_t>(code));
      return;
    }
    m_challenge = c;
    m_challengeIsProxy = code == 407;
    m_nonceCount = 0;
    SendRegister();
    return;
  }
  if (code == 423) {
    if (auto minExpires = HeaderNumber(resp, "Min-Expires"); minExpires && *minExpires > 0) {
      m_config.expiry = *minExpires;
      SendRegister();
      return;
    }
  }
  if (code >= 300) {
    Fail(static_cast<std::uint16_t>(code));
    return;
  }
  bool moved = false;
  if (auto via = resp.TopVia()) {
    moved = LearnPublicAddress(*via);
  }
  m_granted = GrantedFrom(resp);
  m_registered = m_granted > 0;
  m_expiresAt = ns3::Simulator::Now() + ns3::Seconds(m_granted);
  ++m_counters.successes;
  if (m_events.onOutcome) {
    m_events.onOutcome(true, static_cast<std::uint16_t>(code));
  }
  if (moved && m_config.rebindOnNatChange) {
    ++m_counters.natRebinds;
    ScheduleNext(ns3::Seconds(0));
    if (m_events.onNatRebind) {
      m_events.onNatRebind();
    }
    return;
  }
  const std::uint32_t percent = std::clamp<std::uint32_t>(m_config.refreshPercent, 10, 95);
  const double refresh = std::max(1.0, m_granted * percent / 100.0);
  ScheduleNext(ns3::Seconds(m_granted > 0 ? refresh : m_config.retryInterval.GetSeconds()));
}

}  // namespace alglab
