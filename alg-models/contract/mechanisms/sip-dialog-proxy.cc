#include "alg-models/contract/mechanisms/sip-dialog-proxy.h"

#include "alg-models/contract/mechanisms/address-match.h"

#include "alg-models/contract/mechanisms/sip-via-text.h"
#include "sim/sip/sdp.h"

#include "ns3/boolean.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace alglab {

NS_OBJECT_ENSURE_REGISTERED(SipDialogProxy);

namespace {

std::string Text(ns3::Ipv4Address address) {
  std::ostringstream out;
  address.Print(out);
  return out.str();
}

/// A dotted quad only, as an address.
std::optional<ns3::Ipv4Address> ParseIpv4(const std::string& text) {
  const std::optional<std::uint32_t> address = alg::ParseDottedQuad(text);
  if (!address) return std::nullopt;
  return ns3::Ipv4Address(*address);
}

/// The endpoint a SIP URI host:port names, when the host is an IPv4 address.
std::optional<nat::Endpoint> UriEndpoint(const sip::Uri& uri) {
  const std::optional<ns3::Ipv4Address> address = ParseIpv4(uri.host);
  if (!address) return std::nullopt;
  return nat::Endpoint{*address, uri.port.value_or(5060)};
}

/// The Expires of a REGISTER's first Contact (its parameter, else the header), if given.
std::optional<std::uint32_t> RegisterExpires(const sip::SipMessage& message) {
  const std::vector<sip::NameAddress> contacts = message.Contacts();
  if (!contacts.empty()) {
    if (const std::optional<std::string> e = contacts.front().params.Get("expires")) {
      try {
        return static_cast<std::uint32_t>(std::stoul(*e));
      } catch (const std::exception&) {
      }
    }
  }
  return message.Expires();
}

/// The delta-seconds of a Session-Expires header, if any.
std::optional<std::uint32_t> SessionExpires(const sip::SipMessage& message) {
  std::optional<std::string> value = message.Get("Session-Expires");
  if (!value) value = message.Get("x");
  if (!value) return std::nullopt;
  try {
    return static_cast<std::uint32_t>(std::stoul(*value));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

ns3::TypeId SipDialogProxy::GetTypeId() {
  static ns3::TypeId tid =
      ns3::TypeId("alglab::SipDialogProxy")
          .SetParent<alg::Mechanism>()
          .SetGroupName("Alglab")
          .AddConstructor<SipDialogProxy>()
          .AddAttribute("sip_transports",
                        "Transports inspected: udp, tcp or udp,tcp (TCP as the model's tcp_view "
                        "presents it: segments or whole messages).",
                        ns3::StringValue("udp"),
                        ns3::MakeStringAccessor(&SipDialogProxy::SetTransports, &SipDialogProxy::GetTransports),
                        ns3::MakeStringChecker())
          .AddAttribute("insert_via",
                        "Put the router's own Via on top of requests inside hosts send to the WAN "
                        "and take it off the responses.",
                        ns3::BooleanValue(true), ns3::MakeBooleanAccessor(&SipDialogProxy::m_insertVia),
                        ns3::MakeBooleanChecker())
          .AddAttribute("open_register_pinhole",
                        "Open a pinhole for the Contact of a REGISTER until it expires.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipDialogProxy::m_registerPinhole), ns3::MakeBooleanChecker())
          .AddAttribute("open_contact_pinhole",
                        "Open a pinhole for the Contact of other messages while the dialog lives.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipDialogProxy::m_contactPinhole), ns3::MakeBooleanChecker())
          .AddAttribute("open_record_route_pinhole",
                        "Open a pinhole for Record-Route entries naming inside hosts.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipDialogProxy::m_recordRoutePinhole),
                        ns3::MakeBooleanChecker())
          .AddAttribute("open_via_pinhole", "Open a pinhole for the inside host's Via sent-by.",
                        ns3::BooleanValue(false),
                        ns3::MakeBooleanAccessor(&SipDialogProxy::m_viaPinhole), ns3::MakeBooleanChecker())
          .AddAttribute("strict_register",
                        "A REGISTER pinhole admits only the registrar, and requests from others "
                        "toward a registered host outside a tracked dialog are dropped.",
                        ns3::BooleanValue(true),
                        ns3::MakeBooleanAccessor(&SipDialogProxy::m_strictRegister), ns3::MakeBooleanChecker())
          .AddAttribute("call_keepalive",
                        "Minutes a call may go without RTP before the proxy ends it; 0 = never.",
                        ns3::UintegerValue(0),
                        ns3::MakeUintegerAccessor(&SipDialogProxy::m_keepaliveMinutes),
                        ns3::MakeUintegerChecker<std::uint32_t>(0, 10080))
          .AddAttribute("max_idle_dialogs",
                        "Idle dialogs kept; beyond, the oldest idle ones are ended; 0 = no limit.",
                        ns3::UintegerValue(0),
                        ns3::MakeUintegerAccessor(&SipDialogProxy::m_maxIdleDialogs),
                        ns3::MakeUintegerChecker<std::uint32_t>())
          .AddAttribute("idle_after",
                        "Seconds without a SIP message after which an established dialog counts as "
                        "idle (for max_idle_dialogs).",
                        ns3::UintegerValue(60),
                        ns3::MakeUintegerAccessor(&SipDialogProxy::m_idleAfterSeconds),
                        ns3::MakeUintegerChecker<std::uint32_t>(1))
          .AddAttribute("provisional_invite_expiry",
                        "Seconds an INVITE dialog may wait for a final answer before the proxy ends it.",
                        ns3::UintegerValue(210),
                        ns3::MakeUintegerAccessor(&SipDialogProxy::m_provisionalSeconds),
                        ns3::MakeUintegerChecker<std::uint32_t>(1))
          .AddAttribute("register_expires",
                        "Seconds a REGISTER pinhole lives when the REGISTER states no expiry.",
                        ns3::UintegerValue(3600),
                        ns3::MakeUintegerAccessor(&SipDialogProxy::m_registerDefaultSeconds),
                        ns3::MakeUintegerChecker<std::uint32_t>(1));
  return tid;
}

alg::Verdict SipDialogProxy::Process(alg::PacketContext& context) {
  Sweep(context.nat, context.now);
  if (context.PayloadSize() == 0) return alg::Verdict::Accept();
  const bool outbound = context.direction == nat::Direction::Outbound;
  // Media of a call first, by endpoint alone: RTP is never parsed.
  if (context.original.protocol == nat::L4Protocol::Udp && !m_media.empty()) {
    const nat::Endpoint inside = outbound ? context.original.source : context.translated.destination;
    const auto media = m_media.find(inside.Key());
    if (media != m_media.end()) {
      const auto ended = m_ended.find(media->second);
      if (ended != m_ended.end()) return alg::Verdict::Drop(ended->second);
      const auto dialog = m_dialogs.find(media->second);
      if (dialog != m_dialogs.end()) dialog->second.lastMedia = context.now;
      return alg::Verdict::Accept();
    }
  }
  if (!m_scope.Covers(context)) return alg::Verdict::Accept();
  const sip::SipMessage* message = context.Sip();
  if (message == nullptr) return alg::Verdict::Accept();
  const std::optional<std::string> callId = message->CallId();
  if (callId) {
    const auto ended = m_ended.find(*callId);
    if (ended != m_ended.end()) return alg::Verdict::Drop(ended->second);
  }
  return outbound ? Outbound(context, *message) : Inbound(context, *message);
}

alg::Verdict SipDialogProxy::Outbound(alg::PacketContext& context, const sip::SipMessage& message) {
  const std::string callId = message.CallId().value_or("");
  const std::optional<sip::CSeq> cseq = message.GetCSeq();
  const nat::Endpoint inside = context.original.source;
  if (message.IsRequest()) {
    const std::string& method = message.Method();
    if (method == "REGISTER") {
      Register(context, message);
    } else if (method == "BYE" || method == "CANCEL") {
      Forget(callId, context.nat);
    } else if (Dialog* dialog = Track(callId, inside, method == "INVITE", context.now)) {
      dialog->lastSip = context.now;
      if (method == "INVITE") {
        LearnMedia(context, message, callId);
        OpenDialogPinholes(context, message, *dialog);
      }
    }
    if (m_insertVia) {
      const std::optional<sip::Via> top = message.TopVia();
      std::string branch = top && top->Branch() ? *top->Branch() : std::string("0");
      if (branch.rfind("z9hG4bK", 0) == 0) branch = branch.substr(7);
      std::string via = std::string("SIP/2.0/") +
                        (context.original.protocol == nat::L4Protocol::Tcp ? "TCP " : "UDP ") +
                        Text(context.translated.source.address) + ":" +
                        std::to_string(context.translated.source.port) + ";branch=" + kBranchPrefix + branch;
      std::string text = context.Payload();
      if (InsertTopVia(text, via)) context.MutablePayload() = std::move(text);
    }
    return alg::Verdict::Accept();
  }
  // The inside host answers a request from the WAN.
  if (cseq && cseq->method == "INVITE") {
    const int code = message.StatusCode();
    if (Dialog* dialog = Track(callId, inside, false, context.now)) {
      dialog->lastSip = context.now;
      if (code >= 200 && code < 300) {
        if (!dialog->confirmed) dialog->lastMedia = context.now;
        dialog->confirmed = true;
        if (const std::optional<std::uint32_t> se = SessionExpires(message)) dialog->sessionExpires = ns3::Seconds(*se);
        LearnMedia(context, message, callId);
        OpenDialogPinholes(context, message, *dialog);
      } else if (code >= 180 && code < 200) {
        LearnMedia(context, message, callId);
      } else if (code >= 300 && !dialog->confirmed) {
        Forget(callId, context.nat);
      }
    }
  } else if (Dialog* dialog = Track(callId, inside, false, context.now)) {
    dialog->lastSip = context.now;
  }
  return alg::Verdict::Accept();
}

alg::Verdict SipDialogProxy::Inbound(alg::PacketContext& context, const sip::SipMessage& message) {
  const std::string callId = message.CallId().value_or("");
  const nat::Endpoint inside = context.translated.destination;
  if (message.IsRequest()) {
    const std::string& method = message.Method();
    const auto dialog = m_dialogs.find(callId);
    if (m_strictRegister && dialog == m_dialogs.end()) {
      const auto registration = m_registrations.find(inside.Key());
      if (registration != m_registrations.end() &&
          registration->second.registrar != context.original.source.address) {
        return alg::Verdict::Drop(dialog_proxy_reason::kStrictRegister);
      }
    }
    if (method == "BYE" || method == "CANCEL") {
      Forget(callId, context.nat);
    } else if (Dialog* tracked = Track(callId, inside, method == "INVITE", context.now)) {
      tracked->lastSip = context.now;
    }
    return alg::Verdict::Accept();
  }
  // A response. Its dialog first (`message` is the parsed payload: read it before the Via
  // edit below replaces the payload), then the proxy's Via comes off.
  const std::optional<sip::CSeq> cseq = message.GetCSeq();
  const int code = message.StatusCode();
  if (cseq && cseq->method == "INVITE") {
    if (Dialog* dialog = Track(callId, inside, false, context.now)) {
      dialog->lastSip = context.now;
      if (code >= 200 && code < 300) {
        if (!dialog->confirmed) dialog->lastMedia = context.now;
        dialog->confirmed = true;
        if (const std::optional<std::uint32_t> se = SessionExpires(message)) dialog->sessionExpires = ns3::Seconds(*se);
      } else if (code >= 300 && !dialog->confirmed) {
        Forget(callId, context.nat);
      }
    }
  } else if (Dialog* dialog = Track(callId, inside, false, context.now)) {
    dialog->lastSip = context.now;
  }
  if (m_insertVia) {
    std::string text = context.Payload();
    if (RemoveTopViaIf(text, Text(context.original.destination.address), kBranchPrefix)) {
      context.MutablePayload() = std::move(text);
    }
  }
  return alg::Verdict::Accept();
}

SipDialogProxy::Dialog* SipDialogProxy::Track(const std::string& callId, const nat::Endpoint& inside,
                                              bool create, ns3::Time now) {
  if (callId.empty()) return nullptr;
  const auto it = m_dialogs.find(callId);
  if (it != m_dialogs.end()) return &it->second;
  if (!create) return nullptr;
  Dialog& dialog = m_dialogs[callId];
  dialog.inside = inside;
  dialog.created = now;
  dialog.lastSip = now;
  dialog.lastMedia = now;
  return &dialog;
}

void SipDialogProxy::LearnMedia(alg::PacketContext& context, const sip::SipMessage& message,
                                const std::string& callId) {
  const auto dialog = m_dialogs.find(callId);
  if (dialog == m_dialogs.end() || !message.BodyIsSdp()) return;
  const auto sdp = sip::SessionDescription::Parse(message.Body());
  if (!sdp) return;
  for (std::size_t i = 0; i < sdp.Value().media.size(); ++i) {
    const std::uint32_t port = sdp.Value().media[i].port;
    const std::optional<std::string> address = sdp.Value().MediaAddress(i);
    const std::optional<ns3::Ipv4Address> inside = address ? ParseIpv4(*address) : std::nullopt;
    if (port == 0 || port > 65534 || !inside || !context.router.OnLan(*inside)) continue;
    for (std::uint32_t p : {port, port + 1}) {
      const nat::Endpoint endpoint{*inside, static_cast<std::uint16_t>(p)};
      m_media[endpoint.Key()] = callId;
      if (std::find(dialog->second.media.begin(), dialog->second.media.end(), endpoint) ==
          dialog->second.media.end()) {
        dialog->second.media.push_back(endpoint);
      }
    }
  }
}

std::uint64_t SipDialogProxy::OpenPinhole(alg::PacketContext& context, const nat::Endpoint& inside,
                                          std::optional<ns3::Ipv4Address> onlyFrom, ns3::Time lifetime) {
  if (!context.router.OnLan(inside.address)) return 0;
  // The connection's own endpoint is reached on its public port; any other on its own port
  // (the rewrite keeps a port that is not the connection's).
  const bool connection = inside == context.original.source && context.direction == nat::Direction::Outbound;
  nat::Expectation e;
  e.protocol = nat::L4Protocol::Udp;
  e.externalPort = connection ? context.translated.source.port : inside.port;
  if (onlyFrom) e.remote.address = *onlyFrom;
  e.internal = inside;
  e.timeout = lifetime;
  e.persistent = true;
  return context.nat.AddExpectation(e, context.now);
}

void SipDialogProxy::OpenDialogPinholes(alg::PacketContext& context, const sip::SipMessage& message,
                                        Dialog& dialog) {
  std::vector<nat::Endpoint> wanted;
  if (m_contactPinhole) {
    for (const sip::NameAddress& contact : message.Contacts()) {
      if (const std::optional<nat::Endpoint> e = UriEndpoint(contact.uri)) wanted.push_back(*e);
    }
  }
  if (m_recordRoutePinhole) {
    for (const std::string& value : message.GetAll("Record-Route")) {
      const auto rr = sip::NameAddress::Parse(value);
      if (!rr) continue;
      if (const std::optional<nat::Endpoint> e = UriEndpoint(rr.Value().uri)) wanted.push_back(*e);
    }
  }
  if (m_viaPinhole) {
    for (const sip::Via& via : message.Vias()) {
      const std::optional<ns3::Ipv4Address> address = ParseIpv4(via.host);
      if (address) wanted.push_back({*address, via.port.value_or(5060)});
    }
  }
  // The pinholes live with the dialog (closed when it ends or is forgotten); a new offer or
  // answer replaces them.
  for (std::uint64_t id : dialog.pinholes) context.nat.RemoveExpectation(id);
  dialog.pinholes.clear();
  for (const nat::Endpoint& e : wanted) {
    const std::uint64_t id = OpenPinhole(context, e, std::nullopt, ns3::Time::Max());
    if (id != 0) dialog.pinholes.push_back(id);
  }
}

void SipDialogProxy::Register(alg::PacketContext& context, const sip::SipMessage& message) {
  const std::vector<sip::NameAddress> contacts = message.Contacts();
  std::optional<nat::Endpoint> inside =
      contacts.empty() ? std::nullopt : UriEndpoint(contacts.front().uri);
  if (!inside || !context.router.OnLan(inside->address)) inside = context.original.source;
  const std::uint32_t expires = RegisterExpires(message).value_or(m_registerDefaultSeconds);
  auto it = m_registrations.find(inside->Key());
  if (it != m_registrations.end() && it->second.pinhole != 0) {
    context.nat.RemoveExpectation(it->second.pinhole);
    it->second.pinhole = 0;
  }
  if (expires == 0) {
    if (it != m_registrations.end()) m_registrations.erase(it);
    return;
  }
  Registration& registration = m_registrations[inside->Key()];
  registration.registrar = context.original.destination.address;
  registration.expires = context.now + ns3::Seconds(expires);
  if (m_registerPinhole) {
    registration.pinhole =
        OpenPinhole(context, *inside,
                    m_strictRegister ? std::optional<ns3::Ipv4Address>(registration.registrar) : std::nullopt,
                    ns3::Seconds(expires));
  }
}

void SipDialogProxy::Forget(const std::string& callId, nat::NatTable& nat) {
  const auto it = m_dialogs.find(callId);
  if (it == m_dialogs.end()) return;
  for (std::uint64_t id : it->second.pinholes) nat.RemoveExpectation(id);
  for (const nat::Endpoint& e : it->second.media) {
    const auto media = m_media.find(e.Key());
    if (media != m_media.end() && media->second == callId) m_media.erase(media);
  }
  m_dialogs.erase(it);
}

void SipDialogProxy::End(const std::string& callId, const char* reason, nat::NatTable& nat) {
  const auto it = m_dialogs.find(callId);
  if (it == m_dialogs.end()) return;
  for (std::uint64_t id : it->second.pinholes) nat.RemoveExpectation(id);
  // Its media endpoints stay mapped to the Call-ID, which is now ended: their packets drop
  // until a new dialog's SDP names them.
  m_dialogs.erase(it);
  m_ended[callId] = reason;
}

void SipDialogProxy::Sweep(nat::NatTable& nat, ns3::Time now) {
  if (now - m_lastSweep < ns3::Seconds(1)) return;
  m_lastSweep = now;
  for (auto it = m_registrations.begin(); it != m_registrations.end();) {
    it = it->second.expires <= now ? m_registrations.erase(it) : std::next(it);
  }
  std::vector<std::pair<std::string, const char*>> ending;
  std::vector<std::pair<ns3::Time, std::string>> idle;
  for (const auto& [callId, d] : m_dialogs) {
    if (!d.confirmed) {
      if (now - d.created >= ns3::Seconds(m_provisionalSeconds)) {
        ending.emplace_back(callId, dialog_proxy_reason::kProvisional);
      }
      continue;
    }
    if (m_keepaliveMinutes > 0 && now - d.lastMedia >= ns3::Minutes(m_keepaliveMinutes)) {
      ending.emplace_back(callId, dialog_proxy_reason::kKeepalive);
    } else if (d.sessionExpires.IsStrictlyPositive() && now - d.lastSip >= d.sessionExpires) {
      ending.emplace_back(callId, dialog_proxy_reason::kExpired);
    } else if (now - d.lastSip >= ns3::Seconds(m_idleAfterSeconds)) {
      idle.emplace_back(d.lastSip, callId);
    }
  }
  if (m_maxIdleDialogs > 0 && idle.size() > m_maxIdleDialogs) {
    std::sort(idle.begin(), idle.end());
    for (std::size_t i = 0; i < idle.size() - m_maxIdleDialogs; ++i) {
      ending.emplace_back(idle[i].second, dialog_proxy_reason::kIdle);
    }
  }
  for (const auto& [callId, reason] : ending) End(callId, reason, nat);
}

void SipDialogProxy::OnFlush() {
  // The table's pinholes are gone already.
  m_dialogs.clear();
  m_ended.clear();
  m_media.clear();
  m_registrations.clear();
  m_lastSweep = ns3::Seconds(-1);
}

std::size_t SipDialogProxy::DialogCount() const { return m_dialogs.size(); }

std::size_t SipDialogProxy::PinholeCount() const {
  std::size_t count = 0;
  for (const auto& [key, r] : m_registrations) count += r.pinhole != 0 ? 1 : 0;
  for (const auto& [callId, d] : m_dialogs) count += d.pinholes.size();
  return count;
}

std::optional<std::string> SipDialogProxy::EndedBecause(const std::string& callId) const {
  const auto it = m_ended.find(callId);
  if (it == m_ended.end()) return std::nullopt;
  return it->second;
}

}  // namespace alglab
