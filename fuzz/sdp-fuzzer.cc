// Fuzz target: the SDP parser, on the whole input and on what follows its first blank line (so
// whole SIP messages from the corpus reach it too), plus ToString() and the accessors.
#include "fuzz/fuzz-input.h"
#include "sim/sip/sdp.h"

namespace {

void ParseSdp(std::string_view text) {
  using namespace alglab;
  const auto parsed = sip::SessionDescription::Parse(text);
  if (!parsed) {
    (void)parsed.Error().ToString();
    return;
  }
  const sip::SessionDescription& sdp = parsed.Value();
  (void)sdp.SessionDirection();
  for (std::size_t i = 0; i < sdp.media.size(); ++i) {
    (void)sdp.MediaAddress(i);
    (void)sdp.media[i].RtcpPort();
    (void)sdp.media[i].RtcpAddress();
    (void)sdp.media[i].Direction();
  }
  if (!sip::SessionDescription::Parse(sdp.ToString())) {
    alglab::fuzz::InvariantBroken("a written SDP does not parse again");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = alglab::fuzz::AsText(data, size);
  ParseSdp(text);
  const std::string_view body = alglab::fuzz::AfterBlankLine(text);
  if (!body.empty()) ParseSdp(body);
  return 0;
}
