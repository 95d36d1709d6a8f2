#ifndef ALGLAB_TESTS_MANGLE_TEST_UTIL_H
#define ALGLAB_TESTS_MANGLE_TEST_UTIL_H

// Helpers shared by the mangle tests: CRLF message building, the flow topology's connection,
// and a one-call way to run the kernel helper model on a datagram.

#include "alg-models/linux-netfilter/netfilter-sip-engine.h"

#include <initializer_list>
#include <string>
#include <string_view>

namespace alglab::test {

/// Joins lines with CRLF; an empty line separates headers and body. Each line ends in CRLF.
inline std::string Msg(std::initializer_list<std::string_view> lines) {
  std::string out;
  for (std::string_view line : lines) {
    out.append(line);
    out += "\r\n";
  }
  return out;
}

/// Same, plus the header/body separator and `body` (already CRLF-joined) after it; a
/// "Content-Length: {CL}" header line gets the body size.
inline std::string MsgWithBody(std::initializer_list<std::string_view> headers, std::string body) {
  std::string out;
  for (std::string_view line : headers) {
    std::string text(line);
    const std::size_t cl = text.find("{CL}");
    if (cl != std::string::npos) text.replace(cl, 4, std::to_string(body.size()));
    out += text;
    out += "\r\n";
  }
  out += "\r\n";
  out += body;
  return out;
}

inline linuxnf::Ipv4 Ip(const char* dotted) {
  const std::string_view text(dotted);
  return linuxnf::ParseDottedQuad(text, 0, text.size()).address;
}

/// The flow topology: phone 10.0.0.2:5060 -> peer 203.0.113.2:5060 via 203.0.113.1:5060.
inline linuxnf::ConntrackTuples PhoneToPeer() {
  return linuxnf::ConntrackTuples::Outbound({Ip("10.0.0.2"), 5060}, {Ip("203.0.113.1"), 5060},
                                            {Ip("203.0.113.2"), 5060});
}

/// Runs the engine on one datagram of connection 1 (created with PhoneToPeer() unless it
/// exists). Returns the verdict; `msg` is rewritten in place.
inline linuxnf::Verdict Run(linuxnf::NetfilterSipEngine& engine, std::string& msg,
                            linuxnf::CtDirection dir = linuxnf::CtDirection::Original,
                            ns3::Time now = ns3::Seconds(1)) {
  linuxnf::MasterState& master = engine.Connection(1, PhoneToPeer(), false);
  return engine.Process(master, dir, msg, now);
}

/// Rewrites an outbound copy of `msg` with a fresh engine and returns it ("<dropped: reason>"
/// when dropped).
inline std::string Outbound(const std::string& msg, linuxnf::HelperConfig config = {}) {
  linuxnf::NetfilterSipEngine engine(std::move(config));
  std::string copy = msg;
  const linuxnf::Verdict v = Run(engine, copy);
  if (!v.accept) return std::string("<dropped: ") + (v.dropReason ? v.dropReason : "") + ">";
  return copy;
}

}  // namespace alglab::test

#endif
