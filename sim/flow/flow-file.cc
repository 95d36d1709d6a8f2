#include "sim/flow/flow-file.h"

#include "sim/flow/printable-text.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace alglab::flow {

namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kContentLengthToken = "{CL}";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
/// How much of an offending line an error message quotes.
constexpr std::size_t kExcerptChars = 40;

bool IsSpaceOrTab(char c) { return c == ' ' || c == '\t'; }

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (!IsSpaceOrTab(c)) return false;
  }
  return true;
}

bool IsMarker(std::string_view line) {
  return line.substr(0, 3) == ">>>" || line.substr(0, 3) == "<<<";
}

/// Quotes text for a one-line error message: control and non-ASCII bytes become \xNN so the
/// message stays one printable line whatever the file holds; long text is cut.
std::string Quote(std::string_view text) {
  return "'" + PrintableText(text, kExcerptChars) + "'";
}

/// Words of a marker line after its arrow, up to a '#' comment.
std::vector<std::string_view> MarkerWords(std::string_view rest) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && IsSpaceOrTab(rest[i])) ++i;
    if (i == rest.size() || rest[i] == '#') break;
    std::size_t end = i;
    while (end < rest.size() && !IsSpaceOrTab(rest[end])) ++end;
    words.push_back(rest.substr(i, end - i));
    i = end;
  }
  return words;
}

/// What a marker line says.
struct Marker {
  FlowBlock::Direction dir = FlowBlock::Out;
  Transport transport = Transport::Udp;
  bool transportGiven = false;
  bool more = false;
  std::size_t split = 0;
};

/// Reads N of `split=N`: a positive decimal without sign or leading zero, at most 6 digits.
std::size_t ParseSplit(std::string_view word, const std::string& name, std::size_t lineNo) {
  const std::string_view digits = word.substr(6);
  bool ok = !digits.empty() && digits.size() <= 6 && digits[0] != '0';
  for (char c : digits) ok = ok && c >= '0' && c <= '9';
  if (!ok) {
    throw FlowError(name, lineNo, "bad " + Quote(word) +
                                      ": write split=N with N the byte at which the second "
                                      "segment starts (1 or more)");
  }
  return static_cast<std::size_t>(std::stoul(std::string(digits)));
}

/// Parses `>>> out [udp|tcp] [more] [split=N] [# comment]` or the same after `<<< in`.
Marker ParseMarker(std::string_view line, const std::string& name, std::size_t lineNo) {
  const bool outgoing = line.substr(0, 3) == ">>>";
  const std::string arrow(line.substr(0, 3));
  const std::string expected = outgoing ? "out" : "in";
  const std::string other = outgoing ? "in" : "out";
  const std::string_view rest = line.substr(3);
  if (!rest.empty() && !IsSpaceOrTab(rest[0])) {
    throw FlowError(name, lineNo, "expected a space after '" + arrow + "': write '" + arrow + " " +
                                      expected + "'");
  }
  const std::vector<std::string_view> words = MarkerWords(rest);
  if (words.empty()) {
    throw FlowError(name, lineNo, "missing direction after '" + arrow + "': write '" + arrow + " " +
                                      expected + "'");
  }
  if (words[0] == other) {
    throw FlowError(name, lineNo, "'" + arrow + " " + other + "' mixes directions: '>>> out' sends "
                                  "from the phone, '<<< in' from the peer");
  }
  if (words[0] != expected) {
    throw FlowError(name, lineNo, "unknown direction " + Quote(words[0]) + " after '" + arrow +
                                      "' (expected '" + expected + "')");
  }
  Marker marker;
  marker.dir = outgoing ? FlowBlock::Out : FlowBlock::In;
  bool sawSplit = false;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string_view w = words[i];
    if (w == "udp" || w == "tcp") {
      if (marker.transportGiven) {
        throw FlowError(name, lineNo, w == TransportName(marker.transport)
                                          ? "option '" + std::string(w) + "' given twice"
                                          : std::string("two transports on one marker"));
      }
      marker.transportGiven = true;
      marker.transport = w == "tcp" ? Transport::Tcp : Transport::Udp;
    } else if (w == "tls" || w == "sctp") {
      throw FlowError(name, lineNo, "transport '" + std::string(w) +
                                        "' is not supported: flows are UDP or TCP");
    } else if (w == "more") {
      if (marker.more) throw FlowError(name, lineNo, "option 'more' given twice");
      marker.more = true;
    } else if (w.substr(0, 6) == "split=") {
      if (sawSplit) throw FlowError(name, lineNo, "option 'split' given twice");
      sawSplit = true;
      marker.split = ParseSplit(w, name, lineNo);
    } else {
      throw FlowError(name, lineNo, "unknown block option " + Quote(w) +
                                        " (valid: udp, tcp, and with tcp: more, split=N)");
    }
  }
  if ((marker.more || sawSplit) && marker.transport != Transport::Tcp) {
    throw FlowError(name, lineNo, std::string("option '") + (marker.more ? "more" : "split") +
                                      "' needs 'tcp': UDP blocks are one datagram each");
  }
  if (marker.more && sawSplit) {
    throw FlowError(name, lineNo, "'more' and 'split' together: a block either shares a "
                                  "segment with the next or is cut in two");
  }
  return marker;
}

