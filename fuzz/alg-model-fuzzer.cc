// Fuzz target: one ALG model's packet handling (the vendor is ALGLAB_FUZZ_VENDOR, one binary per
// model), through the same replay `alglab mangle` runs: a NAT table and the model's chains
// (alg::TableRouter), outbound and inbound. An input that is a flow file is replayed as written;
// any other input is sent as one datagram out, then the same bytes in, so arbitrary bytes reach
// both directions.
#include "fuzz/fuzz-input.h"
#include "sim/flow/flow-file.h"
#include "sim/mangle/flow-replay.h"

#ifndef ALGLAB_FUZZ_VENDOR
#error "ALGLAB_FUZZ_VENDOR names the ALG model this target drives"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace alglab;
  const std::string_view text = fuzz::AsText(data, size);
  flow::FlowFile flow;
  try {
    flow = flow::ParseFlowText(text, "fuzz.flow");
  } catch (const flow::FlowError&) {
    if (size > flow::kMaxPayloadBytes) return 0;  // not a datagram UDP could carry
    flow.blocks.push_back(flow::FlowBlock{flow::FlowBlock::Out, std::string(text), 1});
    flow.blocks.push_back(flow::FlowBlock{flow::FlowBlock::In, std::string(text), 1});
  }
  const auto outcomes = mangle::ReplayFlow(flow, ALGLAB_FUZZ_VENDOR, {});
  // One outcome per datagram or TCP segment sent, plus any the model emitted.
  if (outcomes.size() < flow.Segments().size()) fuzz::InvariantBroken("a replayed segment has no outcome");
  return 0;
}
