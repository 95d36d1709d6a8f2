#ifndef ALGLAB_SIP_DETAIL_HEADER_BLOCK_H
#define ALGLAB_SIP_DETAIL_HEADER_BLOCK_H

// Line-level lexing of a SIP message head: the start line, then header lines with folding undone,
// each remembering where its value came from so errors found later inside a value can name the
// exact line and column. Shared by ParseMessage and MessageFramer. Internal.

#include "sim/sip/parse-error.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace alglab::sip::detail {

/// One physical line of input: content without its line end.
struct InputLine {
  std::string_view text;
  std::size_t number = 1;        ///< 1-based line number
  std::size_t next = 0;          ///< index just past the line end
  bool terminated = false;       ///< false when the input ended before LF
};

/// Reads the line starting at `pos` (LF or CRLF terminated).
InputLine ReadLine(std::string_view bytes, std::size_t pos, std::size_t number);

/// A piece of an unfolded value: value[offset...] came from (line, column).
struct ValueSegment {
  std::size_t offset = 0;
  std::size_t line = 1;
  std::size_t column = 1;
};

struct RawHeader {
  std::string name;   ///< as written, without surrounding whitespace
  std::string value;  ///< folding replaced by one SP, outer whitespace trimmed
  std::size_t line = 1;
  std::vector<ValueSegment> segments;  ///< never empty

  /// An error at value[offset] (an offset past the end points just after the value).
  ParseError ErrorAt(ParseErrorKind kind, std::size_t offset, std::string detail) const;
  /// A sub-parser error (line 1, column within an item) for an item starting at value[offset].
  ParseError Relocate(const ParseError& inner, std::size_t itemOffset) const;
};

struct HeaderBlock {
  std::vector<RawHeader> headers;
  std::size_t blankLine = 0;   ///< line number of the empty line closing the block
  std::size_t bodyOffset = 0;  ///< index of the first body byte
};

/// Lexes header lines from `pos` (line number `line`) up to and including the blank line.
/// Errors: BadHeader (no ':', empty or invalid name, continuation before any header),
/// BadHeaderValue (control characters such as NUL in a value), Truncated (no blank line).
ParseResult<HeaderBlock> ReadHeaderBlock(std::string_view bytes, std::size_t pos,
                                         std::size_t line);

}  // namespace alglab::sip::detail

#endif