/// A block whose marker has been read and whose lines are still being collected.
struct PendingBlock {
  FlowBlock::Direction dir = FlowBlock::Out;
  bool more = false;
  std::size_t split = 0;
  std::size_t markerLine = 0;
  std::vector<std::string_view> lines;  ///< content lines, CR already stripped
};

std::string ReplaceAll(std::string_view text, std::string_view token, const std::string& value) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t hit = text.find(token, pos);
    if (hit == std::string_view::npos) break;
    out.append(text.substr(pos, hit - pos));
    out += value;
    pos = hit + token.size();
  }
  out.append(text.substr(pos));
  return out;
}

FlowBlock FinishBlock(const PendingBlock& pending, const std::string& name) {
  std::size_t count = pending.lines.size();
  while (count > 0 && pending.lines[count - 1].empty()) --count;
  if (count == 0) {
    // A marker with nothing after it is a keepalive: the CRLFCRLF ping of RFC 5626 section 4.4.1
    // that phones send between registrations, and which every ALG must let through.
    FlowBlock keepalive;
    keepalive.dir = pending.dir;
    keepalive.line = pending.markerLine;
    keepalive.payload = "\r\n\r\n";
    keepalive.more = pending.more;
    keepalive.split = pending.split;
    return keepalive;
  }
  if (pending.lines[0].empty()) {
    throw FlowError(name, pending.markerLine + 1,
                    "blank line at the start of a block: the message's start line must come first");
  }
  std::size_t separator = 0;
  while (separator < count && !pending.lines[separator].empty()) ++separator;

  std::string body;
  for (std::size_t i = separator + 1; i < count; ++i) {
    body.append(pending.lines[i]);
    body.append(kCrlf);
  }
  const std::string bodyLength = std::to_string(body.size());

  FlowBlock block;
  block.dir = pending.dir;
  block.line = pending.markerLine;
  block.more = pending.more;
  block.split = pending.split;
  for (std::size_t i = 0; i < separator; ++i) {
    block.payload += ReplaceAll(pending.lines[i], kContentLengthToken, bodyLength);
    block.payload.append(kCrlf);
  }
  // The header section always ends with an empty line, as SIP requires, body or not.
  block.payload.append(kCrlf);
  block.payload += body;
  if (block.payload.size() > kMaxPayloadBytes) {
    throw FlowError(name, pending.markerLine,
                    "block payload is " + std::to_string(block.payload.size()) +
                        " bytes, more than one UDP datagram can carry (" +
                        std::to_string(kMaxPayloadBytes) + ")");
  }
  return block;
}

}  // namespace

FlowError::FlowError(const std::string& path, std::size_t line, const std::string& problem)
    : std::runtime_error(path + ":" + std::to_string(line) + ": " + problem),
      m_path(path),
      m_line(line),
      m_problem(problem) {}

const char* DirectionName(FlowBlock::Direction dir) { return dir == FlowBlock::Out ? "out" : "in"; }

const char* TransportName(Transport transport) {
  return transport == Transport::Tcp ? "tcp" : "udp";
}

std::vector<FlowSegment> FlowFile::Segments() const {
  std::vector<FlowSegment> segments;
  bool joining = false;  // the previous block said `more`
  for (const FlowBlock& block : blocks) {
    if (joining) {
      segments.back().payload += block.payload;
    } else if (block.split != 0) {
      segments.push_back({block.dir, block.payload.substr(0, block.split), block.line});
      segments.push_back({block.dir, block.payload.substr(block.split), block.line});
    } else {
      segments.push_back({block.dir, block.payload, block.line});
    }
    joining = block.more;
  }
  return segments;
}

