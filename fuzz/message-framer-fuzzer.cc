// Fuzz target: the stream framer (MessageFramer). The first byte picks a chunk size; the rest is
// fed in chunks of that size and then all at once into a second framer. A stream cut anywhere
// must frame the same messages as the whole stream: same count, same bytes, same errors.
#include "fuzz/fuzz-input.h"
#include "sim/sip/message-framer.h"

#include <string>
#include <vector>

namespace {

/// Appends what the framer produces now, as comparable text: each message serialized, or its
/// error (after which the stream is not read further).
void Drain(alglab::sip::MessageFramer& framer, std::vector<std::string>& out) {
  // Bounded: each Next() that returns a value consumes at least one byte or reports an error
  // that stops the stream, so a stream of N bytes yields at most N + 1 results.
  for (std::size_t i = 0; i <= framer.Buffered() + 1; ++i) {
    auto next = framer.Next();
    if (!next) break;
    out.push_back(next->Ok() ? next->Value().Serialize() : "error: " + next->Error().ToString());
    if (!next->Ok()) break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  const std::string_view stream = alglab::fuzz::AsText(data + 1, size - 1);

  alglab::sip::MessageFramer cut;
  std::vector<std::string> fromChunks;
  bool stopped = false;
  for (std::size_t at = 0; at < stream.size() && !stopped; at += chunk) {
    cut.Feed(stream.substr(at, chunk));
    const std::size_t before = fromChunks.size();
    Drain(cut, fromChunks);
    stopped = fromChunks.size() > before && fromChunks.back().rfind("error: ", 0) == 0;
  }

  alglab::sip::MessageFramer whole;
  whole.Feed(stream);
  std::vector<std::string> fromWhole;
  Drain(whole, fromWhole);

  // Errors may be reported at a different point of a cut stream (a header block still growing
  // is not yet "too long"), so only the messages before the first error must agree.
  auto messages = [](const std::vector<std::string>& v) {
    std::vector<std::string> m;
    for (const std::string& s : v) {
      if (s.rfind("error: ", 0) == 0) break;
      m.push_back(s);
    }
    return m;
  };
  const auto a = messages(fromChunks);
  const auto b = messages(fromWhole);
  const std::size_t common = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < common; ++i) {
    if (a[i] != b[i]) alglab::fuzz::InvariantBroken("a cut stream frames different messages");
  }
  return 0;
}
