#ifndef ALGLAB_FUZZ_FUZZ_INPUT_H
#define ALGLAB_FUZZ_FUZZ_INPUT_H

/// \file
/// Small helpers shared by the fuzz targets: how one fuzzer input is cut into the pieces a
/// target feeds to the code under test, and how a target states a broken invariant.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace alglab::fuzz {

/// The input bytes as text (SIP, SDP, YAML and flow files are all byte strings).
inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

/// What follows the first blank line (CRLF CRLF or LF LF), or "" when there is none: a SIP
/// message's body, so the seed corpus of whole messages also reaches the body parsers.
inline std::string_view AfterBlankLine(std::string_view text) {
  const std::size_t crlf = text.find("\r\n\r\n");
  const std::size_t lf = text.find("\n\n");
  if (crlf == std::string_view::npos && lf == std::string_view::npos) return {};
  if (lf == std::string_view::npos || (crlf != std::string_view::npos && crlf < lf)) {
    return text.substr(crlf + 4);
  }
  return text.substr(lf + 2);
}

/// A broken invariant is a crash for the fuzzer: one line naming it, then abort(), which
/// libFuzzer reports with the input that caused it.
[[noreturn]] inline void InvariantBroken(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace alglab::fuzz

#endif
