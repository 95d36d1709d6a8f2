#ifndef ALGLAB_ENDPOINTS_BLF_SUBSCRIPTION_H
#define ALGLAB_ENDPOINTS_BLF_SUBSCRIPTION_H

// A handset's busy-lamp-field key: an RFC 6665 subscription to the "dialog" event package
// (RFC 4235) of one extension, sent through the outbound proxy. SUBSCRIBE with Expires 600,
// refreshed in-dialog before expiry; a 481, a failed refresh or a terminating NOTIFY starts a
// new subscription (immediately, or after the retry interval for failures). Each NOTIFY body
// sets the lamp to the dialog-info's aggregate state.

#include "sim/endpoints/lifetime-token.h"
#include "sim/endpoints/sip-dialog.h"
#include "sim/endpoints/sip-stack.h"
#include "sim/endpoints/transport-address.h"

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <cstdint>
#include <functional>
#include <string>

namespace alglab {

class BlfSubscription {
 public:
  struct Config {
    std::string user;       ///< our extension (From)
    std::string domain;
    std::string extension;  ///< the watched extension
    TransportAddress proxy;
    std::uint32_t expiry = 600;
    std::uint32_t refreshPercent = 80;
    ns3::Time retryInterval = ns3::Seconds(30);
  };

  struct Counters {
    std::uint64_t subscribes = 0;  ///< SUBSCRIBE requests sent (initial and refresh)
    std::uint64_t notifies = 0;    ///< NOTIFY requests received
    std::uint64_t restarts = 0;    ///< new subscriptions after 481/failure/termination
  };

  /// `onNotify(extension, lampState)` fires for each NOTIFY with a readable body.
  BlfSubscription(SipStack& stack, Config config,
                  std::function<void(const std::string&, const std::string&)> onNotify);
  ~BlfSubscription();
  BlfSubscription(const BlfSubscription&) = delete;
  BlfSubscription& operator=(const BlfSubscription&) = delete;

  void Start();
  void Stop();
  /// Refreshes an active subscription now (in-dialog SUBSCRIBE), e.g. after the device's NAT
  /// binding moved; starts a new one if none is active.
  void RefreshNow();
  /// The Call-ID of the current subscription dialog ("" before the first SUBSCRIBE).
  const std::string& CallId() const { return m_dialog.callId; }
  /// Handles a NOTIFY routed here by Call-ID; responds to it.
  void HandleNotify(const sip::SipMessage& notify, const TransportAddress& source);

  const std::string& Extension() const { return m_config.extension; }
  /// RFC 4235 state name of the lamp; "" until the first NOTIFY.
  const std::string& LampState() const { return m_lamp; }
  bool IsActive() const { return m_active; }
  const Counters& GetCounters() const { return m_counters; }

 private:
  void SubscribeNew();
  void Refresh();
  void Send(sip::SipMessage request, bool refresh);
  void OnResponse(const ClientResponse& r, bool refresh);
  void Restart(ns3::Time delay);

  SipStack& m_stack;
  Config m_config;
  std::function<void(const std::string&, const std::string&)> m_onNotify;
  LifetimeToken m_life;
  bool m_running = false;
  bool m_active = false;
  SipDialog m_dialog;
  std::string m_lamp;
  ns3::EventId m_timer;
  Counters m_counters;
};

}  // namespace alglab

#endif
