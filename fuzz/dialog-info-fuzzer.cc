// Fuzz target: the dialog-info (RFC 4235) XML parser, on the whole input and on what follows
// its first blank line (NOTIFY bodies in the SIP corpus), plus ToString() and AggregateState().
#include "fuzz/fuzz-input.h"
#include "sim/sip/dialog-info.h"

namespace {

void ParseDialogInfo(std::string_view text) {
  using namespace alglab;
  const auto parsed = sip::DialogInfo::Parse(text);
  if (!parsed) {
    (void)parsed.Error().ToString();
    return;
  }
  (void)parsed.Value().AggregateState();
  if (!sip::DialogInfo::Parse(parsed.Value().ToString())) {
    fuzz::InvariantBroken("a written dialog-info document does not parse again");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = alglab::fuzz::AsText(data, size);
  ParseDialogInfo(text);
  const std::string_view body = alglab::fuzz::AfterBlankLine(text);
  if (!body.empty()) ParseDialogInfo(body);
  return 0;
}
