#ifndef ALGLAB_ENDPOINTS_DIALOG_EVENT_NOTIFIER_H
#define ALGLAB_ENDPOINTS_DIALOG_EVENT_NOTIFIER_H

// The PBX's BLF service: RFC 6665 notifier for the "dialog" event package (RFC 4235).
// The PBX's call model reports each extension's dialogs here; the notifier keeps the PBX's own
// view (the truth that probes compare handset lamps against) and sends every subscriber a full
// dialog-info document, version counting up, on subscribe, refresh and every change.
// Subscriptions are accepted without authentication (as many PBXs allow for BLF).

#include "sim/endpoints/lifetime-token.h"
#include "sim/endpoints/sip-dialog.h"
#include "sim/endpoints/sip-stack.h"
#include "sim/sip/dialog-info.h"

#include <ns3/event-id.h>
#include <ns3/nstime.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace alglab {

class DialogEventNotifier {
 public:
  struct Config {
    std::string domain = "alglab";   ///< host of the entity URI sip:<ext>@<domain>
    bool fixContact = true;          ///< NOTIFY to the SUBSCRIBE's source, else to its Contact
    std::uint32_t maxExpiry = 3600;
    std::uint32_t defaultExpiry = 3600;
  };

  struct Counters {
    std::uint64_t subscribes = 0;  ///< SUBSCRIBE requests accepted (refreshes included)
    std::uint64_t notifies = 0;    ///< NOTIFY requests sent
    std::uint64_t dropped = 0;     ///< subscriptions removed after 481/timeout of a NOTIFY
  };

  /// `onStateChange(extension, state)` fires whenever the aggregate state of an extension
  /// changes (the PBX's "DialogState" trace).
  DialogEventNotifier(SipStack& stack, Config config,
                      std::function<void(const std::string&, sip::DialogState)> onStateChange);
  ~DialogEventNotifier();
  DialogEventNotifier(const DialogEventNotifier&) = delete;
  DialogEventNotifier& operator=(const DialogEventNotifier&) = delete;

  /// Handles SUBSCRIBE (initial, refresh, or Expires: 0) and responds. `known` tells whether
  /// the Request-URI user is an extension of this PBX (404 otherwise).
  void HandleSubscribe(const sip::SipMessage& request, const TransportAddress& source, bool known);
  /// True when `callId` is one of our subscriptions (for routing responses/requests).
  bool OwnsCallId(const std::string& callId) const { return m_subs.count(callId) != 0; }

  /// The call model's view of one dialog of `extension` changed. `initiator`: the extension
  /// placed the call. Terminated dialogs are reported once, then forgotten.
  void UpdateDialog(const std::string& extension, const std::string& dialogId,
                    sip::DialogState state, bool initiator);

  /// Aggregate state as a BLF lamp would show it (Terminated when idle).
  sip::DialogState ExtensionState(const std::string& extension) const;
  std::size_t SubscriptionCount() const { return m_subs.size(); }
  const Counters& GetCounters() const { return m_counters; }
  void Stop();

 private:
  struct Subscription;
  struct ExtensionView {
    std::map<std::string, sip::DialogInfoEntry> dialogs;
    sip::DialogState aggregate = sip::DialogState::Terminated;
  };

  void Notify(Subscription& sub, const std::string& subscriptionState,
              const std::map<std::string, sip::DialogInfoEntry>& dialogs);
  void NotifyAll(const std::string& extension,
                 const std::map<std::string, sip::DialogInfoEntry>& dialogs);
  void Expire(const std::string& callId);
  const std::map<std::string, sip::DialogInfoEntry>& DialogsOf(const std::string& ext) const;

  SipStack& m_stack;
  Config m_config;
  std::function<void(const std::string&, sip::DialogState)> m_onStateChange;
  LifetimeToken m_life;
  std::map<std::string, ExtensionView> m_views;
  std::map<std::string, std::unique_ptr<Subscription>> m_subs;  // by Call-ID
  Counters m_counters;
};

}  // namespace alglab

#endif
