#ifndef ALGLAB_PROBES_DETECT_DETECTOR_OPTIONS_H
#define ALGLAB_PROBES_DETECT_DETECTOR_OPTIONS_H

#include "probes/detect/detect-io.h"
#include "probes/detect/echo-protocol.h"

#include <cstdint>
#include <string>
#include <vector>

namespace alglab::detect {

/// The server's port layout. Live, the CLI derives it from --listen/--server ADDR:PORT:
/// other = PORT+10, second = PORT+11, media = PORT+20 (5060 gives 5070, 5071, 5080).
struct ServerPorts {
  std::uint16_t sip = kSipPort;
  std::uint16_t otherSip = kOtherSipPort;
  std::uint16_t second = kSecondPort;
  std::uint16_t media = kServerMediaPort;

  /// The layout the CLI uses for a SIP port other than 5060.
  static ServerPorts Around(std::uint16_t sipPort) {
    return ServerPorts{sipPort, static_cast<std::uint16_t>(sipPort + 10), static_cast<std::uint16_t>(sipPort + 11),
                       static_cast<std::uint16_t>(sipPort + 20)};
  }
};

/// Knobs of a detector run. Everything is bounded: the run ends after
/// max(probeWait, the longest timer interval + probeWait) seconds.
struct DetectorOptions {
  std::string serverAddress;     ///< the echo server's primary address
  std::string serverAlt;         ///< its second address; "" = learn it from the first echo
  ServerPorts ports;
  /// How long to wait for echoes, inbound requests and RTP after sending.
  double probeWait = 2.0;
  /// Idle intervals of the binding-lifetime probes (each on its own fresh binding, all in
  /// parallel). Intervals above maxTimerWait are skipped; an empty list skips the timers.
  std::vector<double> timerIntervals{5, 15, 30, 60, 120, 180, 300, 600};
  double maxTimerWait = 600;
  bool probeTcp = true;
};

}  // namespace alglab::detect

#endif
