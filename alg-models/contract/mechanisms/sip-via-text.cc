#include "alg-models/contract/mechanisms/sip-via-text.h"

#include "sim/sip/header-values.h"

#include <cctype>

namespace alglab {

namespace {

/// One line of the head: [start, end) without the line break; `next` is where the next begins.
struct HeadLine {
  std::size_t start = 0;
  std::size_t end = 0;
  std::size_t next = 0;
};

/// The line at `from`, or nullopt at the end of the text.
bool LineAt(std::string_view text, std::size_t from, HeadLine& line) {
  if (from >= text.size()) return false;
  std::size_t newline = text.find('\n', from);
  line.start = from;
  line.next = newline == std::string_view::npos ? text.size() : newline + 1;
  line.end = newline == std::string_view::npos ? text.size() : newline;
  if (line.end > from && text[line.end - 1] == '\r') --line.end;
  return true;
}

/// True when the header line names Via ("Via" or the compact "v", any case).
bool IsViaLine(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view name = line.substr(0, colon);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  if (name.size() == 1) return name[0] == 'v' || name[0] == 'V';
  if (name.size() != 3) return false;
  return std::tolower(static_cast<unsigned char>(name[0])) == 'v' &&
         std::tolower(static_cast<unsigned char>(name[1])) == 'i' &&
         std::tolower(static_cast<unsigned char>(name[2])) == 'a';
}

/// The first Via line of the head, if any.
bool FirstViaLine(std::string_view text, HeadLine& found) {
  HeadLine line;
  if (!LineAt(text, 0, line)) return false;  // the start line
  std::size_t at = line.next;
  while (LineAt(text, at, line) && line.end > line.start) {
    if (IsViaLine(text.substr(line.start, line.end - line.start))) {
      found = line;
      return true;
    }
    at = line.next;
  }
  return false;
}

}  // namespace

bool InsertTopVia(std::string& message, std::string_view value) {
  HeadLine start;
  if (!LineAt(message, 0, start) || start.end == start.start || start.next == start.end) return false;
  const std::string lineBreak = message.substr(start.end, start.next - start.end);
  HeadLine via;
  const std::size_t at = FirstViaLine(message, via) ? via.start : start.next;
  message.insert(at, "Via: " + std::string(value) + lineBreak);
  return true;
}

bool RemoveTopViaIf(std::string& message, std::string_view host, std::string_view branchPrefix) {
  HeadLine line;
  if (!FirstViaLine(message, line)) return false;
  const std::string_view text(message);
  const std::size_t colon = text.find(':', line.start);
  std::size_t valueStart = colon + 1;
  while (valueStart < line.end && (text[valueStart] == ' ' || text[valueStart] == '\t')) ++valueStart;
  // A Via value holds no quoted commas: the first value ends at the first comma.
  const std::size_t comma = text.find(',', valueStart);
  const bool alone = comma == std::string_view::npos || comma >= line.end;
  const std::size_t valueEnd = alone ? line.end : comma;
  const auto via = sip::Via::Parse(text.substr(valueStart, valueEnd - valueStart));
  if (!via) return false;
  const std::optional<std::string> branch = via.Value().Branch();
  if (via.Value().host != host || !branch || branch->compare(0, branchPrefix.size(), branchPrefix) != 0) {
    return false;
  }
  if (alone) {
    message.erase(line.start, line.next - line.start);
  } else {
    std::size_t rest = comma + 1;
    while (rest < line.end && (text[rest] == ' ' || text[rest] == '\t')) ++rest;
    message.erase(valueStart, rest - valueStart);
  }
  return true;
}

}  // namespace alglab
