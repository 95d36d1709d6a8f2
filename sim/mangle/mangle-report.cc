#include "sim/mangle/mangle-report.h"

#include <sstream>

#include "sim/flow/printable-text.h"

#include "sim/flow/base64.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string_view>

namespace alglab::mangle {

namespace {

/// Above this many line pairs the diff stops looking for common lines (a datagram of tens of
/// thousands of lines would make the quadratic search slow) and shows old and new whole.
constexpr std::size_t kMaxDiffCells = 4'000'000;

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r' && end < text.size()) line.remove_suffix(1);
    lines.push_back(line);
    pos = next;
  }
  return lines;
}


/// Longest-common-subsequence line diff, emitted in order.
void AppendLineDiff(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                    std::string& out) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  auto emit = [&out](char mark, std::string_view line) {
    out += mark;
    out += flow::PrintableText(line);
    out += '\n';
  };
  if (n * m > kMaxDiffCells) {
    for (std::string_view line : a) emit('-', line);
    for (std::string_view line : b) emit('+', line);
    return;
  }
  // common[i][j]: length of the LCS of a[i..] and b[j..].
  std::vector<std::size_t> common((n + 1) * (m + 1), 0);
  auto at = [m](std::size_t i, std::size_t j) { return i * (m + 1) + j; };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      common[at(i, j)] = a[i] == b[j] ? common[at(i + 1, j + 1)] + 1
                                      : std::max(common[at(i + 1, j)], common[at(i, j + 1)]);
    }
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n && j < m) {
    if (a[i] == b[j]) {
      emit(' ', a[i]);
      ++i;
      ++j;
    } else if (common[at(i + 1, j)] >= common[at(i, j + 1)]) {
      emit('-', a[i++]);
    } else {
      emit('+', b[j++]);
    }
  }
  while (i < n) emit('-', a[i++]);
  while (j < m) emit('+', b[j++]);
}

}  // namespace

nlohmann::ordered_json OutcomesJson(const std::vector<BlockOutcome>& outcomes) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const BlockOutcome& o : outcomes) {
    nlohmann::ordered_json entry;
    entry["dir"] = flow::DirectionName(o.dir);
    if (o.delivered) {
      entry["delivered"] = flow::EncodeBase64(*o.delivered);
      std::ostringstream to;
      to << o.to;
      entry["to"] = to.str();
    } else {
      entry["delivered"] = nullptr;
    }
    if (o.emitted) entry["emitted"] = true;
    array.push_back(std::move(entry));
  }
  return array;
}

std::string ToJson(const std::vector<BlockOutcome>& outcomes) { return OutcomesJson(outcomes).dump(); }

std::string FormatDiff(const std::vector<BlockOutcome>& outcomes) {
  std::string out;
  std::size_t block = 0;  // emitted datagrams are not blocks of the flow
  for (const BlockOutcome& o : outcomes) {
    if (o.emitted) {
      std::ostringstream to;
      to << o.to;
      out += "=== emitted (after line " + std::to_string(o.line) + ") " +
             flow::DirectionName(o.dir) + ": by the router to " + to.str() + " (" +
             std::to_string(o.delivered->size()) + " bytes)\n";
      AppendLineDiff({}, SplitLines(*o.delivered), out);
      continue;
    }
    out += "=== block " + std::to_string(++block) + " (line " + std::to_string(o.line) + ") " +
           flow::DirectionName(o.dir) + ": ";
    if (o.stolen) {
      out += "stolen by the router (not forwarded)\n";
      continue;
    }
    if (!o.delivered) {
      out += "dropped";
      if (!o.dropReason.empty()) out += " (" + o.dropReason + ")";
      out += '\n';
      continue;
    }
    const std::string redirect =
        o.redirectedPort != 0 ? ", to port " + std::to_string(o.redirectedPort) : std::string();
    if (*o.delivered == o.sent) {
      out += "unchanged" + redirect + "\n";
      continue;
    }
    out += "rewritten (" + std::to_string(o.sent.size()) + " -> " +
           std::to_string(o.delivered->size()) + " bytes)" + redirect + "\n";
    AppendLineDiff(SplitLines(o.sent), SplitLines(*o.delivered), out);
  }
  return out;
}

}  // namespace alglab::mangle
