// Fuzz target: the SIP message parser (ParseMessage) on one datagram, and what a parsed message
// offers callers: the typed accessors and Serialize(). A serialized message must parse again.
#include "fuzz/fuzz-input.h"
#include "sim/sip/sip-message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace alglab;
  const auto parsed = sip::ParseMessage(fuzz::AsText(data, size));
  if (!parsed) {
    (void)parsed.Error().ToString();
    return 0;
  }
  const sip::SipMessage& m = parsed.Value();
  (void)m.CallId();
  (void)m.GetCSeq();
  (void)m.Vias();
  (void)m.From();
  (void)m.To();
  (void)m.Contacts();
  (void)m.Expires();
  (void)m.ContentType();
  const std::string wire = m.Serialize();
  if (!sip::ParseMessage(wire)) fuzz::InvariantBroken("a serialized message does not parse again");
  return 0;
}
