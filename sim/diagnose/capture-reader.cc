#include "sim/diagnose/capture-reader.h"

#include <pcap/pcap.h>

#include <memory>
#include <sys/stat.h>

namespace alglab::diagnose {

namespace {

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};

}  // namespace

CaptureInfo ReadCapture(const std::string& path, const std::function<void(CapturedSegment&&)>& onSegment) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw CaptureError(path + ": no such file");
  if (!S_ISREG(st.st_mode)) throw CaptureError(path + ": not a regular file");

  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  std::unique_ptr<pcap_t, PcapCloser> pcap(pcap_open_offline(path.c_str(), errbuf));
  if (!pcap) throw CaptureError(path + ": not a pcap or pcapng capture (" + errbuf + ")");

  CaptureInfo info;
  info.path = path;
  const int dlt = pcap_datalink(pcap.get());
  if (!LinkTypeFromDlt(dlt, info.link)) {
    const char* name = pcap_datalink_val_to_name(dlt);
    throw CaptureError(path + ": unsupported link type " + std::to_string(dlt) + " (" + (name ? name : "unknown") +
                       "); supported: Ethernet, PPP, Linux cooked (SLL, SLL2), raw IPv4");
  }

  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  for (;;) {
    const int rc = pcap_next_ex(pcap.get(), &header, &data);
    if (rc == PCAP_ERROR_BREAK) break;  // end of file
    if (rc != 1)
      throw CaptureError(path + ": unreadable after frame " + std::to_string(info.counts.frames) + " (" +
                         pcap_geterr(pcap.get()) + ")");
    ++info.counts.frames;
    DecodedFrame decoded = DecodeFrame(info.link, data, header->caplen);
    switch (decoded.kind) {
      case FrameKind::Segment:
        ++info.counts.segments;
        decoded.segment.frame = info.counts.frames;
        decoded.segment.time = double(header->ts.tv_sec) + double(header->ts.tv_usec) * 1e-6;
        onSegment(std::move(decoded.segment));
        break;
      case FrameKind::Fragment: ++info.counts.ipFragments; break;
      case FrameKind::OtherIp: ++info.counts.otherIp; break;
      case FrameKind::NotIpv4: ++info.counts.notIpv4; break;
      case FrameKind::Truncated: ++info.counts.truncatedFrames; break;
    }
  }
  return info;
}

}  // namespace alglab::diagnose
