// Fuzz target: the flow-file reader (ParseFlowText). Bad input must end as a FlowError; a flow
// that parses keeps its limits (block count, payload size, TCP segment size) and its segments
// carry exactly its blocks' bytes, in order.
#include "fuzz/fuzz-input.h"
#include "sim/flow/flow-file.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace alglab;
  try {
    const flow::FlowFile f = flow::ParseFlowText(fuzz::AsText(data, size), "fuzz.flow");
    if (f.blocks.size() > flow::kMaxFlowBlocks) fuzz::InvariantBroken("more blocks than kMaxFlowBlocks");
    for (const flow::FlowBlock& b : f.blocks) {
      if (b.payload.size() > flow::kMaxPayloadBytes) fuzz::InvariantBroken("payload over kMaxPayloadBytes");
      if (b.line == 0) fuzz::InvariantBroken("a block without a line number");
      (void)flow::DirectionName(b.dir);
      if (f.transport == flow::Transport::Udp && (b.more || b.split != 0)) {
        fuzz::InvariantBroken("a UDP block with a TCP segmenting option");
      }
    }
    std::string blockBytes;
    for (const flow::FlowBlock& b : f.blocks) blockBytes += b.payload;
    std::string segmentBytes;
    for (const flow::FlowSegment& s : f.Segments()) {
      if (f.transport == flow::Transport::Tcp && s.payload.size() > flow::kMaxTcpSegmentBytes) {
        fuzz::InvariantBroken("a TCP segment over kMaxTcpSegmentBytes");
      }
      if (s.payload.empty()) fuzz::InvariantBroken("an empty segment");
      segmentBytes += s.payload;
    }
    if (segmentBytes != blockBytes) fuzz::InvariantBroken("segments do not carry the blocks' bytes");
  } catch (const flow::FlowError& e) {
    if (e.Line() == 0 && e.Problem().empty()) fuzz::InvariantBroken("a FlowError without a message");
  }
  return 0;
}
