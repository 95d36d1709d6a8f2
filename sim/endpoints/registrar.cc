#include "sim/endpoints/registrar.h"

#include "sim/endpoints/sip-message-helpers.h"
#include "sim/sip/digest-auth.h"

#include <ns3/log.h>
#include <ns3/simulator.h>

#include <algorithm>

NS_LOG_COMPONENT_DEFINE("AlglabRegistrar");

namespace alglab {

Registrar::Registrar(SipStack& stack, Config config) : m_stack(stack), m_config(std::move(config)) {}

Registrar::~Registrar() { Stop(); }

void Registrar::AddAccount(const std::string& user, const std::string& password) {
  m_accounts[user] = password;
}

void Registrar::Challenge(const sip::SipMessage& request, bool stale) {
  sip::DigestChallenge c;
  c.realm = m_config.realm;
  c.nonce = m_stack.Ids().NewNonce();
  c.qop = "auth";
  c.stale = stale;
  m_nonces.insert(c.nonce);
  auto r = MakeResponse(request, 401, m_stack.Ids().NewTag());
  r.Add("WWW-Authenticate", c.ToString());
  ++m_counters.challenges;
  m_stack.Transactions().Respond(request, std::move(r));
}

void Registrar::Reject(const sip::SipMessage& request, int code) {
  ++m_counters.rejected;
  m_stack.Transactions().Respond(request, MakeResponse(request, code, m_stack.Ids().NewTag()));
}

void Registrar::HandleRegister(const sip::SipMessage& request, const TransportAddress& source) {
  const std::string user = ToUser(request);
  const auto authHeader = request.Get("Authorization");
  if (!authHeader) {
    Challenge(request, false);  // challenge first, even for unknown users: no enumeration
    return;
  }
  auto creds = sip::DigestCredentials::Parse(*authHeader);
  if (!creds.Ok()) {
    Reject(request, 400);
    return;
  }
  const auto& c = creds.Value();
  if (m_nonces.count(c.nonce) == 0) {
    Challenge(request, true);  // not our nonce (or a forgotten one): ask again
    return;
  }
  const auto account = m_accounts.find(c.username);
  if (account == m_accounts.end() || c.username != user || c.realm != m_config.realm ||
      !sip::VerifyDigest(c, "REGISTER", account->second)) {
    NS_LOG_INFO(m_stack.Name() << " REGISTER for '" << user << "' from " << source.ToString()
                               << " failed authentication");
    Reject(request, 403);
    return;
  }

  auto& bindings = m_bindings[user];
  const auto headerExpires = request.Expires();
  const auto now = ns3::Simulator::Now();
  // Only this user's expired bindings: pruning every user on every REGISTER cost the number of
  // handsets per registration. The others go at the next keepalive round, and Lookup skips
  // expired ones anyway.
  bindings.erase(std::remove_if(bindings.begin(), bindings.end(),
                                [&](const RegistrarBinding& b) { return b.expiresAt <= now; }),
                 bindings.end());
  const std::string callId = request.CallId().value_or("");
  for (const auto& contact : request.Contacts()) {
    if (contact.isWildcard) {
      if (headerExpires.value_or(1) == 0) {
        bindings.clear();
      }
      continue;
    }
    std::uint32_t expires = m_config.defaultExpiry;
    const auto param = contact.params.Get("expires");
    if (auto e = param ? ParseDecimal(*param) : std::nullopt) {
      expires = *e;
    } else if (headerExpires) {
      expires = *headerExpires;
    }
    expires = std::min(expires, m_config.maxExpiry);
    const std::string key = contact.uri.ToString();
    auto same = std::find_if(bindings.begin(), bindings.end(), [&](const RegistrarBinding& b) {
      return b.contact.ToString() == key;
    });
    if (expires == 0) {
      if (same != bindings.end()) {
        bindings.erase(same);
      }
      continue;
    }
    RegistrarBinding b;
    b.user = user;
    b.contact = contact.uri;
    b.source = source;
    b.callId = callId;
    b.expiresAt = now + ns3::Seconds(expires);
    const auto advertised = MakeTransportAddress(contact.uri.host, contact.uri.port);
    b.behindNat = !advertised || *advertised != source;
    b.requestUri = contact.uri;
    if (m_config.fixContact) {
      b.requestUri.host = Ipv4ToString(source.ip);
      b.requestUri.port = source.port;
      b.target = source;
    } else {
      b.target = advertised;
    }
    if (same != bindings.end()) {
      *same = std::move(b);
    } else {
      bindings.push_back(std::move(b));
    }
  }

  auto ok = MakeResponse(request, 200, m_stack.Ids().NewTag());
  for (const auto& b : bindings) {
    sip::NameAddress na;
    na.uri = b.contact;  // as registered: the client looks for its own Contact here
    const auto remaining = (b.expiresAt - now).GetSeconds();
    na.params.Set("expires", std::to_string(static_cast<long>(remaining + 0.5)));
    ok.Add("Contact", na.ToString());
  }
  ++m_counters.registrations;
  m_stack.Transactions().Respond(request, std::move(ok));
}

void Registrar::Prune() {
  const auto now = ns3::Simulator::Now();
  for (auto& [user, list] : m_bindings) {
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const RegistrarBinding& b) { return b.expiresAt <= now; }),
               list.end());
  }
}