namespace {

/// Checks what only the whole flow can tell: one transport, `more` followed by a block of the
/// same direction, `split` inside the payload, and TCP segments that fit one Ethernet segment.
void CheckFlow(const FlowFile& flow, const std::string& name) {
  for (std::size_t i = 0; i < flow.blocks.size(); ++i) {
    const FlowBlock& b = flow.blocks[i];
    if (b.more) {
      if (i + 1 == flow.blocks.size()) {
        throw FlowError(name, b.line, "'more' on the last block: there is no next block to share "
                                      "its segment");
      }
      const FlowBlock& next = flow.blocks[i + 1];
      if (next.dir != b.dir) {
        throw FlowError(name, next.line, "this block follows a 'more' block but goes the other "
                                         "way: one segment has one direction");
      }
      if (next.split != 0) {
        throw FlowError(name, next.line, "'split' on a block that shares the previous block's "
                                         "segment ('more')");
      }
    }
    if (b.split != 0 && b.split >= b.payload.size()) {
      throw FlowError(name, b.line, "split=" + std::to_string(b.split) + " is not inside the "
                                    "block's " + std::to_string(b.payload.size()) + " bytes");
    }
  }
  if (flow.transport != Transport::Tcp) return;
  for (const FlowSegment& s : flow.Segments()) {
    if (s.payload.size() > kMaxTcpSegmentBytes) {
      throw FlowError(name, s.line, "TCP segment of " + std::to_string(s.payload.size()) +
                                        " bytes: at most " + std::to_string(kMaxTcpSegmentBytes) +
                                        " fit one segment (cut it with split=N)");
    }
  }
}

}  // namespace

FlowFile ParseFlowText(std::string_view text, const std::string& name) {
  if (text.size() > kMaxFlowFileBytes) {
    throw FlowError(name, 0, "flow file is " + std::to_string(text.size()) +
                                 " bytes; the limit is " + std::to_string(kMaxFlowFileBytes) +
                                 " (1 MiB)");
  }
  // Editors on some systems prepend a byte-order mark; it is never meant as content.
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());

  FlowFile flow;
  flow.path = name;
  bool inBlock = false;
  bool sawMarker = false;
  std::size_t firstMarkerLine = 0;
  PendingBlock pending;
  std::size_t lineNo = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t newline = text.find('\n', pos);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    std::string_view line = text.substr(pos, end - pos);
    pos = newline == std::string_view::npos ? text.size() : newline + 1;
    ++lineNo;
    // A CRLF-edited flow file means the same as an LF one.
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (IsMarker(line)) {
      const Marker marker = ParseMarker(line, name, lineNo);
      if (!sawMarker) {
        flow.transport = marker.transport;
        firstMarkerLine = lineNo;
        sawMarker = true;
      } else if (marker.transport != flow.transport) {
        throw FlowError(name, lineNo,
                        std::string("this block is ") + TransportName(marker.transport) +
                            " but the flow's first block (line " + std::to_string(firstMarkerLine) +
                            ") is " + TransportName(flow.transport) +
                            ": a flow uses one transport (write it on every marker)");
      }
      if (inBlock) flow.blocks.push_back(FinishBlock(pending, name));
      if (flow.blocks.size() >= kMaxFlowBlocks) {
        throw FlowError(name, lineNo, "more than " + std::to_string(kMaxFlowBlocks) +
                                          " blocks in one flow file");
      }
      pending = PendingBlock{marker.dir, marker.more, marker.split, lineNo, {}};
      inBlock = true;
    } else if (inBlock) {
      pending.lines.push_back(line);
    } else if (!IsBlank(line) && line[0] != '#') {
      throw FlowError(name, lineNo, "text before the first block: " + Quote(line) +
                                        " (a flow starts with '>>> out' or '<<< in'; only '#' "
                                        "comments and blank lines may precede it)");
    }
  }
  if (inBlock) flow.blocks.push_back(FinishBlock(pending, name));
  if (flow.blocks.empty()) {
    throw FlowError(name, 0, "no blocks: a flow needs at least one '>>> out' or '<<< in' line");
  }
  CheckFlow(flow, name);
  return flow;
}

FlowFile ParseFlowFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw FlowError(path, 0, "is a directory, not a flow file");
  }
  // Refused before opening: a FIFO blocks the open until a writer comes, and a device
  // (/dev/zero, a terminal) is not a file we can read to its end.
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
    throw FlowError(path, 0, "is not a regular file (a FIFO, device or socket), not a flow file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw FlowError(path, 0, std::string("cannot open flow file: ") +
                                 (err != 0 ? std::strerror(err) : "unknown error"));
  }
  // Read at most one byte past the limit, so /dev/zero or a huge file cannot exhaust memory.
  std::string text;
  char chunk[16384];
  while (text.size() <= kMaxFlowFileBytes) {
    in.read(chunk, sizeof chunk);
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (!in) break;
  }
  if (in.bad()) throw FlowError(path, 0, "cannot read flow file");
  if (text.size() > kMaxFlowFileBytes) {
    throw FlowError(path, 0, "flow file is larger than the limit of " +
                                 std::to_string(kMaxFlowFileBytes) + " bytes (1 MiB)");
  }
  return ParseFlowText(text, path);
}

}  // namespace alglab::flow
