// Fuzz target: the capture path after libpcap. The first byte picks a link type; then frames
// follow, each a 2-byte big-endian length and that many bytes. Every frame goes through the
// frame decoder (link, IPv4, UDP/TCP) and the extractor (TCP reassembly, SIP parsing, RTP),
// then the capture is diagnosed and paired with itself across a "router".
#include "fuzz/fuzz-input.h"
#include "sim/diagnose/capture-diagnosis.h"
#include "sim/diagnose/frame-decoder.h"
#include "sim/diagnose/router-pairing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace alglab::diagnose;
  if (size < 1) return 0;
  static const LinkType kLinks[] = {LinkType::Ethernet, LinkType::Ppp, LinkType::LinuxCooked, LinkType::LinuxCooked2,
                                    LinkType::RawIpv4};
  const LinkType link = kLinks[data[0] % 5];
  CaptureExtractor extract;
  std::size_t at = 1;
  std::uint64_t frame = 0;
  while (at + 2 <= size) {
    const std::size_t length = std::min<std::size_t>((std::size_t(data[at]) << 8) | data[at + 1], size - at - 2);
    DecodedFrame decoded = DecodeFrame(link, data + at + 2, length);
    at += 2 + length;
    ++frame;
    if (decoded.kind != FrameKind::Segment) continue;
    decoded.segment.frame = frame;
    decoded.segment.time = double(frame) * 0.02;
    extract.Add(std::move(decoded.segment));
  }
  extract.Finish();
  const auto diagnosis = DiagnoseCapture(extract);
  const auto paired = PairAcrossRouter(extract, extract);
  (void)diagnosis.dump();
  (void)paired.dump();
  return 0;
}
