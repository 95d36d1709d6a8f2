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

struct NetworkSpec {
  Seconds lanDelay = 0.0005;
  Seconds wanDelay = 0.010;
  double wanLoss = 0.0;          ///< packet loss ratio on the office WAN link, both directions
  Seconds providerDelay = 0.010; ///< internet core to the provider (and to a hosted PBX)
  std::string wanRate = "100Mbps";
  std::string lanRate = "1Gbps";
  std::uint32_t lanQueuePackets = 100;   ///< transmit queue of every LAN cable end (frames)
  std::uint32_t wanQueuePackets = 100;   ///< queue disc at each end of the WAN link (packets)
};

struct RouterSpec {
  std::string vendor = "none";
  std::string mapping = "endpoint-independent";
  std::string filtering = "address-port-dependent";
  Seconds udpTimeout = 120;
  std::string portAllocation = "sequential";
  bool portPreservation = true;
  Seconds bootTime = 30;
  bool resetConfigOnReboot = false;
  /// Vendor knobs by the vendor's own names, as strings; validated against the model's
  /// attributes when the router is built.
  std::map<std::string, std::string> alg;
};

/// Server-side NAT traversal as providers and hosted PBXs do it.
struct NatTraversalSpec {
  bool honourRport = true;
  bool fixContact = true;
  bool latchMedia = true;
  Seconds natKeepalive = 30;  ///< OPTIONS pings to NATed contacts; 0 = off
};

struct TrunkSpec {
  std::string user = "office";
  std::string password = "trunk-secret";
  Seconds expiry = 300;
  std::string keepalive = "options";
  Seconds keepaliveInterval = 25;
};

struct PbxSpec {
  std::string placement = "on-prem";  ///< "on-prem" (office LAN) | "hosted" (internet)
  std::string domain = "pbx.office.example";
  NatTraversalSpec nat;
  TrunkSpec trunk;
  /// DID -> extensions that ring together.
  std::vector<std::pair<std::string, std::vector<std::string>>> ringGroups;
};

struct ProviderSpec {
  std::string domain = "sip.provider.example";
  NatTraversalSpec nat;
  Seconds answerAfter = 1;
};

struct PhoneSettings {
  std::string password = "secret";
  bool rport = true;
  std::string keepalive = "options";
  Seconds keepaliveInterval = 25;
  Seconds registerExpiry = 300;
  bool symmetricRtp = true;
  Seconds answerAfter = 2;
  std::uint16_t sipPort = 5060;
};

struct PhoneSpec {
  std::string extension;
  PhoneSettings settings;
};

struct WatchAction { std::string watcher; std::string target; };
struct CallAction { std::string from; std::string to; Seconds duration = 60; };
struct InboundAction { std::string did; Seconds duration = 60; };
struct RebootAction { std::string device = "router"; };

struct TimelineEvent {
  Seconds at = 0;
  std::variant<WatchAction, CallAction, InboundAction, RebootAction> action;
  std::size_t line = 0;  ///< where it was written, for error messages
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  std::string file;
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
