#ifndef ALGLAB_FLOW_FLOW_FILE_H
#define ALGLAB_FLOW_FLOW_FILE_H

/// \file
/// Flow files: a text script of SIP datagrams that cross one NAT router, phone side and peer
/// side, replayed by `alglab mangle` through an ALG model and by tests/oracle/kernel_oracle.py
/// through the real Linux kernel. The format is specified in sim/flow/README.md; this parser is
/// the only implementation (the Python oracle reads its output through alglab-flow-dump), so a
/// model and the kernel always receive exactly the same bytes.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace alglab::flow {

/// Largest flow file accepted, in bytes (1 MiB): flows are hand-written test cases.
inline constexpr std::size_t kMaxFlowFileBytes = 1024 * 1024;
/// Most blocks one flow file may hold: bounds the time a replay can take.
inline constexpr std::size_t kMaxFlowBlocks = 1000;
/// Largest payload of one block: the most a UDP datagram over IPv4 can carry.
inline constexpr std::size_t kMaxPayloadBytes = 65507;

/// How a flow's blocks travel: one UDP datagram each, or on one TCP connection.
enum class Transport { Udp, Tcp };

/// "udp" or "tcp".
const char* TransportName(Transport transport);

/// Largest TCP segment a flow may send: one segment on a 1500-byte Ethernet path (1500 - 20 IP
/// - 20 TCP - 12 timestamp option bytes), so the replay and the kernel oracle cut nothing.
inline constexpr std::size_t kMaxTcpSegmentBytes = 1448;

/// One message (or keepalive) of a flow: a UDP datagram, or bytes on the flow's TCP connection.
struct FlowBlock {
  /// Out: phone 10.0.0.2:5060 to peer 203.0.113.2:5060 (`>>> out`).
  /// In: peer 203.0.113.2:5060 to the public address the peer last heard from (`<<< in`).
  enum Direction { Out, In };

  Direction dir = Out;
  /// The UDP payload exactly as sent: lines joined with CRLF, header section closed by an empty
  /// line, `{CL}` in header lines replaced by the body length.
  std::string payload;
  /// 1-based line of the block's `>>>`/`<<<` marker in the file.
  std::size_t line = 0;
  /// TCP only (`more`): this block's bytes and the next block's go in one segment.
  bool more = false;
  /// TCP only (`split=N`): the block is sent as two segments, bytes [0, N) and [N, end).
  /// 0: one segment.
  std::size_t split = 0;
};

/// What a flow puts on the wire as one unit: a UDP datagram, or one TCP segment's payload.
struct FlowSegment {
  FlowBlock::Direction dir = FlowBlock::Out;
  std::string payload;
  /// Marker line of the (first) block the bytes come from.
  std::size_t line = 0;
};

/// A parsed flow file: its blocks in file order (at least one).
struct FlowFile {
  std::string path;  ///< the path or name it was parsed from, as given
  Transport transport = Transport::Udp;  ///< every block of a flow uses the same one
  std::vector<FlowBlock> blocks;

  /// What is sent, in order: one segment per block for UDP; for TCP, blocks joined by `more`
  /// make one segment and a block with `split=N` makes two.
  std::vector<FlowSegment> Segments() const;
};

/// A defect in a flow file. what() is one line, "FILE:LINE: problem"; LINE is 0 when the problem
/// concerns the file as a whole (cannot be read, too large, holds no block).
class FlowError : public std::runtime_error {
 public:
  FlowError(const std::string& path, std::size_t line, const std::string& problem);

  const std::string& Path() const { return m_path; }
  std::size_t Line() const { return m_line; }
  /// The problem alone, without "FILE:LINE: ".
  const std::string& Problem() const { return m_problem; }

 private:
  std::string m_path;
  std::size_t m_line;
  std::string m_problem;
};

/// Reads and parses the flow file at `path`. Throws FlowError (never anything else for bad input).
FlowFile ParseFlowFile(const std::string& path);

/// Parses flow text already in memory; `name` stands for the file in errors and in FlowFile::path.
/// Throws FlowError.
FlowFile ParseFlowText(std::string_view text, const std::string& name);

/// "out" or "in": the spelling used in flow files and in JSON output.
const char* DirectionName(FlowBlock::Direction dir);

}  // namespace alglab::flow

#endif  // ALGLAB_FLOW_FLOW_FILE_H
