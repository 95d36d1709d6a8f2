#ifndef ALGLAB_PROBES_DETECT_DETECT_OBSERVATIONS_H
#define ALGLAB_PROBES_DETECT_DETECT_OBSERVATIONS_H

// What the detector client saw, before any conclusion: the input of AnalyseObservations (the
// verdict) and of the vendor-family ranking. Plain data; drivers and rankers only read it.

#include "probes/detect/detect-io.h"
#include "probes/detect/message-diff.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alglab::detect {

/// One request the client sent and what the server said arrived.
struct OutboundProbe {
  std::string id;          ///< "udp5060-invite", "tcp5060-register", ...
  std::string method;      ///< REGISTER, INVITE, SUBSCRIBE, NOTIFY, OPTIONS
  std::string transport;   ///< "udp" or "tcp"
  std::uint16_t port = 0;  ///< the server port it was sent to
  bool answered = false;   ///< the echo came back (false: the request or its echo was dropped)
  std::string sent;        ///< the bytes sent
  std::string arrived;     ///< the bytes the server got (from the echo), empty if unanswered
  std::vector<FieldChange> changes;  ///< DiffMessages(sent, arrived)
  Endpoint local;          ///< the client's socket
  Endpoint seenFrom;       ///< the source the server saw (the NAT binding)
};

/// A request the server sent towards the client's signalling binding.
struct InboundProbe {
  std::string probe;       ///< the client's request that asked for it
  std::string from;        ///< "primary" (the socket the client talks to), "primary-other-port", "alt"
  std::string method;      ///< what the server sent: INVITE (from each), NOTIFY (from primary)
  bool requested = false;  ///< the server confirmed it sent it (the asking request was answered)
  bool arrived = false;
  std::vector<FieldChange> changes;  ///< from the server's copy to what arrived
};

/// RTP the server sent to the media address of an INVITE's SDP, without the client sending any.
struct MediaProbe {
  std::string probe;            ///< the INVITE
  std::string from;             ///< "primary" (the SDP peer, the server's signalling address) or "alt"
  bool requested = false;       ///< the INVITE was answered (so the server sent the RTP)
  std::uint16_t mediaPort = 0;  ///< the client's media port (in its SDP)
  bool arrived = false;
  Endpoint source;              ///< where the RTP came from, as the client saw it
};

/// RFC 4787 observations on ports no ALG watches.
struct NatObservations {
  Endpoint local;                 ///< the mapping socket
  struct Mapping {
    std::string destination;      ///< "primary:port1", "primary:port2", "alt:port1"
    std::optional<Endpoint> mapped;  ///< the source the server saw; nullopt: no echo
  };
  std::vector<Mapping> mappings;
  bool filterAnswered = false;    ///< the filtering request's own echo came back
  bool otherPortArrived = false;  ///< the server's send from its other port got through
  bool otherAddressArrived = false;  ///< ... from its second address
};

/// One binding-lifetime measurement: a fresh binding, idle for `interval`, then the server
/// sends to it.
struct TimerProbe {
  std::string kind;        ///< "udp" (a non-SIP port) or "sip" (UDP 5060)
  double interval = 0;
  bool answered = false;   ///< the binding was made (its echo came back)
  bool arrived = false;    ///< the server's late send got through
};

struct DetectObservations {
  std::string clientAddress;   ///< the client's own (LAN) address
  Endpoint server;             ///< the server's primary SIP endpoint
  std::string serverAlt;       ///< the server's second address ("" when unknown)
  bool tcpConnected = false;
  std::vector<OutboundProbe> outbound;
  std::vector<InboundProbe> inbound;
  std::vector<MediaProbe> media;
  NatObservations nat;
  std::vector<TimerProbe> timers;
  double duration = 0;         ///< seconds the probe plan took
};

}  // namespace alglab::detect

#endif
