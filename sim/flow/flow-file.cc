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

/// Parses `>>> out [udp] [# comment]` or `<<< in [udp] [# comment]`.
FlowBlock::Direction ParseMarker(std::string_view line, const std::string& name, std::size_t lineNo) {
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
  // Options reserve room for later transports; today the only one is the default, UDP.
  bool sawUdp = false;
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (words[i] == "udp") {
      if (sawUdp) throw FlowError(name, lineNo, "option 'udp' given twice");
      sawUdp = true;
    } else if (words[i] == "tcp" || words[i] == "tls" || words[i] == "sctp") {
      throw FlowError(name, lineNo, "transport '" + std::string(words[i]) +
                                        "' is not supported: flows are UDP only");
    } else {
      throw FlowError(name, lineNo, "unknown block option " + Quote(words[i]) + " (valid: udp)");
    }
  }
  return outgoing ? FlowBlock::Out : FlowBlock::In;
}

/// A block whose marker has been read and whose lines are still being collected.
struct PendingBlock {
  FlowBlock::Direction dir = FlowBlock::Out;
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
      const FlowBlock::Direction dir = ParseMarker(line, name, lineNo);
      if (inBlock) flow.blocks.push_back(FinishBlock(pending, name));
      if (flow.blocks.size() >= kMaxFlowBlocks) {
        throw FlowError(name, lineNo, "more than " + std::to_string(kMaxFlowBlocks) +
                                          " blocks in one flow file");
      }
      pending = PendingBlock{dir, lineNo, {}};
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
