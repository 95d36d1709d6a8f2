#ifndef ALGLAB_PROBES_THRESHOLDS_H
#define ALGLAB_PROBES_THRESHOLDS_H

// Every number the symptom detectors compare against, in one place. probes/README.md explains
// how each detector uses them; this table says why each default is what it is.
//
// | field                      | default | why                                                   |
// |----------------------------|---------|-------------------------------------------------------|
// | rtpGapSeconds              | 0.5 s   | 25 missing 20 ms packets: clearly audible, far above   |
// |                            |         | LAN/WAN jitter, so a gap this long is an audio drop    |
// | minReceivedRatio           | 0.10    | under 10% of the packets a call should have carried is |
// |                            |         | "no audio" to a listener; loss/jitter never gets close |
// | minPacketsToJudge          | 50      | 1 s of 20 ms packets: less is too little to judge a    |
// |                            |         | direction (a call hung up right after answering)       |
// | callSettleStartSeconds     | 1.0 s   | media starts a moment after the dialog is confirmed;   |
// |                            |         | silence then is set-up, not a drop                     |
// | callSettleEndSeconds       | 1.0 s   | the far end stops sending before our BYE/200 arrives;  |
// |                            |         | silence then is tear-down, not a drop                  |
// | blfToleranceSeconds        | 3.0 s   | a NOTIFY crosses a LAN in milliseconds; a lamp 3 s     |
// |                            |         | behind the PBX is what a receptionist calls "stuck"    |
// | ringDeadlineSeconds        | 4.0 s   | a handset alerts within ms of an INVITE; 4 s covers    |
// |                            |         | three INVITE retransmissions (0.5+1+2 s, RFC 3261 T1)  |
// | registrationRetrySeconds   | 5.0 s   | a 401/407/423 answered by a good retry within 5 s is   |
// |                            |         | the normal REGISTER dance, not a failure               |
// | senderSilenceSlackSeconds  | 0.3 s   | a silence is the sender's own (hold, mute, a relay    |
// |                            |         | with nothing to relay) when the sender's send gap     |
// |                            |         | covers it within this: paths here are tens of ms      |
// | rebootGraceSeconds         | 64 s    | after a router reboot a REGISTER sent into the outage  |
// |                            |         | times out (Timer F, 32 s) and the retry needs as long  |
// |                            |         | again: trouble that ends within 64 s is the reboot's   |

#include "probes/probe-errors.h"

#include <cstdint>

namespace alglab::probes {

/// Thresholds of all seven symptom detectors. Defaults are the documented ones above.
struct Thresholds {
  /// An inter-arrival gap longer than this inside an established, flowing stream is a drop.
  double rtpGapSeconds = 0.5;
  /// A direction received fewer than this fraction of the packets it should have: one-way.
  double minReceivedRatio = 0.10;
  /// A direction is judged only when the device sent (one-way) / received (drop) this many.
  std::uint64_t minPacketsToJudge = 50;
  /// Silence in the first seconds of an established call is set-up, not a drop.
  double callSettleStartSeconds = 1.0;
  /// Silence in the last seconds of a call is tear-down, not a drop.
  double callSettleEndSeconds = 1.0;
  /// A BLF lamp may disagree with the PBX's truth for at most this long.
  double blfToleranceSeconds = 3.0;
  /// A ring-group member offered a call must alert within this long (unless cancelled sooner).
  double ringDeadlineSeconds = 4.0;
  /// A challenged (401/407) or too-brief (423) REGISTER must be followed by success this soon.
  double registrationRetrySeconds = 5.0;
  /// Trouble that starts after a router reboot and is over within this window is the reboot's.
  double rebootGraceSeconds = 64.0;
  /// A received silence that every peer's sent silence covers within this slack is the peers'
  /// choice (hold, mute), not a drop.
  double senderSilenceSlackSeconds = 0.3;
  /// A call a handset placed that has neither been answered nor ended this long after its
  /// INVITE timed out (RFC 3261 Timer B, 64 * T1).
  double callSetupSeconds = 32.0;
  /// A flowing stream whose scattered loss (outside its drops) rates below this MOS (G.107
  /// E-model) breaks up audibly: 3.6 is R = 70, where G.107 has "some users dissatisfied";
  /// G.711 with concealment gets there at about 8% random loss.
  double minMos = 3.6;
};

/// Throws ThresholdError when a field is negative, not finite, or a ratio lies outside [0, 1].
void ValidateThresholds(const Thresholds& thresholds);

}  // namespace alglab::probes

#endif
