#ifndef ALGLAB_PROBES_SYMPTOM_DETECTORS_H
#define ALGLAB_PROBES_SYMPTOM_DETECTORS_H

// The seven symptom detectors, one per file (registration-failure.cc, ...). Each reads only the
// ObservationLog (what the devices experienced) and the Thresholds, and returns a verdict with
// its evidence. The exact rules are in probes/README.md.

#include "probes/observation-log.h"
#include "probes/symptom-result.h"
#include "probes/thresholds.h"

#include <cstddef>

namespace alglab::probes {

// Symptom names: stable, used as JSON keys and by `alglab list symptoms`.
inline constexpr const char* kRegistrationFailure = "registration_failure";
inline constexpr const char* kIncomingCallsNotRinging = "incoming_calls_not_ringing";
inline constexpr const char* kBlfNotUpdating = "blf_not_updating";
inline constexpr const char* kOneWayAudio = "one_way_audio";
inline constexpr const char* kAudioDropMidcall = "audio_drop_midcall";
inline constexpr const char* kFailsAfterReboot = "fails_after_reboot";
inline constexpr const char* kCallsNotConnecting = "calls_not_connecting";

/// Evidence lists (failure times, affected calls, ...) stop after this many entries and say
/// how many they left out, so a long run's report stays readable.
inline constexpr std::size_t kMaxListedItems = 50;

/// A device failed to register (a failure that was neither the normal 401/407/423 retry nor a
/// reboot outage it recovered from).
SymptomResult DetectRegistrationFailure(const ObservationLog& log, const Thresholds& thresholds);

/// An inbound call did not alert some or all of the handsets it was offered to.
SymptomResult DetectIncomingCallsNotRinging(const ObservationLog& log,
                                            const Thresholds& thresholds);

/// A BLF lamp disagreed with the PBX's view of the extension for longer than the tolerance.
SymptomResult DetectBlfNotUpdating(const ObservationLog& log, const Thresholds& thresholds);

/// A device in an established call sent audio but received (almost) none.
SymptomResult DetectOneWayAudio(const ObservationLog& log, const Thresholds& thresholds);

/// Audio that was flowing in an established call went silent for longer than the gap
/// threshold (or stopped for good).
SymptomResult DetectAudioDropMidcall(const ObservationLog& log, const Thresholds& thresholds);

/// Something that worked when the router rebooted failed after it (beyond the grace window).
SymptomResult DetectFailsAfterReboot(const ObservationLog& log, const Thresholds& thresholds);

/// A call a handset placed never reached an answered call in which the parties hear each
/// other: it failed, timed out, or was answered into silence (dead air both ways).
SymptomResult DetectCallsNotConnecting(const ObservationLog& log, const Thresholds& thresholds);

}  // namespace alglab::probes

#endif
