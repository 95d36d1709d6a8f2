#ifndef ALGLAB_PROBES_DETECT_DETECT_VERDICT_H
#define ALGLAB_PROBES_DETECT_DETECT_VERDICT_H

// Conclusions from DetectObservations: is there an ALG, what does it rewrite, what wakes it,
// does it re-originate like a proxy, what does it let in, and what kind of NAT sits under it.
// Each conclusion names the probe and field that proved it (evidence). The JSON form is
// docs/schemas/detect-verdict.schema.json.

#include "probes/detect/detect-observations.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace alglab::detect {

/// One conclusion and what proved it. Alarms (they make alg_present true): rewrite, proxy,
/// drop, inbound-rewrite, inbound-expectation, pinhole, timer. Notes (no alarm): nat-mapping,
/// nat-filtering, port-preservation.
struct Evidence {
  std::string conclusion;
  std::string probe;       ///< the probe id
  std::string field;       ///< the field (a FieldChange name) or observation that proved it
  std::string detail;
};

/// The fields one request kind had rewritten on one transport and port.
struct RewriteEntry {
  std::string method;
  std::string transport;
  std::uint16_t port = 0;
  std::vector<std::string> fields;  ///< FieldChange names, sorted, unique
};

struct InboundResult {
  std::string from;                 ///< "primary", "primary-other-port", "alt"
  std::string method;               ///< "INVITE", or "NOTIFY" (from primary: a BLF update)
  bool tested = false;              ///< the server sent it
  bool arrived = false;
  std::vector<std::string> rewritten;  ///< fields changed on the way in
};

struct MediaResult {
  bool tested = false;
  std::optional<bool> fromPeer;       ///< RTP from the SDP peer (the server's address) arrived
  std::optional<bool> fromOther;      ///< RTP from another address arrived
  bool pinhole = false;               ///< some RTP arrived though the client had sent none
  std::optional<bool> sourceRestricted;  ///< the pinhole admits the SDP peer only
};

/// A binding lifetime, bounded by the longest interval tried.
struct TimeoutResult {
  std::optional<double> longestAlive;  ///< longest idle interval after which the binding worked
  std::optional<double> firstExpired;  ///< shortest interval after which it did not
};

struct NatResult {
  std::optional<bool> translated;   ///< the server saw another address than the client's own
  std::string mapping = "unknown";    ///< "endpoint-independent", "address-dependent", "address-and-port-dependent"
  std::string filtering = "unknown";  ///< same names
  std::optional<bool> portPreservation;
  TimeoutResult udpTimeout;  ///< on a port no ALG watches
  TimeoutResult sipTimeout;  ///< on the SIP port (the ALG's signalling timer, if it has one)
};

struct DetectVerdict {
  bool algPresent = false;
  std::vector<RewriteEntry> rewrites;
  std::vector<std::string> rewrittenFields;  ///< union over all outbound probes
  std::vector<std::string> dropped;          ///< probe ids whose request (or echo) was lost
  struct Triggers {
    std::vector<std::string> ports;        ///< "udp/5060", "tcp/5060", "udp/5070" where it acted
    std::vector<std::string> transports;   ///< "udp", "tcp"
    std::vector<std::string> methods;      ///< methods it rewrote or dropped
  } triggers;
  struct Proxy {
    bool reOriginates = false;             ///< a new top Via, a new branch or a new Call-ID
    bool inPlaceRewrite = false;           ///< fields rewritten with the sender's Via and Call-ID kept
  } proxy;
  std::vector<InboundResult> inbound;
  MediaResult media;
  NatResult nat;
  std::vector<Evidence> evidence;
  bool serverReached = false;  ///< any echo came back; false: nothing can be concluded
  // Filled by the vendor-family ranking (sim/detect), empty here.
  nlohmann::json vendorFamily = nlohmann::json::array();
  nlohmann::json predictedSymptoms = nlohmann::json::array();
  nlohmann::json runbook = nullptr;
};

/// True for the evidence kinds that make alg_present true.
bool IsAlarm(const Evidence& evidence);

/// The verdict for what the client saw. Deterministic: same observations, same verdict.
DetectVerdict AnalyseObservations(const DetectObservations& observations);

/// The JSON object of docs/schemas/detect-verdict.schema.json.
nlohmann::json ToJson(const DetectVerdict& verdict);

}  // namespace alglab::detect

#endif
