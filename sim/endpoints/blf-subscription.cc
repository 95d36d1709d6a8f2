#include "sim/endpoints/blf-subscription.h"

#include "sim/endpoints/sip-message-helpers.h"
#include "sim/sip/dialog-info.h"

#include <ns3/log.h>
#include <ns3/simulator.h>

#include <algorithm>

NS_LOG_COMPONENT_DEFINE("AlglabBlfSubscription");

namespace alglab {

BlfSubscription::BlfSubscription(
    SipStack& stack, Config config,
    std::function<void(const std::string&, const std::string&)> onNotify)
    : m_stack(stack), m_config(std::move(config)), m_onNotify(std::move(onNotify)) {}

BlfSubscription::~BlfSubscription() { Stop(); }

void BlfSubscription::Start() {
  if (m_running) {
    return;
  }
  m_running = true;
  SubscribeNew();
}

void BlfSubscription::Stop() {
  m_running = false;
  m_active = false;
  ns3::Simulator::Cancel(m_timer);
}

void BlfSubscription::Restart(ns3::Time delay) {
  m_active = false;
  ++m_counters.restarts;
  ns3::Simulator::Cancel(m_timer);
  m_timer = ns3::Simulator::Schedule(delay, &BlfSubscription::SubscribeNew, this);
}

void BlfSubscription::SubscribeNew() {
  if (!m_running) {
    return;
  }
  ns3::Simulator::Cancel(m_timer);
  m_dialog = SipDialog{};
  m_dialog.callId = m_stack.NewCallId();
  m_dialog.local = MakeNameAddress(m_config.user, m_config.domain);
  m_dialog.local.params.Set("tag", m_stack.Ids().NewTag());
  m_dialog.remote = MakeNameAddress(m_config.extension, m_config.domain);
  m_dialog.remoteTarget = m_dialog.remote.uri;
  m_dialog.nextHop = m_config.proxy;
  Send(m_dialog.MakeRequest("SUBSCRIBE", m_stack.LocalContact(m_config.user)), false);
}

void BlfSubscription::RefreshNow() {
  if (!m_running) {
    return;
  }
  ns3::Simulator::Cancel(m_timer);
  if (m_active) {
    Refresh();
  } else {
    SubscribeNew();
  }
}

void BlfSubscription::Refresh() {
  if (!m_running) {
    return;
  }
  Send(m_dialog.MakeRequest("SUBSCRIBE", m_stack.LocalContact(m_config.user)), true);
}

void BlfSubscription::Send(sip::SipMessage request, bool refresh) {
  request.Add("Event", "dialog");
  request.Add("Accept", "application/dialog-info+xml");
  request.Add("Expires", std::to_string(m_config.expiry));
  request.Add("User-Agent", m_stack.Product());
  ++m_counters.subscribes;
  auto weak = m_life.Weak();
  m_stack.Transactions().SendRequest(std::move(request), m_config.proxy,
                                     [this, weak, refresh](const ClientResponse& r) {
                                       if (!weak.expired()) {
                                         OnResponse(r, refresh);
                                       }
                                     });
}

void BlfSubscription::OnResponse(const ClientResponse& r, bool refresh) {
  if (!m_running) {
    return;
  }
  const int code = r.message.StatusCode();
  if (code < 200) {
    return;
  }
  if (r.message.CallId().value_or("") != m_dialog.callId) {
    return;  // answer to a subscription we already replaced
  }
  if (code >= 300) {
    NS_LOG_INFO(m_stack.Name() << " BLF " << m_config.extension << " SUBSCRIBE got " << code);
    // RFC 6665 section 4.1.2.2: a 481 to a refresh means the subscription is gone: start anew.
    Restart(refresh && code == 481 ? ns3::Seconds(0) : m_config.retryInterval);
    return;
  }
  m_dialog.UpdateFromResponse(r.message);
  m_dialog.nextHop = m_config.proxy;  // everything goes through the outbound proxy
  m_active = true;
  const std::uint32_t granted = r.message.Expires().value_or(m_config.expiry);
  if (granted == 0) {
    Restart(m_config.retryInterval);
    return;
  }
  const std::uint32_t percent = std::clamp<std::uint32_t>(m_config.refreshPercent, 10, 95);
  ns3::Simulator::Cancel(m_timer);
  m_timer = ns3::Simulator::Schedule(ns3::Seconds(std::max(1.0, granted * percent / 100.0)),
                                     &BlfSubscription::Refresh, this);
}

void BlfSubscription::HandleNotify(const sip::SipMessage& notify, const TransportAddress& source) {
  (void)source;
  auto& tl = m_stack.Transactions();
  if (!m_running || notify.CallId().value_or("") != m_dialog.callId ||
      ToTag(notify).value_or("") != m_dialog.LocalTag()) {
    tl.Respond(notify, MakeResponse(notify, 481));
    return;
  }
  if (m_dialog.RemoteTag().empty()) {
    // The NOTIFY overtook the 200 to our SUBSCRIBE: it establishes the dialog (RFC 6665 4.1.2.4).
    if (auto tag = FromTag(notify)) {
      m_dialog.remote.params.Set("tag", *tag);
    }
  }
  tl.Respond(notify, MakeResponse(notify, 200));
  ++m_counters.notifies;
  if (!notify.Body().empty()) {
    auto info = sip::DialogInfo::Parse(notify.Body());
    if (info.Ok()) {
      m_lamp = sip::ToString(info.Value().AggregateState());
      if (m_onNotify) {
        m_onNotify(m_config.extension, m_lamp);
      }
    } else {
      NS_LOG_WARN(m_stack.Name() << " unreadable dialog-info: " << info.Error().ToString());
    }
  }
  const std::string state = HeaderToken(notify.Get("Subscription-State").value_or("active"));
  if (state == "terminated") {
    const std::string reason =
        HeaderParameter(notify.Get("Subscription-State").value_or(""), "reason").value_or("");
    // RFC 6665 section 4.1.3: re-subscribe at once unless the notifier refused us.
    const bool refused = reason == "rejected" || reason == "noresource" || reason == "giveup";
    Restart(refused ? m_config.retryInterval : ns3::Seconds(0));
  } else {
    m_active = true;
  }
}

}  // namespace alglab
