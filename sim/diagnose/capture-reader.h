#ifndef ALGLAB_DIAGNOSE_CAPTURE_READER_H
#define ALGLAB_DIAGNOSE_CAPTURE_READER_H

// Reads a pcap or pcapng file with libpcap and hands each IPv4 UDP datagram or TCP segment
// to a callback. Frames it cannot use are counted, not guessed at.

#include "sim/diagnose/captured-segment.h"
#include "sim/diagnose/frame-decoder.h"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace alglab::diagnose {

/// A capture that cannot be read: missing, not a capture, an unsupported link type, cut off.
/// The message names the file.
class CaptureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CaptureCounts {
  std::uint64_t frames = 0;
  std::uint64_t segments = 0;          ///< UDP or TCP over IPv4, passed on
  std::uint64_t ipFragments = 0;       ///< IPv4 fragments: counted and skipped
  std::uint64_t otherIp = 0;           ///< ICMP and other IPv4 protocols
  std::uint64_t notIpv4 = 0;           ///< ARP, IPv6, PPP control, ...
  std::uint64_t truncatedFrames = 0;   ///< shorter than their headers (snap length or damage)
};

struct CaptureInfo {
  std::string path;
  LinkType link = LinkType::Ethernet;
  CaptureCounts counts;
};

/// Reads every frame of `path` in order. Throws CaptureError (naming the file) when the file
/// is missing, is not a pcap/pcapng capture, has a link type we do not decode, or ends in the
/// middle of a record.
CaptureInfo ReadCapture(const std::string& path, const std::function<void(CapturedSegment&&)>& onSegment);

}  // namespace alglab::diagnose

#endif
