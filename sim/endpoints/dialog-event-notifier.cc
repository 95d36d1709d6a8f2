#include "sim/endpoints/dialog-event-notifier.h"

#include "sim/endpoints/sip-message-helpers.h"

#include <ns3/log.h>
#include <ns3/simulator.h>

#include <algorithm>

NS_LOG_COMPONENT_DEFINE("AlglabDialogEventNotifier");

namespace alglab {

struct DialogEventNotifier::Subscription {
  std::string extension;
  SipDialog dialog;
  std::uint32_t version = 0;
  ns3::Time expiresAt;
  ns3::EventId expiryTimer;
  ~Subscription() { ns3::Simulator::Cancel(expiryTimer); }
};

DialogEventNotifier::DialogEventNotifier(
    SipStack& stack, Config config,
    std::function<void(const std::string&, sip::DialogState)> onStateChange)
    : m_stack(stack), m_config(std::move(config)), m_onStateChange(std::move(onStateChange)) {}

DialogEventNotifier::~DialogEventNotifier() { Stop(); }

void DialogEventNotifier::Stop() { m_subs.clear(); }

const std::map<std::string, sip::DialogInfoEntry>& DialogEventNotifier::DialogsOf(
    const std::string& ext) const {
  static const std::map<std::string, sip::DialogInfoEntry> kNone;
  const auto it = m_views.find(ext);
  return it == m_views.end() ? kNone : it->second.dialogs;
}

sip::DialogState DialogEventNotifier::ExtensionState(const std::string& extension) const {
  const auto it = m_views.find(extension);
  return it == m_views.end() ? sip::DialogState::Terminated : it->second.aggregate;
}

void DialogEventNotifier::HandleSubscribe(const sip::SipMessage& request,
                                          const TransportAddress& source, bool known) {
  auto& tl = m_stack.Transactions();
  if (EventPackage(request).value_or("") != "dialog") {
    auto r = MakeResponse(request, 489);
    r.Add("Allow-Events", "dialog");
    tl.Respond(request, std::move(r));
    return;
  }
  const std::string callId = request.CallId().value_or("");
  const std::uint32_t requested =
      std::min(HeaderNumber(request, "Expires").value_or(m_config.defaultExpiry),
               m_config.maxExpiry);
  const auto now = ns3::Simulator::Now();

  Subscription* sub = nullptr;
  if (ToTag(request)) {
    auto it = m_subs.find(callId);
    if (it == m_subs.end() || !it->second->dialog.MatchesIncoming(request)) {
      tl.Respond(request, MakeResponse(request, 481));
      return;
    }
    sub = it->second.get();
    if (m_config.fixContact) {
      sub->dialog.nextHop = source;  // the subscriber's NAT binding may have moved
    }
  } else {
    const std::string extension = request.RequestUri().user;
    if (!known) {
      tl.Respond(request, MakeResponse(request, 404, m_stack.Ids().NewTag()));
      return;
    }
    auto fresh = std::make_unique<Subscription>();
    fresh->extension = extension;
    fresh->dialog = SipDialog::FromRequest(request, m_stack.Ids().NewTag());
    if (!m_config.fixContact) {
      auto hop = MakeTransportAddress(fresh->dialog.remoteTarget.host,
                                      fresh->dialog.remoteTarget.port);
      fresh->dialog.nextHop = hop ? *hop : TransportAddress{};
    } else {
      fresh->dialog.nextHop = source;
    }
    sub = fresh.get();
    m_subs[callId] = std::move(fresh);
  }
  ++m_counters.subscribes;
  auto ok = MakeResponse(request, 200, sub->dialog.LocalTag());
  ok.Add("Expires", std::to_string(requested));
  ok.Add("Contact", m_stack.LocalContact(sub->extension).ToString());
  tl.Respond(request, std::move(ok));

  if (requested == 0) {
    // Unsubscribe (or a fetch): one final NOTIFY, then forget the subscription.
    auto owned = std::move(m_subs[callId]);
    m_subs.erase(callId);
    Notify(*owned, "terminated;reason=timeout", DialogsOf(owned->extension));
    return;
  }
  sub->expiresAt = now + ns3::Seconds(requested);
  ns3::Simulator::Cancel(sub->expiryTimer);
  sub->expiryTimer = ns3::Simulator::Schedule(ns3::Seconds(requested),
                                              &DialogEventNotifier::Expire, this, callId);
  Notify(*sub, "active;expires=" + std::to_string(requested), DialogsOf(sub->extension));
}

void DialogEventNotifier::Expire(const std::string& callId) {
  auto it = m_subs.find(callId);
  if (it == m_subs.end()) {
    return;
  }
  auto owned = std::move(it->second);
  m_subs.erase(it);
  Notify(*owned, "terminated;reason=timeout", DialogsOf(owned->extension));
}

void DialogEventNotifier::Notify(Subscription& sub, const std::string& subscriptionState,
                                 const std::map<std::string, sip::DialogInfoEntry>& dialogs) {
  sip::DialogInfo info;
  info.version = sub.version++;
  info.full = true;
  info.entity = MakeSipUri(sub.extension, m_config.domain).ToString();
  for (const auto& [id, entry] : dialogs) {
    info.dialogs.push_back(entry);
  }
  auto notify = sub.dialog.MakeRequest("NOTIFY", m_stack.LocalContact(sub.extension));
  notify.Add("Event", "dialog");
  notify.Add("Subscription-State", subscriptionState);
  notify.Add("User-Agent", m_stack.Product());
  notify.SetBody(info.ToString(), "application/dialog-info+xml");
  ++m_counters.notifies;
  const std::string callId = sub.dialog.callId;
  auto weak = m_life.Weak();
  m_stack.Transactions().SendRequest(
      std::move(notify), sub.dialog.nextHop, [this, weak, callId](const ClientResponse& r) {
        if (weak.expired()) {
          return;
        }
        const int code = r.message.StatusCode();
        // RFC 6665 section 4.2.2: 481 or a timeout ends the subscription.
        if (code == 481 || code == 408 || (r.local && code >= 400)) {
          if (m_subs.erase(callId) != 0) {
            ++m_counters.dropped;
          }
        }
      });
}

void DialogEventNotifier::NotifyAll(const std::string& extension,
                                    const std::map<std::string, sip::DialogInfoEntry>& dialogs) {
  const auto now = ns3::Simulator::Now();
  for (auto& [callId, sub] : m_subs) {
    if (sub->extension != extension) {
      continue;
    }
    const auto remaining =
        static_cast<long>(std::max(0.0, (sub->expiresAt - now).GetSeconds()) + 0.5);
    Notify(*sub, "active;expires=" + std::to_string(remaining), dialogs);
  }
}

void DialogEventNotifier::UpdateDialog(const std::string& extension, const std::string& dialogId,
                                       sip::DialogState state, bool initiator) {
  auto& view = m_views[extension];
  auto& entry = view.dialogs[dialogId];
  if (entry.id == dialogId && entry.state == state) {
    return;  // no change
  }
  entry.id = dialogId;
  entry.callId = dialogId;
  entry.direction = initiator ? "initiator" : "recipient";
  entry.state = state;
  // Notify with the terminated dialog still present (so watchers see it end), then forget it.
  const auto snapshot = view.dialogs;
  if (state == sip::DialogState::Terminated) {
    view.dialogs.erase(dialogId);
  }
  sip::DialogInfo now;
  for (const auto& [id, e] : view.dialogs) {
    now.dialogs.push_back(e);
  }
  const auto aggregate = now.AggregateState();
  const bool changed = aggregate != view.aggregate;
  view.aggregate = aggregate;
  if (changed && m_onStateChange) {
    m_onStateChange(extension, aggregate);
  }
  NotifyAll(extension, snapshot);
}

}  // namespace alglab
