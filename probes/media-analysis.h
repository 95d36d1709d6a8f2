#ifndef ALGLAB_PROBES_MEDIA_ANALYSIS_H
#define ALGLAB_PROBES_MEDIA_ANALYSIS_H

// Each established call leg's media at each device: did audio arrive at all (one-way audio),
// and did it stop mid-call (audio drop)? Shared by one_way_audio, audio_drop_midcall and
// fails_after_reboot.
//
// Expected packets: codecs here are symmetric, so a device that sent N packets during a call
// should receive about N. The expectation is the larger of what the device itself sent and
// what any peer on the same Call-ID sent (the other end of the dialog, when it is observed).

#include "probes/observation-log.h"
#include "probes/rtp-reception.h"
#include "probes/reboot-windows.h"
#include "probes/thresholds.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace alglab::probes {

enum class AudioVerdict {
  TwoWay,       ///< received at least minReceivedRatio of the expected packets
  OneWay,       ///< the device sent normally but received (almost) nothing
  NotJudged,    ///< the device itself sent too little to judge
  RebootGrace,  ///< the call was established inside a reboot's grace window
};

/// "two_way", "one_way", "not_judged", "reboot_grace".
const char* ToString(AudioVerdict verdict);

/// A silence longer than rtpGapSeconds inside the judged part of a call.
struct AudioDrop {
  double start = 0.0;     ///< last packet before the silence
  double end = 0.0;       ///< first packet after it; for `stopped`, the end of the judged window
  bool stopped = false;   ///< audio never came back before the call (or log) ended
  bool excused = false;   ///< a reboot's outage (RebootWindows::ExcusesSilence)
  /// Every peer on the Call-ID sent nothing over the silence (hold, mute, or a relay with
  /// nothing to relay): the sender's choice, not damage on the path. Not a drop.
  bool senderSilent = false;
};

struct StreamAnalysis {
  std::string device;
  std::string callId;
  double established = 0.0;
  double ended = 0.0;          ///< log end for a call still up
  bool open = false;           ///< still established when the log ended
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::uint64_t peerSent = 0;  ///< most any other device sent on this Call-ID
  std::uint64_t expected = 0;
  double ratio = 0.0;          ///< received / expected (0 when nothing was expected)
  std::vector<std::string> peers;  ///< other devices with media on this Call-ID
  AudioVerdict verdict = AudioVerdict::NotJudged;
  std::string reason;          ///< why NotJudged

  bool dropJudged = false;
  std::string dropReason;      ///< why not judged for drops
  double windowStart = 0.0;    ///< established + callSettleStartSeconds
  double windowEnd = 0.0;      ///< ended - callSettleEndSeconds
  std::vector<AudioDrop> drops;  ///< counted and excused drops, in time order

  bool hasRx = false;
  double firstRx = 0.0;
  double lastRx = 0.0;
  std::vector<RtpGap> gaps;    ///< all recorded inter-arrival gaps of the stream
  /// The peers' streams on this Call-ID (what they sent), for telling their silence from loss.
  std::vector<const MediaStreamStats*> peerStreams;
  /// RFC 3550 receiver figures of what arrived (loss from sequence numbers, jitter).
  RtpReception reception;
};

/// The figures VoIP monitoring reports for one received direction: loss and RFC 3550 jitter,
/// the longest silence, and the G.107 E-model rating and MOS estimate (see e-model.h). Null
/// figures when nothing arrived.
nlohmann::json ReceptionJson(const RtpReception& reception);

/// One analysis per (device, Call-ID) that reached CallEstablished, ordered by device then
/// Call-ID. A call established at several devices yields one analysis at each.
std::vector<StreamAnalysis> AnalyzeMedia(const ObservationLog& log, const Thresholds& thresholds,
                                         const RebootWindows& reboots);

}  // namespace alglab::probes

#endif
