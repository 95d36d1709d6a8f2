#ifndef ALGLAB_TESTS_PROBES_OFFICE_LOG_BUILDER_H
#define ALGLAB_TESTS_PROBES_OFFICE_LOG_BUILDER_H

// Builds ObservationLogs the way a small office run would produce them: a provider, a PBX
// that bridges calls (and relays their media) and three handsets in a ring group. Tests start
// from CleanOffice() and add or leave out the events a broken ALG would change.

#include "probes/observation-log.h"

#include <string>
#include <utility>
#include <vector>

namespace alglab::probes::testing {

/// A silence (no packet arrives) from `first` to `second` seconds.
using Silence = std::pair<double, double>;

/// Handsets of the test office: device name and extension.
struct Handset {
  std::string device;
  std::string extension;
};

const std::vector<Handset>& OfficeHandsets();  // phone1/101, phone2/102, phone3/103

/// A log with the office's device kinds registered.
ObservationLog EmptyOffice();

/// One direction of 20 ms RTP from `sender` to `receiver` on `callId` over [t0, t1): the
/// sender's RtpSent for every packet, the receiver's RtpReceived unless it falls in a silence.
void AddMedia(ObservationLog& log, const std::string& sender, const std::string& receiver,
              const std::string& callId, double t0, double t1,
              const std::vector<Silence>& silences = {});

/// Both directions of AddMedia.
void AddTwoWayMedia(ObservationLog& log, const std::string& a, const std::string& b,
                    const std::string& callId, double t0, double t1);

/// Registration of every handset with "pbx" and of the PBX with "provider" at `t`.
void RegisterEveryone(ObservationLog& log, double t);

/// An inbound call `callId` placed by the provider at `t`, forked by the PBX to every handset
/// (legs callId + "-" + extension); handsets in `silent` do not alert. If `answerer` is not
/// empty it answers at t + 5, talks until t + 5 + talkSeconds with two-way media relayed by
/// the PBX, and the other legs are cancelled; otherwise the caller gives up at t + 20.
/// The PBX's BLF truth and every other handset's lamp (lagging `lampLag`) follow the call.
struct InboundCallSpec {
  std::string callId = "in1";
  double t = 10.0;
  std::vector<std::string> silent;       // extensions that never alert
  std::vector<std::string> unreachable;  // extensions forked with an empty leg
  std::string answerer = "phone2";
  double talkSeconds = 60.0;
  double lampLag = 0.05;
};
void AddInboundCall(ObservationLog& log, const InboundCallSpec& spec);

/// Handset device name of an extension ("101" -> "phone1").
std::string DeviceOf(const std::string& extension);

/// Every handset watches every other handset's extension (configured BLF keys).
void ExpectOfficeBlfWatches(ObservationLog& log);

/// The clean reference run, 0..200 s: everyone registers at 1 s and refreshes at 61 s,
/// 121 s and 181 s; one inbound ring-group call at 10 s answered by phone2 and talking 60 s.
ObservationLog CleanOffice();

}  // namespace alglab::probes::testing

#endif
