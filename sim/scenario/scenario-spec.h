#ifndef ALGLAB_SCENARIO_SCENARIO_SPEC_H
#define ALGLAB_SCENARIO_SCENARIO_SPEC_H

// The parsed, validated form of a scenario file: plain data, no ns-3. The loader fills it from
// YAML (after --set overrides); the runner turns it into nodes, applications and events.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace alglab::scenario {

/// Simulated time in seconds. Scenario files write durations as "30s", "500ms", "2min", "1h".
using Seconds = double;

/// One knob value as the loader validated it: the TypeId attribute it sets (see knob-table.h)
/// and the text that attribute accepts, e.g. {"UdpTimeout", "30000000000ns"}.
struct KnobSetting {
  std::string attribute;
  std::string value;
};

/// Every knob of one object, in knob-table order (defaults included), so the runner applies
/// them with SetAttribute without knowing any of them.
using KnobSettings = std::vector<KnobSetting>;

/// Replaces the value of `attribute` or appends it.
void SetKnob(KnobSettings& knobs, const std::string& attribute, const std::string& value);
/// The value of `attribute`, or nullptr.
const std::string* FindKnobValue(const KnobSettings& knobs, const std::string& attribute);

/// The office links. Filled from the network.* knobs; BuildOfficeNetwork reads these fields.
struct NetworkSpec {
  Seconds lanDelay = 0.0005;
  Seconds wanDelay = 0.010;
  double wanLoss = 0.0;          ///< packet loss ratio on the office WAN link, both directions
  Seconds providerDelay = 0.010; ///< internet core to the provider (and to a hosted PBX)
  std::string wanRate = "100Mbps";
  std::uint16_t wanMtu = 1500;   ///< both ends of the office WAN link
  std::string lanRate = "1Gbps";
  std::uint32_t lanQueuePackets = 100;   ///< transmit queue of every LAN cable end (frames)
  std::uint32_t wanQueuePackets = 100;   ///< queue disc at each end of the WAN link (packets)
};

/// A router knob the scenario states (its file's `router:` section or a --set of it).
struct StatedRouterKnob {
  std::string text;    ///< the value as written ("300s")
  std::string origin;  ///< "file:line" or "--set k=v"
};

struct RouterSpec {
  std::string vendor = "none";
  KnobSettings knobs;  ///< alglab::NatRoutingProtocol attributes
  /// The router knobs the scenario states, by leaf ("udp_timeout"): the vendor model's NAT
  /// defaults apply to the others only (vendor-router-settings.h).
  std::map<std::string, StatedRouterKnob> stated;
  /// Vendor knobs by the vendor's own names, as strings; validated against the model's
  /// attributes when the router is built.
  std::map<std::string, std::string> alg;
  /// Where each vendor knob was written ("file:line" or "--set k=v"), for its error message.
  std::map<std::string, std::string> algOrigin;
};

struct PbxSpec {
  std::string placement = "on-prem";  ///< "on-prem" (office LAN) | "hosted" (internet)
  KnobSettings knobs;                 ///< alglab::SipPbx attributes (domain, NAT traversal, trunk)
  /// DID -> extensions that ring together.
  std::vector<std::pair<std::string, std::vector<std::string>>> ringGroups;
};

struct ProviderSpec {
  KnobSettings knobs;  ///< alglab::SipProvider attributes
};

struct PhoneSpec {
  std::string extension;
  KnobSettings knobs;  ///< alglab::SipPhone attributes: phones.defaults, then this phone's overrides
};

struct WatchAction { std::string watcher; std::string target; };
struct CallAction { std::string from; std::string to; Seconds duration = 60; };
struct InboundAction { std::string did; Seconds duration = 60; };
struct RebootAction { std::string device = "router"; };

/// `set: {knob: router.udp_timeout, value: 30s}`: one knob changes at the event's time.
struct SetAction {
  std::string knob;       ///< the dotted name as written
  std::string object;     ///< "router", "router.alg", "pbx", "provider" or "phones"
  std::string extension;  ///< for "phones": one phone's extension, empty for every phone
  std::string attribute;  ///< the TypeId attribute (for router.alg: the vendor's knob name)
  std::string value;      ///< text the attribute accepts (router.alg: as written, checked at build)
};

/// `hold: {phone: 101, style: sendonly}`: the handset puts its established call on hold with a
/// re-INVITE (`sendonly`: a=sendonly; `zero-address`: c=IN IP4 0.0.0.0, RFC 2543) and stops
/// its RTP. `resume: {phone: 101}` takes it off hold.
struct HoldAction { std::string phone; std::string style = "sendonly"; };
struct ResumeAction { std::string phone; };
/// `mute: {phone: 101, duration: 60s}`: silence suppression, no RTP and nothing signalled.
struct MuteAction { std::string phone; Seconds duration = 0; };
/// `reregister: {phone: 101, downtime: 30s}`: the handset is power-cycled: it loses its calls,
/// registration and BLF subscriptions, and boots and registers anew after `downtime`.
struct ReregisterAction { std::string phone; Seconds downtime = 30; };

/// `link: {link: wan, state: down}`: a link stops carrying frames in both directions (or
/// carries them again). Nothing else is told: devices find out from what gets lost. Links:
/// `wan` (the office's internet line), `phone-EXT` (a handset's LAN cable), `pbx` (the on-prem
/// PBX's LAN cable).
struct LinkAction { std::string link = "wan"; bool up = false; };

/// `flush: router`: the router forgets its connections (NAT mappings) without rebooting.
struct FlushAction { std::string device = "router"; };

/// `save_config: router` (running configuration becomes the startup one, what a reboot
/// restores) or `factory_reset: router` (shipped defaults back, then a reboot).
struct ConfigAction {
  enum class Kind { Save, FactoryReset };
  Kind kind = Kind::Save;
  std::string device = "router";
};

struct TimelineEvent {
  Seconds at = 0;
  std::variant<WatchAction, CallAction, InboundAction, RebootAction, SetAction, FlushAction, ConfigAction,
               HoldAction, ResumeAction, MuteAction, ReregisterAction, LinkAction>
      action;
  std::size_t line = 0;  ///< where it was written, for error messages
  /// Where it was written when not in the scenario file ("runbook.yaml:12 (step 1)"); empty
  /// for the file's own events.
  std::string origin;
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  std::string file;
  /// `matrix: false`: left out of `alglab matrix`'s default scenarios, for a scenario whose
  /// symptoms come from something other than the router (a WAN outage).
  bool inMatrix = true;
  Seconds duration = 1800;
  std::uint64_t seed = 1;
  NetworkSpec network;
  RouterSpec router;
  PbxSpec pbx;
  ProviderSpec provider;
  std::vector<PhoneSpec> phones;
  std::vector<TimelineEvent> timeline;  ///< sorted by time, stable
};

}  // namespace alglab::scenario

#endif