std::vector<RegistrarBinding> Registrar::Lookup(const std::string& user) const {
  std::vector<RegistrarBinding> live;
  const auto it = m_bindings.find(user);
  if (it == m_bindings.end()) {
    return live;
  }
  const auto now = ns3::Simulator::Now();
  for (const auto& b : it->second) {
    if (b.expiresAt > now) {
      live.push_back(b);
    }
  }
  return live;
}

void Registrar::Start() {
  Stop();
  if (m_config.natKeepaliveInterval.IsStrictlyPositive()) {
    m_pingTimer = ns3::Simulator::Schedule(m_config.natKeepaliveInterval,
                                           &Registrar::PingNatedBindings, this);
  }
}

void Registrar::Stop() { ns3::Simulator::Cancel(m_pingTimer); }

void Registrar::PingNatedBindings() {
  m_pingTimer = ns3::Simulator::Schedule(m_config.natKeepaliveInterval,
                                         &Registrar::PingNatedBindings, this);
  Prune();
  if (m_pingCallId.empty()) {
    m_pingCallId = m_stack.NewCallId();
    m_pingTag = m_stack.Ids().NewTag();
  }
  // Spread the round over the interval, in binding order, as servers that qualify each
  // contact on its own timer do: thousands of OPTIONS in one instant would overflow the
  // server's transmit queue, a burst no real server sends.
  std::vector<std::pair<std::string, RegistrarBinding>> due;
  for (const auto& [user, list] : m_bindings) {
    for (const auto& b : list) {
      if (b.behindNat && b.target) {
        due.emplace_back(user, b);
      }
    }
  }
  auto weak = m_life.Weak();
  const std::int64_t n = static_cast<std::int64_t>(due.size());
  for (std::int64_t i = 0; i < n; ++i) {
    const ns3::Time offset = m_config.natKeepaliveInterval * i / n;
    auto& [user, binding] = due[static_cast<std::size_t>(i)];
    ns3::Simulator::Schedule(offset, [this, weak, user = std::move(user), binding = std::move(binding)] {
      if (!weak.expired()) {
        PingBinding(user, binding);
      }
    });
  }
}

void Registrar::PingBinding(const std::string& user, const RegistrarBinding& b) {
  auto options = sip::SipMessage::Request("OPTIONS", b.requestUri);
  auto from = MakeNameAddress("", m_stack.LocalHost());
  from.params.Set("tag", m_pingTag);
  options.Add("Max-Forwards", "70");
  options.Add("From", from.ToString());
  options.Add("To", MakeNameAddress(user, m_config.realm).ToString());
  options.Add("Call-ID", m_pingCallId);
  options.Add("CSeq", std::to_string(++m_pingCseq) + " OPTIONS");
  options.Add("User-Agent", m_stack.Product());
  ++m_counters.keepalivesSent;
  auto weak = m_life.Weak();
  m_stack.Transactions().SendRequest(std::move(options), *b.target,
                                     [this, weak](const ClientResponse& r) {
                                       if (!weak.expired() && !r.local &&
                                           r.message.StatusCode() >= 200) {
                                         ++m_counters.keepalivesAnswered;
                                       }
                                     });
}

}  // namespace alglab
